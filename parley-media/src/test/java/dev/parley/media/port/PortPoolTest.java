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
    void countsAParkedPairAsAvailableButDoesNotHandItOutUntilDiscarded() {
        PortPool pool = new PortPool(20000, 20003);
        int port = pool.acquire().getAsInt();
        assertThat(pool.park(port)).isTrue();
        assertThat(pool.available()).isEqualTo(2);
        assertThat(pool.parked()).isEqualTo(1);
        pool.release(port);
        assertThat(pool.available()).as("release leaves a parked pair alone").isEqualTo(2);
        int other = pool.acquire().getAsInt();
        assertThat(other).isNotEqualTo(port);
        assertThat(pool.acquire()).as("the parked pair is bound elsewhere: not handed out").isEmpty();

        assertThat(pool.unpark(port)).isTrue();
        assertThat(pool.available()).isZero();
        assertThat(pool.park(port)).isTrue();
        pool.discard(port);
        assertThat(pool.parked()).isZero();
        assertThat(pool.acquire().getAsInt()).as("its sockets closed, it is free again").isEqualTo(port);
    }

    @Test
    void parksOnlyLeasedPairs() {
        PortPool pool = new PortPool(20000, 20003);
        assertThat(pool.park(20000)).isFalse();
        assertThat(pool.unpark(20000)).isFalse();
        pool.discard(20000);
        assertThat(pool.available()).isEqualTo(2);
    }

    @Test
    void refusesARangeWithoutAPair() {
        assertThatThrownBy(() -> new PortPool(20001, 20002)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void tellsWhetherItsNextFreePortWasReleasedBeforeAGivenTime() throws InterruptedException {
        PortPool pool = new PortPool(20000, 20003);
        assertThat(pool.hasFreePortReleasedBefore(System.nanoTime())).as("never used: rested forever").isTrue();
        int a = pool.acquire().getAsInt();
        int b = pool.acquire().getAsInt();
        assertThat(pool.hasFreePortReleasedBefore(System.nanoTime())).as("none free").isFalse();
        pool.release(a);
        Thread.sleep(2);
        long between = System.nanoTime();
        Thread.sleep(2);
        pool.release(b);
        assertThat(pool.hasFreePortReleasedBefore(between)).isTrue();
        pool.acquire();
        assertThat(pool.hasFreePortReleasedBefore(between)).as("b was released after").isFalse();
        assertThat(pool.hasFreePortReleasedBefore(System.nanoTime())).isTrue();
    }
}
