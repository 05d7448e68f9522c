package dev.parley.media.port;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class PortPoolTest {

    @Test
    void holdsEvenRtpPortsWhoseRtcpPortIsInTheRange() {
        PortPool pool = new PortPool(20001, 20008);
        List<Integer> ports = new ArrayList<>();
        while (pool.acquire().isPresent()) {
            ports.add(ports.size());
        }
        assertThat(new PortPool(20001, 20008).capacity()).isEqualTo(3);
        PortPool again = new PortPool(20001, 20008);
        assertThat(List.of(again.acquire().getAsInt(), again.acquire().getAsInt(), again.acquire().getAsInt()))
                .containsExactly(20002, 20004, 20006);
        assertThat(again.acquire()).isEmpty();
        assertThat(ports).hasSize(3);
    }

    @Test
    void reusesAReleasedPortLastSoLatePacketsOfAnOldCallMissTheNextOne() {
        PortPool pool = new PortPool(20000, 20007);
        int first = pool.acquire().getAsInt();
        pool.release(first);
        assertThat(pool.acquire().getAsInt()).isEqualTo(20002);
        assertThat(pool.acquire().getAsInt()).isEqualTo(20004);
        assertThat(pool.acquire().getAsInt()).isEqualTo(20006);
        assertThat(pool.acquire().getAsInt()).as("only when nothing else is free").isEqualTo(first);
    }

    @Test
    void ignoresReleasesOfPortsItDidNotLease() {
        PortPool pool = new PortPool(20000, 20003);
        pool.release(20000);
        pool.release(30000);
        assertThat(pool.available()).isEqualTo(2);
        int port = pool.acquire().getAsInt();
        pool.release(port);
        pool.release(port);
        assertThat(pool.available()).isEqualTo(2);
    }

    @Test
    void refusesARangeWithoutAPair() {
        assertThatThrownBy(() -> new PortPool(20001, 20002)).isInstanceOf(IllegalArgumentException.class);
    }
}
