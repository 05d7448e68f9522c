package dev.parley.pbx.auth;

import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.Base64;
import java.util.Objects;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Stateless, time-limited nonces: the server can tell its own nonces from forged ones, and their age, without
 * remembering any it issued (RFC 7616 §5.5 suggests the same shape).
 *
 * <pre>
 *   nonce = base64url-nopad( ts ‖ rnd ‖ mac )                                      48 characters
 *     ts  = issue time, milliseconds since the epoch, 8 bytes big-endian
 *     rnd = 12 random bytes (two nonces of one millisecond differ)
 *     mac = HMAC-SHA-256(serverKey, ts ‖ rnd), first 16 bytes (RFC 2104 §5: at least half the output)
 * </pre>
 *
 * <p>A forger who does not hold the key has a 2<sup>-128</sup> chance per try. Wall-clock time (a {@link Clock}),
 * not monotonic time, so nodes sharing the key accept each other's nonces. A nonce dated more than a few seconds
 * in the future is authentic but cannot be trusted for its age (the clock was stepped back): treated as stale.
 *
 * <p>Which {@code nc} values were used is not in the nonce: that is {@link NonceCounts}.
 */
final class Nonces {
    static final int TIMESTAMP_LENGTH = 8;
    static final int RANDOM_LENGTH = 12;
    static final int MAC_LENGTH = 16;
    static final int LENGTH = TIMESTAMP_LENGTH + RANDOM_LENGTH + MAC_LENGTH;
    private static final long FUTURE_SKEW_MILLIS = 5_000;
    private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder DECODER = Base64.getUrlDecoder();

    enum Status { VALID, STALE, INVALID }

    /** What {@link #check} found; {@code issuedAtMillis} is meaningful unless INVALID. */
    record Check(Status status, long issuedAtMillis) {
        static final Check INVALID = new Check(Status.INVALID, 0);
    }

    private final Mac prototype;
    private final long lifetimeMillis;
    private final Clock clock;
    private final SecureRandom random;

    Nonces(byte[] serverKey, Duration lifetime, Clock clock, SecureRandom random) {
        if (serverKey.length < 32) {
            throw new IllegalArgumentException("the nonce key must be at least 32 bytes");
        }
        try {
            prototype = Mac.getInstance("HmacSHA256");
            prototype.init(new SecretKeySpec(serverKey, "HmacSHA256"));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is not available in this JDK", e);
        }
        this.lifetimeMillis = lifetime.toMillis();
        this.clock = Objects.requireNonNull(clock, "clock");
        this.random = Objects.requireNonNull(random, "random");
    }

    long lifetimeMillis() {
        return lifetimeMillis;
    }

    String issue() {
        byte[] n = new byte[LENGTH];
        ByteBuffer.wrap(n).putLong(clock.millis());
        byte[] rnd = new byte[RANDOM_LENGTH];
        random.nextBytes(rnd);
        System.arraycopy(rnd, 0, n, TIMESTAMP_LENGTH, RANDOM_LENGTH);
        System.arraycopy(mac(n), 0, n, TIMESTAMP_LENGTH + RANDOM_LENGTH, MAC_LENGTH);
        return ENCODER.encodeToString(n);
    }

    Check check(String nonce) {
        if (nonce == null || nonce.length() != (LENGTH * 4 + 2) / 3) {
            return Check.INVALID;
        }
        byte[] n;
        try {
            n = DECODER.decode(nonce);
        } catch (IllegalArgumentException e) {
            return Check.INVALID;
        }
        if (n.length != LENGTH) {
            return Check.INVALID;
        }
        byte[] expected = mac(n);
        // constant time: the MAC is the secret-dependent part, a timing oracle on it would let a forger build one
        if (!MessageDigest.isEqual(expected, Arrays.copyOfRange(n, TIMESTAMP_LENGTH + RANDOM_LENGTH, LENGTH))) {
            return Check.INVALID;
        }
        long issued = ByteBuffer.wrap(n).getLong();
        long age = clock.millis() - issued;
        if (age < -FUTURE_SKEW_MILLIS || age > lifetimeMillis) {
            return new Check(Status.STALE, issued);
        }
        return new Check(Status.VALID, issued);
    }

    /** The first {@link #MAC_LENGTH} bytes of HMAC-SHA-256 over the timestamp and random part of {@code n}. */
    private byte[] mac(byte[] n) {
        Mac m;
        try {
            m = (Mac) prototype.clone();
        } catch (CloneNotSupportedException e) {
            throw new IllegalStateException("the HmacSHA256 provider cannot clone a Mac", e);
        }
        m.update(n, 0, TIMESTAMP_LENGTH + RANDOM_LENGTH);
        return Arrays.copyOf(m.doFinal(), MAC_LENGTH);
    }
}
