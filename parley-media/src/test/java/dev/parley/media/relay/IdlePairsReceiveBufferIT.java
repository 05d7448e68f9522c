package dev.parley.media.relay;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.EpollDatagramChannel;
import io.netty.channel.epoll.EpollIoHandler;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A resting pair's sockets hold next to nothing in the kernel (IdlePairs shrinks their receive buffers), and get
 * their receive buffers back when they serve again. Real epoll sockets on 127.0.0.1.
 */
class IdlePairsReceiveBufferIT {
    private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, EpollIoHandler.newFactory());

    @AfterEach
    void stop() {
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    private Channel bind() {
        return new Bootstrap().group(group).channel(EpollDatagramChannel.class)
                .handler(new ChannelInboundHandlerAdapter())
                .bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0)).syncUninterruptibly().channel();
    }

    private static int receiveBuffer(Channel channel) {
        return channel.config().getOption(ChannelOption.SO_RCVBUF);
    }

    @Test
    void aFloodedRestingPairHoldsAFewDatagramsAndGetsItsReceiveBufferBackWhenReused() throws Exception {
        Channel rtp = bind();
        Channel rtcp = bind();
        EventLoop loop = rtp.eventLoop();
        int before = receiveBuffer(rtp);
        IdlePairs idle = new IdlePairs(loop, 4, 0, TimeUnit.MINUTES.toNanos(1), port -> { });
        int port = ((InetSocketAddress) rtp.localAddress()).getPort();
        assertThat(loop.submit(() -> idle.park(port, rtp, rtcp, System.nanoTime())).get()).isTrue();
        assertThat(receiveBuffer(rtp)).as("resting: the kernel's minimum, not %d", before).isLessThan(8192);
        assertThat(receiveBuffer(rtcp)).isLessThan(8192);

        // A peer (or an attacker) sends 1000 datagrams to the resting sockets: the kernel keeps only what fits.
        try (DatagramSocket sender = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            byte[] payload = new byte[172];
            for (int i = 0; i < 1000; i++) {
                sender.send(new DatagramPacket(payload, payload.length, rtp.localAddress()));
                sender.send(new DatagramPacket(payload, payload.length, rtcp.localAddress()));
            }
        }
        IdlePairs.Pair pair = loop.submit(idle::takeOldest).get();
        assertThat(pair).isNotNull();
        assertThat(idle.drained()).as("datagrams the resting sockets had queued, of 2000 sent").isBetween(1L, 40L);

        loop.submit(() -> IdlePairs.resume(pair, new ChannelInboundHandlerAdapter(),
                new ChannelInboundHandlerAdapter())).get();
        assertThat(receiveBuffer(rtp)).as("serving again: the size it had").isEqualTo(before);
        assertThat(receiveBuffer(rtcp)).isEqualTo(before);
        rtp.close().syncUninterruptibly();
        rtcp.close().syncUninterruptibly();
    }
}
