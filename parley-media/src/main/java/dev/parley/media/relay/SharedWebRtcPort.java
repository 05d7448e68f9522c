package dev.parley.media.relay;

import dev.parley.rtp.ice.IceDemuxTable;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.DatagramPacket;
import java.net.InetSocketAddress;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One UDP port that the endpoints of many browsers share: Parley then advertises the same host candidate for
 * every browser call, and a firewall needs one rule for all of them. Datagrams are routed by parley-rtp's
 * {@link IceDemuxTable}: STUN by the local ufrag in its USERNAME (each endpoint's credentials are registered when
 * it opens), everything else by a source address that has passed an ICE check with that endpoint's password
 * (admitted when its agent validates the pair). Unroutable datagrams are dropped and counted.
 *
 * <p>Threading: the socket and the table belong to one event loop, {@link #loop()}; endpoints on other loops
 * register and admit through tasks on it, and get their datagrams copied into a task on their own loop (an
 * endpoint on this loop takes them in place). Sending is a write on the shared channel from any loop (Netty hands
 * it to the channel's loop).
 */
public final class SharedWebRtcPort {
    private static final Logger log = LoggerFactory.getLogger(SharedWebRtcPort.class);

    private final MediaLoop loop;
    private final IceDemuxTable<InetSocketAddress, Endpoint> table = new IceDemuxTable<>();
    private Channel channel;
    private volatile long unrouted;

    public SharedWebRtcPort(MediaLoop loop) {
        this.loop = loop;
    }

    public MediaLoop loop() {
        return loop;
    }

    /** The handler for the shared socket. */
    public ChannelHandler receiver() {
        return new Receiver();
    }

    /** Called once the socket is bound. */
    public void attach(Channel bound) {
        this.channel = bound;
    }

    Channel channel() {
        return channel;
    }

    /** Datagrams that matched no endpoint (unknown ufrag, unchecked source, other protocols). */
    public long unrouted() {
        return unrouted;
    }

    /** Routes STUN for {@code ufrag} to {@code endpoint}; {@code done} gets false when the ufrag is taken. */
    public void register(String ufrag, Endpoint endpoint, Consumer<Boolean> done) {
        loop.execute(() -> done.accept(table.register(ufrag, endpoint)));
    }

    /** A check from {@code remote} authenticated with the endpoint's password: route its other datagrams there. */
    void admit(Endpoint endpoint, InetSocketAddress remote) {
        onLoop(() -> table.admit(endpoint, remote));
    }

    void select(Endpoint endpoint, InetSocketAddress remote) {
        onLoop(() -> table.select(endpoint, remote));
    }

    void remove(Endpoint endpoint) {
        onLoop(() -> table.remove(endpoint));
    }

    /**
     * At once when called on the port's loop (an endpoint living there: the route exists before the check's answer
     * leaves, so the browser's DTLS that follows it cannot find none), else as a task there.
     */
    private void onLoop(Runnable change) {
        if (loop.inLoop()) {
            change.run();
        } else {
            loop.execute(change);
        }
    }

    public void close() {
        if (channel != null) {
            channel.close().awaitUninterruptibly();
        }
    }

    private final class Receiver extends ChannelInboundHandlerAdapter {
        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            DatagramPacket datagram = (DatagramPacket) msg;
            try {
                var content = datagram.content();
                int length = content.readableBytes();
                if (length > Workspace.MAX_DATAGRAM) {
                    unrouted++;
                    return;
                }
                Workspace w = Workspace.current();
                w.copyIn(content, length);
                Endpoint endpoint = table.route(w.array, 0, length, datagram.sender());
                if (endpoint == null) {
                    unrouted++;
                    return;
                }
                endpoint.deliverShared(content, datagram.sender());
            } finally {
                datagram.release();
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            log.debug("shared WebRTC port error: {}", cause.toString());
        }
    }
}
