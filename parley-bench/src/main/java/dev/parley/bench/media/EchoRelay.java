package dev.parley.bench.media;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.EpollDatagramChannel;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.socket.DatagramPacket;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;

/**
 * The simplest relay that can be: two sockets per call on an in-process Netty loop, each forwarding what it
 * receives, unchanged, from the other socket to the other side (SRTP passes through, so each side's key is the
 * other's). It validates the generator — loss, latency and routing checks — without any relay under test; its CPU
 * is the generator's process, so it has no CPU figure of its own. {@link #corrupting} makes one that flips a bit in
 * the last octet (the SRTP tag) of every datagram it forwards: what the generator's SRTP check must catch.
 */
final class EchoRelay implements Relay {
    private final EventLoopGroup loop = new MultiThreadIoEventLoopGroup(1, EpollIoHandler.newFactory());
    private final boolean corrupt;

    EchoRelay() {
        this(false);
    }

    private EchoRelay(boolean corrupt) {
        this.corrupt = corrupt;
    }

    /** A forwarder that damages every datagram (for tests of the generator's checks). */
    static EchoRelay corrupting() {
        return new EchoRelay(true);
    }

    @Override
    public String name() {
        return "echo";
    }

    @Override
    public RelayedCall setUp(int index, Side a, Side b, boolean srtp) throws IOException {
        Channel[] legs = new Channel[2];
        legs[0] = bind(a.address(), legs, 1, b.address());
        legs[1] = bind(b.address(), legs, 0, a.address());
        return new RelayedCall(index, (InetSocketAddress) legs[0].localAddress(),
                (InetSocketAddress) legs[1].localAddress(), b.key(), a.key(), legs);
    }

    private Channel bind(InetSocketAddress unused, Channel[] legs, int other, InetSocketAddress forwardTo)
            throws IOException {
        try {
            return new Bootstrap().group(loop).channel(EpollDatagramChannel.class)
                    .handler(new ChannelInboundHandlerAdapter() {
                        @Override
                        public void channelRead(ChannelHandlerContext ctx, Object msg) {
                            DatagramPacket packet = (DatagramPacket) msg;
                            if (corrupt && packet.content().isReadable()) {
                                int last = packet.content().writerIndex() - 1;
                                packet.content().setByte(last, packet.content().getByte(last) ^ 1);
                            }
                            legs[other].writeAndFlush(new DatagramPacket(packet.content(), forwardTo),
                                    legs[other].voidPromise());
                        }
                    })
                    .bind(new InetSocketAddress("127.0.0.1", 0)).sync().channel();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while binding", e);
        }
    }

    @Override
    public void tearDown(RelayedCall call) {
        for (Channel leg : (Channel[]) call.handle()) {
            leg.close().syncUninterruptibly();
        }
    }

    @Override
    public long pid() {
        return -1;
    }

    @Override
    public void close() {
        loop.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }
}
