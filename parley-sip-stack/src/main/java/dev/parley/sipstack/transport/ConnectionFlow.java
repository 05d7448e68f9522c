package dev.parley.sipstack.transport;

import dev.parley.sipstack.flow.Flow;
import dev.parley.sipstack.flow.FlowIds;
import dev.parley.sipstack.flow.Transport;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import java.net.InetSocketAddress;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** One TCP or TLS connection, inbound or outbound; responses to requests that came on it go back down it. */
final class ConnectionFlow implements Flow {
    private static final Logger LOG = LoggerFactory.getLogger(ConnectionFlow.class);

    private final Channel channel;
    private final Transport transport;
    private final boolean outbound;
    private final String id;
    private final InetSocketAddress remote;
    private volatile boolean authenticated;

    ConnectionFlow(Channel channel, Transport transport, boolean outbound, InetSocketAddress remote) {
        this.channel = channel;
        this.transport = transport;
        this.outbound = outbound;
        this.remote = remote;
        this.id = FlowIds.next(transport);
        // a connection Parley opened goes to a peer it chose: it is not held to the short unauthenticated timeout
        this.authenticated = outbound;
    }

    Channel channel() {
        return channel;
    }

    boolean isOutbound() {
        return outbound;
    }

    boolean isAuthenticated() {
        return authenticated;
    }

    @Override
    public void markAuthenticated() {
        authenticated = true;
    }

    @Override
    public Transport transport() {
        return transport;
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
        return channel.isActive();
    }

    @Override
    public void send(byte[] message) {
        if (!channel.isActive()) {
            LOG.debug("{}: dropping {} bytes for {}: the connection is closed", id, message.length, remote);
            return;
        }
        if (!channel.isWritable()) {
            // the peer stopped reading while more than the high water mark waits: holding more would let one slow
            // peer take the heap; RFC 3261 §18 leaves recovery to a new connection
            LOG.debug("{}: closing the connection to {}: the peer does not read", id, remote);
            channel.close();
            return;
        }
        channel.writeAndFlush(Unpooled.wrappedBuffer(message)).addListener(ChannelFutureListener.CLOSE_ON_FAILURE);
    }

    @Override
    public String toString() {
        return id + (outbound ? "->" : "<-") + remote;
    }
}
