package dev.parley.bench.media;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class LatencyHistogramTest {

    @Test
    void percentilesAreUpperBucketEdgesInMicroseconds() {
        LatencyHistogram h = new LatencyHistogram();
        for (int i = 1; i <= 100; i++) {
            h.recordNanos(i * 1000L + 500); // i.5 µs
        }
        assertThat(h.count()).isEqualTo(100);
        assertThat(h.percentileMicros(0.50)).isEqualTo(51);
        assertThat(h.percentileMicros(0.99)).isEqualTo(100);
        assertThat(h.maxMicros()).isEqualTo(100);
    }

    @Test
    void valuesBeyondTheRangeLandInTheOverflowBucket() {
        LatencyHistogram h = new LatencyHistogram();
        h.recordNanos(5_000_000_000L);
        assertThat(h.percentileMicros(0.5)).isEqualTo(LatencyHistogram.MAX_MICROS + 1L);
        assertThat(new LatencyHistogram().percentileMicros(0.5)).isEqualTo(-1);
    }
}
