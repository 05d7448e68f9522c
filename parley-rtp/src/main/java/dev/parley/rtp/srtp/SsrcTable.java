package dev.parley.rtp.srtp;

/**
 * An int-keyed open-addressing map from SSRC to per-stream state with a fixed cap, so lookups on the packet path
 * neither box the key nor allocate. Entries are never removed: SRTP state must outlive a stream's silence, and
 * the cap bounds the memory a session can hold.
 *
 * <p>The arrays start at two slots and double as streams arrive (load factor at most 1/2), up to what the cap
 * needs: nearly every session has one SSRC, and a relay holds four tables per leg, so tables sized for the cap
 * (64 SSRCs: 128 slots, 1 KiB) from the start were a third of an SRTP call's heap, all of it copied by the young
 * collections that follow a burst of call set-ups.
 */
final class SsrcTable<T> {
    private final int limit;
    private int mask;
    private int[] keys;
    private Object[] values;
    private int size;

    SsrcTable(int limit) {
        if (limit < 1) {
            throw new IllegalArgumentException("SSRC limit must be at least 1, got " + limit);
        }
        this.limit = limit;
        this.mask = 1;
        this.keys = new int[2];
        this.values = new Object[2];
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
        if (2 * (size + 1) > keys.length) {
            grow(); // load factor at most 1/2, so a lookup always reaches an empty slot
        }
        insert(ssrc, value);
        size++;
    }

    /** How many slots the table has now (for tests). */
    int slots() {
        return keys.length;
    }

    private void grow() {
        int[] oldKeys = keys;
        Object[] oldValues = values;
        keys = new int[oldKeys.length * 2];
        values = new Object[oldKeys.length * 2];
        mask = keys.length - 1;
        for (int i = 0; i < oldKeys.length; i++) {
            if (oldValues[i] != null) {
                insert(oldKeys[i], oldValues[i]);
            }
        }
    }

    private void insert(int ssrc, Object value) {
        int slot = hash(ssrc);
        while (values[slot] != null) {
            slot = (slot + 1) & mask;
        }
        keys[slot] = ssrc;
        values[slot] = value;
    }

    private int hash(int ssrc) {
        int h = ssrc * 0x9E3779B9; // Fibonacci hashing: SSRCs are random, but a peer may pick 1, 2, 3...
        return (h ^ (h >>> 16)) & mask;
    }
}
