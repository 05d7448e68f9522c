package dev.parley.rtp.srtp;

import java.security.DigestException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;

/**
 * HMAC-SHA1 (RFC 2104) for SRTP authentication (RFC 3711 §4.2.1), built on the JDK's SHA-1 rather than
 * {@code javax.crypto.Mac}, for the relay's packet path:
 * <ul>
 * <li>{@code Mac.doFinal} allocates its 20-octet result inside the JDK on every call (an object per packet, two
 * per relayed SRTP packet);
 * <li>each {@code Mac} carries a digest of its own (state, a 64-octet block buffer, the padded keys): a relay with
 * thousands of contexts touches a cold one for nearly every packet. Here the digest and the inner hash are per
 * thread, shared by every context on that thread and so warm in the caches; a context keeps only its two
 * 64-octet padded keys.
 * </ul>
 * The same SHA-1 computes the result (the JDK's, with its CPU intrinsics), so it is bit for bit the HMAC of the
 * RFC; HmacSha1Test checks the RFC 2202 vectors and {@code Mac} itself on random input.
 *
 * <p>Not thread-safe per instance (one context belongs to one event loop); safe across threads, since the shared
 * state is per thread and each call runs the whole HMAC before returning.
 */
final class HmacSha1 {
    static final int LENGTH = 20;
    private static final int BLOCK = 64;

    private static final ThreadLocal<Scratch> SCRATCH = ThreadLocal.withInitial(Scratch::new);

    private final byte[] innerPad = new byte[BLOCK];
    private final byte[] outerPad = new byte[BLOCK];

    HmacSha1(byte[] key) {
        byte[] k = key.length > BLOCK ? SCRATCH.get().sha1.digest(key) : key; // RFC 2104 §2: long keys are hashed
        for (int i = 0; i < BLOCK; i++) {
            byte b = i < k.length ? k[i] : 0;
            innerPad[i] = (byte) (b ^ 0x36);
            outerPad[i] = (byte) (b ^ 0x5c);
        }
        if (k != key) {
            Arrays.fill(k, (byte) 0);
        }
    }

    /**
     * Writes HMAC(key, {@code a[offset .. offset + length)} followed by {@code suffix[0 .. suffixLength)}) into
     * {@code out[0 .. 20)}. The suffix is SRTP's rollover counter (RFC 3711 §4.2); pass length 0 for none.
     */
    void compute(byte[] a, int offset, int length, byte[] suffix, int suffixLength, byte[] out) {
        Scratch s = SCRATCH.get();
        MessageDigest sha1 = s.sha1;
        try {
            sha1.update(innerPad, 0, BLOCK);
            sha1.update(a, offset, length);
            if (suffixLength > 0) {
                sha1.update(suffix, 0, suffixLength);
            }
            sha1.digest(s.inner, 0, LENGTH);
            sha1.update(outerPad, 0, BLOCK);
            sha1.update(s.inner, 0, LENGTH);
            sha1.digest(out, 0, LENGTH);
        } catch (DigestException e) {
            sha1.reset();
            throw new IllegalStateException("SHA-1 output is 20 octets", e);
        }
    }

    @Override
    public String toString() {
        return "HmacSha1[key hidden]";
    }

    private static final class Scratch {
        final MessageDigest sha1;
        final byte[] inner = new byte[LENGTH];

        Scratch() {
            try {
                sha1 = MessageDigest.getInstance("SHA-1");
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException("this JDK lacks SHA-1, which every Java SE runtime provides", e);
            }
        }
    }
}
