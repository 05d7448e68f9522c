package dev.parley.rtp.srtp;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

class HmacSha1Test {

    /** The HMAC from primed pad states, after checking that the fallback (pads hashed per HMAC) agrees. */
    private static byte[] hmac(byte[] key, byte[] data) {
        byte[] out = new byte[HmacSha1.LENGTH];
        new HmacSha1(key).compute(data, 0, data.length, new byte[0], 0, out);
        byte[] fallback = new byte[HmacSha1.LENGTH];
        new HmacSha1(key, false).compute(data, 0, data.length, new byte[0], 0, fallback);
        assertThat(fallback).isEqualTo(out);
        return out;
    }

    @Test
    void theJdksSha1CanBePrimedWhereTheJvmOpensIt() {
        // parley-rtp's tests run with --add-opens java.base/sun.security.provider=ALL-UNNAMED, as the media JVMs
        // do: if a JDK changes its SHA-1 so that priming fails its self-test, this says so (HMAC still works).
        assertThat(PrimedSha1.available()).isTrue();
    }

    private static byte[] repeat(int octet, int count) {
        byte[] b = new byte[count];
        Arrays.fill(b, (byte) octet);
        return b;
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    @Test
    void rfc2202TestCase1() {
        assertThat(Hex.of(hmac(repeat(0x0b, 20), ascii("Hi There"))))
                .isEqualTo("b617318655057264e28bc0b6fb378c8ef146be00");
    }

    @Test
    void rfc2202TestCase2KeyShorterThanTheOutput() {
        assertThat(Hex.of(hmac(ascii("Jefe"), ascii("what do ya want for nothing?"))))
                .isEqualTo("effcdf6ae5eb2fa2d27416d5f184df9c259a7c79");
    }

    @Test
    void rfc2202TestCase3() {
        assertThat(Hex.of(hmac(repeat(0xaa, 20), repeat(0xdd, 50))))
                .isEqualTo("125d7342b9ac11cd91a39af48aa17b4f63f175d3");
    }

    @Test
    void rfc2202TestCase4() {
        assertThat(Hex.of(hmac(Hex.bytes("0102030405060708090a0b0c0d0e0f10111213141516171819"), repeat(0xcd, 50))))
                .isEqualTo("4c9007f4026250c6bc8414f9bf50c86c2d7235da");
    }

    @Test
    void rfc2202TestCases6And7KeyLongerThanABlockIsHashedFirst() {
        assertThat(Hex.of(hmac(repeat(0xaa, 80), ascii("Test Using Larger Than Block-Size Key - Hash Key First"))))
                .isEqualTo("aa4ae5e15272d00e95705637ce8a3b55ed402112");
        assertThat(Hex.of(hmac(repeat(0xaa, 80),
                ascii("Test Using Larger Than Block-Size Key and Larger Than One Block-Size Data"))))
                .isEqualTo("e8e99d0f45237d786d6bbaa7965c7808bbff1a91");
    }

    @Test
    void equalsTheJdkMacOnRandomInputWithASuffixAndInterleavedContexts() throws Exception {
        Random random = new Random(3711);
        byte[] keyA = new byte[20];
        byte[] keyB = new byte[20];
        random.nextBytes(keyA);
        random.nextBytes(keyB);
        HmacSha1 a = new HmacSha1(keyA);
        HmacSha1 b = new HmacSha1(keyB);
        HmacSha1 plainA = new HmacSha1(keyA, false);
        byte[] plainOut = new byte[20];
        Mac macA = Mac.getInstance("HmacSHA1");
        macA.init(new SecretKeySpec(keyA, "HmacSHA1"));
        Mac macB = Mac.getInstance("HmacSHA1");
        macB.init(new SecretKeySpec(keyB, "HmacSHA1"));
        byte[] out = new byte[20];
        for (int i = 0; i < 500; i++) {
            byte[] data = new byte[random.nextInt(300)];
            random.nextBytes(data);
            byte[] suffix = new byte[4];
            random.nextBytes(suffix);
            int offset = data.length == 0 ? 0 : random.nextInt(data.length);
            int length = data.length - offset;
            HmacSha1 mine = i % 2 == 0 ? a : b;
            Mac jdk = i % 2 == 0 ? macA : macB;
            mine.compute(data, offset, length, suffix, 4, out);
            jdk.update(data, offset, length);
            jdk.update(suffix);
            assertThat(out).as("input %d", i).isEqualTo(jdk.doFinal());
            if (mine == a) {
                plainA.compute(data, offset, length, suffix, 4, plainOut);
                assertThat(plainOut).as("input %d without priming", i).isEqualTo(out);
            }
        }
    }

    @Test
    void suffixesLongerThanThePrimedTailHoldsFallBackAndStillEqualTheJdkMac() throws Exception {
        byte[] key = repeat(0x0b, 20);
        Mac jdk = Mac.getInstance("HmacSHA1");
        jdk.init(new SecretKeySpec(key, "HmacSHA1"));
        byte[] data = repeat(0x5a, 63); // the longest partial block, so the tail is fullest
        byte[] out = new byte[20];
        for (int suffixLength : new int[] {PrimedSha1.MAX_SUFFIX, PrimedSha1.MAX_SUFFIX + 1, 100}) {
            byte[] suffix = repeat(0x33, suffixLength);
            new HmacSha1(key).compute(data, 0, data.length, suffix, suffixLength, out);
            jdk.update(data);
            jdk.update(suffix);
            assertThat(out).as("suffix of %d octets", suffixLength).isEqualTo(jdk.doFinal());
        }
    }

    @Test
    void contextsOnDifferentThreadsDoNotShareAnHmacInProgress() throws Exception {
        byte[] key = repeat(0x0b, 20);
        HmacSha1 hmac = new HmacSha1(key);
        byte[] data = ascii("Hi There");
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            Future<?>[] runs = new Future<?>[4];
            for (int t = 0; t < runs.length; t++) {
                HmacSha1 own = new HmacSha1(key); // one context per thread, as one per event loop
                runs[t] = pool.submit(() -> {
                    byte[] out = new byte[20];
                    for (int i = 0; i < 20_000; i++) {
                        own.compute(data, 0, data.length, data, 0, out);
                        assertThat(Hex.of(out)).isEqualTo("b617318655057264e28bc0b6fb378c8ef146be00");
                    }
                    return null;
                });
            }
            for (Future<?> run : runs) {
                run.get();
            }
        } finally {
            pool.shutdownNow();
        }
        byte[] out = new byte[20];
        hmac.compute(data, 0, data.length, data, 0, out);
        assertThat(Hex.of(out)).isEqualTo("b617318655057264e28bc0b6fb378c8ef146be00");
    }
}
