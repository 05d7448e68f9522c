package dev.parley.web.http;

import java.net.InetAddress;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/** Counts connections in a lingering close: at most {@code max} in all and {@code maxPerSource} per source. */
final class LingerSlots {
    private final int max;
    private final int maxPerSource;
    private final AtomicInteger total = new AtomicInteger();
    private final ConcurrentHashMap<InetAddress, Integer> bySource = new ConcurrentHashMap<>();

    LingerSlots(int max, int maxPerSource) {
        if (max < 1 || maxPerSource < 1) {
            throw new IllegalArgumentException("limits must be at least 1, were " + max + " and " + maxPerSource);
        }
        this.max = max;
        this.maxPerSource = maxPerSource;
    }

    /** Takes a slot for {@code source}; false (nothing taken) when either limit is reached. */
    boolean tryAcquire(InetAddress source) {
        if (total.incrementAndGet() > max) {
            total.decrementAndGet();
            return false;
        }
        boolean[] taken = {false};
        bySource.compute(source, (k, n) -> {
            int held = n == null ? 0 : n;
            if (held >= maxPerSource) {
                return n;
            }
            taken[0] = true;
            return held + 1;
        });
        if (!taken[0]) {
            total.decrementAndGet();
        }
        return taken[0];
    }

    /** Gives back a slot taken by {@link #tryAcquire}. */
    void release(InetAddress source) {
        bySource.computeIfPresent(source, (k, n) -> n <= 1 ? null : n - 1);
        total.decrementAndGet();
    }

    int total() {
        return total.get();
    }

    int held(InetAddress source) {
        return bySource.getOrDefault(source, 0);
    }
}
