package dev.parley.rtp.srtp;

import java.security.GeneralSecurityException;
import javax.crypto.Cipher;
import javax.crypto.spec.SecretKeySpec;

/**
 * AES in counter mode as RFC 3711 §4.1.1 defines it: keystream block j is AES_k(IV + j), the counter being the
 * low octets of the 128-bit IV. Built on one "AES/ECB/NoPadding" cipher that is keyed once, so a packet costs one
 * {@code update} over its counter blocks and no re-initialisation (a CTR cipher would expand the key and allocate
 * an IV spec on every {@code init}). Not thread-safe per instance.
 *
 * <p>The counter blocks and the keystream are written into scratch arrays of the calling thread, shared by every
 * instance on it: a relay runs thousands of contexts on one event loop, and arrays per context (2 KiB each, four
 * per call leg) meant a cold buffer for nearly every packet and 16 KiB of heap per leg for the collector to copy.
 */
final class AesCounterMode {
    private static final int BLOCK = 16;

    private static final ThreadLocal<Scratch> SCRATCH = ThreadLocal.withInitial(Scratch::new);

    private final Cipher ecb;

    AesCounterMode(byte[] key) {
        try {
            ecb = Cipher.getInstance("AES/ECB/NoPadding");
            ecb.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "AES"));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("this JDK lacks AES/ECB/NoPadding, which every Java SE runtime provides", e);
        }
    }

    /** XORs {@code data[offset .. offset + length)} with the keystream that starts at counter block {@code iv}. */
    void apply(byte[] iv, byte[] data, int offset, int length) {
        if (length == 0) {
            return;
        }
        Scratch scratch = SCRATCH.get();
        int blocks = fill(scratch, iv, length);
        byte[] stream = scratch.keystream;
        for (int i = 0; i < length; i++) {
            data[offset + i] ^= stream[i];
        }
        assert blocks * BLOCK >= length;
    }

    /** Writes {@code length} keystream octets that start at counter block {@code iv} into {@code out[offset..]}. */
    void keystream(byte[] iv, byte[] out, int offset, int length) {
        Scratch scratch = SCRATCH.get();
        fill(scratch, iv, length);
        System.arraycopy(scratch.keystream, 0, out, offset, length);
    }

    private int fill(Scratch scratch, byte[] iv, int length) {
        int blocks = (length + BLOCK - 1) / BLOCK;
        int bytes = blocks * BLOCK;
        if (scratch.counters.length < bytes) {
            // only a packet larger than any before on this thread grows the scratch; steady state allocates nothing
            scratch.counters = new byte[bytes];
            scratch.keystream = new byte[bytes];
        }
        byte[] blocksIn = scratch.counters;
        byte[] keystream = scratch.keystream;
        int low = ((iv[12] & 0xFF) << 24) | ((iv[13] & 0xFF) << 16) | ((iv[14] & 0xFF) << 8) | (iv[15] & 0xFF);
        for (int j = 0; j < blocks; j++) {
            int at = j * BLOCK;
            System.arraycopy(iv, 0, blocksIn, at, 12);
            int counter = low + j;
            if (Integer.compareUnsigned(counter, low) < 0) {
                carry(blocksIn, at); // IV + j crossed 2^32: propagate into the upper 96 bits
            }
            blocksIn[at + 12] = (byte) (counter >>> 24);
            blocksIn[at + 13] = (byte) (counter >>> 16);
            blocksIn[at + 14] = (byte) (counter >>> 8);
            blocksIn[at + 15] = (byte) counter;
        }
        try {
            ecb.update(blocksIn, 0, bytes, keystream, 0);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES/ECB refused a whole number of blocks", e);
        }
        return blocks;
    }

    private static void carry(byte[] block, int at) {
        for (int i = at + 11; i >= at; i--) {
            if (++block[i] != 0) {
                return;
            }
        }
    }

    private static final class Scratch {
        byte[] counters = new byte[2048];
        byte[] keystream = new byte[2048];
    }
}
