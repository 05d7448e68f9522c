package dev.parley.rtp.srtp;

/**
 * An int-keyed open-addressing map from SSRC to per-stream state with a fixed cap, so lookups on the packet path
 * neither box the key nor allocate. Entries are never removed: SRTP state must outlive a stream's silence, and
 * the cap bounds the memory a session can hold.
 */
final class SsrcTable<T> {
    private final int limit;
    private final int mask;
    private final int[] keys;
    private final Object[] values;
    private int size;

    SsrcTable(int limit) {
        if (limit < 1) {
            throw new IllegalArgumentException("SSRC limit must be at least 1, got " + limit);
        }
        this.limit = limit;
        int slots = Integer.highestOneBit(Math.max(4, limit * 2 - 1)) << 1; // load factor at most 1/2
        this.mask = slots - 1;
        this.keys = new int[slots];
        this.values = new Object[slots];
    }

    @SuppressWarnings("unchecked")
    T get(int ssrc) {
        for (int slot = hash(ssrc); ; slot = (slot + 1) & mask) {
            Object value = values[slot];
            if (value == null) {
                return null;
            }
            if (keys[slot] == ssrc) {
                return (T) value;
            }
        }
    }

    boolean isFull() {
        return size >= limit;
    }

    int size() {
        return size;
    }

    /** Adds state for a new SSRC; the caller checked {@link #isFull()} and that the SSRC is absent. */
    void put(int ssrc, T value) {
        if (isFull()) {
            throw new IllegalStateException("SSRC table is full (" + limit + ")");
        }
        int slot = hash(ssrc);
        while (values[slot] != null) {
            slot = (slot + 1) & mask;
        }
        keys[slot] = ssrc;
        values[slot] = value;
        size++;
    }

    private int hash(int ssrc) {
        int h = ssrc * 0x9E3779B9; // Fibonacci hashing: SSRCs are random, but a peer may pick 1, 2, 3...
        return (h ^ (h >>> 16)) & mask;
    }
}
