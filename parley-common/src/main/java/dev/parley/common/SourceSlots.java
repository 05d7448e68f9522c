package dev.parley.common;

import java.net.InetAddress;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Counts slots (connections, lingering closes) per source address and in all, so that one host cannot take every
 * slot and many hosts together cannot take more than the whole: a slot over either cap is refused and nothing is
 * taken. Callers choose the address a source is counted by: the host, or {@link IpPrefix#ofSource} (IPv6 per /64).
 *
 * <p>Thread-safe without locks. A source's entry is removed when its last slot is released, so the table holds
 * only sources that hold a slot now: at most {@code total} entries.
 */
public final class SourceSlots {

    /** The outcome of {@link #tryAcquire}. */
    public enum Admission {
        ADMITTED,
        OVER_SOURCE_CAP,
        OVER_TOTAL_CAP
    }

    private final int perSource;
    private final int total;
    private final AtomicInteger all = new AtomicInteger();
    private final ConcurrentHashMap<InetAddress, Integer> bySource = new ConcurrentHashMap<>();

    /**
     * @param perSource slots one source may hold at once, at least 1
     * @param total slots all sources together may hold at once, at least 1
     */
    public SourceSlots(int perSource, int total) {
        if (perSource < 1 || total < 1) {
            throw new IllegalArgumentException("slot caps must be at least 1: perSource=" + perSource + ", total="
                    + total);
        }
        this.perSource = perSource;
        this.total = total;
    }

    /** Takes a slot for {@code source} unless that would exceed a cap; when refused, nothing is taken. */
    public Admission tryAcquire(InetAddress source) {
        // The total first: a flood from many sources is refused without touching the table.
        if (all.incrementAndGet() > total) {
            all.decrementAndGet();
            return Admission.OVER_TOTAL_CAP;
        }
        boolean[] taken = {false};
        bySource.compute(source, (k, n) -> {
            int held = n == null ? 0 : n;
            if (held >= perSource) {
                return n;
            }
            taken[0] = true;
            return held + 1;
        });
        if (!taken[0]) {
            all.decrementAndGet();
            return Admission.OVER_SOURCE_CAP;
        }
        return Admission.ADMITTED;
    }

    /** Gives back one slot that {@link #tryAcquire} admitted for {@code source}; call it once per admitted slot. */
    public void release(InetAddress source) {
        bySource.computeIfPresent(source, (k, n) -> n <= 1 ? null : n - 1);
        all.decrementAndGet();
    }

    /** Slots held now by all sources. */
    public int total() {
        return all.get();
    }

    /** Slots held now by {@code source}. */
    public int held(InetAddress source) {
        return bySource.getOrDefault(source, 0);
    }

    /** Sources holding a slot now (tests: a released source leaves no entry behind). */
    int sources() {
        return bySource.size();
    }
}
