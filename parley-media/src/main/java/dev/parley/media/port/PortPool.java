package dev.parley.media.port;

import java.util.ArrayDeque;
import java.util.BitSet;
import java.util.OptionalInt;

/**
 * The even RTP ports of a range, each with its RTCP port + 1 (RFC 3550 §11). Bookkeeping only: whoever leases a
 * port binds the sockets, and hands the port back when binding failed (another process holds it) or the endpoint
 * closed.
 *
 * <p>Free ports form a queue and a released port goes to its back: it is reused last, not at once, so late packets
 * of an old call (a peer that has not yet seen the BYE, a jitter buffer flushing) do not reach the next call that
 * would otherwise get the same port.
 *
 * <p>A leased pair whose sockets stay bound after its endpoint closed, resting in an idle cache for the next
 * endpoint (see {@code NettyMediaService}), is <em>parked</em>: it counts as available, but {@link #acquire} does
 * not hand it out; it is either taken again ({@link #unpark}) or, once its sockets are closed, freed
 * ({@link #discard}).
 *
 * <p>Each free port remembers when it was released ({@link System#nanoTime()}), so that an idle cache can tell
 * whether a fresh bind would give a pair that rested longer than its own oldest ({@link #hasFreePortReleasedBefore}).
 * Thread-safe.
 */
public final class PortPool {
    private final int first;
    private final int capacity;
    private final ArrayDeque<Integer> free = new ArrayDeque<>();
    private final BitSet leased = new BitSet();
    private final BitSet parked = new BitSet();
    private int parkedCount;
    /** When each free port was released (at its offset / 2); meaningless for a port never leased ({@code used}). */
    private final long[] releasedAt;
    private final BitSet used = new BitSet();

    /** All even ports {@code p} with {@code min <= p} and {@code p + 1 <= max}. */
    public PortPool(int min, int max) {
        this.first = (min + 1) & ~1;
        for (int p = first; p + 1 <= max; p += 2) {
            free.addLast(p);
        }
        this.capacity = free.size();
        this.releasedAt = new long[capacity];
        if (capacity == 0) {
            throw new IllegalArgumentException("port range " + min + "-" + max + " holds no even/odd pair");
        }
    }

    /** The next free RTP port, or empty when every pair is leased. */
    public synchronized OptionalInt acquire() {
        Integer port = free.pollFirst();
        if (port == null) {
            return OptionalInt.empty();
        }
        leased.set(port - first);
        return OptionalInt.of(port);
    }

    /** Returns a leased port to the back of the queue. Releasing a port that is not leased does nothing. */
    public synchronized void release(int port) {
        int index = port - first;
        if (index >= 0 && leased.get(index)) {
            leased.clear(index);
            freed(index, port);
        }
    }

    /** A leased pair now rests bound in an idle cache: available, but not handed out by {@link #acquire}. */
    public synchronized boolean park(int port) {
        int index = port - first;
        if (index < 0 || !leased.get(index)) {
            return false;
        }
        leased.clear(index);
        parked.set(index);
        parkedCount++;
        return true;
    }

    /** A parked pair is leased again (an endpoint took it from the idle cache). */
    public synchronized boolean unpark(int port) {
        int index = port - first;
        if (index < 0 || !parked.get(index)) {
            return false;
        }
        parked.clear(index);
        parkedCount--;
        leased.set(index);
        return true;
    }

    /** A parked pair's sockets are closed: it goes to the back of the free queue. */
    public synchronized void discard(int port) {
        int index = port - first;
        if (index >= 0 && parked.get(index)) {
            parked.clear(index);
            parkedCount--;
            freed(index, port);
        }
    }

    private void freed(int index, int port) {
        used.set(index);
        releasedAt[index / 2] = System.nanoTime();
        free.addLast(port);
    }

    /**
     * Whether {@link #acquire} would now hand out a port that was released before {@code nanos} (a
     * {@link System#nanoTime()}) or never used: a port that has rested longer than something released at
     * {@code nanos}. False when no port is free.
     */
    public synchronized boolean hasFreePortReleasedBefore(long nanos) {
        Integer next = free.peekFirst();
        if (next == null) {
            return false;
        }
        int index = next - first;
        return !used.get(index) || releasedAt[index / 2] - nanos < 0;
    }

    /** Pairs not in use: free ones and parked ones. */
    public synchronized int available() {
        return free.size() + parkedCount;
    }

    /** Pairs resting bound in idle caches. */
    public synchronized int parked() {
        return parkedCount;
    }

    /** How many pairs the range holds. */
    public int capacity() {
        return capacity;
    }
}
