package dev.parley.pbx.directory;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Objects;

/**
 * The Digest password of a {@link Device}.
 *
 * <p>Generated secrets are {@value #GENERATED_LENGTH} characters drawn uniformly from the 64-character URL-safe
 * alphabet {@code A-Z a-z 0-9 - _} (RFC 4648 §5) with {@link SecureRandom}: 144 bits, beyond online guessing and,
 * more to the point, beyond offline guessing from a captured MD5 exchange. The alphabet needs no quoting in any
 * phone's configuration file or provisioning URL. A secret an admin sets is accepted when it is 8 to 128 printable
 * ASCII characters: some phones cannot type or store anything else.
 *
 * <p>{@link #toString()} never shows the value, so a secret that strays into a log line or an exception message
 * stays secret. Only {@link #reveal()} gives it out: to Digest arithmetic and to the store's cipher.
 */
public final class SipSecret {
    /** Length of a generated secret; at 6 bits a character, 144 bits. */
    public static final int GENERATED_LENGTH = 24;
    /** Bounds for a secret an admin sets. */
    public static final int MIN_LENGTH = 8;
    public static final int MAX_LENGTH = 128;

    private static final char[] ALPHABET =
            "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_".toCharArray();
    private static final SecureRandom RANDOM = new SecureRandom();

    private final String value;

    private SipSecret(String value) {
        this.value = value;
    }

    /** A fresh random secret from a shared {@link SecureRandom}. */
    public static SipSecret generate() {
        return generate(RANDOM);
    }

    /** A fresh random secret; {@code random} should be a {@link SecureRandom} outside tests. */
    public static SipSecret generate(SecureRandom random) {
        byte[] bytes = new byte[GENERATED_LENGTH];
        random.nextBytes(bytes);
        char[] out = new char[GENERATED_LENGTH];
        for (int i = 0; i < out.length; i++) {
            out[i] = ALPHABET[bytes[i] & 0x3F]; // 256 is a multiple of 64: no modulo bias
        }
        return new SipSecret(new String(out));
    }

    /**
     * A secret chosen by an admin (or read back from the store after decryption).
     *
     * @throws IllegalArgumentException if it is not 8 to 128 printable ASCII characters; the message does not
     *     contain the value
     */
    public static SipSecret of(String value) {
        Objects.requireNonNull(value, "value");
        if (value.length() < MIN_LENGTH || value.length() > MAX_LENGTH) {
            throw new IllegalArgumentException("a SIP secret must be " + MIN_LENGTH + " to " + MAX_LENGTH
                    + " characters long");
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c < 0x21 || c > 0x7E) {
                throw new IllegalArgumentException("a SIP secret may hold printable ASCII characters only"
                        + " (no spaces): character " + (i + 1) + " is not");
            }
        }
        return new SipSecret(value);
    }

    /** The secret in clear: for Digest arithmetic and for the store's cipher, nothing else. */
    public String reveal() {
        return value;
    }

    public int length() {
        return value.length();
    }

    /** Compares in time independent of where the values differ (admin UI "is this the same secret" checks). */
    @Override
    public boolean equals(Object o) {
        return o instanceof SipSecret that && MessageDigest.isEqual(value.getBytes(UTF_8), that.value.getBytes(UTF_8));
    }

    @Override
    public int hashCode() {
        return 0x5EC12E7; // constant: a hash of the value would be a (weak) oracle on it, and nobody keys maps on secrets
    }

    @Override
    public String toString() {
        return "SipSecret[redacted]";
    }
}
