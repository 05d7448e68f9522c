package dev.parley.web.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import org.junit.jupiter.api.Test;

class LingerSlotsTest {
    private static InetAddress ip(String a) throws Exception {
        return InetAddress.getByName(a);
    }

    @Test
    void aSourceGetsAtMostItsShareAndAReleasedSlotCanBeTakenAgain() throws Exception {
        LingerSlots slots = new LingerSlots(10, 2);
        InetAddress a = ip("192.0.2.1");
        assertThat(slots.tryAcquire(a)).isTrue();
        assertThat(slots.tryAcquire(a)).isTrue();
        assertThat(slots.tryAcquire(a)).as("a third from one source").isFalse();
        assertThat(slots.tryAcquire(ip("192.0.2.2"))).as("another source").isTrue();
        assertThat(slots.total()).isEqualTo(3);
        slots.release(a);
        assertThat(slots.held(a)).isEqualTo(1);
        assertThat(slots.tryAcquire(a)).isTrue();
        slots.release(a);
        slots.release(a);
        assertThat(slots.held(a)).isZero();
        assertThat(slots.total()).isEqualTo(1);
    }

    @Test
    void theWholeIsBoundedAcrossSources() throws Exception {
        LingerSlots slots = new LingerSlots(3, 2);
        assertThat(slots.tryAcquire(ip("192.0.2.1"))).isTrue();
        assertThat(slots.tryAcquire(ip("192.0.2.2"))).isTrue();
        assertThat(slots.tryAcquire(ip("192.0.2.3"))).isTrue();
        assertThat(slots.tryAcquire(ip("192.0.2.4"))).as("over the total").isFalse();
        assertThat(slots.total()).isEqualTo(3);
        assertThat(slots.held(ip("192.0.2.4"))).as("a refused source holds nothing").isZero();
    }

    @Test
    void ipv6SourcesAreCountedPerSlash64() throws Exception {
        InetAddress one = LingeringClose.source(new InetSocketAddress(ip("2001:db8:1:2:aaaa::1"), 443));
        InetAddress other = LingeringClose.source(new InetSocketAddress(ip("2001:db8:1:2:bbbb::7"), 443));
        assertThat(one).isEqualTo(other).isEqualTo(ip("2001:db8:1:2::"));
        assertThat(LingeringClose.source(new InetSocketAddress(ip("2001:db8:1:3::1"), 443))).isNotEqualTo(one);
        assertThat(LingeringClose.source(new InetSocketAddress(ip("192.0.2.9"), 443))).isEqualTo(ip("192.0.2.9"));
    }
}
