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
    private final String id;

    UdpFlow(Channel channel, InetSocketAddress remote) {
        this.channel = Objects.requireNonNull(channel, "channel");
        this.remote = Objects.requireNonNull(remote, "remote");
        this.id = "udp-" + ViaRouting.receivedText(remote.getAddress()) + ":" + remote.getPort();
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
        return id;
    }

    @Override
    public boolean isOpen() {
        return channel.isOpen();
    }

    @Override
    public void send(byte[] message) {
        channel.writeAndFlush(new DatagramPacket(Unpooled.wrappedBuffer(message), remote)).addListener(f -> {
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
        return id;
    }
}
