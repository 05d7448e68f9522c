package dev.parley.bench.media;

/**
 * One-way latencies at 1 µs resolution up to {@value #MAX_MICROS} µs, with everything above in one overflow bucket:
 * exact enough for p50/p99 of sub-millisecond figures and cheap to record on the receive path (one array store).
 */
final class LatencyHistogram {
    static final int MAX_MICROS = 200_000;
    private final long[] counts = new long[MAX_MICROS + 2];
    private long total;
    private long maxNanos;

    void recordNanos(long nanos) {
        long micros = Math.max(0, nanos / 1000);
        counts[(int) Math.min(micros, MAX_MICROS + 1)]++;
        total++;
        if (nanos > maxNanos) {
            maxNanos = nanos;
        }
    }

    long count() {
        return total;
    }

    long maxMicros() {
        return maxNanos / 1000;
    }

    /**
     * The smallest value (µs, upper edge of its bucket) at or below which {@code fraction} of the samples lie;
     * -1 without samples. {@code MAX_MICROS + 1} means beyond the range.
     */
    long percentileMicros(double fraction) {
        if (total == 0) {
            return -1;
        }
        long rank = (long) Math.ceil(fraction * total);
        long seen = 0;
        for (int i = 0; i < counts.length; i++) {
            seen += counts[i];
            if (seen >= rank) {
                return Math.min(i + 1L, MAX_MICROS + 1L);
            }
        }
        return MAX_MICROS + 1L;
    }
}
