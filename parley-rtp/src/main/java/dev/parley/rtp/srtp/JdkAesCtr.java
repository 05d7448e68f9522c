package dev.parley.rtp.srtp;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * The JDK's own AES counter mode ({@code com.sun.crypto.provider.CounterMode} over {@code AESCrypt}), keyed once
 * per SRTP context and driven per packet with its counter set to the packet's IV: what an "AES/CTR/NoPadding"
 * {@code Cipher} runs inside, without the {@code Cipher} → {@code AESCipher} → {@code CipherCore} chain around it.
 * RFC 3711 §4.1.1's keystream block j = AES_k(IV + j) is exactly CounterMode's: the counter starts at the IV and
 * is incremented as one 128-bit big-endian number per block.
 *
 * <p>Why the JDK's internals: {@code CounterMode.implCrypt} is a HotSpot intrinsic ({@code UseAESCTRIntrinsics},
 * AES-NI/VAES) that makes the counter blocks, encrypts them and XORs them into the data in one stub, in place. The
 * public route to it is a CTR {@code Cipher}, whose {@code init} per packet expands the key again and allocates an
 * IV spec; the route before this class was one {@code AES/ECB} {@code Cipher} per key over counter blocks written by
 * us and a XOR loop of ours, through five JCE objects per packet. Here a packet writes its IV into the counter
 * array (held once, as {@link PrimedSha1} holds SHA-1's state), marks the last keystream block used up, and calls
 * {@code CounterMode.encrypt} through a {@code MethodHandle}. It needs {@code --add-opens
 * java.base/com.sun.crypto.provider=ALL-UNNAMED}; without it (or on a JDK whose CounterMode looks different, or
 * whose self-test at class loading gives other bytes than RFC 3711's B.2 vector) {@link #available()} is false and
 * {@link AesCounterMode} uses its AES/ECB path as before.
 *
 * <p>One per key; not thread-safe (a context belongs to one event loop). Left in the object after a packet: the
 * counter after it and the last keystream block, as a CTR {@code Cipher} keeps them.
 */
final class JdkAesCtr {
    private static final int BLOCK = 16;
    private static final String PROVIDER = "com.sun.crypto.provider.";
    private static final VarHandle BIG_ENDIAN_LONG = MethodHandles.byteArrayViewVarHandle(long[].class,
            ByteOrder.BIG_ENDIAN);

    private static final MethodHandle NEW_AES;
    private static final MethodHandle NEW_CTR;
    private static final MethodHandle INIT;
    private static final MethodHandle CRYPT;
    private static final VarHandle COUNTER;
    private static final VarHandle USED;
    // For touch only, null where this JDK's classes differ: the packet path does not need them
    private static final VarHandle ENCRYPTED_COUNTER;
    private static final VarHandle EMBEDDED_CIPHER;
    private static final VarHandle ROUND_KEYS;

    static {
        MethodHandle newAes = null;
        MethodHandle newCtr = null;
        MethodHandle init = null;
        MethodHandle crypt = null;
        VarHandle counter = null;
        VarHandle used = null;
        try {
            Class<?> aes = Class.forName(PROVIDER + "AESCrypt");
            Class<?> symmetric = Class.forName(PROVIDER + "SymmetricCipher");
            Class<?> ctr = Class.forName(PROVIDER + "CounterMode");
            MethodHandles.Lookup aesLookup = MethodHandles.privateLookupIn(aes, MethodHandles.lookup());
            MethodHandles.Lookup ctrLookup = MethodHandles.privateLookupIn(ctr, MethodHandles.lookup());
            newAes = aesLookup.findConstructor(aes, MethodType.methodType(void.class))
                    .asType(MethodType.methodType(Object.class));
            newCtr = ctrLookup.findConstructor(ctr, MethodType.methodType(void.class, symmetric))
                    .asType(MethodType.methodType(Object.class, Object.class));
            init = ctrLookup.findVirtual(ctr, "init",
                            MethodType.methodType(void.class, boolean.class, String.class, byte[].class, byte[].class))
                    .asType(MethodType.methodType(void.class, Object.class, boolean.class, String.class, byte[].class,
                            byte[].class));
            crypt = ctrLookup.findVirtual(ctr, "encrypt",
                            MethodType.methodType(int.class, byte[].class, int.class, int.class, byte[].class, int.class))
                    .asType(MethodType.methodType(int.class, Object.class, byte[].class, int.class, int.class,
                            byte[].class, int.class));
            counter = ctrLookup.findVarHandle(ctr, "counter", byte[].class);
            used = ctrLookup.findVarHandle(ctr, "used", int.class);
            if (!selfTest(newAes, newCtr, init, crypt, counter, used)) {
                newAes = null;
            }
        } catch (Throwable e) {
            // Not opened (IllegalAccessException / InaccessibleObjectException), or another JDK's CounterMode.
            newAes = null;
        }
        NEW_AES = newAes;
        NEW_CTR = newCtr;
        INIT = init;
        CRYPT = crypt;
        COUNTER = counter;
        USED = used;
        VarHandle encryptedCounter = null;
        VarHandle embeddedCipher = null;
        VarHandle roundKeys = null;
        if (newAes != null) {
            try {
                Class<?> aes = Class.forName(PROVIDER + "AESCrypt");
                Class<?> feedback = Class.forName(PROVIDER + "FeedbackCipher");
                Class<?> symmetric = Class.forName(PROVIDER + "SymmetricCipher");
                Class<?> ctr = Class.forName(PROVIDER + "CounterMode");
                encryptedCounter = MethodHandles.privateLookupIn(ctr, MethodHandles.lookup())
                        .findVarHandle(ctr, "encryptedCounter", byte[].class);
                embeddedCipher = MethodHandles.privateLookupIn(feedback, MethodHandles.lookup())
                        .findVarHandle(feedback, "embeddedCipher", symmetric);
                roundKeys = MethodHandles.privateLookupIn(aes, MethodHandles.lookup())
                        .findVarHandle(aes, "K", int[].class);
            } catch (Throwable e) {
                encryptedCounter = null; // another JDK's classes: counter mode still works, touch touches less
            }
        }
        boolean touchable = encryptedCounter != null && embeddedCipher != null && roundKeys != null;
        ENCRYPTED_COUNTER = touchable ? encryptedCounter : null;
        EMBEDDED_CIPHER = touchable ? embeddedCipher : null;
        ROUND_KEYS = touchable ? roundKeys : null;
    }

    // Package-private: AesCounterMode and CounterModeTransform copy them into fields of their own, one object (one
    // cache miss) fewer on a packet's way to the cipher; this object itself is not kept.
    final Object ctr;
    final byte[] counter;
    // What the counter-mode stub reads besides the counter, held only so that touch can load them all at once
    // (see touch); null where this JDK's classes differ.
    final byte[] encryptedCounter;
    final Object aes;
    final int[] roundKeys;

    private JdkAesCtr(Object ctr) {
        this.ctr = ctr;
        this.counter = (byte[]) COUNTER.get(ctr);
        if (ROUND_KEYS != null) {
            this.encryptedCounter = (byte[]) ENCRYPTED_COUNTER.get(ctr);
            this.aes = EMBEDDED_CIPHER.get(ctr);
            this.roundKeys = (int[]) ROUND_KEYS.get(aes);
        } else {
            this.encryptedCounter = null;
            this.aes = null;
            this.roundKeys = null;
        }
    }

    /**
     * Loads one word of each object the next {@code apply} will read (the CounterMode, its counter and
     * encrypted-counter arrays, the AESCrypt and its round keys) and returns their sum, never negative, which the
     * caller must use. In a relay of thousands of contexts these are all cold in the caches by a context's next
     * packet, and the cipher reaches them one after the other through CounterMode's fields: loaded early (before
     * the HMAC), the misses overlap each other and the HMAC's work instead of forming a chain.
     */
    static int touch(Object ctr, byte[] counter, byte[] encryptedCounter, Object aes, int[] roundKeys) {
        int sum = (int) USED.get(ctr) + counter.length;
        if (roundKeys != null) {
            sum += encryptedCounter.length + roundKeys.length + (((int[]) ROUND_KEYS.get(aes)) == roundKeys ? 1 : 0);
        }
        return sum;
    }

    /** Whether the JDK's CounterMode can be driven here (see the class comment); decided once, at class loading. */
    static boolean available() {
        return NEW_AES != null;
    }

    /** A counter mode keyed with the AES key {@code key}, or null when {@link #available()} is false. */
    static JdkAesCtr createOrNull(byte[] key) {
        if (NEW_AES == null) {
            return null;
        }
        try {
            return new JdkAesCtr(keyed(NEW_AES, NEW_CTR, INIT, key));
        } catch (Throwable e) {
            return null;
        }
    }

    private static Object keyed(MethodHandle newAes, MethodHandle newCtr, MethodHandle init, byte[] key)
            throws Throwable {
        Object ctr = (Object) newCtr.invokeExact((Object) newAes.invokeExact());
        // the embedded AES always encrypts in counter mode; the IV given here is replaced per packet
        init.invokeExact(ctr, false, "AES", key, new byte[BLOCK]);
        return ctr;
    }

    /**
     * XORs {@code data[offset .. offset + length)}, in place, with the keystream that starts at counter block
     * {@code ivHigh || ivLow} (RFC 3711 §4.1.1), on the counter mode {@code ctr} whose counter array is {@code c}
     * (a JdkAesCtr's {@link #ctr} and {@link #counter}, which its users hold in fields of their own).
     */
    static void apply(Object ctr, byte[] c, long ivHigh, long ivLow, byte[] data, int offset, int length) {
        BIG_ENDIAN_LONG.set(c, 0, ivHigh);
        BIG_ENDIAN_LONG.set(c, 8, ivLow);
        // all of the previous packet's last keystream block counts as used: the first octet starts block IV + 0
        USED.set(ctr, BLOCK);
        try {
            int n = (int) CRYPT.invokeExact(ctr, data, offset, length, data, offset);
            assert n == length;
        } catch (Throwable e) {
            throw new IllegalStateException("the JDK's AES counter mode failed", e);
        }
    }

    /**
     * Checks, once, that driving CounterMode this way gives RFC 3711 B.2's keystream (key 2B7E..., IV F0F1...FD0000)
     * through the counter array as a JdkAesCtr holds it, and again after a packet that ended mid-block (so that
     * resetting "used" really restarts at the new IV on this JDK).
     */
    private static boolean selfTest(MethodHandle newAes, MethodHandle newCtr, MethodHandle init, MethodHandle crypt,
            VarHandle counterField, VarHandle usedField) throws Throwable {
        byte[] key = hex("2B7E151628AED2A6ABF7158809CF4F3C");
        byte[] expected = hex("E03EAD0935C95E80E166B16DD92B4EB4D23513162B02D0F72A43A2FE4A5F97AB"
                + "41E95B3BB0A2E8DD477901E4FCA894C0");
        long ivHigh = 0xF0F1F2F3F4F5F6F7L;
        long ivLow = 0xF8F9FAFBFCFD0000L;
        Object ctr = keyed(newAes, newCtr, init, key);
        byte[] held = (byte[]) counterField.get(ctr);
        if (held == null || held.length != BLOCK) {
            return false;
        }
        for (int length : new int[] {expected.length, 21, expected.length}) {
            byte[] data = new byte[length + 3];
            BIG_ENDIAN_LONG.set(held, 0, ivHigh);
            BIG_ENDIAN_LONG.set(held, 8, ivLow);
            usedField.set(ctr, BLOCK);
            int n = (int) crypt.invokeExact(ctr, data, 3, length, data, 3);
            if (n != length || !Arrays.equals(data, 3, 3 + length, expected, 0, length)
                    || data[0] != 0 || data[1] != 0 || data[2] != 0) {
                return false;
            }
        }
        return true;
    }

    private static byte[] hex(String hex) {
        byte[] out = new byte[hex.length() / 2];
        for (int i = 0; i < out.length; i++) {
            out[i] = (byte) Integer.parseInt(hex, 2 * i, 2 * i + 2, 16);
        }
        return out;
    }
}
