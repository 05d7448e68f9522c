package dev.parley.media.relay;

import java.net.InetSocketAddress;

/**
 * Symmetric RTP (RFC 4961): the address a peer's media really comes from is where Parley sends to, whatever its
 * SDP says, because a peer behind NAT writes its private address there. This class decides which sources are
 * admitted; the endpoint asks it before decrypting and tells it after the packet authenticated.
 */
final class Latch {
    private final long relatchAfterNanos;
    private InetSocketAddress source;
    private long lastHeardNanos;

    Latch(long relatchAfterNanos) {
        this.relatchAfterNanos = relatchAfterNanos;
    }

    /**
     * Whether a packet from {@code from} may be processed. Before anything latched, any source may (it still has
     * to pass SRTP authentication). After that, only the latched source — or any source once the latched one has
     * been silent for the relatch period. Security: an attacker who guesses our port can inject plain RTP, but with
     * a live stream in progress their packets are dropped here unread, so they can neither steal the stream nor
     * make us decrypt for them; with SRTP a stolen latch also needs a packet that authenticates with the peer's key,
     * and a replayed one is refused by the replay list before {@link #heard} is called.
     */
    boolean admits(InetSocketAddress from, long nowNanos) {
        // Identity first: a socket hands a live source's datagrams the same address object (SenderCache), so the
        // common case reads neither address (equals walks four objects, each a likely cache miss in a busy relay).
        InetSocketAddress latched = source;
        return latched == null || latched == from || latched.equals(from)
                || nowNanos - lastHeardNanos >= relatchAfterNanos;
    }

    /** Records an accepted (authenticated) packet; returns whether the latched source changed. */
    boolean heard(InetSocketAddress from, long nowNanos) {
        lastHeardNanos = nowNanos;
        if (from == source || from.equals(source)) {
            return false;
        }
        source = from;
        return true;
    }

    InetSocketAddress source() {
        return source;
    }

    /** When the latched source was last heard ({@link #heard}), as {@link System#nanoTime()}. */
    long lastHeardNanos() {
        return lastHeardNanos;
    }

    /** Forget the source (the peer's SDP moved its media: a re-INVITE after a transfer). */
    void reset() {
        source = null;
    }
}
