package dev.parley.rtp.srtp;

import static dev.parley.rtp.srtp.Hex.bytes;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.DisabledIfSystemProperty;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * AES-CM (RFC 3711 §4.1.1) on both of its paths: the JDK's own counter mode ({@link JdkAesCtr}, where the JVM opens
 * {@code com.sun.crypto.provider}, as parley-rtp's tests and the media JVMs do) and the AES/ECB fallback. The
 * surefire execution "without-openings" (parley-rtp/pom.xml) runs this class, the RFC vectors and the jitsi-srtp
 * differential again in a JVM that opens nothing, where the fallback must be taken.
 */
class AesCounterModeTest {
    /** Set by the surefire execution that runs without any --add-opens. */
    private static final String WITHOUT_OPENINGS = "parley.test.withoutOpenings";
    private static final byte[] B2_KEY = bytes("2B7E151628AED2A6ABF7158809CF4F3C");
    private static final byte[] B2_IV = bytes("F0F1F2F3F4F5F6F7F8F9FAFBFCFD0000");
    private static final byte[] B2_FIRST_BLOCKS = bytes("""
            E03EAD0935C95E80E166B16DD92B4EB4
            D23513162B02D0F72A43A2FE4A5F97AB
            41E95B3BB0A2E8DD477901E4FCA894C0""");

    @Test
    @DisabledIfSystemProperty(named = WITHOUT_OPENINGS, matches = "true")
    void theJdksCounterModeIsUsedWhereTheJvmOpensIt() {
        // If a JDK changes CounterMode so that its self-test fails, this says so (SRTP still works, on AES/ECB).
        assertThat(JdkAesCtr.available()).isTrue();
        assertThat(new AesCounterMode(B2_KEY).usesJdkCounterMode()).isTrue();
        assertThat(new AesCounterMode(B2_KEY, false).usesJdkCounterMode()).isFalse();
    }

    @Test
    @DisabledIfSystemProperty(named = WITHOUT_OPENINGS, matches = "true")
    void touchReachesTheRoundKeysWhereTheJvmOpensTheProvider() {
        // touch loads CounterMode.used (0..16), the counter and encrypted counter (16 each), AES-128's 44 round-key
        // words and checks that the AESCrypt still holds those keys (1): if a JDK renames a field it touches less
        JdkAesCtr ctr = JdkAesCtr.createOrNull(B2_KEY);
        assertThat(ctr.roundKeys).hasSize(44);
        assertThat(JdkAesCtr.touch(ctr.ctr, ctr.counter, ctr.encryptedCounter, ctr.aes, ctr.roundKeys))
                .isBetween(16 + 16 + 44 + 1, 16 + 16 + 16 + 44 + 1);
        // what an SRTP context's packet path calls: its RTP cipher's parts, held by the transform
        assertThat(srtpTransform().touchRtp()).isBetween(16 + 16 + 44 + 1, 16 + 16 + 16 + 44 + 1);
    }

    private static PacketTransform srtpTransform() {
        return PacketTransform.create(SrtpProfile.AES_CM_128_HMAC_SHA1_80, B2_KEY, new byte[14]);
    }

    @Test
    @EnabledIfSystemProperty(named = WITHOUT_OPENINGS, matches = "true")
    void withoutTheOpeningsBothFallBackAndStillGiveRfc3711Keystream() {
        assertThat(JdkAesCtr.available()).isFalse();
        assertThat(JdkAesCtr.createOrNull(B2_KEY)).isNull();
        assertThat(srtpTransform().touchRtp()).isZero(); // the AES/ECB path: nothing of the JDK's to touch
        assertThat(PrimedSha1.available()).isFalse();
        AesCounterMode cipher = new AesCounterMode(B2_KEY);
        assertThat(cipher.usesJdkCounterMode()).isFalse();
        byte[] stream = new byte[B2_FIRST_BLOCKS.length];
        cipher.keystream(B2_IV, stream, 0, stream.length);
        assertThat(stream).isEqualTo(B2_FIRST_BLOCKS);
    }

    @Test
    void appendixB2OnBothPathsAfterAPacketThatEndedMidBlock() {
        for (boolean jdk : new boolean[] {true, false}) {
            AesCounterMode cipher = new AesCounterMode(B2_KEY, jdk);
            byte[] partial = new byte[21];
            cipher.apply(ThreadScratch.current(), 1, 2, partial, 0, partial.length); // leaves 11 octets of a block
            byte[] data = new byte[5 + B2_FIRST_BLOCKS.length];
            cipher.apply(ThreadScratch.current(), 0xF0F1F2F3F4F5F6F7L, 0xF8F9FAFBFCFD0000L, data, 5,
                    B2_FIRST_BLOCKS.length);
            assertThat(Arrays.copyOfRange(data, 5, data.length)).as("jdk counter mode: %s", jdk)
                    .isEqualTo(B2_FIRST_BLOCKS);
            assertThat(Arrays.copyOfRange(data, 0, 5)).isEqualTo(new byte[5]);
        }
    }

    /**
     * The JDK path equals the ECB path on random data, lengths, offsets and IVs, SRTP's (low 16 bits zero) and
     * arbitrary ones whose counter carries across the low 64 bits; enough packets that the JIT compiles the
     * counter mode, so the intrinsic (not only the interpreted Java) is what the later packets compare.
     */
    @Test
    void equalsTheEcbPathOnRandomPacketsPastTheJit() {
        Random random = new Random(3711);
        AesCounterMode fast = null;
        AesCounterMode ecb = null;
        ThreadScratch scratch = ThreadScratch.current();
        for (int i = 0; i < 40_000; i++) {
            if (i % 5000 == 0) {
                byte[] key = new byte[16];
                random.nextBytes(key);
                fast = new AesCounterMode(key);
                ecb = new AesCounterMode(key, false);
            }
            int length = random.nextInt(i % 7 == 0 ? 1500 : 200);
            int offset = random.nextInt(24);
            byte[] data = new byte[offset + length + random.nextInt(24)];
            random.nextBytes(data);
            long ivHigh = random.nextLong();
            long ivLow = switch (i % 3) {
                case 0 -> random.nextLong() & ~0xFFFFL; // SRTP: salt XOR (SSRC, index) << 16
                case 1 -> -1L - random.nextInt(90); // the low 64 bits overflow within the packet
                default -> random.nextLong();
            };
            byte[] expected = data.clone();
            ecb.apply(scratch, ivHigh, ivLow, expected, offset, length);
            fast.apply(scratch, ivHigh, ivLow, data, offset, length);
            assertThat(data).as("packet %d, %d octets at %d", i, length, offset).isEqualTo(expected);
        }
    }
}
