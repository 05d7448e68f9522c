package dev.parley.rtp.stun;

import java.nio.charset.StandardCharsets;
import java.security.DigestException;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.text.Normalizer;

/**
 * One STUN credential's HMAC key, keyed once: MESSAGE-INTEGRITY (HMAC-SHA1, RFC 8489 §14.5) and
 * MESSAGE-INTEGRITY-SHA256 (§14.6). HMAC (RFC 2104) is computed here over the JDK's {@code MessageDigest} with the
 * key's inner and outer pads prepared once, because {@code javax.crypto.Mac.doFinal} returns its result in a new
 * array: this way verifying and signing allocate nothing, which matters when a flood of checks arrives.
 *
 * <p>Not thread-safe (the digests carry state): one key per agent, used on that agent's event loop. The key
 * octets never appear in {@code toString}.
 */
public final class StunKey {
    private static final int BLOCK = 64; // SHA-1 and SHA-256 block size (RFC 2104 "B")

    private final byte[] key;
    private final Hmac sha1;
    private Hmac sha256;
    private final byte[] scratch = new byte[32];

    /** HMAC with one hash function; the pads are computed at construction. */
    private static final class Hmac {
        final MessageDigest digest;
        final byte[] innerPad = new byte[BLOCK];
        final byte[] outerPad = new byte[BLOCK];
        final int length;

        Hmac(String algorithm, byte[] key) {
            try {
                digest = MessageDigest.getInstance(algorithm);
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("this JDK lacks " + algorithm + ", which every Java platform must provide", e);
            }
            length = digest.getDigestLength();
            // RFC 2104 §2: a key longer than the block is hashed first, a shorter one padded with zeros.
            byte[] k = key.length > BLOCK ? digest.digest(key) : key;
            for (int i = 0; i < BLOCK; i++) {
                byte b = i < k.length ? k[i] : 0;
                innerPad[i] = (byte) (b ^ 0x36);
                outerPad[i] = (byte) (b ^ 0x5C);
            }
        }
    }

    private StunKey(byte[] key) {
        this.key = key;
        this.sha1 = new Hmac("SHA-1", key);
    }

    /**
     * RFC 8489 §9.1.1: the short-term key is the password processed by the OpaqueString profile (RFC 8265), which
     * for ICE passwords (ASCII {@code ice-char}s, RFC 8445 §5.3) is the password's octets; NFC normalisation is
     * applied for the general case.
     */
    public static StunKey shortTerm(String password) {
        return new StunKey(Normalizer.normalize(password, Normalizer.Form.NFC).getBytes(StandardCharsets.UTF_8));
    }

    /**
     * RFC 8489 §9.2.2 with the MD5 algorithm (the one RFC 5389 knew): {@code MD5(username ":" realm ":" password)}.
     * The password goes through NFKC, which is what SASLprep (RFC 4013, used by RFC 5389 and RFC 5769 §2.4) does
     * to ordinary text; username and realm are taken as given. Parley's ICE never uses long-term credentials: this
     * exists so RFC 5769's long-term sample can be checked and a TURN client could be written later.
     */
    public static StunKey longTerm(String username, String realm, String password) {
        String prepared = Normalizer.normalize(password, Normalizer.Form.NFKC);
        byte[] input = (username + ":" + realm + ":" + prepared).getBytes(StandardCharsets.UTF_8);
        try {
            return new StunKey(MessageDigest.getInstance("MD5").digest(input));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("this JDK lacks MD5, which every Java platform must provide", e);
        }
    }

    /**
     * Checks the integrity attributes of a message {@code wrap}ped OK: MESSAGE-INTEGRITY-SHA256 when present
     * (the stronger one), else MESSAGE-INTEGRITY. Comparison is constant-time.
     */
    public IntegrityCheck verify(StunMessage message) {
        int at = message.integritySha256At();
        if (at >= 0) {
            int n = StunMessage.u16(message.array(), at + 2);
            hmac(sha256(), message.array(), message.offset(), at, n);
            return equal(message.array(), at + 4, n) ? IntegrityCheck.OK_SHA256 : IntegrityCheck.MISMATCH;
        }
        at = message.integrityAt();
        if (at < 0) {
            return IntegrityCheck.MISSING;
        }
        hmac(sha1, message.array(), message.offset(), at, 20);
        return equal(message.array(), at + 4, 20) ? IntegrityCheck.OK_SHA1 : IntegrityCheck.MISMATCH;
    }

    /** The outcome of {@link #verify}. */
    public enum IntegrityCheck {
        OK_SHA1,
        OK_SHA256,
        MISSING,
        MISMATCH;

        public boolean ok() {
            return this == OK_SHA1 || this == OK_SHA256;
        }
    }

    /**
     * Writes the HMAC-SHA1 of the message at {@code offset} up to {@code attributeAt} into
     * {@code array[attributeAt + 4 ..)} (the writer lays out the attribute header).
     */
    void signSha1(byte[] array, int offset, int attributeAt) {
        hmac(sha1, array, offset, attributeAt, 20);
        System.arraycopy(scratch, 0, array, attributeAt + 4, 20);
    }

    void signSha256(byte[] array, int offset, int attributeAt) {
        hmac(sha256(), array, offset, attributeAt, 32);
        System.arraycopy(scratch, 0, array, attributeAt + 4, 32);
    }

    /**
     * RFC 8489 §14.5/§14.6: the HMAC covers the message up to the integrity attribute, with the header's length
     * field set as if the message ended after that attribute ({@code valueLength} octets of value). The result
     * goes to {@code scratch}.
     */
    private void hmac(Hmac mac, byte[] array, int offset, int attributeAt, int valueLength) {
        int adjustedLength = attributeAt + 4 + valueLength - offset - StunMessage.HEADER_LENGTH;
        MessageDigest d = mac.digest;
        d.update(mac.innerPad, 0, BLOCK);
        d.update(array, offset, 2);
        d.update((byte) (adjustedLength >>> 8));
        d.update((byte) adjustedLength);
        d.update(array, offset + 4, attributeAt - offset - 4);
        try {
            d.digest(scratch, 0, mac.length);
            d.update(mac.outerPad, 0, BLOCK);
            d.update(scratch, 0, mac.length);
            d.digest(scratch, 0, mac.length);
        } catch (DigestException e) {
            throw new IllegalStateException(e); // scratch holds 32 octets, the longest digest here
        }
    }

    /** Constant-time comparison of the first {@code n} octets of the last HMAC with the attribute's value. */
    private boolean equal(byte[] array, int at, int n) {
        int diff = 0;
        for (int i = 0; i < n; i++) {
            diff |= scratch[i] ^ array[at + i];
        }
        return diff == 0;
    }

    private Hmac sha256() {
        if (sha256 == null) {
            sha256 = new Hmac("SHA-256", key);
        }
        return sha256;
    }

    @Override
    public String toString() {
        return "StunKey[" + key.length + " octets, redacted]";
    }
}
