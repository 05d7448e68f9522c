package dev.parley.media.relay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.parley.rtp.PacketBuffer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoEventLoop;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.uring.IoUringIoHandler;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * UringUdpSocket over real UDP on 127.0.0.1 through real io_uring rings: what arrives and from whom, the answer
 * sent back through a send slot, a too-long datagram, many datagrams in a burst, three times as many datagrams as
 * the loop has receive buffers (they come back), moving to another loop, and a closed socket's port being free
 * again (the cancelled receive no longer holds it).
 */
class UringUdpSocketIT {
    private static final InetAddress LOCAL = InetAddress.getLoopbackAddress();
    private EventLoopGroup group;
    private IoEventLoop loop;
    private IoEventLoop other;

    private record Seen(byte[] octets, InetSocketAddress from, Thread thread) {
    }

    private final List<Seen> seen = new ArrayList<>();

    @BeforeAll
    static void ioUringWorksHere() {
        assumeTrue(UringUdpSocket.unavailable() == null, () -> "io_uring: " + UringUdpSocket.unavailable());
    }

    private void start() {
        group = new MultiThreadIoEventLoopGroup(2, IoUringIoHandler.newFactory());
        Iterator<io.netty.util.concurrent.EventExecutor> loops = group.iterator();
        loop = (IoEventLoop) loops.next();
        other = (IoEventLoop) loops.next();
    }

    @AfterEach
    void stop() {
        if (group != null) {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        }
    }

    private UringUdpSocket open(IoEventLoop on) throws Exception {
        UringUdpSocket socket = UringUdpSocket.bind(new InetSocketAddress(LOCAL, 0));
        CompletableFuture<Throwable> registered = new CompletableFuture<>();
        socket.register(on, (content, from) -> {
            byte[] octets = new byte[content.readableBytes()];
            content.getBytes(content.readerIndex(), octets);
            synchronized (seen) {
                seen.add(new Seen(octets, from, Thread.currentThread()));
            }
        }, registered::complete);
        assertThat(registered.get(5, TimeUnit.SECONDS)).isNull();
        return socket;
    }

    private List<Seen> awaitSeen(int count) {
        await().atMost(Duration.ofSeconds(5)).until(() -> {
            synchronized (seen) {
                return seen.size() >= count;
            }
        });
        synchronized (seen) {
            return List.copyOf(seen);
        }
    }

    private static byte[] datagram(int length, int tag) {
        byte[] b = new byte[length];
        for (int i = 0; i < length; i++) {
            b[i] = (byte) (tag + i * 7);
        }
        return b;
    }

    private static void send(DatagramSocket from, byte[] octets, int port) throws Exception {
        from.send(new DatagramPacket(octets, octets.length, LOCAL, port));
    }

    private static byte[] receive(DatagramSocket at) throws Exception {
        DatagramPacket got = new DatagramPacket(new byte[5000], 5000);
        at.receive(got);
        return Arrays.copyOf(got.getData(), got.getLength());
    }

    @Test
    void datagramsArriveWithTheirSendersAndTheAnswerGoesBackFromTheSamePort() throws Exception {
        start();
        UringUdpSocket socket = open(loop);
        try (DatagramSocket a = new DatagramSocket(0, LOCAL); DatagramSocket b = new DatagramSocket(0, LOCAL)) {
            a.setSoTimeout(5000);
            DatagramSocket[] order = {a, b, a, a, b};
            for (int i = 0; i < order.length; i++) {
                send(order[i], datagram(172, i), socket.localPort());
                awaitSeen(i + 1);
            }
            List<Seen> all = awaitSeen(order.length);
            for (int i = 0; i < order.length; i++) {
                assertThat(all.get(i).from()).as("datagram %d", i).isEqualTo(order[i].getLocalSocketAddress());
                assertThat(all.get(i).octets()).isEqualTo(datagram(172, i));
                assertThat(all.get(i).thread()).isSameAs(all.get(0).thread());
            }
            assertThat(socket.dontFragment().mode()).as("DF on, as for epoll's sockets").isEqualTo(3);
            SendAddress back = SendAddress.of(all.get(0).from());
            assertThat(loop.submit(() -> socket.send(new PacketBuffer(datagram(90, 5), 0, 90), back)).get())
                    .isTrue();
            assertThat(receive(a)).isEqualTo(datagram(90, 5));
            int longer = UringUdpSocket.SendSlots.LONGEST + 500; // longer than a send slot: plain sendto
            assertThat(loop.submit(() -> socket.send(new PacketBuffer(datagram(longer, 6), 0, longer), back)).get())
                    .isTrue();
            assertThat(receive(a)).isEqualTo(datagram(longer, 6));
        }
        CompletableFuture<Void> closed = new CompletableFuture<>();
        loop.execute(() -> socket.close(() -> closed.complete(null)));
        closed.get(5, TimeUnit.SECONDS);
    }

    @Test
    void aTooLongDatagramArrivesCutAtOneOctetMoreAndABurstArrivesWhole() throws Exception {
        start();
        UringUdpSocket socket = open(loop);
        try (DatagramSocket peer = new DatagramSocket(0, LOCAL)) {
            send(peer, datagram(9000, 2), socket.localPort());
            List<Seen> cut = awaitSeen(1);
            assertThat(cut.get(0).octets()).hasSize(Workspace.MAX_DATAGRAM + 1)
                    .isEqualTo(Arrays.copyOf(datagram(9000, 2), Workspace.MAX_DATAGRAM + 1));
            for (int i = 0; i < 100; i++) { // within the socket's default receive buffer
                send(peer, datagram(160, i), socket.localPort());
            }
            List<Seen> all = awaitSeen(101);
            for (int i = 0; i < 100; i++) {
                assertThat(all.get(i + 1).octets()).as("datagram %d of the burst", i).isEqualTo(datagram(160, i));
            }
        }
        loop.submit(() -> socket.close()).get();
    }

    @Test
    void moreDatagramsThanTheLoopHasReceiveBuffersAllArriveInOrder() throws Exception {
        start();
        UringUdpSocket socket = open(loop);
        int bursts = 3 * UringUdpSocket.ReceiveBuffers.COUNT / 100; // each buffer used about three times
        try (DatagramSocket peer = new DatagramSocket(0, LOCAL)) {
            for (int b = 0; b < bursts; b++) {
                for (int i = 0; i < 100; i++) {
                    send(peer, datagram(172, b * 100 + i), socket.localPort());
                }
                awaitSeen((b + 1) * 100);
            }
            List<Seen> all = awaitSeen(bursts * 100);
            assertThat(all).hasSize(bursts * 100);
            for (int i = 0; i < all.size(); i++) {
                assertThat(all.get(i).octets()).as("datagram %d", i).isEqualTo(datagram(172, i));
            }
        }
        loop.submit(() -> socket.close()).get();
    }

    @Test
    void sendsOfOnePassLeaveTogetherAndTheirSlotsComeBack() throws Exception {
        start();
        UringUdpSocket socket = open(loop);
        try (DatagramSocket peer = new DatagramSocket(0, LOCAL)) {
            peer.setSoTimeout(5000);
            SendAddress to = SendAddress.of((InetSocketAddress) peer.getLocalSocketAddress());
            int passes = 50;
            int perPass = 100; // 5,000 in all: more than the loop's slots, so slots must come back to be reused
            for (int pass = 0; pass < passes; pass++) {
                int first = pass * perPass;
                assertThat(loop.submit(() -> {
                    int sent = 0;
                    for (int i = first; i < first + perPass; i++) {
                        sent += socket.send(new PacketBuffer(datagram(172, i), 0, 172), to) ? 1 : 0;
                    }
                    return sent;
                }).get()).isEqualTo(perPass);
                for (int i = first; i < first + perPass; i++) {
                    assertThat(receive(peer)).as("datagram %d", i).isEqualTo(datagram(172, i));
                }
            }
            await().atMost(Duration.ofSeconds(5)).until(() -> loop.submit(
                    () -> UringUdpSocket.SendSlots.current().available()).get() == UringUdpSocket.SendSlots.SLOTS);
        }
        loop.submit(() -> socket.close()).get();
    }

    @Test
    void aMovedSocketReadsOnItsNewLoopAndAClosedOnesPortCanBeBoundAgain() throws Exception {
        start();
        UringUdpSocket socket = open(loop);
        int port = socket.localPort();
        MediaLoop target = new MediaLoop(other, TimeUnit.SECONDS.toNanos(1));
        CompletableFuture<Boolean> moved = new CompletableFuture<>();
        loop.execute(() -> socket.moveTo(target, moved::complete));
        assertThat(moved.get(5, TimeUnit.SECONDS)).isTrue();
        try (DatagramSocket peer = new DatagramSocket(0, LOCAL)) {
            send(peer, datagram(100, 9), port);
            Seen s = awaitSeen(1).get(0);
            assertThat(s.octets()).isEqualTo(datagram(100, 9));
            assertThat(other.submit(Thread::currentThread).get()).isSameAs(s.thread());
        }
        CompletableFuture<Void> closed = new CompletableFuture<>();
        other.execute(() -> socket.close(() -> closed.complete(null)));
        closed.get(5, TimeUnit.SECONDS);
        UringUdpSocket again = UringUdpSocket.bind(new InetSocketAddress(LOCAL, port));
        again.close();
    }
}
