package dev.parley.media;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.mediaapi.Direction;
import dev.parley.mediaapi.LocalMedia;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;

/**
 * Loopback load: 100 bridged pairs, each peer sending 50 packets/s of 20 ms G.711 for ten seconds (10 000 packets/s
 * into the relay and 10 000 out). Every packet must arrive: the relay may not lose anything on a loaded machine.
 * Prints packets, one-way latency through the relay and the event loops' CPU time.
 */
class RelayLoadIT extends MediaTestSupport {
    private static final int PAIRS = 100;
    private static final int PACKETS_PER_PEER = 500;
    private static final long INTERVAL_NANOS = TimeUnit.MILLISECONDS.toNanos(20);

    @Test
    void relaysEveryPacketOfAHundredCallsForTenSeconds() throws Exception {
        InetAddress loopback = InetAddress.getLoopbackAddress();
        int base = 10000 + (int) (System.nanoTime() % 9) * 1000;
        NettyMediaService media = new NettyMediaService(settings().withPortRange(base, base + 999)
                .withEventLoops(Runtime.getRuntime().availableProcessors()));
        cleanup.add(media);
        media.start();

        int peers = 2 * PAIRS;
        DatagramChannel[] sockets = new DatagramChannel[peers];
        InetSocketAddress[] relayPorts = new InetSocketAddress[peers];
        Selector selector = Selector.open();
        cleanup.add(selector);
        for (int i = 0; i < peers; i++) {
            sockets[i] = DatagramChannel.open().bind(new InetSocketAddress(loopback, 0));
            sockets[i].configureBlocking(false);
            sockets[i].register(selector, SelectionKey.OP_READ, i);
            cleanup.add(sockets[i]);
        }
        List<CompletableFuture<Void>> setup = new ArrayList<>();
        for (int pair = 0; pair < PAIRS; pair++) {
            LocalMedia a = open(media, "load a" + pair);
            LocalMedia b = open(media, "load b" + pair);
            relayPorts[2 * pair] = a.rtp();
            relayPorts[2 * pair + 1] = b.rtp();
            setup.add(media.configured(a.id(), plain(address(sockets[2 * pair]), Direction.SENDRECV, PCMU)));
            setup.add(media.configured(b.id(), plain(address(sockets[2 * pair + 1]), Direction.SENDRECV, PCMU)));
            setup.add(media.bridged(a.id(), b.id()));
        }
        CompletableFuture.allOf(setup.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);

        long[] received = new long[peers];
        long[] latencies = new long[peers * PACKETS_PER_PEER];
        int[] latencyCount = {0};
        Thread receiver = Thread.ofPlatform().name("load-receiver").start(() -> receive(selector, received,
                latencies, latencyCount));

        long cpuBefore = eventLoopCpuNanos();
        long start = System.nanoTime();
        ByteBuffer packet = ByteBuffer.allocate(12 + 160);
        for (int round = 0; round < PACKETS_PER_PEER; round++) {
            long due = start + round * INTERVAL_NANOS;
            LockSupport.parkNanos(due - System.nanoTime());
            for (int i = 0; i < peers; i++) {
                packet.clear();
                packet.put((byte) 0x80).put((byte) 0).putShort((short) round).putInt(round * 160).putInt(i + 1)
                        .putLong(System.nanoTime()).put(new byte[152]).flip();
                sockets[i].send(packet, relayPorts[i]);
            }
        }
        long sendSeconds = System.nanoTime() - start;
        long expected = (long) peers * PACKETS_PER_PEER;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (Arrays.stream(received).sum() < expected && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        long cpu = eventLoopCpuNanos() - cpuBefore;
        receiver.interrupt();
        selector.wakeup();
        receiver.join();

        long total = Arrays.stream(received).sum();
        long[] sorted = Arrays.copyOf(latencies, latencyCount[0]);
        Arrays.sort(sorted);
        System.out.printf("relay load: %d pairs, %d packets sent, %d received (%d lost) in %.1f s; %s; "
                        + "one-way latency p50 %.2f ms, p99 %.2f ms, max %.2f ms; event loops' CPU %.2f s "
                        + "= %.1f%% of one core, %.1f µs per relayed packet%n",
                PAIRS, expected, total, expected - total, sendSeconds / 1e9, media.transport(),
                percentile(sorted, 0.50) / 1e6, percentile(sorted, 0.99) / 1e6,
                sorted.length == 0 ? 0 : sorted[sorted.length - 1] / 1e6, cpu / 1e9,
                100.0 * cpu / sendSeconds, cpu / 1e3 / Math.max(1, total));
        for (int i = 0; i < peers; i++) {
            assertThat(received[i]).as("packets at peer %d", i).isEqualTo(PACKETS_PER_PEER);
        }
    }

    private static void receive(Selector selector, long[] received, long[] latencies, int[] latencyCount) {
        ByteBuffer in = ByteBuffer.allocate(2048);
        try {
            while (!Thread.currentThread().isInterrupted()) {
                selector.select(100);
                for (SelectionKey key : selector.selectedKeys()) {
                    int peer = (Integer) key.attachment();
                    DatagramChannel channel = (DatagramChannel) key.channel();
                    while (true) {
                        in.clear();
                        if (channel.receive(in) == null) {
                            break;
                        }
                        long now = System.nanoTime();
                        if (in.position() == 172 && (in.get(1) & 0x7F) == 0) {
                            received[peer]++;
                            synchronized (latencyCount) {
                                latencies[latencyCount[0]++ % latencies.length] = now - in.getLong(12);
                            }
                        }
                    }
                }
                selector.selectedKeys().clear();
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static long percentile(long[] sorted, double p) {
        return sorted.length == 0 ? 0 : sorted[(int) Math.min(sorted.length - 1, Math.floor(p * sorted.length))];
    }

    private static InetSocketAddress address(DatagramChannel channel) {
        try {
            return (InetSocketAddress) channel.getLocalAddress();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static long eventLoopCpuNanos() {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        long sum = 0;
        for (ThreadInfo info : threads.getThreadInfo(threads.getAllThreadIds())) {
            if (info != null && info.getThreadName().startsWith("parley-media")) {
                sum += Math.max(0, threads.getThreadCpuTime(info.getThreadId()));
            }
        }
        return sum;
    }

}
