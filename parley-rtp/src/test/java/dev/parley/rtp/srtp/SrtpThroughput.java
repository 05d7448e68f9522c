package dev.parley.rtp.srtp;

import dev.parley.rtp.PacketBuffer;
import dev.parley.rtp.RtpPacket;

/**
 * A plain micro-benchmark, not a test: protect + unprotect of 172-octet G.711 packets (12-octet header, 160
 * octets of payload) on one thread, per profile. Run with the test classpath:
 * {@code java -cp parley-rtp/target/classes:parley-rtp/target/test-classes dev.parley.rtp.srtp.SrtpThroughput [seconds]}.
 * The JMH benchmark in parley-bench, when there is one, supersedes these numbers.
 */
public final class SrtpThroughput {
    private SrtpThroughput() {
    }

    public static void main(String[] args) {
        double seconds = args.length > 0 ? Double.parseDouble(args[0]) : 3;
        for (SrtpProfile profile : SrtpProfile.values()) {
            byte[] key = new byte[16];
            byte[] salt = new byte[profile.masterSaltLength()];
            SrtpSender sender = new SrtpSender(profile, key, salt);
            SrtpReceiver receiver = new SrtpReceiver(profile, key, salt);
            PacketBuffer buffer = new PacketBuffer(1500);
            int seq = 0;
            run(sender, receiver, buffer, seq, 200_000); // warm-up: JIT and AES intrinsics
            seq = 200_000;
            long count = 0;
            long start = System.nanoTime();
            long deadline = start + (long) (seconds * 1e9);
            while (System.nanoTime() < deadline) {
                run(sender, receiver, buffer, seq, 10_000);
                seq += 10_000;
                count += 10_000;
            }
            double elapsed = (System.nanoTime() - start) / 1e9;
            System.out.printf("%-24s %,12.0f packets/s protect+unprotect (%,.0f ns per pair)%n", profile,
                    count / elapsed, elapsed * 1e9 / count);
        }
    }

    private static void run(SrtpSender sender, SrtpReceiver receiver, PacketBuffer buffer, int firstSeq, int n) {
        byte[] a = buffer.array();
        for (int i = 0; i < n; i++) {
            int seq = firstSeq + i;
            RtpPacket.writeHeader(a, 0, false, 0, seq, seq * 160, 0x11223344);
            buffer.length(172);
            if (sender.protectRtp(buffer) != SrtpStatus.OK || receiver.unprotectRtp(buffer) != SrtpStatus.OK) {
                throw new AssertionError("round trip failed at " + seq);
            }
        }
    }
}
