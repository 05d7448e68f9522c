package dev.parley.rtp.srtp;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.security.GeneralSecurityException;
import java.util.Arrays;
import javax.crypto.Cipher;
import javax.crypto.spec.SecretKeySpec;

/**
 * AES in counter mode as RFC 3711 §4.1.1 defines it: keystream block j is AES_k(IV + j), the counter being the
 * low octets of the 128-bit IV. Not thread-safe per instance. Two ways, chosen once per key:
 * <ul>
 * <li>where the JVM opens the JDK's crypto provider ({@link JdkAesCtr}): the JDK's own counter mode, keyed once,
 * whose intrinsic makes the counter blocks, encrypts them and XORs the data in place in one stub;
 * <li>otherwise one "AES/ECB/NoPadding" cipher, keyed once, so a packet costs one {@code update} over all its
 * counter blocks (the JDK's AES intrinsics run the blocks back to back) and a XOR loop of ours, with no
 * re-initialisation (a CTR {@code Cipher} would expand the key and allocate an IV spec on every {@code init}).
 * </ul>
 *
 * <p>The IV is passed as two longs (its high and low 64 bits, big-endian), so the packet path builds it in
 * registers rather than in an array of the context's; on the ECB path the counter blocks and the keystream are
 * written into the {@link ThreadScratch} of the calling thread: a relay runs thousands of contexts on one event
 * loop, and arrays per context meant a cold buffer for nearly every packet.
 */
final class AesCounterMode {
    private static final int BLOCK = 16;
    private static final VarHandle BIG_ENDIAN_LONG = MethodHandles.byteArrayViewVarHandle(long[].class,
            ByteOrder.BIG_ENDIAN);

    /**
     * The JDK's counter mode for this key ({@link JdkAesCtr#ctr}) and its counter array, or null: this JVM does not
     * open it (then {@link #ecb} is set). Held here rather than through the {@link JdkAesCtr} that made them: in a
     * relay every object on a packet's way is a likely cache miss, and each reference followed is one more miss
     * that cannot start before the one before it ends.
     */
    private final Object ctr;
    private final byte[] counter;
    private final Cipher ecb;

    AesCounterMode(byte[] key) {
        this(key, true);
    }

    /** {@code jdkCounterMode} false: the AES/ECB path even where {@link JdkAesCtr} is available (tests of it). */
    AesCounterMode(byte[] key, boolean jdkCounterMode) {
        this(jdkCounterMode ? JdkAesCtr.createOrNull(key) : null, key);
    }

    /** On {@code jdk}, the JDK's counter mode keyed with {@code key}, or on the AES/ECB path when it is null. */
    AesCounterMode(JdkAesCtr jdk, byte[] key) {
        this.ctr = jdk == null ? null : jdk.ctr;
        this.counter = jdk == null ? null : jdk.counter;
        this.ecb = jdk == null ? ecb(key) : null;
    }

    private static Cipher ecb(byte[] key) {
        try {
            Cipher ecb = Cipher.getInstance("AES/ECB/NoPadding");
            ecb.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "AES"));
            return ecb;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("this JDK lacks AES/ECB/NoPadding, which every Java SE runtime provides", e);
        }
    }

    /** Whether this key runs on the JDK's counter mode rather than the AES/ECB path. */
    boolean usesJdkCounterMode() {
        return ctr != null;
    }

    /**
     * XORs {@code data[offset .. offset + length)} with the keystream that starts at counter block
     * {@code ivHigh || ivLow}.
     */
    void apply(ThreadScratch scratch, long ivHigh, long ivLow, byte[] data, int offset, int length) {
        if (length == 0) {
            return;
        }
        if (ctr != null) {
            JdkAesCtr.apply(ctr, counter, ivHigh, ivLow, data, offset, length);
            return;
        }
        fill(scratch, ivHigh, ivLow, length);
        byte[] stream = scratch.keystream;
        int i = 0;
        for (; i + Long.BYTES <= length; i += Long.BYTES) {
            long x = (long) BIG_ENDIAN_LONG.get(data, offset + i) ^ (long) BIG_ENDIAN_LONG.get(stream, i);
            BIG_ENDIAN_LONG.set(data, offset + i, x);
        }
        for (; i < length; i++) {
            data[offset + i] ^= stream[i];
        }
    }

    /** Writes {@code length} keystream octets that start at counter block {@code iv} into {@code out[offset..]}. */
    void keystream(byte[] iv, byte[] out, int offset, int length) {
        if (ctr != null) {
            // the keystream is what counter mode XORs into zeros
            Arrays.fill(out, offset, offset + length, (byte) 0);
            JdkAesCtr.apply(ctr, counter, (long) BIG_ENDIAN_LONG.get(iv, 0), (long) BIG_ENDIAN_LONG.get(iv, 8), out,
                    offset, length);
            return;
        }
        ThreadScratch scratch = ThreadScratch.current();
        fill(scratch, (long) BIG_ENDIAN_LONG.get(iv, 0), (long) BIG_ENDIAN_LONG.get(iv, 8), length);
        System.arraycopy(scratch.keystream, 0, out, offset, length);
    }

    private void fill(ThreadScratch scratch, long ivHigh, long ivLow, int length) {
        int blocks = (length + BLOCK - 1) / BLOCK;
        int bytes = blocks * BLOCK;
        scratch.ensureAesCapacity(bytes);
        byte[] blocksIn = scratch.counters;
        for (int j = 0; j < blocks; j++) {
            long low = ivLow + j;
            // IV + j is a 128-bit sum: a carry out of the low 64 bits goes into the high ones
            long high = Long.compareUnsigned(low, ivLow) < 0 ? ivHigh + 1 : ivHigh;
            BIG_ENDIAN_LONG.set(blocksIn, j * BLOCK, high);
            BIG_ENDIAN_LONG.set(blocksIn, j * BLOCK + 8, low);
        }
        try {
            ecb.update(blocksIn, 0, bytes, scratch.keystream, 0);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES/ECB refused a whole number of blocks", e);
        }
    }
}
