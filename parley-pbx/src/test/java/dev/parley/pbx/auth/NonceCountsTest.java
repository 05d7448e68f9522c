package dev.parley.pbx.auth;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class NonceCountsTest {
    private static final long LIFE = 300_000;

    @Test
    void rfc7616_3_4_ncMustGrowPerNonce() {
        NonceCounts counts = new NonceCounts(10);
        assertThat(counts.accept("a", 1000, 1, 1000, LIFE)).isTrue();
        assertThat(counts.accept("a", 1000, 1, 1000, LIFE)).isFalse();
        assertThat(counts.accept("a", 1000, 2, 1000, LIFE)).isTrue();
        assertThat(counts.accept("a", 1000, 1, 1000, LIFE)).isFalse();
        assertThat(counts.accept("b", 1000, 1, 1000, LIFE)).isTrue();
    }

    @Test
    void aForgottenNonceIsNotReopened() {
        NonceCounts counts = new NonceCounts(2);
        assertThat(counts.accept("a", 1000, 1, 1000, LIFE)).isTrue();
        assertThat(counts.accept("b", 1001, 1, 1001, LIFE)).isTrue();
        assertThat(counts.accept("c", 1002, 1, 1002, LIFE)).isTrue(); // evicts "a"
        assertThat(counts.size()).isEqualTo(2);
        assertThat(counts.accept("a", 1000, 1, 1003, LIFE)).isFalse();
        assertThat(counts.accept("a", 1000, 7, 1003, LIFE)).isFalse();
        assertThat(counts.accept("d", 1003, 1, 1003, LIFE)).isTrue(); // newer than the horizon
    }

    @Test
    void expiredNoncesAreDropped() {
        NonceCounts counts = new NonceCounts(10);
        counts.accept("a", 1000, 1, 1000, LIFE);
        counts.accept("b", 2000, 1, 2000, LIFE);
        counts.accept("c", 400_000, 1, 400_000, LIFE);
        assertThat(counts.size()).isEqualTo(1);
    }
}
