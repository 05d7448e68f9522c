package dev.parley.sipstack.transport;

import io.netty.channel.Channel;
import io.netty.util.AttributeKey;
import java.net.InetSocketAddress;

/**
 * The UDP socket's flows, one per remote address while it is in use: what a received datagram is answered on and
 * what {@link SipTransports#flowTo} sends to.
 *
 * <p>Why: a flow was made for every datagram received and for every request sent, and each transaction keeps its
 * flow until it ends, up to 32 s after its call (RFC 3261 Timers J, H; RFC 6026 Timers L, M): at 1,600 calls/s
 * that was 141,000 {@link UdpFlow}s and 97,000 addresses live, all alike but for a few peers, each copied by the
 * young collections until it was promoted (docs/benchmarks.md, fourteenth session, statecut). Flows of one address
 * are equal ({@link UdpFlow#equals}), so which one a transaction holds changes nothing.
 *
 * <p>A direct-mapped cache of {@link #SLOTS} flows, so bounded whatever the sources: a flow whose slot another
 * address takes is made again when its address comes back. Thread-safe without locks: the I/O thread and the lanes
 * read and replace slots racily, and a {@link UdpFlow} is safe to share that way (its fields are final but for its
 * id, made idempotently); a race only makes one flow too many.
 */
final class UdpFlows {
    /** Peers that send at once to one Parley are far fewer than this in a PBX; beyond, flows are made again. */
    static final int SLOTS = 1024;

    private static final AttributeKey<UdpFlows> KEY = AttributeKey.valueOf(UdpFlows.class, "flows");

    private final Channel channel;
    private final UdpFlow[] slots = new UdpFlow[SLOTS];

    private UdpFlows(Channel channel) {
        this.channel = channel;
    }

    /** The flows of {@code channel}, made once per channel. */
    static UdpFlows of(Channel channel) {
        UdpFlows f = channel.attr(KEY).get();
        if (f == null) {
            UdpFlows made = new UdpFlows(channel);
            f = channel.attr(KEY).setIfAbsent(made);
            if (f == null) {
                f = made;
            }
        }
        return f;
    }

    /** The flow to {@code remote}: the one in use when there is one, else a new one. */
    UdpFlow to(InetSocketAddress remote) {
        int slot = slot(remote);
        UdpFlow flow = slots[slot];
        if (flow != null && flow.remoteAddress().equals(remote)) {
            return flow;
        }
        flow = new UdpFlow(channel, remote);
        slots[slot] = flow;
        return flow;
    }

    private static int slot(InetSocketAddress remote) {
        // the address's hash is the IPv4 address plus the port: spread it so that neighbouring ports differ
        int h = remote.hashCode() * 0x9E3779B9;
        return h >>> (Integer.SIZE - Integer.numberOfTrailingZeros(SLOTS));
    }
}
