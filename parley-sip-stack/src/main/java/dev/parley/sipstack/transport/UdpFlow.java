package dev.parley.sipstack.transport;

import dev.parley.sipstack.flow.Flow;
import dev.parley.sipstack.flow.Transport;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.socket.DatagramPacket;
import java.net.InetSocketAddress;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The listening UDP socket and one remote address: no connection, so always open while the socket is. */
final class UdpFlow implements Flow {
    private static final Logger LOG = LoggerFactory.getLogger(UdpFlow.class);

    private final Channel channel;
    private final InetSocketAddress remote;
    private final DirectDatagramSend sender;
    /** Made when first asked for: a flow is made for every datagram received, and most are never asked. */
    private String id;

    UdpFlow(Channel channel, InetSocketAddress remote) {
        this.channel = Objects.requireNonNull(channel, "channel");
        this.remote = Objects.requireNonNull(remote, "remote");
        this.sender = DirectDatagramSend.of(channel);
    }

    /** How this flow sends; for tests. */
    DirectDatagramSend sender() {
        return sender;
    }

    @Override
    public Transport transport() {
        return Transport.UDP;
    }

    @Override
    public InetSocketAddress localAddress() {
        return (InetSocketAddress) channel.localAddress();
    }

    @Override
    public InetSocketAddress remoteAddress() {
        return remote;
    }

    @Override
    public String id() {
        String i = id;
        if (i == null) {
            i = "udp-" + ViaRouting.receivedText(remote.getAddress()) + ":" + remote.getPort();
            id = i; // racy but idempotent: every thread makes the same text
        }
        return i;
    }

    @Override
    public boolean isOpen() {
        return channel.isOpen();
    }

    /** On the calling thread if the kernel takes it at once ({@link DirectDatagramSend}), else through the channel. */
    @Override
    public void send(byte[] message) {
        if (sender.trySend(message, remote)) {
            return;
        }
        sender.queuedSend();
        channel.writeAndFlush(new DatagramPacket(Unpooled.wrappedBuffer(message), remote)).addListener(f -> {
            sender.queuedDone();
            if (!f.isSuccess()) {
                LOG.debug("UDP send of {} bytes to {} failed: {}", message.length, remote, f.cause().toString());
            }
        });
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof UdpFlow other && other.channel == channel && other.remote.equals(remote);
    }

    @Override
    public int hashCode() {
        return remote.hashCode();
    }

    @Override
    public String toString() {
        return id();
    }
}
