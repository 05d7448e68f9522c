package dev.parley.media.relay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoEventLoop;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.EpollDatagramChannel;
import io.netty.channel.epoll.EpollIoHandler;
import java.lang.management.ManagementFactory;
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
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * NativeUdpSocket over real UDP on 127.0.0.1: what arrives, from whom it is said to come, what a too-long datagram
 * becomes, moving between loops, closing, and what a received datagram costs in allocation on the loop thread.
 */
class NativeUdpSocketIT {
    private static final InetAddress LOCAL = InetAddress.getLoopbackAddress();
    private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(2, EpollIoHandler.newFactory());
    private final Iterator<io.netty.util.concurrent.EventExecutor> loops = group.iterator();
    private final IoEventLoop loop = (IoEventLoop) loops.next();
    private final IoEventLoop other = (IoEventLoop) loops.next();

    /** One datagram as the listener saw it: its octets, the address object it was said to come from, the thread. */
    private record Seen(byte[] octets, InetSocketAddress from, Thread thread) {
    }

    private final List<Seen> seen = new ArrayList<>();
    /** Where the allocation probe's listeners put each sender, so that it escapes as in the relay. */
    private volatile InetSocketAddress lastSender;

    @AfterEach
    void stop() {
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    private NativeUdpSocket open(IoEventLoop on, NativeUdpSocket.Listener listener) throws Exception {
        NativeUdpSocket socket = NativeUdpSocket.bind(new InetSocketAddress(LOCAL, 0));
        CompletableFuture<Throwable> registered = new CompletableFuture<>();
        socket.register(on, listener, registered::complete);
        assertThat(registered.get(5, TimeUnit.SECONDS)).isNull();
        return socket;
    }

    /** {@link #open}, on a port asked for (as the relay's): only such a socket connects. */
    private NativeUdpSocket openOnAPort(IoEventLoop on, NativeUdpSocket.Listener listener) throws Exception {
        int port;
        try (DatagramSocket probe = new DatagramSocket(0, LOCAL)) {
            port = probe.getLocalPort();
        }
        NativeUdpSocket socket = NativeUdpSocket.bind(new InetSocketAddress(LOCAL, port));
        CompletableFuture<Throwable> registered = new CompletableFuture<>();
        socket.register(on, listener, registered::complete);
        assertThat(registered.get(5, TimeUnit.SECONDS)).isNull();
        return socket;
    }

    /** {@link #openOnAPort} bound to the IPv4 wildcard, as the media sockets of a default install. */
    private NativeUdpSocket openWildcardOnAPort(IoEventLoop on, NativeUdpSocket.Listener listener, boolean ipv4Only)
            throws Exception {
        int port;
        try (DatagramSocket probe = new DatagramSocket(0, InetAddress.getByName("0.0.0.0"))) {
            port = probe.getLocalPort();
        }
        NativeUdpSocket socket = NativeUdpSocket.bind(new InetSocketAddress(InetAddress.getByName("0.0.0.0"), port),
                ipv4Only);
        CompletableFuture<Throwable> registered = new CompletableFuture<>();
        socket.register(on, listener, registered::complete);
        assertThat(registered.get(5, TimeUnit.SECONDS)).isNull();
        return socket;
    }

    private NativeUdpSocket.Listener recording() {
        return (content, from) -> {
            byte[] octets = new byte[content.readableBytes()];
            content.getBytes(content.readerIndex(), octets);
            synchronized (seen) {
                seen.add(new Seen(octets, from, Thread.currentThread()));
            }
        };
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

    @Test
    void eachSourceIsOneAddressObjectAndEveryDatagramIsAttributedToItsRealSender() throws Exception {
        NativeUdpSocket socket = open(loop, recording());
        try (DatagramSocket a = new DatagramSocket(0, LOCAL); DatagramSocket b = new DatagramSocket(0, LOCAL);
                DatagramSocket c = new DatagramSocket(0, LOCAL)) {
            DatagramSocket[] order = {a, a, b, a, b, b, a, c, a, c, b};
            for (int i = 0; i < order.length; i++) {
                send(order[i], datagram(172, i), socket.localPort());
                awaitSeen(i + 1); // one at a time: the order is the order sent
            }
            List<Seen> all = awaitSeen(order.length);
            for (int i = 0; i < order.length; i++) {
                assertThat(all.get(i).from()).as("datagram %d", i).isEqualTo(order[i].getLocalSocketAddress());
                assertThat(all.get(i).octets()).isEqualTo(datagram(172, i));
            }
            // a, a, b, a, b, b, a: two sources alternating keep their objects
            assertThat(all.get(1).from()).isSameAs(all.get(0).from());
            assertThat(all.get(3).from()).isSameAs(all.get(0).from());
            assertThat(all.get(4).from()).isSameAs(all.get(2).from());
            assertThat(all.get(6).from()).isSameAs(all.get(0).from());
            // c is new: a new object; a (heard just before c) is still known; b, pushed out by c, is new again
            assertThat(all.get(8).from()).isSameAs(all.get(0).from());
            assertThat(all.get(10).from()).isNotSameAs(all.get(2).from()).isEqualTo(b.getLocalSocketAddress());
        }
        loop.submit(() -> { socket.close(); }).get();
    }

    @Test
    void boundToOneIpv4AddressItIsAnIpv4SocketThatReadsAndAnswers() throws Exception {
        NativeUdpSocket socket = open(loop, recording());
        assertThat(NativeReceive.isIpv6((io.netty.channel.unix.Socket) socket.fd())).isFalse();
        try (DatagramSocket peer = new DatagramSocket(0, LOCAL)) {
            readsAndAnswers(socket, peer, LOCAL);
        }
        loop.submit(() -> { socket.close(); }).get();
    }

    @Test
    void boundToTheIpv4WildcardItStillTakesIpv6PeersWhereTheHostPrefersIpv6() throws Exception {
        NativeUdpSocket socket = NativeUdpSocket.bind(new InetSocketAddress(InetAddress.getByName("0.0.0.0"), 0));
        try {
            boolean dualStack = NativeReceive.isIpv6((io.netty.channel.unix.Socket) socket.fd());
            assertThat(dualStack).isEqualTo(io.netty.channel.unix.Socket.isIPv6Preferred());
        } finally {
            socket.close();
        }
    }

    @Test
    void anIpv6SenderIsAttributedAndAnsweredOnAnIpv6Socket() throws Exception {
        InetAddress v6 = InetAddress.getByName("::1");
        NativeUdpSocket socket;
        try {
            socket = NativeUdpSocket.bind(new InetSocketAddress(v6, 0));
        } catch (java.io.IOException e) {
            return; // no IPv6 loopback on this machine: nothing to check
        }
        CompletableFuture<Throwable> registered = new CompletableFuture<>();
        socket.register(loop, recording(), registered::complete);
        assertThat(registered.get(5, TimeUnit.SECONDS)).isNull();
        try (DatagramSocket peer = new DatagramSocket(new InetSocketAddress(v6, 0))) {
            readsAndAnswers(socket, peer, v6);
        }
        loop.submit(() -> { socket.close(); }).get();
    }

    /** {@code peer} sends to {@code socket} at {@code at}; the answer leaves that socket for where it came from. */
    private void readsAndAnswers(NativeUdpSocket socket, DatagramSocket peer, InetAddress at) throws Exception {
        peer.setSoTimeout(5000);
        peer.send(new DatagramPacket(datagram(100, 4), 100, at, socket.localPort()));
        Seen first = awaitSeen(1).get(0);
        assertThat(first.from()).isEqualTo(peer.getLocalSocketAddress());
        assertThat(first.octets()).isEqualTo(datagram(100, 4));
        SendAddress back = SendAddress.of(first.from());
        assertThat(loop.submit(() -> socket.send(new dev.parley.rtp.PacketBuffer(datagram(90, 5), 0, 90), back))
                .get()).isTrue();
        DatagramPacket answer = new DatagramPacket(new byte[200], 200);
        peer.receive(answer);
        assertThat(Arrays.copyOf(answer.getData(), answer.getLength())).isEqualTo(datagram(90, 5));
        assertThat(answer.getPort()).isEqualTo(socket.localPort());
    }

    @Test
    void connectedItHearsOnlyItsPeerAndSendsToItWithoutAnAddressAndDisconnectedItHearsAnyoneAgain()
            throws Exception {
        NativeUdpSocket socket = openOnAPort(loop, recording());
        try (DatagramSocket peer = new DatagramSocket(0, LOCAL);
                DatagramSocket stranger = new DatagramSocket(0, LOCAL)) {
            peer.setSoTimeout(5000);
            send(peer, datagram(60, 1), socket.localPort());
            InetSocketAddress latched = awaitSeen(1).get(0).from();
            assertThat(loop.submit(() -> socket.connect(latched)).get()).isTrue();
            assertThat(socket.connectedPeer()).isSameAs(latched);

            // The stranger's datagram finds no socket (the kernel refuses it); the peer's arrives
            send(stranger, datagram(60, 2), socket.localPort());
            send(peer, datagram(60, 3), socket.localPort());
            assertThat(awaitSeen(2).get(1).octets()).isEqualTo(datagram(60, 3));
            // To the connected address object: send(2) without an address, from the socket's port
            assertThat(loop.submit(() -> socket.send(new dev.parley.rtp.PacketBuffer(datagram(80, 4), 0, 80),
                    SendAddress.of(latched))).get()).isTrue();
            DatagramPacket answer = new DatagramPacket(new byte[200], 200);
            peer.receive(answer);
            assertThat(Arrays.copyOf(answer.getData(), answer.getLength())).isEqualTo(datagram(80, 4));
            assertThat(answer.getPort()).isEqualTo(socket.localPort());
            // Connected, it still sends elsewhere with an address
            stranger.setSoTimeout(5000);
            assertThat(loop.submit(() -> socket.send(new dev.parley.rtp.PacketBuffer(datagram(80, 5), 0, 80),
                    SendAddress.of((InetSocketAddress) stranger.getLocalSocketAddress()))).get()).isTrue();
            DatagramPacket elsewhere = new DatagramPacket(new byte[200], 200);
            stranger.receive(elsewhere);
            assertThat(Arrays.copyOf(elsewhere.getData(), elsewhere.getLength())).isEqualTo(datagram(80, 5));

            loop.submit(socket::disconnect).get();
            assertThat(socket.connectedPeer()).isNull();
            send(stranger, datagram(60, 6), socket.localPort());
            Seen again = awaitSeen(3).get(2);
            assertThat(again.octets()).as("the refused datagram was never queued").isEqualTo(datagram(60, 6));
            assertThat(again.from()).as("still on its port").isEqualTo(stranger.getLocalSocketAddress());
        }
        loop.submit(() -> { socket.close(); }).get();
    }

    @Test
    void whatWasQueuedBeforeTheConnectIsAttributedToItsRealSenderAndOnlyThenReadsSkipTheAddress() throws Exception {
        List<NativeUdpSocket> self = new ArrayList<>();
        // As the endpoint does: the first datagram's sender is latched, and the socket connected to it at once
        NativeUdpSocket socket = openOnAPort(loop, (content, from) -> {
            recording().onDatagram(content, from);
            if (self.get(0).connectedPeer() == null) {
                assertThat(self.get(0).connect(from)).isTrue();
            }
        });
        self.add(socket);
        try (DatagramSocket peer = new DatagramSocket(0, LOCAL);
                DatagramSocket stranger = new DatagramSocket(0, LOCAL)) {
            java.util.concurrent.CountDownLatch hold = new java.util.concurrent.CountDownLatch(1);
            loop.execute(() -> {
                try {
                    hold.await(); // both datagrams are queued before the loop reads the first
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            send(peer, datagram(60, 1), socket.localPort());
            send(stranger, datagram(60, 2), socket.localPort());
            Thread.sleep(100);
            hold.countDown();
            List<Seen> queued = awaitSeen(2);
            assertThat(queued.get(0).from()).isEqualTo(peer.getLocalSocketAddress());
            assertThat(queued.get(1).from()).as("queued before the connect: read with its address")
                    .isEqualTo(stranger.getLocalSocketAddress());
            assertThat(queued.get(1).octets()).isEqualTo(datagram(60, 2));

            send(peer, datagram(60, 3), socket.localPort());
            Seen after = awaitSeen(3).get(2);
            assertThat(after.octets()).isEqualTo(datagram(60, 3));
            assertThat(after.from()).as("the connected peer, the same object").isSameAs(socket.connectedPeer());
            // Read by the buffer's address (Netty's recvAddress), whole and in order, octets of every value
            assertThat(NativeReceive.readsByAddress()).as("Netty's recvAddress reachable").isTrue();
            byte[] full = new byte[Workspace.MAX_DATAGRAM];
            for (int i = 0; i < full.length; i++) {
                full[i] = (byte) i;
            }
            send(peer, full, socket.localPort());
            send(peer, datagram(1, 4), socket.localPort());
            List<Seen> last = awaitSeen(5);
            assertThat(last.get(3).octets()).isEqualTo(full);
            assertThat(last.get(4).octets()).isEqualTo(datagram(1, 4));
        }
        loop.submit(() -> { socket.close(); }).get();
    }

    @Test
    void aSocketBoundToAPortTheKernelChoseOrToTheWildcardOutsideItsListenerDoesNotConnect() throws Exception {
        int port;
        try (DatagramSocket probe = new DatagramSocket(0)) {
            port = probe.getLocalPort();
        }
        NativeUdpSocket wildcard = NativeUdpSocket.bind(new InetSocketAddress(InetAddress.getByName("0.0.0.0"), port));
        NativeUdpSocket anyPort = NativeUdpSocket.bind(new InetSocketAddress(LOCAL, 0));
        try (DatagramSocket peer = new DatagramSocket(0, LOCAL)) {
            // connect(2) would bind the first to the local address of the route to the peer without a datagram that
            // says where the peer sends to, and the second would lose its port at the disconnect
            assertThat(wildcard.watchArrivalAddress()).isTrue();
            for (NativeUdpSocket socket : List.of(wildcard, anyPort)) {
                assertThat(socket.connect((InetSocketAddress) peer.getLocalSocketAddress())).isFalse();
                assertThat(socket.connectedPeer()).isNull();
            }
            assertThat(wildcard.connectsLater()).as("from inside its listener, with a datagram, it may").isTrue();
            assertThat(anyPort.connectsLater()).isFalse();
        } finally {
            wildcard.close();
            anyPort.close();
        }
    }

    /**
     * 127.0.0.1 and 127.0.0.2 are both addresses of this host (lo holds 127.0.0.0/8), as a host with two: the route
     * back to a peer on 127.0.0.1 leaves by 127.0.0.1 whichever of the two the peer sends to.
     */
    @Test
    void boundToTheWildcardItConnectsOnlyWhenThePeerSendsToTheAddressTheRouteBackLeavesBy() throws Exception {
        connectsOnlyWhenThePeerSendsToTheAddressTheRouteBackLeavesBy(false); // dual-stack where the host has IPv6
    }

    @Test
    void boundToTheWildcardAsAnIpv4SocketItConnectsOnlyWhenThePeerSendsToTheAddressTheRouteBackLeavesBy()
            throws Exception {
        connectsOnlyWhenThePeerSendsToTheAddressTheRouteBackLeavesBy(true); // what a media plane advertising IPv4 binds
    }

    private void connectsOnlyWhenThePeerSendsToTheAddressTheRouteBackLeavesBy(boolean ipv4Only) throws Exception {
        InetAddress otherLocal = InetAddress.getByName("127.0.0.2");
        List<NativeUdpSocket> self = new ArrayList<>();
        List<Boolean> connects = java.util.Collections.synchronizedList(new ArrayList<>());
        NativeUdpSocket.Listener latching = (content, from) -> {
            recording().onDatagram(content, from);
            if (self.get(0).connectedPeer() == null) {
                connects.add(self.get(0).connect(from)); // as the endpoint does, once the source's packet is good
            }
        };
        NativeUdpSocket socket = openWildcardOnAPort(loop, latching, ipv4Only);
        self.add(socket);
        int port = socket.localPort();
        assertThat(loop.submit(socket::watchArrivalAddress).get()).isTrue();
        try (DatagramSocket peer = new DatagramSocket(0, LOCAL)) {
            peer.setSoTimeout(5000);
            // The peer sends to the other address: connected, the socket would be fixed to 127.0.0.1 and refuse it
            peer.send(new DatagramPacket(datagram(60, 1), 60, otherLocal, port));
            awaitSeen(1);
            assertThat(connects).containsExactly(false);
            assertThat(socket.connectsRefusedByAddress()).isEqualTo(1);
            assertThat(socket.connectsLater()).as("not for this call").isFalse();
            assertThat(socket.connectedPeer()).isNull();
            assertThat(socket.localAddress().getAddress().isAnyLocalAddress()).as("the wildcard again").isTrue();
            assertThat(socket.localAddress().getPort()).isEqualTo(port);
            peer.send(new DatagramPacket(datagram(60, 2), 60, otherLocal, port));
            assertThat(awaitSeen(2).get(1).octets()).as("still heard at the other address").isEqualTo(datagram(60, 2));

            // The pair's next call: its peer sends to the address the route back leaves by
            loop.submit(socket::rest).get();
            assertThat(loop.submit(() -> socket.resume(latching)).get()).isTrue();
            connects.clear();
            peer.send(new DatagramPacket(datagram(60, 3), 60, LOCAL, port));
            awaitSeen(3);
            assertThat(connects).containsExactly(true);
            assertThat(socket.localAddress()).as("connect fixed the local address")
                    .isEqualTo(new InetSocketAddress(LOCAL, port));
            // What the guard is for: connected, a datagram to the host's other address finds no socket
            peer.send(new DatagramPacket(datagram(60, 4), 60, otherLocal, port));
            peer.send(new DatagramPacket(datagram(60, 5), 60, LOCAL, port));
            assertThat(awaitSeen(4).get(3).octets()).as("the one to 127.0.0.2 was refused").isEqualTo(datagram(60, 5));
            assertThat(loop.submit(() -> socket.send(new dev.parley.rtp.PacketBuffer(datagram(80, 6), 0, 80),
                    SendAddress.of(socket.connectedPeer()))).get()).isTrue();
            DatagramPacket answer = new DatagramPacket(new byte[200], 200);
            peer.receive(answer);
            assertThat(Arrays.copyOf(answer.getData(), answer.getLength())).isEqualTo(datagram(80, 6));
            assertThat(answer.getSocketAddress()).isEqualTo(new InetSocketAddress(LOCAL, port));

            // connect(AF_UNSPEC) gives the wildcard back (the bind did not lock the address) and keeps the port
            loop.submit(socket::disconnect).get();
            assertThat(socket.localAddress().getAddress().isAnyLocalAddress()).isTrue();
            assertThat(socket.localAddress().getPort()).isEqualTo(port);
            peer.send(new DatagramPacket(datagram(60, 7), 60, otherLocal, port));
            assertThat(awaitSeen(5).get(4).octets()).isEqualTo(datagram(60, 7));
        }
        loop.submit(() -> { socket.close(); }).get();
    }

    @Test
    void restingDisconnectsIt() throws Exception {
        NativeUdpSocket socket = openOnAPort(loop, recording());
        try (DatagramSocket peer = new DatagramSocket(0, LOCAL); DatagramSocket next = new DatagramSocket(0, LOCAL)) {
            assertThat(loop.submit(() -> socket.connect((InetSocketAddress) peer.getLocalSocketAddress())).get())
                    .isTrue();
            loop.submit(socket::rest).get();
            assertThat(socket.connectedPeer()).isNull();
            assertThat(loop.submit(() -> socket.resume(recording())).get()).isTrue();
            send(next, datagram(60, 7), socket.localPort());
            assertThat(awaitSeen(1).get(0).from()).as("the next call on the pair hears from anyone")
                    .isEqualTo(next.getLocalSocketAddress());
        }
        loop.submit(() -> { socket.close(); }).get();
    }

    @Test
    void aDatagramLongerThanTheRelayTakesArrivesCutAtOneOctetMoreAndTheNextOneIsWhole() throws Exception {
        NativeUdpSocket socket = open(loop, recording());
        try (DatagramSocket peer = new DatagramSocket(0, LOCAL)) {
            send(peer, datagram(Workspace.MAX_DATAGRAM, 1), socket.localPort());
            send(peer, datagram(9000, 2), socket.localPort());
            send(peer, datagram(40, 3), socket.localPort());
            send(peer, new byte[0], socket.localPort());
            List<Seen> all = awaitSeen(4);
            assertThat(all.get(0).octets()).isEqualTo(datagram(Workspace.MAX_DATAGRAM, 1));
            assertThat(all.get(1).octets()).as("cut: the relay sees it is too long and drops it")
                    .hasSize(Workspace.MAX_DATAGRAM + 1)
                    .isEqualTo(Arrays.copyOf(datagram(9000, 2), Workspace.MAX_DATAGRAM + 1));
            assertThat(all.get(2).octets()).isEqualTo(datagram(40, 3));
            assertThat(all.get(3).octets()).isEmpty();
        }
        loop.submit(() -> { socket.close(); }).get();
    }

    @Test
    void datagramsUpToTwelveHundredOctetsLeaveUnfragmentableAndALongerOneTurnsPathMtuDiscoveryBackOn()
            throws Exception {
        NativeUdpSocket socket = open(loop, recording());
        int systemDefault = socket.dontFragment().replaced();
        assertThat(systemDefault).as("the mode the socket was made with").isNotNegative().isNotEqualTo(3);
        try (DatagramSocket peer = new DatagramSocket(0, LOCAL)) {
            SendAddress to = SendAddress.of((InetSocketAddress) peer.getLocalSocketAddress());
            assertThat(socket.dontFragment().mode()).as("IP_PMTUDISC_PROBE: DF on every datagram").isEqualTo(3);
            for (int length : new int[] {172, DontFragment.ALWAYS_UNFRAGMENTED}) {
                assertThat(loop.submit(() -> socket.send(new dev.parley.rtp.PacketBuffer(datagram(length, 1), 0,
                        length), to)).get()).isTrue();
                DatagramPacket got = new DatagramPacket(new byte[2000], 2000);
                peer.receive(got);
                assertThat(got.getLength()).isEqualTo(length);
                assertThat(socket.dontFragment().mode()).isEqualTo(3);
            }
            int longer = DontFragment.ALWAYS_UNFRAGMENTED + 1;
            assertThat(loop.submit(() -> socket.send(new dev.parley.rtp.PacketBuffer(datagram(longer, 2), 0,
                    longer), to)).get()).isTrue();
            DatagramPacket got = new DatagramPacket(new byte[2000], 2000);
            peer.receive(got);
            assertThat(Arrays.copyOf(got.getData(), got.getLength())).isEqualTo(datagram(longer, 2));
            assertThat(socket.dontFragment().mode()).as("back to the system's mode for longer datagrams")
                    .isEqualTo(systemDefault);
            assertThat(socket.dontFragment().replaced()).as("put back once").isEqualTo(-1);
        }
        loop.submit(() -> { socket.close(); }).get();
    }

    @Test
    void aMovedSocketReadsOnItsNewLoopAndAClosedOnesPortCanBeBoundAgain() throws Exception {
        NativeUdpSocket socket = open(loop, recording());
        Thread first = loop.submit(Thread::currentThread).get();
        Thread second = other.submit(Thread::currentThread).get();
        try (DatagramSocket peer = new DatagramSocket(0, LOCAL)) {
            send(peer, datagram(60, 1), socket.localPort());
            assertThat(awaitSeen(1).get(0).thread()).isSameAs(first);

            CompletableFuture<Boolean> moved = new CompletableFuture<>();
            MediaLoop target = new MediaLoop(other, TimeUnit.SECONDS.toNanos(1));
            loop.submit(() -> socket.moveTo(target, moved::complete)).get();
            assertThat(moved.get(5, TimeUnit.SECONDS)).isTrue();
            send(peer, datagram(60, 2), socket.localPort());
            Seen after = awaitSeen(2).get(1);
            assertThat(after.thread()).as("read on the loop it moved to").isSameAs(second);
            assertThat(after.octets()).isEqualTo(datagram(60, 2));
        }
        int port = socket.localPort();
        other.submit(() -> { socket.close(); }).get();
        NativeUdpSocket again = NativeUdpSocket.bind(new InetSocketAddress(LOCAL, port));
        assertThat(again.localPort()).isEqualTo(port);
        again.close();
    }

    /**
     * What receiving costs the loop thread per datagram once warm: the native socket against the Netty channel it
     * replaces (read into the loop's one buffer, {@link ReceiveBuffer}, as the relay's channels did). Printed for
     * the record; the native socket must stay near zero, a small part of the channel's.
     */
    @Test
    void allocationPerReceivedDatagramOnceWarm() throws Exception {
        AtomicLong nativeCount = new AtomicLong();
        NativeUdpSocket socket = open(loop, (content, from) -> {
            lastSender = from; // kept, as the relay keeps it (latch): the JIT cannot make it go away
            nativeCount.incrementAndGet();
        });
        long nativeBytes = allocationPerDatagram(socket.localPort(), nativeCount::get);
        loop.submit(() -> { socket.close(); }).get();

        AtomicLong channelCount = new AtomicLong();
        Channel channel = new Bootstrap().group(loop).channel(EpollDatagramChannel.class)
                .handler(new ChannelInboundHandlerAdapter() {
                    @Override
                    public void handlerAdded(ChannelHandlerContext ctx) {
                        ReceiveBuffer.install(ctx.channel());
                    }

                    @Override
                    public void channelRead(ChannelHandlerContext ctx, Object msg) {
                        io.netty.channel.socket.DatagramPacket d = (io.netty.channel.socket.DatagramPacket) msg;
                        ByteBuf content = d.content();
                        if (content.readableBytes() > 0) {
                            lastSender = d.sender();
                            channelCount.incrementAndGet();
                        }
                        d.release();
                    }
                }).bind(new InetSocketAddress(LOCAL, 0)).syncUninterruptibly().channel();
        long channelBytes = allocationPerDatagram(((InetSocketAddress) channel.localAddress()).getPort(),
                channelCount::get);
        channel.close().syncUninterruptibly();

        System.out.println("NativeUdpSocket: " + nativeBytes + " bytes allocated per received datagram once warm; "
                + "EpollDatagramChannel (ReceiveBuffer): " + channelBytes);
        assertThat(nativeBytes).isLessThanOrEqualTo(8);
        assertThat(channelBytes).as("the probe sees what a channel allocates").isGreaterThan(4 * nativeBytes + 32);
    }

    /** Sends 20 000 datagrams to warm up, then 20 000 more, and divides the loop's allocation by what it read. */
    private long allocationPerDatagram(int port, LongSupplier received) throws Exception {
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        try (DatagramSocket peer = new DatagramSocket(0, LOCAL)) {
            byte[] octets = datagram(172, 9);
            DatagramPacket packet = new DatagramPacket(octets, octets.length, LOCAL, port);
            sendPaced(peer, packet, 20_000, received);
            long before = loop.submit(threads::getCurrentThreadAllocatedBytes).get();
            long readBefore = received.getAsLong();
            sendPaced(peer, packet, 20_000, received);
            long after = loop.submit(threads::getCurrentThreadAllocatedBytes).get();
            long read = received.getAsLong() - readBefore;
            assertThat(read).as("datagrams read while measuring").isGreaterThan(10_000);
            return (after - before) / read;
        }
    }

    /** Sends {@code count} datagrams, never more than 200 ahead of the reader (the kernel's buffer holds them). */
    private static void sendPaced(DatagramSocket peer, DatagramPacket packet, int count, LongSupplier received)
            throws Exception {
        long start = received.getAsLong();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        for (int i = 0; i < count; i++) {
            while (i - (received.getAsLong() - start) > 200 && System.nanoTime() < deadline) {
                Thread.onSpinWait();
            }
            peer.send(packet);
        }
        long settle = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
        while (received.getAsLong() - start < count && System.nanoTime() < settle) {
            Thread.sleep(1);
        }
    }
}
