package dev.parley.media.relay;

import java.nio.ByteBuffer;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;
import java.util.function.LongPredicate;

/**
 * A few of one loop's {@link IdlePairs} that rested their quarantine, set aside by the loop so that any thread can
 * take one without a round trip through the loop: an open on the SIP lane no longer writes the loop's
 * {@code eventfd} and waits for the loop's answer (two thread hand-offs per endpoint, four per call;
 * docs/benchmarks.md, 7 December, twelfth session, lanes4).
 *
 * <table>
 *   <caption>rules</caption>
 *   <tr><th>rule</th><th>why</th></tr>
 *   <tr><td>pairs that rested the quarantine, or (more opens per second than the range can quarantine for) the
 *       oldest when no free port rested longer, oldest first, refilled by the loop at each slice of its tick up to
 *       {@code target}</td><td>the idle pairs' rule ({@link IdlePairs}); a pair waiting here goes on resting (the
 *       loop reads and drops what reaches it)</td></tr>
 *   <tr><td>the taker drains both sockets before it hands the pair on ({@code recv} up to {@code EAGAIN}, on its own
 *       thread), then {@link NativeUdpSocket#claim claims} them</td><td>nothing sent to the pair before its reuse
 *       reaches the new endpoint, as when the loop drained it: a datagram the loop reads after it saw the claim
 *       came after that drain; one read before is dropped as a resting socket's</td></tr>
 *   <tr><td>the new endpoint's loop-confined state (its listeners, its place in the loop's round) is applied on the
 *       loop by the claim's attach, queued lazily (no wake-up) ahead of the endpoint's other tasks, or run by the
 *       loop before the first datagram it reads on the pair</td><td>the loop's thread confinement holds; the
 *       endpoint's configure, bridge and close are queued after the attach and run after it</td></tr>
 *   <tr><td>a pair that failed to drain goes back to the loop, which closes it</td><td>the descriptor is closed on
 *       its loop only</td></tr>
 * </table>
 *
 * <p>Thread-safe: {@link #take} from any thread; the rest on the loop.
 */
public final class ReadyPairs {
    /** Enough to take one datagram off the queue: the kernel drops what does not fit. */
    private static final int SINK_OCTETS = 64;
    /** A flooded socket is not drained here (bounded work on the taker's thread): the loop closes it. */
    private static final int MAX_DRAINED_PER_SOCKET = 1_000;
    /** Each taking thread's sink (direct: {@code recv} writes into its memory). */
    private static final ThreadLocal<ByteBuffer> SINK = ThreadLocal.withInitial(
            () -> ByteBuffer.allocateDirect(SINK_OCTETS));

    private final MediaLoop loop;
    private final IdlePairs idle;
    private final LongPredicate noFreePortRestedSince;
    private final int target;
    private final Consumer<IdlePairs.Pair> closeOnLoop;
    private final ConcurrentLinkedQueue<IdlePairs.Pair> pairs = new ConcurrentLinkedQueue<>();
    private final AtomicInteger size = new AtomicInteger();
    private final LongAdder drained = new LongAdder();

    /**
     * @param noFreePortRestedSince whether the port pool has no free port released before the given
     *                              {@link System#nanoTime()}: then the oldest idle pair is set aside before its
     *                              quarantine is over, as an open on the loop would take it
     *                              ({@link IdlePairs#takeForReuse})
     * @param closeOnLoop closes a pair and gives its port back to the pool; runs on the loop
     */
    public ReadyPairs(MediaLoop loop, IdlePairs idle, int target, LongPredicate noFreePortRestedSince,
            Consumer<IdlePairs.Pair> closeOnLoop) {
        this.loop = loop;
        this.idle = idle;
        this.noFreePortRestedSince = noFreePortRestedSince;
        this.target = target;
        this.closeOnLoop = closeOnLoop;
    }

    /**
     * Sets aside pairs of the idle cache until {@code target} wait here, oldest first, by the rule of
     * {@link IdlePairs#takeForReuse}; on the loop.
     */
    public void refill(long now) {
        while (size.get() < target) {
            IdlePairs.Pair pair = idle.pollForReuse(now, noFreePortRestedSince);
            if (pair == null) {
                return;
            }
            pairs.offer(pair);
            size.incrementAndGet();
        }
    }

    /**
     * The oldest ready pair, drained of everything queued on it so far, or null when none waits (or the one taken
     * could not be drained: the loop closes it). Any thread. The caller then {@link #claim}s it for its endpoint.
     */
    public IdlePairs.Pair take() {
        IdlePairs.Pair pair = pairs.poll();
        if (pair == null) {
            return null;
        }
        size.decrementAndGet();
        ByteBuffer sink = SINK.get();
        int rtp = pair.rtp().drain(sink, MAX_DRAINED_PER_SOCKET);
        int rtcp = rtp < 0 ? -1 : pair.rtcp().drain(sink, MAX_DRAINED_PER_SOCKET);
        if (rtp < 0 || rtcp < 0) {
            loop.execute(() -> closeOnLoop.accept(pair));
            return null;
        }
        drained.add(rtp + rtcp);
        return pair;
    }

    /**
     * Hands a taken pair to its new endpoint: {@code attach} (which must run once however often it is called, on
     * the loop) is marked on both sockets and queued lazily by the caller; from the mark on, the loop runs it before
     * it reads from the pair. Any thread.
     */
    public static void claim(IdlePairs.Pair pair, Runnable attach) {
        pair.rtp().claim(attach);
        pair.rtcp().claim(attach);
    }

    /**
     * In a claim's attach, on the loop: clears the marks, counts what the loop dropped while the pair rested, and
     * gives the sockets their listeners; false when that failed (close them).
     */
    public boolean resume(IdlePairs.Pair pair, NativeUdpSocket.Listener rtp, NativeUdpSocket.Listener rtcp) {
        pair.rtp().unclaim();
        pair.rtcp().unclaim();
        idle.countDrained(pair.rtp().takeDroppedResting() + pair.rtcp().takeDroppedResting());
        return IdlePairs.resume(pair, rtp, rtcp);
    }

    /** Closes the pairs that waited here longer than {@code lifetimeNanos} (an idle server keeps nothing bound). */
    public void expire(long now, long lifetimeNanos) {
        for (IdlePairs.Pair oldest = pairs.peek(); oldest != null && now - oldest.restingSince() >= lifetimeNanos;
                oldest = pairs.peek()) {
            IdlePairs.Pair pair = pairs.poll();
            if (pair == null) {
                return;
            }
            size.decrementAndGet();
            closeOnLoop.accept(pair);
        }
    }

    /** Closes every pair still waiting (shutdown); on the loop. */
    public void closeAll() {
        for (IdlePairs.Pair pair = pairs.poll(); pair != null; pair = pairs.poll()) {
            size.decrementAndGet();
            closeOnLoop.accept(pair);
        }
    }

    /** How many pairs wait here (any thread). */
    public int size() {
        return size.get();
    }

    /** Datagrams the takers drained from pairs taken here (any thread). */
    public long drained() {
        return drained.sum();
    }
}
