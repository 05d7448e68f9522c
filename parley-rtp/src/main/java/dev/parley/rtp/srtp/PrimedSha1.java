package dev.parley.rtp.srtp;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.invoke.VarHandle;

/**
 * The JDK's own SHA-1 ({@code sun.security.provider.SHA}) with its chaining state settable, so that HMAC can start
 * from the state after K XOR ipad (and K XOR opad) computed once per key (RFC 2104 §4, "Implementation note")
 * instead of hashing those two 64-octet blocks again for every packet: 12 compression blocks per relayed SRTP
 * packet become 8.
 *
 * <p>Why the JDK's internals: {@code MessageDigest} has no API to set its state, and {@code clone()} of a primed
 * digest allocates ~400 octets per HMAC (832 per relayed packet, measured: too much for the relay's collector);
 * a SHA-1 of our own in Java would lose the JDK's SHA-NI intrinsic, which costs 2.7× the whole SRTP work. This is
 * the same object {@code MessageDigest.getInstance("SHA-1")} wraps, driven through its own {@code engineUpdate}
 * and {@code engineDigest}, so the intrinsics stay. It needs {@code --add-opens
 * java.base/sun.security.provider=ALL-UNNAMED}; without it (or on a JDK whose SHA-1 looks different)
 * {@link #available()} is false and {@link HmacSha1} hashes the padded keys per packet as before.
 *
 * <p>One per thread ({@link ThreadScratch}); not thread-safe. A digest resets the state to SHA-1's initial value,
 * so no key-derived state outlives the HMAC that used it.
 */
final class PrimedSha1 {
    static final int BLOCK = 64;
    private static final String SHA = "sun.security.provider.SHA";
    private static final String DIGEST_BASE = "sun.security.provider.DigestBase";

    private static final MethodHandle NEW;
    private static final MethodHandle UPDATE;
    private static final MethodHandle DIGEST;
    private static final MethodHandle RESET;
    private static final VarHandle STATE;
    private static final VarHandle BYTES_PROCESSED;
    private static final VarHandle BUFFER_OFFSET;

    static {
        MethodHandle make = null;
        MethodHandle update = null;
        MethodHandle digest = null;
        MethodHandle reset = null;
        VarHandle state = null;
        VarHandle bytes = null;
        VarHandle offset = null;
        try {
            Class<?> sha = Class.forName(SHA);
            Class<?> base = Class.forName(DIGEST_BASE);
            MethodHandles.Lookup shaLookup = MethodHandles.privateLookupIn(sha, MethodHandles.lookup());
            MethodHandles.Lookup baseLookup = MethodHandles.privateLookupIn(base, MethodHandles.lookup());
            make = shaLookup.findConstructor(sha, MethodType.methodType(void.class))
                    .asType(MethodType.methodType(Object.class));
            update = baseLookup.findVirtual(base, "engineUpdate",
                            MethodType.methodType(void.class, byte[].class, int.class, int.class))
                    .asType(MethodType.methodType(void.class, Object.class, byte[].class, int.class, int.class));
            digest = baseLookup.findVirtual(base, "engineDigest",
                            MethodType.methodType(int.class, byte[].class, int.class, int.class))
                    .asType(MethodType.methodType(int.class, Object.class, byte[].class, int.class, int.class));
            reset = baseLookup.findVirtual(base, "engineReset", MethodType.methodType(void.class))
                    .asType(MethodType.methodType(void.class, Object.class));
            state = shaLookup.findVarHandle(sha, "state", int[].class);
            bytes = baseLookup.findVarHandle(base, "bytesProcessed", long.class);
            offset = baseLookup.findVarHandle(base, "bufOfs", int.class);
            if (!selfTest(make, update, digest, reset, state, bytes, offset)) {
                make = null;
            }
        } catch (Throwable e) {
            // Not opened (IllegalAccessException / InaccessibleObjectException), or another JDK's SHA-1: fall back.
            make = null;
        }
        NEW = make;
        UPDATE = update;
        DIGEST = digest;
        RESET = reset;
        STATE = state;
        BYTES_PROCESSED = bytes;
        BUFFER_OFFSET = offset;
    }

    private final Object sha;
    private final int[] state;

    private PrimedSha1(Object sha) {
        this.sha = sha;
        this.state = (int[]) STATE.get(sha);
    }

    /** Whether the JDK's SHA-1 can be primed here (see the class comment); decided once, at class loading. */
    static boolean available() {
        return NEW != null;
    }

    /** A new primable SHA-1, or null when {@link #available()} is false. */
    static PrimedSha1 createOrNull() {
        if (NEW == null) {
            return null;
        }
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
        reset();
        update(block, 0, BLOCK);
        System.arraycopy(state, 0, out, 0, 5);
        reset();
    }

    /** Continues from a state {@link #stateAfter} returned: as if that block had just been hashed. */
    void resume(int h0, int h1, int h2, int h3, int h4) {
        int[] s = state;
        s[0] = h0;
        s[1] = h1;
        s[2] = h2;
        s[3] = h3;
        s[4] = h4;
        BYTES_PROCESSED.set(sha, (long) BLOCK);
        BUFFER_OFFSET.set(sha, 0);
    }

    void update(byte[] a, int offset, int length) {
        try {
            UPDATE.invokeExact(sha, a, offset, length);
        } catch (Throwable e) {
            throw new IllegalStateException("SHA-1 update failed", e);
        }
    }

    /** Writes the 20-octet digest at {@code out[offset]} and resets to SHA-1's initial state. */
    void digest(byte[] out, int offset) {
        try {
            int n = (int) DIGEST.invokeExact(sha, out, offset, HmacSha1.LENGTH);
            assert n == HmacSha1.LENGTH;
        } catch (Throwable e) {
            reset();
            throw new IllegalStateException("SHA-1 digest failed", e);
        }
    }

    void reset() {
        try {
            RESET.invokeExact(sha);
        } catch (Throwable e) {
            throw new IllegalStateException("SHA-1 reset failed", e);
        }
    }

    /**
     * Checks, once, that priming gives SHA-1 itself on this JDK: the state after a block, resumed, then more data
     * must hash to what one plain digest over both gives (so a JDK whose fields mean something else falls back).
     */
    private static boolean selfTest(MethodHandle make, MethodHandle update, MethodHandle digest, MethodHandle reset,
            VarHandle state, VarHandle bytes, VarHandle offset) throws Throwable {
        byte[] data = new byte[BLOCK + 37];
        for (int i = 0; i < data.length; i++) {
            data[i] = (byte) (i * 31 + 7);
        }
        Object sha = make.invokeExact();
        // the array as a PrimedSha1 holds it, from construction on: a JDK whose reset replaced it must fail here
        int[] held = (int[]) state.get(sha);
        update.invokeExact(sha, data, 0, data.length);
        byte[] expected = new byte[HmacSha1.LENGTH];
        int n = (int) digest.invokeExact(sha, expected, 0, HmacSha1.LENGTH);
        byte[] plain = java.security.MessageDigest.getInstance("SHA-1").digest(data);
        if (n != HmacSha1.LENGTH || !java.util.Arrays.equals(expected, plain)) {
            return false;
        }
        update.invokeExact(sha, data, 0, BLOCK);
        int[] primed = held.clone();
        reset.invokeExact(sha);
        System.arraycopy(primed, 0, held, 0, 5);
        bytes.set(sha, (long) BLOCK);
        offset.set(sha, 0);
        update.invokeExact(sha, data, BLOCK, data.length - BLOCK);
        byte[] resumed = new byte[HmacSha1.LENGTH];
        n = (int) digest.invokeExact(sha, resumed, 0, HmacSha1.LENGTH);
        return n == HmacSha1.LENGTH && java.util.Arrays.equals(resumed, plain);
    }
}
