package dev.parley.media.relay;

import io.netty.channel.IoEventLoop;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.function.IntConsumer;
import java.util.function.LongPredicate;

/**
 * The still-bound RTP/RTCP sockets of closed endpoints on one event loop, kept for the next endpoint there instead of
 * being closed and bound again. Opening and closing four UDP sockets per call (socket, bind, epoll registration,
 * close, and then Netty's channel, pipeline and config objects, ≈ 0.9 KB each) was 11 % of the B2BUA's CPU samples
 * under SIP load (docs/benchmarks.md). The sockets are {@link NativeUdpSocket}s.
 *
 * <table>
 *   <caption>rules</caption>
 *   <tr><th>rule</th><th>why</th></tr>
 *   <tr><td>an idle pair has no listener but stays registered for {@code EPOLLIN}: the loop reads and drops what
 *       still arrives, and the first datagram that reaches a resting socket shrinks its receive buffer until
 *       reuse ({@link NativeUdpSocket#rest})</td><td>parking and reusing a pair nobody sends to is then no system
 *       call at all (no {@code epoll_ctl}, no socket option), and a flood of resting sockets still finds room for a
 *       datagram or two on each. Under SIP load (1,600 calls/s, no RTP) the former rest (no {@code EPOLLIN},
 *       {@code SO_RCVBUF} shrunk and restored: two {@code epoll_ctl}, three socket options per endpoint) cost
 *       about what binding afresh did (docs/benchmarks.md, 7 December, sipcpu2 and mediactl)</td></tr>
 *   <tr><td>first in, first out; handed out only after resting the quarantine ({@code MediaSettings
 *       .idleQuarantine}, 2 s by default)</td><td>the port pool's reason: late packets of the old call (a peer that
 *       has not yet seen the BYE, a jitter buffer flushing) must not reach the next call, where a plain RTP packet
 *       would latch it; when the range is too small for every closed pair to rest that long (3,200 opens/s need
 *       6,400 pairs resting 2 s), the quarantine is as long as the range allows: the oldest pair, or the oldest free
 *       port, whichever rested longer, as the port pool alone would do</td></tr>
 *   <tr><td>before it is handed out, every datagram still queued on both sockets is read and dropped (one
 *       {@code recv} each, up to {@code EAGAIN}: the loop read the rest while the pair rested)</td><td>nothing sent
 *       to the pair before its reuse reaches the new endpoint: a datagram that arrived after the loop's last
 *       {@code epoll_wait} is still queued, and its new listener would read it next</td></tr>
 *   <tr><td>at most {@code capacity} pairs; beyond that a closing endpoint's pair is closed, as is a pair that
 *       rested longer than {@code lifetime}</td><td>an idle server does not keep its range bound</td></tr>
 *   <tr><td>native epoll sockets only</td><td>draining reads the socket directly (Java NIO's channel does not
 *       expose it): NIO pairs are closed as before</td></tr>
 * </table>
 *
 * <p>The per-call state (latch, SRTP contexts, counters, routes, RTCP) is not here: it lives in the
 * {@link Endpoint}, and each open makes a new one. Past {@code capacity / quarantine} opens per second on one loop no
 * pair can rest the whole quarantine; an open then takes the oldest pair anyway when the range has no free port that
 * rested longer, since binding that port afresh would give the new call a port with an even shorter rest.
 *
 * <p>Loop-confined: every method runs on the loop whose sockets these are, except {@link #size()}.
 */
public final class IdlePairs {
    /** A bound pair resting here since {@code restingSince} ({@link System#nanoTime()}). */
    public record Pair(int port, NativeUdpSocket rtp, NativeUdpSocket rtcp, long restingSince) {
    }

    /** Enough to take one datagram off the queue: the kernel drops what does not fit. */
    private static final int SINK_OCTETS = 64;
    /** A socket flooded faster than it can be drained is closed instead (bounded work per reuse). */
    private static final int MAX_DRAINED_PER_SOCKET = 100_000;

    private final IoEventLoop loop;
    private final int capacity;
    private final long quarantineNanos;
    private final long lifetimeNanos;
    private final IntConsumer closed;
    private final ArrayDeque<Pair> pairs = new ArrayDeque<>();
    private final ByteBuffer sink = ByteBuffer.allocateDirect(SINK_OCTETS);
    private volatile int size;
    private volatile long drained;

    /**
     * @param closed told the port of each pair whose two sockets this cache closed (on the loop, once both are
     *               closed)
     */
    public IdlePairs(IoEventLoop loop, int capacity, long quarantineNanos, long lifetimeNanos, IntConsumer closed) {
        this.loop = loop;
        this.capacity = capacity;
        this.quarantineNanos = quarantineNanos;
        this.lifetimeNanos = lifetimeNanos;
        this.closed = closed;
    }

    /**
     * Takes over a closing endpoint's pair: drops its listeners (the loop reads and drops what still arrives). False
     * (nothing changed: the caller closes them) when the cache is full or the sockets are not native ones open on
     * this loop. No system call.
     */
    public boolean park(int port, MediaSocket rtpSocket, MediaSocket rtcpSocket, long now) {
        if (pairs.size() >= capacity || !(rtpSocket instanceof NativeUdpSocket rtp)
                || !(rtcpSocket instanceof NativeUdpSocket rtcp) || !rtp.servesOn(loop) || !rtcp.servesOn(loop)) {
            return false;
        }
        rtp.rest();
        rtcp.rest();
        pairs.addLast(new Pair(port, rtp, rtcp, now));
        size = pairs.size();
        return true;
    }

    /**
     * The next pair an open may reuse, drained and ready for {@link #resume}, or null (bind a free port): the oldest
     * pair when it rested the quarantine, or when no free port of the range rested longer than it
     * ({@code noFreePortRestedSince} tests the pair's {@code restingSince}) — under more opens per second than the
     * range can quarantine for (its pairs / the quarantine), a fresh bind would hand the new call a port released even
     * more recently, so the idle pair is the better of the two. A pair that cannot be drained is closed and the next
     * one considered.
     */
    public Pair takeForReuse(long now, LongPredicate noFreePortRestedSince) {
        for (Pair pair = pollForReuse(now, noFreePortRestedSince); pair != null;
                pair = pollForReuse(now, noFreePortRestedSince)) {
            if (drain(pair.rtp()) && drain(pair.rtcp())) {
                return pair;
            }
            close(pair, () -> { });
        }
        return null;
    }

    /**
     * The pair {@link #takeForReuse} would take, not drained (for {@link ReadyPairs}, whose taker drains it), or
     * null.
     */
    public Pair pollForReuse(long now, LongPredicate noFreePortRestedSince) {
        Pair oldest = pairs.peekFirst();
        if (oldest == null || now - oldest.restingSince() < quarantineNanos
                && !noFreePortRestedSince.test(oldest.restingSince())) {
            return null;
        }
        pairs.pollFirst();
        size = pairs.size();
        return oldest;
    }

    /**
     * The oldest pair whatever its rest, drained, or null: when no free port of the range rested longer (see
     * {@code NettyMediaService#openPair}), or the range has no other pair to bind (the port
     * pool, too, hands out a port released a moment ago when it is the last one).
     */
    public Pair takeOldest() {
        while (!pairs.isEmpty()) {
            Pair pair = take();
            if (pair != null) {
                return pair;
            }
        }
        return null;
    }

    /** Counts datagrams dropped by a pair that was taken elsewhere ({@link ReadyPairs}); on the loop. */
    void countDrained(long datagrams) {
        drained += datagrams;
    }

    private Pair take() {
        Pair pair = pairs.pollFirst();
        size = pairs.size();
        if (drain(pair.rtp()) && drain(pair.rtcp())) {
            return pair;
        }
        close(pair, () -> { });
        return null;
    }

    /**
     * Gives a taken pair to its new endpoint's listeners; false when that failed (close it). No system call: the
     * sockets never stopped reading.
     */
    public static boolean resume(Pair pair, NativeUdpSocket.Listener rtp, NativeUdpSocket.Listener rtcp) {
        return pair.rtp().resume(rtp) && pair.rtcp().resume(rtcp);
    }

    /** Closes the pairs that rested longer than the lifetime. */
    public void expire(long now) {
        while (!pairs.isEmpty() && now - pairs.peekFirst().restingSince() >= lifetimeNanos) {
            Pair pair = pairs.pollFirst();
            size = pairs.size();
            close(pair, () -> { });
        }
    }

    /**
     * Closes the oldest pair (another loop needs its port: the range has nothing else free); {@code then} runs once
     * its sockets are closed. False when there was none.
     */
    public boolean closeOldest(Runnable then) {
        Pair pair = pairs.pollFirst();
        size = pairs.size();
        if (pair == null) {
            return false;
        }
        close(pair, then);
        return true;
    }

    /** Closes every pair (shutdown); {@code then} runs once all are closed. */
    public void closeAll(Runnable then) {
        if (pairs.isEmpty()) {
            then.run();
            return;
        }
        int[] left = {pairs.size()};
        while (!pairs.isEmpty()) {
            close(pairs.pollFirst(), () -> {
                if (--left[0] == 0) {
                    then.run();
                }
            });
        }
        size = 0;
    }

    /** Whether it holds its capacity: a pair more would be closed instead of kept. */
    public boolean isFull() {
        return pairs.size() >= capacity;
    }

    /** How many pairs rest here (read from any thread). */
    public int size() {
        return size;
    }

    /**
     * Datagrams that reached resting pairs and were dropped, counted when a pair is taken (read from any thread).
     */
    public long drained() {
        return drained;
    }

    /** Reads and drops every datagram the kernel queued on the socket. False when that failed: close it. */
    private boolean drain(NativeUdpSocket socket) {
        int dropped = socket.drain(sink, MAX_DRAINED_PER_SOCKET);
        if (dropped < 0) {
            return false;
        }
        drained += dropped + socket.takeDroppedResting();
        return true;
    }

    private void close(Pair pair, Runnable then) {
        pair.rtp().close();
        pair.rtcp().close();
        closed.accept(pair.port());
        then.run();
    }
}
