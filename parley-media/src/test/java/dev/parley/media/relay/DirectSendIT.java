package dev.parley.media.relay;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.rtp.PacketBuffer;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.EpollDatagramChannel;
import io.netty.channel.epoll.EpollIoHandler;
import java.lang.management.ManagementFactory;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** DirectSend over real UDP on 127.0.0.1 (and ::1 where the machine has it): what it sends arrives as sent. */
class DirectSendIT {
    private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, EpollIoHandler.newFactory());

    @AfterEach
    void stop() {
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    private Channel bind(InetAddress address) {
        return new Bootstrap().group(group).channel(EpollDatagramChannel.class)
                .handler(new ChannelInboundHandlerAdapter()).bind(new InetSocketAddress(address, 0))
                .syncUninterruptibly().channel();
    }

    private static byte[] datagram(int length, int seed) {
        byte[] b = new byte[length];
        for (int i = 0; i < length; i++) {
            b[i] = (byte) (seed + i * 7);
        }
        return b;
    }

    private static byte[] receive(DatagramSocket socket) throws Exception {
        DatagramPacket p = new DatagramPacket(new byte[8192], 8192);
        socket.receive(p);
        return Arrays.copyOf(p.getData(), p.getLength());
    }

    @Test
    void sendsThroughNettysNativeSendtoWithTheAddressPreparedOncePerDestination() throws Exception {
        assertThat(DirectSend.sendsWithPreparedAddress()).as("Netty's native sendTo reachable").isTrue();
        Channel channel = bind(InetAddress.getLoopbackAddress());
        try (DatagramSocket a = new DatagramSocket(0, InetAddress.getLoopbackAddress());
                DatagramSocket b = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            a.setSoTimeout(5000);
            b.setSoTimeout(5000);
            SendAddress toA = SendAddress.of((InetSocketAddress) a.getLocalSocketAddress());
            SendAddress toB = SendAddress.of((InetSocketAddress) b.getLocalSocketAddress());
            DirectSend send = new DirectSend(Workspace.CAPACITY);
            for (int i = 0; i < 3; i++) {
                int n = i;
                Object[] results = channel.eventLoop().submit(() -> new Object[] {
                    send.send(channel, new PacketBuffer(datagram(172, n), 0, 172), toA),
                    send.send(channel, new PacketBuffer(datagram(1200 + n, n), 0, 1200 + n), toB)}).get();
                assertThat(results).containsExactly(DirectSend.Result.SENT, DirectSend.Result.SENT);
                assertThat(receive(a)).isEqualTo(datagram(172, n));
                assertThat(receive(b)).isEqualTo(datagram(1200 + n, n));
            }
            // Off its loop the caller must use the pipeline
            assertThat(send.send(channel, new PacketBuffer(datagram(10, 1), 0, 10), toA))
                    .isEqualTo(DirectSend.Result.USE_PIPELINE);
        } finally {
            channel.close().syncUninterruptibly();
        }
    }

    @Test
    void byTheBuffersAddressItSendsWhatTheBufferNativesSendConnectedOrNot() throws Exception {
        DirectSend byAddress = new DirectSend(Workspace.CAPACITY);
        DirectSend byBuffer = new DirectSend(Workspace.CAPACITY, false);
        assertThat(byAddress.sendsByAddress()).as("Netty's sendToAddress and sendAddress reachable").isTrue();
        assertThat(byBuffer.sendsByAddress()).isFalse();
        Channel channel = bind(InetAddress.getLoopbackAddress());
        io.netty.channel.unix.Socket socket = (io.netty.channel.unix.Socket) ((io.netty.channel.unix.UnixChannel)
                channel).fd();
        try (DatagramSocket peer = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            peer.setSoTimeout(5000);
            InetSocketAddress at = (InetSocketAddress) peer.getLocalSocketAddress();
            SendAddress to = SendAddress.of(at);
            for (DirectSend send : List.of(byAddress, byBuffer)) {
                for (int length : new int[] {1, 172, 1200}) {
                    byte[] octets = datagram(length + 2, length);
                    // From an offset, as the relay's packets start at one in its workspace
                    Object sent = channel.eventLoop().submit(() -> send.send(socket, socket.intValue(), false, octets,
                            2, length, to)).get();
                    assertThat(sent).isEqualTo(true);
                    assertThat(receive(peer)).isEqualTo(Arrays.copyOfRange(octets, 2, length + 2));
                }
            }
            channel.eventLoop().submit(() -> {
                socket.connect(at);
                return null;
            }).get();
            for (DirectSend send : List.of(byAddress, byBuffer)) {
                byte[] octets = datagram(174, 9);
                Object sent = channel.eventLoop().submit(() -> send.sendConnected(socket, socket.intValue(), octets, 2,
                        172)).get();
                assertThat(sent).isEqualTo(true);
                assertThat(receive(peer)).isEqualTo(Arrays.copyOfRange(octets, 2, 174));
            }
            // Longer than its buffer: refused, nothing sent
            assertThat(channel.eventLoop().submit(() -> byAddress.sendConnected(socket, socket.intValue(),
                    new byte[Workspace.CAPACITY + 1], 0, Workspace.CAPACITY + 1)).get()).isEqualTo(false);
        } finally {
            channel.close().syncUninterruptibly();
        }
    }

    @Test
    void sendsToAnIpv6DestinationFromAnIpv6Socket() throws Exception {
        InetAddress v6 = InetAddress.getByName("::1");
        Channel channel;
        try {
            channel = bind(v6);
        } catch (RuntimeException e) {
            return; // no IPv6 loopback on this machine: nothing to check
        }
        try (DatagramSocket peer = new DatagramSocket(new InetSocketAddress(v6, 0))) {
            peer.setSoTimeout(5000);
            SendAddress to = SendAddress.of((InetSocketAddress) peer.getLocalSocketAddress());
            DirectSend send = new DirectSend(Workspace.CAPACITY);
            Object result = channel.eventLoop().submit(
                    () -> send.send(channel, new PacketBuffer(datagram(182, 3), 0, 182), to)).get();
            assertThat(result).isEqualTo(DirectSend.Result.SENT);
            assertThat(receive(peer)).isEqualTo(datagram(182, 3));
        } finally {
            channel.close().syncUninterruptibly();
        }
    }

    /** Not asserted (the JIT decides), printed for the record: bytes allocated per send once warm. */
    @Test
    void allocationPerSendOnceWarm() throws Exception {
        Channel channel = bind(InetAddress.getLoopbackAddress());
        try (DatagramSocket sink = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            SendAddress to = SendAddress.of((InetSocketAddress) sink.getLocalSocketAddress());
            DirectSend send = new DirectSend(Workspace.CAPACITY);
            PacketBuffer packet = new PacketBuffer(datagram(172, 1), 0, 172);
            com.sun.management.ThreadMXBean threads =
                    (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
            long[] perSend = channel.eventLoop().submit(() -> {
                for (int i = 0; i < 50_000; i++) {
                    send.send(channel, packet, to);
                }
                long before = threads.getCurrentThreadAllocatedBytes();
                int sends = 50_000;
                for (int i = 0; i < sends; i++) {
                    send.send(channel, packet, to);
                }
                return new long[] {(threads.getCurrentThreadAllocatedBytes() - before) / sends};
            }).get();
            System.out.println("DirectSend: " + perSend[0] + " bytes allocated per send once warm");
            assertThat(perSend[0]).isNotNegative();
        } finally {
            channel.close().syncUninterruptibly();
        }
    }
}
