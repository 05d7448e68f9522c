package dev.parley.rtp.srtp;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * The JDK's own SHA-1 ({@code sun.security.provider.SHA}) with its chaining state settable, so that HMAC can start
 * from the state after K XOR ipad (and K XOR opad) computed once per key (RFC 2104 §4, "Implementation note")
 * instead of hashing those two 64-octet blocks again for every packet: 12 compression blocks per relayed SRTP
 * packet become 8.
 *
 * <p>Why the JDK's internals: {@code MessageDigest} has no API to set its state, and {@code clone()} of a primed
 * digest allocates ~400 octets per HMAC (832 per relayed packet, measured: too much for the relay's collector);
 * a SHA-1 of our own in Java would lose the JDK's SHA-NI intrinsic, which costs 2.7× the whole SRTP work. This is
 * the same object {@code MessageDigest.getInstance("SHA-1")} wraps, but only its compression function is used,
 * through
 * {@code DigestBase.implCompressMultiBlock} (the intrinsic that compresses consecutive blocks in one stub): the
 * whole blocks straight from the packet, then the tail with SHA-1's padding (FIPS 180-4 §5.1.1) laid out here in
 * one go. {@code engineUpdate}/{@code engineDigest} would copy the tail into the digest's buffer, pad it through a
 * second update, convert the result to octets and reset the object; the HMAC's inner hash becomes the outer
 * block straight from the state words. It needs {@code --add-opens java.base/sun.security.provider=ALL-UNNAMED};
 * without it (or on a JDK whose SHA-1 looks different: a self-test at class loading compares with
 * {@code MessageDigest}) {@link #available()} is false and {@link HmacSha1} hashes the padded keys per packet.
 *
 * <p>One per thread ({@link ThreadScratch}); not thread-safe. {@link #digest} puts the state back to SHA-1's
 * initial value and wipes the inner hash from the block buffer, so no key-derived state outlives the HMAC that
 * used it.
 */
final class PrimedSha1 {
    static final int BLOCK = 64;
    private static final String SHA = "sun.security.provider.SHA";
    private static final String DIGEST_BASE = "sun.security.provider.DigestBase";
    private static final VarHandle BIG_ENDIAN_INT = MethodHandles.byteArrayViewVarHandle(int[].class,
            ByteOrder.BIG_ENDIAN);
    private static final VarHandle BIG_ENDIAN_LONG = MethodHandles.byteArrayViewVarHandle(long[].class,
            ByteOrder.BIG_ENDIAN);
    /** The longest suffix the tail buffer holds next to 63 octets of a partial block and the 9 padding octets. */
    static final int MAX_SUFFIX = 2 * BLOCK - (BLOCK - 1) - 9;
    /** The bits HMAC's outer hash covers: the primed K XOR opad block and the 20-octet inner hash. */
    private static final long OUTER_BITS = (BLOCK + HmacSha1.LENGTH) * 8L;

    private static final MethodHandle NEW;
    private static final MethodHandle COMPRESS;
    private static final VarHandle STATE;
    private static final boolean AVAILABLE;

    static {
        MethodHandle make = null;
        MethodHandle compress = null;
        VarHandle state = null;
        try {
            Class<?> sha = Class.forName(SHA);
            Class<?> base = Class.forName(DIGEST_BASE);
            MethodHandles.Lookup shaLookup = MethodHandles.privateLookupIn(sha, MethodHandles.lookup());
            MethodHandles.Lookup baseLookup = MethodHandles.privateLookupIn(base, MethodHandles.lookup());
            make = shaLookup.findConstructor(sha, MethodType.methodType(void.class))
                    .asType(MethodType.methodType(Object.class));
            // compresses the blocks at ofs, ofs + 64, ... up to the one starting at limit; returns the offset after
            compress = baseLookup.findVirtual(base, "implCompressMultiBlock",
                            MethodType.methodType(int.class, byte[].class, int.class, int.class))
                    .asType(MethodType.methodType(int.class, Object.class, byte[].class, int.class, int.class));
            state = shaLookup.findVarHandle(sha, "state", int[].class);
        } catch (Throwable e) {
            // Not opened (IllegalAccessException / InaccessibleObjectException), or another JDK's SHA-1: fall back.
            make = null;
        }
        NEW = make;
        COMPRESS = compress;
        STATE = state;
        AVAILABLE = make != null && selfTest();
    }

    private final Object sha;
    private final int[] state;
    /** The last one or two blocks of a message, padded (FIPS 180-4 §5.1.1); HMAC's outer block. */
    private final byte[] tail = new byte[2 * BLOCK];

    private PrimedSha1(Object sha) {
        this.sha = sha;
        this.state = (int[]) STATE.get(sha);
    }

    /** Whether the JDK's SHA-1 can be primed here (see the class comment); decided once, at class loading. */
    static boolean available() {
        return AVAILABLE;
    }

    /** A new primable SHA-1, or null when {@link #available()} is false. */
    static PrimedSha1 createOrNull() {
        return AVAILABLE ? create() : null;
    }

    private static PrimedSha1 create() {
        try {
            return new PrimedSha1(NEW.invokeExact());
        } catch (Throwable e) {
            return null;
        }
    }

    /**
     * The chaining state after one block: hashes {@code block[0 .. 64)} from SHA-1's initial state and returns the
     * five 32-bit words (as h0..h4 in {@code out[0 .. 5)}); the digest is reset afterwards.
     */
    void stateAfter(byte[] block, int[] out) {
        java.util.Objects.checkFromIndexSize(0, BLOCK, block.length);
        resumeInitial();
        compress(block, 0, 0);
        System.arraycopy(state, 0, out, 0, 5);
        resumeInitial();
    }

    /**
     * SHA-1 of a message whose first block was hashed before (leaving the state {@code h0..h4}, as
     * {@link #stateAfter} returned it) and whose rest is {@code a[offset .. offset + length)} followed by
     * {@code suffix[0 .. suffixLength)}, at most {@value #MAX_SUFFIX} octets (SRTP's is its 4-octet ROC). The
     * result stays in the state: read it with {@link #digest}, or hash it on with {@link #hashDigestAfterBlock}.
     */
    void hashAfterBlock(int h0, int h1, int h2, int h3, int h4, byte[] a, int offset, int length, byte[] suffix,
            int suffixLength) {
        // the intrinsic reads the array without its own bounds checks: these are all of them
        java.util.Objects.checkFromIndexSize(offset, length, a.length);
        java.util.Objects.checkFromIndexSize(0, suffixLength, suffix.length);
        if (suffixLength > MAX_SUFFIX) {
            throw new IllegalArgumentException("a suffix of " + suffixLength + " octets does not fit the padded tail");
        }
        resume(h0, h1, h2, h3, h4);
        int whole = length & -BLOCK;
        if (whole > 0) {
            compress(a, offset, offset + whole - BLOCK);
        }
        byte[] t = tail;
        int rest = length - whole;
        System.arraycopy(a, offset + whole, t, 0, rest);
        System.arraycopy(suffix, 0, t, rest, suffixLength);
        long bits = (BLOCK + (long) length + suffixLength) * 8;
        pad(t, rest + suffixLength, bits);
    }

    /**
     * SHA-1 of a message whose first block left the state {@code h0..h4} and whose rest is the 20-octet digest now
     * in the state: HMAC's outer hash, H(K XOR opad || inner hash), from the primed opad state (RFC 2104 §4).
     */
    void hashDigestAfterBlock(int h0, int h1, int h2, int h3, int h4) {
        int[] s = state;
        byte[] t = tail;
        BIG_ENDIAN_INT.set(t, 0, s[0]);
        BIG_ENDIAN_INT.set(t, 4, s[1]);
        BIG_ENDIAN_INT.set(t, 8, s[2]);
        BIG_ENDIAN_INT.set(t, 12, s[3]);
        BIG_ENDIAN_INT.set(t, 16, s[4]);
        resume(h0, h1, h2, h3, h4);
        pad(t, HmacSha1.LENGTH, OUTER_BITS);
        // the inner hash is key-derived: it does not stay in the thread's buffer
        BIG_ENDIAN_LONG.set(t, 0, 0L);
        BIG_ENDIAN_LONG.set(t, 8, 0L);
        BIG_ENDIAN_INT.set(t, 16, 0);
    }

    /** Writes the state as the 20-octet digest at {@code out[offset]} and resets it to SHA-1's initial value. */
    void digest(byte[] out, int offset) {
        int[] s = state;
        BIG_ENDIAN_INT.set(out, offset, s[0]);
        BIG_ENDIAN_INT.set(out, offset + 4, s[1]);
        BIG_ENDIAN_INT.set(out, offset + 8, s[2]);
        BIG_ENDIAN_INT.set(out, offset + 12, s[3]);
        BIG_ENDIAN_INT.set(out, offset + 16, s[4]);
        resumeInitial();
    }

    /**
     * FIPS 180-4 §5.1.1: after the {@code used} message octets already in {@code t}, a 1 bit, zeros, and the
     * message length in bits as 64 bits, ending the first block that has room for the 9 octets; then compresses
     * that one block or two.
     */
    private void pad(byte[] t, int used, long bits) {
        int end = used + 9 <= BLOCK ? BLOCK : 2 * BLOCK;
        t[used] = (byte) 0x80;
        java.util.Arrays.fill(t, used + 1, end - 8, (byte) 0);
        BIG_ENDIAN_LONG.set(t, end - 8, bits);
        compress(t, 0, end - BLOCK);
    }

    private void resumeInitial() {
        resume(0x67452301, 0xefcdab89, 0x98badcfe, 0x10325476, 0xc3d2e1f0); // FIPS 180-4 §5.3.1
    }

    private void resume(int h0, int h1, int h2, int h3, int h4) {
        int[] s = state;
        s[0] = h0;
        s[1] = h1;
        s[2] = h2;
        s[3] = h3;
        s[4] = h4;
    }

    /** Compresses the blocks of {@code a} that start at {@code from}, {@code from + 64}, ... {@code last}. */
    private void compress(byte[] a, int from, int last) {
        try {
            int after = (int) COMPRESS.invokeExact(sha, a, from, last);
            assert after == last + BLOCK;
        } catch (Throwable e) {
            throw new IllegalStateException("SHA-1 compression failed", e);
        }
    }

    /**
     * Checks, once, that priming gives SHA-1 itself on this JDK: the state after a block, then the rest hashed
     * here (every way the padding can fall: a tail of one block or two, with a suffix and without), must equal
     * what {@code MessageDigest} gives over the whole; and the outer hash of a digest must too. A JDK whose fields
     * or methods mean something else falls back.
     */
    private static boolean selfTest() {
        try {
            PrimedSha1 primed = create();
            if (primed == null) {
                return false;
            }
            java.security.MessageDigest plain = java.security.MessageDigest.getInstance("SHA-1");
            byte[] data = new byte[BLOCK + 300];
            for (int i = 0; i < data.length; i++) {
                data[i] = (byte) (i * 31 + 7);
            }
            byte[] suffix = {1, 2, 3, 4};
            int[] h = new int[5];
            primed.stateAfter(data, h);
            byte[] mine = new byte[HmacSha1.LENGTH];
            for (int length : new int[] {0, 1, 37, 51, 52, 55, 56, 60, 63, 64, 65, 119, 128, 172, 200, 300}) {
                for (int suffixLength : new int[] {0, 4}) {
                    primed.hashAfterBlock(h[0], h[1], h[2], h[3], h[4], data, BLOCK, length, suffix, suffixLength);
                    primed.digest(mine, 0);
                    plain.update(data, 0, BLOCK + length);
                    plain.update(suffix, 0, suffixLength);
                    byte[] expected = plain.digest();
                    if (!java.util.Arrays.equals(mine, expected)) {
                        return false;
                    }
                    primed.hashAfterBlock(h[0], h[1], h[2], h[3], h[4], data, BLOCK, length, suffix, suffixLength);
                    primed.hashDigestAfterBlock(h[0], h[1], h[2], h[3], h[4]);
                    primed.digest(mine, 0);
                    plain.update(data, 0, BLOCK);
                    if (!java.util.Arrays.equals(mine, plain.digest(expected))) {
                        return false;
                    }
                }
            }
            return true;
        } catch (Throwable e) {
            return false;
        }
    }
}
