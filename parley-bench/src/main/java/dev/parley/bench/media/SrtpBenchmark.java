package dev.parley.bench.media;

import dev.parley.rtp.PacketBuffer;
import dev.parley.rtp.RtpPacket;
import dev.parley.rtp.srtp.SrtpProfile;
import dev.parley.rtp.srtp.SrtpReceiver;
import dev.parley.rtp.srtp.SrtpSender;
import dev.parley.rtp.srtp.SrtpStatus;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The SRTP work the media relay does for every packet it relays between two SRTP legs (re-keyed): one
 * {@code unprotect} with the receiving leg's context and one {@code protect} with the sending leg's, of a 20 ms
 * G.711 packet (12-octet header, 160 octets of payload, 172 octets; 182 with the AES_CM_128_HMAC_SHA1_80 tag).
 * One operation protects the packet with context {@code c}'s sender and unprotects it with its receiver: the same
 * two transforms, in the other order, so the plaintext comes back and the next operation can reuse it.
 *
 * <p>{@code contexts} = 1 is the hot case every micro-benchmark shows. The relay's real case is thousands of
 * contexts (1000 calls = 2000 legs, each with a receiver and a sender), a packet for each in turn: with
 * {@code contexts} = 4000 the operations go round-robin through 4000 sender/receiver pairs with keys of their own,
 * so whatever a context keeps in memory is cold in the CPU caches when its next packet comes, as in the relay.
 *
 * <pre>
 * java -jar parley-bench/target/benchmarks.jar SrtpBenchmark -prof gc
 * </pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
// --add-opens: SRTP's HMAC resumes SHA-1 from pad states primed per key (PrimedSha1) and its AES-CM runs on the
// JDK's own counter mode (JdkAesCtr), as the media JVMs run them
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g", "--add-opens", "java.base/sun.security.provider=ALL-UNNAMED",
        "--add-opens", "java.base/com.sun.crypto.provider=ALL-UNNAMED"})
public class SrtpBenchmark {
    private static final int HEADER = 12;
    private static final int PAYLOAD = 160;

    @Param({"1", "4000"})
    public int contexts;

    @Param({"AES_CM_128_HMAC_SHA1_80"})
    public SrtpProfile profile;

    private SrtpSender[] senders;
    private SrtpReceiver[] receivers;
    private int[] sequences;
    private final PacketBuffer buffer = new PacketBuffer(1500);
    private int next;

    @Setup
    public void setUp() {
        Random random = new Random(4);
        senders = new SrtpSender[contexts];
        receivers = new SrtpReceiver[contexts];
        sequences = new int[contexts];
        for (int c = 0; c < contexts; c++) {
            byte[] key = new byte[profile.masterKeyLength()];
            byte[] salt = new byte[profile.masterSaltLength()];
            random.nextBytes(key);
            random.nextBytes(salt);
            senders[c] = new SrtpSender(profile, key, salt);
            receivers[c] = new SrtpReceiver(profile, key, salt);
            sequences[c] = random.nextInt(65536);
        }
        byte[] payload = new byte[PAYLOAD];
        random.nextBytes(payload);
        System.arraycopy(payload, 0, buffer.array(), HEADER, PAYLOAD);
    }

    /** Protect + unprotect of one packet; returns the unprotected length so the work cannot be optimised away. */
    @Benchmark
    public int protectAndUnprotect() {
        int c = next;
        next = c + 1 == contexts ? 0 : c + 1;
        int seq = sequences[c];
        sequences[c] = (seq + 1) & 0xFFFF; // wraps: the rollover counter moves on as in a long call
        byte[] a = buffer.array();
        RtpPacket.writeHeader(a, 0, false, 0, seq, seq * 160, 0x5EED0000 + c);
        buffer.length(HEADER + PAYLOAD);
        if (senders[c].protectRtp(buffer) != SrtpStatus.OK || receivers[c].unprotectRtp(buffer) != SrtpStatus.OK) {
            throw new IllegalStateException("SRTP round trip failed at context " + c + ", seq " + seq);
        }
        return buffer.length();
    }
}
