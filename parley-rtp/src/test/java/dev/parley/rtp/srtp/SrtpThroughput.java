package dev.parley.rtp.srtp;

import dev.parley.rtp.PacketBuffer;
import dev.parley.rtp.RtpPacket;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;

/**
 * A plain micro-benchmark, not a test: protect + unprotect of 172-octet G.711 packets (12-octet header, 160
 * octets of payload) on one thread, per profile. Run with the test classpath:
 * {@code java -cp parley-rtp/target/classes:parley-rtp/target/test-classes dev.parley.rtp.srtp.SrtpThroughput
 * [seconds [contexts]]}. With {@code contexts} > 1 the packets go round-robin through that many sender/receiver
 * pairs with keys of their own, as a relay's packets go through its calls' contexts: then what each context keeps
 * in memory (and so misses in the CPU caches) shows in the figures, which one hot context hides.
 * It prints the thread's CPU time per pair too: on a machine shared with other work that figure is far steadier
 * than the wall-clock one. The JMH benchmark {@code dev.parley.bench.media.SrtpBenchmark} in parley-bench
 * measures the same work and supersedes these numbers (docs/benchmarks.md, media relay).
 */
public final class SrtpThroughput {
    private SrtpThroughput() {
    }

    public static void main(String[] args) {
        double seconds = args.length > 0 ? Double.parseDouble(args[0]) : 3;
        int contexts = args.length > 1 ? Integer.parseInt(args[1]) : 1;
        for (SrtpProfile profile : SrtpProfile.values()) {
            SrtpSender[] senders = new SrtpSender[contexts];
            SrtpReceiver[] receivers = new SrtpReceiver[contexts];
            for (int c = 0; c < contexts; c++) {
                byte[] key = new byte[16];
                byte[] salt = new byte[profile.masterSaltLength()];
                key[0] = (byte) c;
                key[1] = (byte) (c >>> 8);
                senders[c] = new SrtpSender(profile, key, salt);
                receivers[c] = new SrtpReceiver(profile, key, salt);
            }
            PacketBuffer buffer = new PacketBuffer(1500);
            int seq = 0;
            run(senders, receivers, buffer, seq, 200_000); // warm-up: JIT and AES intrinsics
            seq = 200_000;
            long count = 0;
            ThreadMXBean threads = ManagementFactory.getThreadMXBean();
            long cpuStart = threads.getCurrentThreadCpuTime();
            long start = System.nanoTime();
            long deadline = start + (long) (seconds * 1e9);
            while (System.nanoTime() < deadline) {
                run(senders, receivers, buffer, seq, 10_000);
                seq += 10_000;
                count += 10_000;
            }
            double elapsed = (System.nanoTime() - start) / 1e9;
            double cpu = threads.getCurrentThreadCpuTime() - cpuStart;
            System.out.printf("%-24s %,12.0f packets/s protect+unprotect (%,.0f ns per pair, %,.0f ns CPU), %d "
                    + "context(s)%n", profile, count / elapsed, elapsed * 1e9 / count, cpu / count, contexts);
        }
    }

    private static void run(SrtpSender[] senders, SrtpReceiver[] receivers, PacketBuffer buffer, int firstSeq,
            int n) {
        byte[] a = buffer.array();
        int contexts = senders.length;
        for (int i = 0; i < n; i++) {
            int seq = firstSeq + i;
            int c = seq % contexts;
            int streamSeq = seq / contexts;
            RtpPacket.writeHeader(a, 0, false, 0, streamSeq, streamSeq * 160, 0x11223344);
            buffer.length(172);
            if (senders[c].protectRtp(buffer) != SrtpStatus.OK || receivers[c].unprotectRtp(buffer) != SrtpStatus.OK) {
                throw new AssertionError("round trip failed at " + seq);
            }
        }
    }
}
