package dev.parley.media.relay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoEventLoop;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.EpollIoHandler;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A resting pair costs no system call to park or reuse: its sockets stay registered and the loop reads and drops what
 * reaches them (shrinking the receive buffer of one that something reached, so that a flood finds little room), and at
 * reuse only what arrived after the loop's last wake-up is still queued: drained, never handed to the new endpoint.
 * Pairs that rested their lifetime are closed, oldest first, and their ports are free. Real epoll sockets on 127.0.0.1.
 */
class IdlePairsRestIT {
    private static final InetAddress LOCAL = InetAddress.getLoopbackAddress();

    private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, EpollIoHandler.newFactory());
    private final IoEventLoop loop = (IoEventLoop) group.next();

    @AfterEach
    void stop() {
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    private NativeUdpSocket bind(NativeUdpSocket.Listener listener) throws Exception {
        NativeUdpSocket socket = NativeUdpSocket.bind(new InetSocketAddress(LOCAL, 0));
        CompletableFuture<Throwable> registered = new CompletableFuture<>();
        socket.register(loop, listener, registered::complete);
        assertThat(registered.get(5, TimeUnit.SECONDS)).isNull();
        return socket;
    }

    private static void send(DatagramSocket sender, int port, int count, byte mark) throws Exception {
        byte[] payload = new byte[172];
        Arrays.fill(payload, mark);
        for (int i = 0; i < count; i++) {
            sender.send(new DatagramPacket(payload, payload.length, LOCAL, port));
        }
    }

    private int receiveBuffer(NativeUdpSocket socket) throws Exception {
        Callable<Integer> size = socket::receiveBufferSize;
        return loop.submit(size).get();
    }

    @Test
    void aFloodedRestingPairIsReadByItsLoopHoldsLittleAndGetsItsReceiveBufferBackWhenReused() throws Exception {
        List<Byte> oldCall = new CopyOnWriteArrayList<>();
        NativeUdpSocket rtp = bind((content, from) -> oldCall.add(content.getByte(content.readerIndex())));
        NativeUdpSocket rtcp = bind((content, from) -> oldCall.add(content.getByte(content.readerIndex())));
        int before = receiveBuffer(rtp);
        IdlePairs idle = new IdlePairs(loop, 4, 0, TimeUnit.MINUTES.toNanos(1), port -> { });
        int port = rtp.localPort();
        assertThat(loop.submit(() -> idle.park(port, rtp, rtcp, System.nanoTime())).get()).isTrue();
        assertThat(receiveBuffer(rtp)).as("resting, nothing sent to it: untouched (no system call)")
                .isEqualTo(before);

        // A peer (or an attacker) sends 1000 datagrams to each resting socket: the loop reads and drops them as they
        // come, and the first one shrinks the socket's receive buffer, so the kernel keeps at most a few.
        try (DatagramSocket sender = new DatagramSocket(0, LOCAL)) {
            send(sender, rtp.localPort(), 1000, (byte) 1);
            send(sender, rtcp.localPort(), 1000, (byte) 1);
        }
        long[] seen = {-1};
        await().atMost(5, TimeUnit.SECONDS).pollInterval(200, TimeUnit.MILLISECONDS).until(() -> {
            long now = loop.submit(() -> rtp.droppedResting() + rtcp.droppedResting()).get();
            boolean settled = now >= 2 && now == seen[0];
            seen[0] = now;
            return settled;
        });
        assertThat(receiveBuffer(rtp)).as("sent to while resting: the kernel's minimum, not %d", before)
                .isLessThan(8192);
        assertThat(receiveBuffer(rtcp)).isLessThan(8192);
        long[] readWhileResting = new long[1];
        IdlePairs.Pair pair = loop.submit(() -> {
            readWhileResting[0] = rtp.droppedResting() + rtcp.droppedResting();
            return idle.takeOldest();
        }).get();
        assertThat(pair).isNotNull();
        assertThat(oldCall).as("the old listeners were dropped at park").isEmpty();
        assertThat(idle.drained()).as("what the loop read while they rested, and nothing left for the reuse to drain")
                .isEqualTo(readWhileResting[0]);

        assertThat(loop.submit(() -> IdlePairs.resume(pair, (content, from) -> { }, (content, from) -> { })).get())
                .as("serving again").isTrue();
        assertThat(receiveBuffer(rtp)).as("serving again: the size it had").isEqualTo(before);
        assertThat(receiveBuffer(rtcp)).isEqualTo(before);
        loop.submit(() -> {
            rtp.close();
            rtcp.close();
        }).get();
    }

    @Test
    void aDatagramStillQueuedAtReuseIsDrainedNotHandedToTheNewEndpoint() throws Exception {
        NativeUdpSocket rtp = bind((content, from) -> { });
        NativeUdpSocket rtcp = bind((content, from) -> { });
        IdlePairs idle = new IdlePairs(loop, 4, 0, TimeUnit.MINUTES.toNanos(1), port -> { });
        int port = rtp.localPort();
        assertThat(loop.submit(() -> idle.park(port, rtp, rtcp, System.nanoTime())).get()).isTrue();
        List<Byte> newCall = new CopyOnWriteArrayList<>();
        try (DatagramSocket sender = new DatagramSocket(0, LOCAL)) {
            // Sent from a task on the loop itself and the pair reused in that same task: the loop cannot read the
            // late packets before the reuse (no epoll_wait between), as when they arrive just after its last wake-up.
            boolean resumed = loop.submit(() -> {
                send(sender, rtp.localPort(), 3, (byte) 2);
                send(sender, rtcp.localPort(), 2, (byte) 2);
                Thread.sleep(50); // loopback delivers at once; a margin all the same
                IdlePairs.Pair pair = idle.takeOldest();
                return pair != null && IdlePairs.resume(pair,
                        (content, from) -> newCall.add(content.getByte(content.readerIndex())),
                        (content, from) -> newCall.add(content.getByte(content.readerIndex())));
            }).get();
            assertThat(resumed).isTrue();
            assertThat(idle.drained()).as("the five late datagrams, drained at reuse").isEqualTo(5);
            send(sender, rtp.localPort(), 1, (byte) 3);
            send(sender, rtcp.localPort(), 1, (byte) 3);
            await().atMost(5, TimeUnit.SECONDS).until(() -> newCall.size() >= 2);
        }
        Thread.sleep(100);
        assertThat(newCall).as("only what was sent after the reuse").containsExactly((byte) 3, (byte) 3);
        loop.submit(() -> {
            rtp.close();
            rtcp.close();
        }).get();
    }

    @Test
    void aReadyPairTakenOffItsLoopIsDrainedByItsTakerAndTheFirstDatagramAfterTheClaimAttachesIt() throws Exception {
        NativeUdpSocket rtp = bind((content, from) -> { });
        NativeUdpSocket rtcp = bind((content, from) -> { });
        IdlePairs idle = new IdlePairs(loop, 4, 0, TimeUnit.MINUTES.toNanos(1), port -> { });
        ReadyPairs ready = new ReadyPairs(new MediaLoop(loop, TimeUnit.SECONDS.toNanos(1)), idle, 4,
                since -> false, pair -> { });
        int port = rtp.localPort();
        assertThat(loop.submit(() -> idle.park(port, rtp, rtcp, System.nanoTime())).get()).isTrue();
        loop.submit(() -> ready.refill(System.nanoTime())).get();
        assertThat(ready.size()).isEqualTo(1);
        List<Byte> newCall = new CopyOnWriteArrayList<>();
        int[] attaches = {0};
        CountDownLatch loopHeld = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        try (DatagramSocket sender = new DatagramSocket(0, LOCAL)) {
            // The loop is held in a task: what the old call's peer sends now stays queued, as late packets that
            // arrive after the loop's last read, when another thread takes the pair.
            loop.execute(() -> {
                loopHeld.countDown();
                try {
                    release.await(5, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            assertThat(loopHeld.await(5, TimeUnit.SECONDS)).isTrue();
            send(sender, rtp.localPort(), 3, (byte) 2);
            send(sender, rtcp.localPort(), 2, (byte) 2);
            Thread.sleep(50); // loopback delivers at once; a margin all the same
            IdlePairs.Pair pair = ready.take();
            assertThat(pair).isNotNull();
            assertThat(ready.drained()).as("the five late datagrams, drained by the taker").isEqualTo(5);
            // The attach is never queued here: only a datagram read after the claim can run it.
            ReadyPairs.claim(pair, () -> {
                if (attaches[0]++ == 0) {
                    ready.resume(pair, (content, from) -> newCall.add(content.getByte(content.readerIndex())),
                            (content, from) -> newCall.add(content.getByte(content.readerIndex())));
                }
            });
            send(sender, rtp.localPort(), 1, (byte) 3);
            send(sender, rtcp.localPort(), 1, (byte) 3);
            release.countDown();
            await().atMost(5, TimeUnit.SECONDS).until(() -> newCall.size() >= 2);
        }
        Thread.sleep(100);
        assertThat(newCall).as("the new call's first datagrams, none of the old").containsExactly((byte) 3, (byte) 3);
        assertThat(loop.submit(() -> attaches[0]).get()).as("run by the first read after the claim only").isEqualTo(1);
        loop.submit(() -> {
            rtp.close();
            rtcp.close();
        }).get();
    }

    @Test
    void pairsThatRestedTheirLifetimeAreClosedOldestFirstAndTheirPortsAreFree() throws Exception {
        long lifetime = TimeUnit.SECONDS.toNanos(60);
        List<Integer> closedPorts = new CopyOnWriteArrayList<>();
        IdlePairs idle = new IdlePairs(loop, 4, 0, lifetime, closedPorts::add);
        NativeUdpSocket oldRtp = bind((content, from) -> { });
        NativeUdpSocket oldRtcp = bind((content, from) -> { });
        NativeUdpSocket newRtp = bind((content, from) -> { });
        NativeUdpSocket newRtcp = bind((content, from) -> { });
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
        for (int port : new int[] {oldPort, oldRtcp.localPort()}) {
            try (DatagramSocket again = new DatagramSocket(new InetSocketAddress(LOCAL, port))) {
                assertThat(again.getLocalPort()).as("closed: the port can be bound again").isEqualTo(port);
            }
        }

        loop.submit(() -> idle.expire(t0 + TimeUnit.SECONDS.toNanos(90))).get();
        assertThat(idle.size()).isZero();
        assertThat(closedPorts).containsExactly(oldPort, newPort);
    }
}
