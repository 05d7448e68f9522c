package dev.parley.media.relay;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import org.junit.jupiter.api.Test;

class LatchTest {
    private static final long SECOND = 1_000_000_000L;
    private static final InetSocketAddress PHONE = new InetSocketAddress("192.0.2.10", 4000);
    private static final InetSocketAddress OTHER = new InetSocketAddress("198.51.100.7", 5000);

    @Test
    void admitsAnySourceUntilOneIsHeardThenOnlyThatOne() {
        Latch latch = new Latch(2 * SECOND);
        assertThat(latch.admits(OTHER, 0)).isTrue();
        assertThat(latch.heard(PHONE, 0)).isTrue();
        assertThat(latch.heard(PHONE, SECOND / 50)).isFalse();
        assertThat(latch.admits(OTHER, SECOND)).isFalse();
        assertThat(latch.admits(PHONE, SECOND)).isTrue();
    }

    @Test
    void admitsANewSourceOnlyAfterTheLatchedOneFellSilent() {
        Latch latch = new Latch(2 * SECOND);
        latch.heard(PHONE, 0);
        latch.heard(PHONE, 5 * SECOND);
        assertThat(latch.admits(OTHER, 6 * SECOND)).isFalse();
        assertThat(latch.admits(OTHER, 7 * SECOND)).isTrue();
        assertThat(latch.heard(OTHER, 7 * SECOND)).isTrue();
        assertThat(latch.source()).isEqualTo(OTHER);
        latch.reset();
        assertThat(latch.source()).isNull();
        assertThat(latch.admits(PHONE, 7 * SECOND)).isTrue();
    }

    @Test
    void anEqualAddressObjectIsTheSameSource() {
        // the socket hands a live source the same object, but an equal one (a new object for the same peer after
        // the socket's cache evicted it) is the same source: compared by value, not only by identity
        Latch latch = new Latch(2 * SECOND);
        latch.heard(PHONE, 0);
        InetSocketAddress samePhone = new InetSocketAddress("192.0.2.10", 4000);
        assertThat(samePhone).isNotSameAs(PHONE);
        assertThat(latch.admits(samePhone, SECOND)).isTrue();
        assertThat(latch.heard(samePhone, SECOND)).isFalse();
    }
}
