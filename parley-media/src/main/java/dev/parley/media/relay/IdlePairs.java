package dev.parley.media.relay;

import io.netty.channel.IoEventLoop;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.function.IntConsumer;

/**
 * The still-bound RTP/RTCP sockets of closed endpoints on one event loop, kept for the next endpoint there instead of
 * being closed and bound again. Opening and closing four UDP sockets per call (socket, bind, epoll registration,
 * close, and then Netty's channel, pipeline and config objects, ≈ 0.9 KB each) was 11 % of the B2BUA's CPU samples
 * under SIP load (docs/benchmarks.md). The sockets are {@link NativeUdpSocket}s.
 *
 * <table>
 *   <caption>rules</caption>
 *   <tr><th>rule</th><th>why</th></tr>
 *   <tr><td>an idle pair has no listener and does not read ({@link NativeUdpSocket#rest})</td>
 *       <td>an idle socket costs the loop nothing; the kernel queues what still arrives, up to its receive
 *       buffer, and drops the rest</td></tr>
 *   <tr><td>first in, first out; handed out only after resting the quarantine ({@code MediaSettings
 *       .idleQuarantine}, 2 s by default)</td><td>the port pool's reason: late packets of the old call (a peer that
 *       has not yet seen the BYE, a jitter buffer flushing) must not reach the next call, where a plain RTP packet
 *       would latch it</td></tr>
 *   <tr><td>before it is handed out, every datagram queued on both sockets is read and dropped</td><td>nothing sent
 *       to the pair before its reuse reaches the new endpoint</td></tr>
 *   <tr><td>at most {@code capacity} pairs; beyond that a closing endpoint's pair is closed, as is a pair that
 *       rested longer than {@code lifetime}</td><td>an idle server does not keep its range bound</td></tr>
 *   <tr><td>native epoll sockets only</td><td>draining reads the socket directly (Java NIO's channel does not
 *       expose it): NIO pairs are closed as before</td></tr>
 * </table>
 *
 * <p>The per-call state (latch, SRTP contexts, counters, routes, RTCP) is not here: it lives in the
 * {@link Endpoint}, and each open makes a new one. A reuse takes at most {@code capacity / quarantine} pairs per
 * second from one loop; past that rate endpoints bind fresh pairs as before.
 *
 * <p>Loop-confined: every method runs on the loop whose sockets these are, except {@link #size()}.
 */
public final class IdlePairs {
    /**
     * A bound pair resting here since {@code restingSince} ({@link System#nanoTime()}); {@code receiveBuffer}: the
     * sockets' {@code SO_RCVBUF} in use before they rested, to give back when they serve again.
     */
    public record Pair(int port, NativeUdpSocket rtp, NativeUdpSocket rtcp, long restingSince, int receiveBuffer) {
    }

    /**
     * {@code SO_RCVBUF} of a resting socket: the kernel's minimum (Linux rounds it up to about one datagram). A
     * socket that stays bound keeps what is sent to it in kernel memory, up to its receive buffer (212 KB by
     * default); thousands of idle sockets flooded on purpose could hold the host's whole {@code udp_mem}, past which
     * Linux drops datagrams for every UDP socket, SIP's and live calls' too. A closed port held nothing.
     */
    private static final int RESTING_RECEIVE_BUFFER = 1;

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
     * Takes over a closing endpoint's pair: drops its listeners, stops reading. False (nothing changed: the caller
     * closes them) when the cache is full or the sockets are not native ones open on this loop.
     */
    public boolean park(int port, MediaSocket rtpSocket, MediaSocket rtcpSocket, long now) {
        if (pairs.size() >= capacity || !(rtpSocket instanceof NativeUdpSocket rtp)
                || !(rtcpSocket instanceof NativeUdpSocket rtcp) || !rtp.servesOn(loop) || !rtcp.servesOn(loop)) {
            return false;
        }
        int receiveBuffer;
        try {
            receiveBuffer = rtp.receiveBufferSize();
            for (NativeUdpSocket socket : new NativeUdpSocket[] {rtp, rtcp}) {
                socket.rest();
                socket.receiveBufferSize(RESTING_RECEIVE_BUFFER);
            }
        } catch (IOException e) {
            return false; // the caller closes them
        }
        pairs.addLast(new Pair(port, rtp, rtcp, now, receiveBuffer));
        size = pairs.size();
        return true;
    }

    /** The oldest pair when it has rested the quarantine, drained and ready for {@link #resume}; else null. */
    public Pair takeRested(long now) {
        while (!pairs.isEmpty() && now - pairs.peekFirst().restingSince() >= quarantineNanos) {
            Pair pair = take();
            if (pair != null) {
                return pair;
            }
        }
        return null;
    }

    /**
     * The oldest pair whatever its rest, drained, or null: only when the range has no other pair to bind (the port
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

    private Pair take() {
        Pair pair = pairs.pollFirst();
        size = pairs.size();
        if (drain(pair.rtp()) && drain(pair.rtcp())) {
            return pair;
        }
        close(pair, () -> { });
        return null;
    }

    /** Gives a taken pair to its new endpoint's listeners and reads again; false when that failed (close it). */
    public static boolean resume(Pair pair, NativeUdpSocket.Listener rtp, NativeUdpSocket.Listener rtcp) {
        // Linux doubles what setsockopt asks for and getsockopt reports the doubled size: half of it restores it
        int asked = Math.max(1, pair.receiveBuffer() / 2);
        try {
            pair.rtp().receiveBufferSize(asked);
            pair.rtcp().receiveBufferSize(asked);
        } catch (IOException e) {
            // Serves with the resting size (a datagram or two queued at most); the kernel said why, nothing to do
        }
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

    /** How many pairs rest here (read from any thread). */
    public int size() {
        return size;
    }

    /** Datagrams dropped by draining pairs before their reuse (read from any thread). */
    public long drained() {
        return drained;
    }

    /** Reads and drops every datagram the kernel queued on the socket. False when that failed: close it. */
    private boolean drain(NativeUdpSocket socket) {
        int dropped = socket.drain(sink, MAX_DRAINED_PER_SOCKET);
        if (dropped < 0) {
            return false;
        }
        drained += dropped;
        return true;
    }

    private void close(Pair pair, Runnable then) {
        pair.rtp().close();
        pair.rtcp().close();
        closed.accept(pair.port());
        then.run();
    }
}
