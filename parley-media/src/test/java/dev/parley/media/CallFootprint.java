package dev.parley.media;

import dev.parley.mediaapi.Direction;
import dev.parley.mediaapi.EndpointId;
import dev.parley.mediaapi.EndpointParameters;
import dev.parley.mediaapi.EndpointRequest;
import dev.parley.mediaapi.LocalMedia;
import dev.parley.mediaapi.PayloadFormat;
import dev.parley.mediaapi.Protection;
import dev.parley.mediaapi.SrtpSuite;
import dev.parley.rtp.PacketBuffer;
import dev.parley.rtp.srtp.SrtpProfile;
import dev.parley.rtp.srtp.SrtpSender;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import javax.management.ObjectName;

/**
 * Not a test: what a relayed call keeps alive in the media plane's heap (docs/benchmarks.md, media relay, fourth
 * session of 6 December). Sets up {@code CALLS} bridged calls as the PBX does (open ×2, configure ×2 with PCMU and
 * plain RTP or SDES-SRTP keys, bridge) on one event loop, sends {@code PACKETS} packets each way per call so that
 * latches, SRTP contexts and statistics exist, then takes a class histogram of live objects (a full collection)
 * with the calls up and again after closing them all (idle pairs off, so their sockets close), and prints the
 * difference per call, largest classes first. The packets' senders are dropped before the histograms, so only the
 * relay's state is in the difference. Ports 40000-49999 of 127.0.0.1.
 *
 * <pre>java --enable-native-access=ALL-UNNAMED -cp parley-bench/target/benchmarks.jar \
 *     parley-media/src/test/java/dev/parley/media/CallFootprint.java srtp 1000 5</pre>
 */
public final class CallFootprint {
    private static final PayloadFormat PCMU = PayloadFormat.of(0, "PCMU", 8000);

    private CallFootprint() {
    }

    public static void main(String[] args) throws Exception {
        boolean srtp = args[0].equals("srtp");
        int calls = Integer.parseInt(args[1]);
        int packets = args.length > 2 ? Integer.parseInt(args[2]) : 5;
        InetAddress loopback = InetAddress.getLoopbackAddress();
        NettyMediaService media = new NettyMediaService(MediaSettings.defaults(loopback, loopback)
                .withPortRange(40000, 49999).withEventLoops(1).withMediaTimeout(Duration.ofMinutes(10))
                .withIdlePairs(0, Duration.ofSeconds(2)));
        media.start();
        DatagramChannel a = generator(loopback);
        DatagramChannel b = generator(loopback);
        ByteBuffer sink = ByteBuffer.allocateDirect(4096);
        try {
            // one warm-up round, so that every class on the path is loaded before the baseline
            Map<String, long[]> before = null;
            for (int round = 0; round < 2; round++) {
                int n = round == 0 ? Math.min(50, calls) : calls;
                List<EndpointId> ids = new ArrayList<>();
                for (int i = 0; i < n; i++) {
                    LocalMedia near = media.open(new EndpointRequest("a")).toCompletableFuture().join();
                    LocalMedia far = media.open(new EndpointRequest("b")).toCompletableFuture().join();
                    Key fromA = Key.fresh(srtp);
                    Key fromB = Key.fresh(srtp);
                    media.configure(near.id(), parameters(a, fromA, srtp));
                    media.configure(far.id(), parameters(b, fromB, srtp));
                    media.bridge(near.id(), far.id());
                    ids.add(near.id());
                    ids.add(far.id());
                    send(a, near.rtp(), fromA, packets);
                    send(b, far.rtp(), fromB, packets);
                    drain(a, sink);
                    drain(b, sink);
                }
                long until = System.nanoTime() + 1_000_000_000L;
                while (System.nanoTime() < until) {
                    drain(a, sink);
                    drain(b, sink);
                    Thread.sleep(5);
                }
                if (round == 0) {
                    closeAll(media, ids);
                    before = histogram();
                    continue;
                }
                Map<String, long[]> up = histogram();
                closeAll(media, ids);
                Map<String, long[]> after = histogram();
                report(calls, srtp, before, up, after);
            }
        } finally {
            a.close();
            b.close();
            media.stop();
        }
    }

    private static DatagramChannel generator(InetAddress loopback) throws Exception {
        DatagramChannel c = DatagramChannel.open();
        c.setOption(StandardSocketOptions.SO_RCVBUF, 4 << 20);
        c.bind(new InetSocketAddress(loopback, 0));
        c.configureBlocking(false);
        return c;
    }

    private static void drain(DatagramChannel c, ByteBuffer sink) throws Exception {
        do {
            sink.clear();
        } while (c.receive(sink) != null);
    }

    /** A peer's key for one direction, or none for plain RTP. */
    private record Key(byte[] key, byte[] salt) {
        static Key fresh(boolean srtp) {
            if (!srtp) {
                return null;
            }
            byte[] key = new byte[16];
            byte[] salt = new byte[14];
            ThreadLocalRandom.current().nextBytes(key);
            ThreadLocalRandom.current().nextBytes(salt);
            return new Key(key, salt);
        }

        Protection protection() {
            return new Protection.Sdes(SrtpSuite.AES_CM_128_HMAC_SHA1_80, key, salt);
        }
    }

    private static EndpointParameters parameters(DatagramChannel peer, Key peerKey, boolean srtp) throws Exception {
        InetSocketAddress remote = (InetSocketAddress) peer.getLocalAddress();
        Protection receive = srtp ? peerKey.protection() : Protection.none();
        Protection send = srtp ? Key.fresh(true).protection() : Protection.none();
        return new EndpointParameters(remote, null, true, List.of(PCMU), Direction.SENDRECV, receive, send);
    }

    private static void send(DatagramChannel from, InetSocketAddress to, Key key, int packets) throws Exception {
        SrtpSender sender = key == null ? null
                : new SrtpSender(SrtpProfile.fromSdesName("AES_CM_128_HMAC_SHA1_80").orElseThrow(), key.key(),
                        key.salt());
        int ssrc = ThreadLocalRandom.current().nextInt();
        byte[] array = new byte[200];
        for (int k = 0; k < packets; k++) {
            byte[] rtp = new byte[172];
            rtp[0] = (byte) 0x80;
            rtp[2] = (byte) (k >> 8);
            rtp[3] = (byte) k;
            int ts = k * 160;
            rtp[4] = (byte) (ts >> 24);
            rtp[5] = (byte) (ts >> 16);
            rtp[6] = (byte) (ts >> 8);
            rtp[7] = (byte) ts;
            rtp[8] = (byte) (ssrc >> 24);
            rtp[9] = (byte) (ssrc >> 16);
            rtp[10] = (byte) (ssrc >> 8);
            rtp[11] = (byte) ssrc;
            System.arraycopy(rtp, 0, array, 0, rtp.length);
            PacketBuffer buffer = new PacketBuffer(array, 0, rtp.length);
            if (sender != null) {
                sender.protectRtp(buffer);
            }
            from.send(ByteBuffer.wrap(array, 0, buffer.length()), to);
        }
    }

    private static void closeAll(NettyMediaService media, List<EndpointId> ids) throws Exception {
        for (EndpointId id : ids) {
            media.close(id);
        }
        long until = System.nanoTime() + 10_000_000_000L;
        while (media.freePortPairs() < 5000 && System.nanoTime() < until) {
            Thread.sleep(20);
        }
        Thread.sleep(200);
    }

    /** Class name → {instances, bytes} of the live heap (the diagnostic command collects first). */
    private static Map<String, long[]> histogram() throws Exception {
        String text = (String) ManagementFactory.getPlatformMBeanServer().invoke(
                new ObjectName("com.sun.management:type=DiagnosticCommand"), "gcClassHistogram",
                new Object[] {new String[0]}, new String[] {String[].class.getName()});
        Map<String, long[]> classes = new HashMap<>();
        for (String line : text.split("\n")) {
            String[] f = line.trim().split("\\s+");
            if (f.length >= 4 && f[0].endsWith(":")) {
                classes.put(f[3], new long[] {Long.parseLong(f[1]), Long.parseLong(f[2])});
            }
        }
        return classes;
    }

    private static void report(int calls, boolean srtp, Map<String, long[]> warm, Map<String, long[]> up,
            Map<String, long[]> after) {
        long total = 0;
        List<Map.Entry<String, long[]>> rows = new ArrayList<>();
        for (Map.Entry<String, long[]> e : up.entrySet()) {
            if (e.getKey().equals("[Ljdk.internal.vm.FillerElement;")) {
                continue; // the collector's filler between objects, not objects of the program
            }
            long[] base = after.getOrDefault(e.getKey(), new long[2]);
            long[] d = {e.getValue()[0] - base[0], e.getValue()[1] - base[1]};
            total += d[1];
            rows.add(Map.entry(e.getKey(), d));
        }
        rows.sort((x, y) -> Long.compare(y.getValue()[1], x.getValue()[1]));
        System.out.printf("mode=%s calls=%d live bytes per call=%.0f (with calls up minus after closing them)%n",
                srtp ? "srtp" : "rtp", calls, (double) total / calls);
        System.out.printf("%-70s %12s %12s%n", "class", "objects/call", "bytes/call");
        for (Map.Entry<String, long[]> r : rows.subList(0, Math.min(40, rows.size()))) {
            System.out.printf("%-70s %12.2f %12.1f%n", r.getKey(), (double) r.getValue()[0] / calls,
                    (double) r.getValue()[1] / calls);
        }
        System.out.println("largest decreases (more after closing than with the calls up):");
        for (Map.Entry<String, long[]> r : rows.subList(Math.max(0, rows.size() - 5), rows.size())) {
            System.out.printf("%-70s %12.2f %12.1f%n", r.getKey(), (double) r.getValue()[0] / calls,
                    (double) r.getValue()[1] / calls);
        }
        long drift = 0;
        for (Map.Entry<String, long[]> e : after.entrySet()) {
            drift += e.getValue()[1] - warm.getOrDefault(e.getKey(), new long[2])[1];
        }
        System.out.printf("heap drift between the two closed states: %d bytes%n", drift);
    }
}
