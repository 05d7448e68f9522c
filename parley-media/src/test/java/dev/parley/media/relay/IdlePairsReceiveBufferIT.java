package dev.parley.media.relay;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoEventLoop;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.EpollIoHandler;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A resting pair's sockets hold next to nothing in the kernel (IdlePairs shrinks their receive buffers), and get
 * their receive buffers back when they serve again; pairs that rested their lifetime are closed, oldest first, and
 * their ports are free. Real epoll sockets on 127.0.0.1.
 */
class IdlePairsReceiveBufferIT {
    private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, EpollIoHandler.newFactory());
    private final IoEventLoop loop = (IoEventLoop) group.next();

    @AfterEach
    void stop() {
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    private NativeUdpSocket bind() throws Exception {
        NativeUdpSocket socket = NativeUdpSocket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        CompletableFuture<Throwable> registered = new CompletableFuture<>();
        socket.register(loop, (content, from) -> { }, registered::complete);
        assertThat(registered.get(5, TimeUnit.SECONDS)).isNull();
        return socket;
    }

    private int receiveBuffer(NativeUdpSocket socket) throws Exception {
        Callable<Integer> size = socket::receiveBufferSize;
        return loop.submit(size).get();
    }

    @Test
    void aFloodedRestingPairHoldsAFewDatagramsAndGetsItsReceiveBufferBackWhenReused() throws Exception {
        NativeUdpSocket rtp = bind();
        NativeUdpSocket rtcp = bind();
        int before = receiveBuffer(rtp);
        IdlePairs idle = new IdlePairs(loop, 4, 0, TimeUnit.MINUTES.toNanos(1), port -> { });
        int port = rtp.localPort();
        assertThat(loop.submit(() -> idle.park(port, rtp, rtcp, System.nanoTime())).get()).isTrue();
        assertThat(receiveBuffer(rtp)).as("resting: the kernel's minimum, not %d", before).isLessThan(8192);
        assertThat(receiveBuffer(rtcp)).isLessThan(8192);

        // A peer (or an attacker) sends 1000 datagrams to the resting sockets: the kernel keeps only what fits.
        InetAddress local = InetAddress.getLoopbackAddress();
        try (DatagramSocket sender = new DatagramSocket(0, local)) {
            byte[] payload = new byte[172];
            for (int i = 0; i < 1000; i++) {
                sender.send(new DatagramPacket(payload, payload.length, local, rtp.localPort()));
                sender.send(new DatagramPacket(payload, payload.length, local, rtcp.localPort()));
            }
        }
        IdlePairs.Pair pair = loop.submit(idle::takeOldest).get();
        assertThat(pair).isNotNull();
        assertThat(idle.drained()).as("datagrams the resting sockets had queued, of 2000 sent").isBetween(1L, 40L);

        assertThat(loop.submit(() -> IdlePairs.resume(pair, (content, from) -> { }, (content, from) -> { })).get())
                .as("reading again").isTrue();
        assertThat(receiveBuffer(rtp)).as("serving again: the size it had").isEqualTo(before);
        assertThat(receiveBuffer(rtcp)).isEqualTo(before);
        loop.submit(() -> {
            rtp.close();
            rtcp.close();
        }).get();
    }

    @Test
    void pairsThatRestedTheirLifetimeAreClosedOldestFirstAndTheirPortsAreFree() throws Exception {
        long lifetime = TimeUnit.SECONDS.toNanos(60);
        java.util.List<Integer> closedPorts = new java.util.concurrent.CopyOnWriteArrayList<>();
        IdlePairs idle = new IdlePairs(loop, 4, 0, lifetime, closedPorts::add);
        NativeUdpSocket oldRtp = bind();
        NativeUdpSocket oldRtcp = bind();
        NativeUdpSocket newRtp = bind();
        NativeUdpSocket newRtcp = bind();
        long t0 = 1_000_000_000L;
        int oldPort = oldRtp.localPort();
        int newPort = newRtp.localPort();
        assertThat(loop.submit(() -> idle.park(oldPort, oldRtp, oldRtcp, t0)).get()).isTrue();
        assertThat(loop.submit(() -> idle.park(newPort, newRtp, newRtcp, t0 + TimeUnit.SECONDS.toNanos(30))).get())
                .isTrue();

        loop.submit(() -> idle.expire(t0 + lifetime - 1)).get();
        assertThat(idle.size()).as("one nanosecond short of the lifetime: both stay").isEqualTo(2);
        assertThat(closedPorts).isEmpty();

        loop.submit(() -> idle.expire(t0 + lifetime)).get();
        assertThat(idle.size()).as("the older one rested 60 s, the newer 30 s").isEqualTo(1);
        assertThat(closedPorts).containsExactly(oldPort);
        InetAddress local = InetAddress.getLoopbackAddress();
        for (int port : new int[] {oldPort, oldRtcp.localPort()}) {
            try (DatagramSocket again = new DatagramSocket(new InetSocketAddress(local, port))) {
                assertThat(again.getLocalPort()).as("closed: the port can be bound again").isEqualTo(port);
            }
        }

        loop.submit(() -> idle.expire(t0 + TimeUnit.SECONDS.toNanos(90))).get();
        assertThat(idle.size()).isZero();
        assertThat(closedPorts).containsExactly(oldPort, newPort);
    }
}
