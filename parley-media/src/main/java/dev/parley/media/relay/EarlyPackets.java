package dev.parley.media.relay;

import io.netty.buffer.ByteBuf;
import java.net.InetSocketAddress;
import java.util.ArrayDeque;

/**
 * Datagrams that reached an endpoint before its parameters did, kept so they can be processed once the endpoint is
 * configured. Confined to the endpoint's loop.
 *
 * <p>Why they come early. The PBX answers a caller once it has <em>submitted</em> both legs' parameters to the
 * media plane; the caller then sends RTP at once (RFC 3264 §5: an answerer may send as soon as it has answered, and
 * an offerer as soon as the answer arrived). The parameters travel as tasks on the endpoint's event loop, the RTP
 * as I/O readiness on the same loop, and Netty runs a loop's I/O before its queued tasks: when the loop thread was
 * starved of CPU while both were queued (a loaded machine), it reads the first packets before it applies the
 * parameters that were submitted before those packets were even sent. Measured on a loaded two-core machine: two
 * packets of one call out of 100 in one run of {@code MediaSippIT}, both read 2 ms before the configuration ran.
 *
 * <h2>Limits</h2>
 * <table>
 *   <caption>What is kept</caption>
 *   <tr><th>limit</th><th>value</th><th>why</th></tr>
 *   <tr><td>packets</td><td>{@value #MAX_PACKETS}</td><td>320 ms of 20 ms audio; the oldest go first</td></tr>
 *   <tr><td>age when processed</td><td>{@value #MAX_AGE_MILLIS} ms</td><td>a packet older than that is stale
 *       audio, not a setup race</td></tr>
 * </table>
 * Nothing here is trusted: a kept datagram goes through latching and SRTP authentication like any other once the
 * endpoint is configured, so an unconfigured port costs an attacker at most these few copies.
 */
final class EarlyPackets {
    static final int MAX_PACKETS = 16;
    static final long MAX_AGE_MILLIS = 500;
    private static final long MAX_AGE_NANOS = MAX_AGE_MILLIS * 1_000_000;

    /** One kept datagram. */
    record Early(boolean rtcpPort, byte[] data, InetSocketAddress from, long receivedNanos) {
    }

    interface Sink {
        void process(boolean rtcpPort, byte[] data, int length, InetSocketAddress from);
    }

    // Made by the first early datagram and dropped once drained or cleared: nearly every endpoint is configured
    // before anything arrives, and per-call state is what the collector copies while a call is young.
    private ArrayDeque<Early> kept;

    /** Keeps a copy of {@code content}; returns how many older datagrams were discarded to make room (0 or 1). */
    int keep(boolean rtcpPort, ByteBuf content, InetSocketAddress from, long nowNanos) {
        byte[] data = new byte[content.readableBytes()];
        content.getBytes(content.readerIndex(), data);
        int discarded = 0;
        if (kept == null) {
            kept = new ArrayDeque<>(MAX_PACKETS);
        } else if (kept.size() == MAX_PACKETS) {
            kept.removeFirst();
            discarded = 1;
        }
        kept.addLast(new Early(rtcpPort, data, from, nowNanos));
        return discarded;
    }

    boolean isEmpty() {
        return kept == null || kept.isEmpty();
    }

    /** Whether a queue is held (for tests: none before the first early datagram and after a drain or clear). */
    boolean holdsQueue() {
        return kept != null;
    }

    /** Hands every kept datagram still fresh to {@code sink}, oldest first; returns how many were too old. */
    int drain(Sink sink, long nowNanos) {
        int stale = 0;
        ArrayDeque<Early> queue = kept;
        if (queue == null) {
            return 0;
        }
        Early e;
        while ((e = queue.pollFirst()) != null) {
            if (nowNanos - e.receivedNanos() > MAX_AGE_NANOS) {
                stale++;
            } else {
                sink.process(e.rtcpPort(), e.data(), e.data().length, e.from());
            }
        }
        if (kept == queue) {
            kept = null; // drained: the endpoint is configured, so nothing is kept any more
        }
        return stale;
    }

    /** Forgets everything (the endpoint closed); returns how many were kept. */
    int clear() {
        if (kept == null) {
            return 0;
        }
        int n = kept.size();
        kept.clear(); // a drain in progress stops here
        kept = null;
        return n;
    }
}
