package dev.parley.rtp.srtp;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.security.DigestException;
import java.security.MessageDigest;
import java.util.Arrays;

/**
 * HMAC-SHA1 (RFC 2104) for SRTP authentication (RFC 3711 §4.2.1), built on the JDK's SHA-1 rather than
 * {@code javax.crypto.Mac}, for the relay's packet path:
 * <ul>
 * <li>{@code Mac.doFinal} allocates its 20-octet result inside the JDK on every call (an object per packet, two
 * per relayed SRTP packet);
 * <li>each {@code Mac} carries a digest of its own (state, a 64-octet block buffer, the padded keys): a relay with
 * thousands of contexts touches a cold one for nearly every packet. Here the digest and the inner hash are per
 * thread ({@link ThreadScratch}), shared by every context on that thread and so warm in the caches; a context
 * keeps only its key, in eight long fields: no array of its own, so one object (and cache miss) per packet less
 * than padded keys in an array. The padded key blocks are written into the thread's scratch for each HMAC (16
 * stores) and wiped after it, so no key-derived bytes stay in memory shared between contexts.
 * <li>where the JDK's SHA-1 can be primed ({@link PrimedSha1}: the JVM runs with {@code --add-opens
 * java.base/sun.security.provider=ALL-UNNAMED}), a context also keeps SHA-1's state after K XOR ipad and after K
 * XOR opad (ten int fields), and each HMAC resumes from them: 4 compression blocks per HMAC instead of 6, and no
 * padded key written at all.
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

    private static final VarHandle BIG_ENDIAN_LONG = MethodHandles.byteArrayViewVarHandle(long[].class,
            ByteOrder.BIG_ENDIAN);
    private static final long IPAD = 0x3636363636363636L;
    private static final long OPAD = 0x5c5c5c5c5c5c5c5cL;

    // RFC 2104 §2: the key K, padded with zeros to the 64-octet block, as eight big-endian longs
    private final long k0;
    private final long k1;
    private final long k2;
    private final long k3;
    private final long k4;
    private final long k5;
    private final long k6;
    private final long k7;
    // RFC 2104 §4: SHA-1's chaining state after K XOR ipad and after K XOR opad, computed once per key when the
    // JDK's SHA-1 can be primed (PrimedSha1): an HMAC then hashes 4 blocks instead of 6. Key-equivalent secrets.
    private final int i0;
    private final int i1;
    private final int i2;
    private final int i3;
    private final int i4;
    private final int o0;
    private final int o1;
    private final int o2;
    private final int o3;
    private final int o4;
    /** Whether i0..o4 hold the primed states (false: this JDK's SHA-1 cannot be primed, see PrimedSha1). */
    private final boolean primedStates;

    HmacSha1(byte[] key) {
        this(key, true);
    }

    /** {@code prime} false: hash the padded keys per HMAC even where priming is available (tests of the fallback). */
    HmacSha1(byte[] key, boolean prime) {
        // RFC 2104 §2: long keys are hashed
        byte[] k = key.length > BLOCK ? ThreadScratch.current().sha1.digest(key) : key;
        byte[] block = Arrays.copyOf(k, BLOCK);
        k0 = (long) BIG_ENDIAN_LONG.get(block, 0);
        k1 = (long) BIG_ENDIAN_LONG.get(block, 8);
        k2 = (long) BIG_ENDIAN_LONG.get(block, 16);
        k3 = (long) BIG_ENDIAN_LONG.get(block, 24);
        k4 = (long) BIG_ENDIAN_LONG.get(block, 32);
        k5 = (long) BIG_ENDIAN_LONG.get(block, 40);
        k6 = (long) BIG_ENDIAN_LONG.get(block, 48);
        k7 = (long) BIG_ENDIAN_LONG.get(block, 56);
        Arrays.fill(block, (byte) 0);
        if (k != key) {
            Arrays.fill(k, (byte) 0);
        }
        ThreadScratch s = ThreadScratch.current();
        PrimedSha1 primed = prime ? s.primed : null;
        primedStates = primed != null;
        if (primed == null) {
            i0 = i1 = i2 = i3 = i4 = o0 = o1 = o2 = o3 = o4 = 0;
            return;
        }
        int[] state = new int[5];
        try {
            padded(IPAD, s.pad);
            primed.stateAfter(s.pad, state);
            i0 = state[0];
            i1 = state[1];
            i2 = state[2];
            i3 = state[3];
            i4 = state[4];
            padded(OPAD, s.pad);
            primed.stateAfter(s.pad, state);
            o0 = state[0];
            o1 = state[1];
            o2 = state[2];
            o3 = state[3];
            o4 = state[4];
        } finally {
            Arrays.fill(s.pad, (byte) 0);
            Arrays.fill(state, 0);
        }
    }

    /**
     * Copies the primed states (ipad's five words, then opad's) into {@code out[0 .. 10)} for a caller that keeps
     * them in fields of its own and calls {@link PrimedSha1} itself (see CounterModeTransform); false, and nothing
     * copied, when there are none (this JDK's SHA-1 cannot be primed, or this HMAC was made without).
     */
    boolean primedStates(int[] out) {
        if (!primedStates) {
            return false;
        }
        out[0] = i0;
        out[1] = i1;
        out[2] = i2;
        out[3] = i3;
        out[4] = i4;
        out[5] = o0;
        out[6] = o1;
        out[7] = o2;
        out[8] = o3;
        out[9] = o4;
        return true;
    }

    /** Writes K XOR {@code pad} (each octet of {@code pad} the same) into {@code out[0 .. 64)}. */
    private void padded(long pad, byte[] out) {
        BIG_ENDIAN_LONG.set(out, 0, k0 ^ pad);
        BIG_ENDIAN_LONG.set(out, 8, k1 ^ pad);
        BIG_ENDIAN_LONG.set(out, 16, k2 ^ pad);
        BIG_ENDIAN_LONG.set(out, 24, k3 ^ pad);
        BIG_ENDIAN_LONG.set(out, 32, k4 ^ pad);
        BIG_ENDIAN_LONG.set(out, 40, k5 ^ pad);
        BIG_ENDIAN_LONG.set(out, 48, k6 ^ pad);
        BIG_ENDIAN_LONG.set(out, 56, k7 ^ pad);
    }

    /**
     * Writes HMAC(key, {@code a[offset .. offset + length)} followed by {@code suffix[0 .. suffixLength)}) into
     * {@code out[0 .. 20)}. The suffix is SRTP's rollover counter (RFC 3711 §4.2); pass length 0 for none.
     */
    void compute(byte[] a, int offset, int length, byte[] suffix, int suffixLength, byte[] out) {
        compute(ThreadScratch.current(), a, offset, length, suffix, suffixLength, out);
    }

    /** As {@link #compute(byte[], int, int, byte[], int, byte[])}, with the calling thread's scratch at hand. */
    void compute(ThreadScratch s, byte[] a, int offset, int length, byte[] suffix, int suffixLength, byte[] out) {
        PrimedSha1 primed = s.primed;
        if (primed != null && primedStates && suffixLength <= PrimedSha1.MAX_SUFFIX) {
            // From the primed states: the padded key blocks are not hashed again (RFC 2104 §4)
            primed.hashAfterBlock(i0, i1, i2, i3, i4, a, offset, length, suffix, suffixLength);
            primed.hashDigestAfterBlock(o0, o1, o2, o3, o4);
            primed.digest(out, 0);
            return;
        }
        MessageDigest sha1 = s.sha1;
        byte[] pad = s.pad;
        try {
            padded(IPAD, pad);
            sha1.update(pad, 0, BLOCK);
            sha1.update(a, offset, length);
            if (suffixLength > 0) {
                sha1.update(suffix, 0, suffixLength);
            }
            sha1.digest(s.inner, 0, LENGTH);
            padded(OPAD, pad);
            sha1.update(pad, 0, BLOCK);
            sha1.update(s.inner, 0, LENGTH);
            sha1.digest(out, 0, LENGTH);
        } catch (DigestException e) {
            sha1.reset();
            throw new IllegalStateException("SHA-1 output is 20 octets", e);
        } finally {
            Arrays.fill(pad, (byte) 0);
        }
    }

    @Override
    public String toString() {
        return "HmacSha1[key hidden]";
    }
}
