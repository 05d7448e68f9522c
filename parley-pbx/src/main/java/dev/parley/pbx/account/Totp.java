package dev.parley.pbx.account;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.Locale;
import java.util.Objects;
import java.util.OptionalLong;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Time-based one-time passwords (RFC 6238) as authenticator apps compute them: HMAC-SHA1, 6 digits, 30-second
 * steps counted from the Unix epoch, secrets of 20 random bytes written in base32 (RFC 4648 §6) without padding.
 * Pure arithmetic, no state: which step was last used (so a code cannot be used twice) is the caller's to keep.
 *
 * <table>
 *   <caption>Parameters</caption>
 *   <tr><th>what</th><th>value</th><th>why</th></tr>
 *   <tr><td>algorithm</td><td>HMAC-SHA1</td><td>RFC 6238 §1.2 default; the only one every app supports</td></tr>
 *   <tr><td>digits</td><td>{@value #DIGITS}</td><td>what apps show</td></tr>
 *   <tr><td>step</td><td>{@value #STEP_SECONDS} s</td><td>RFC 6238 §5.2 recommendation</td></tr>
 *   <tr><td>drift accepted</td><td>±{@value #DRIFT_STEPS} step</td><td>RFC 6238 §5.2: one step back for
 *       network delay; one forward for a phone clock a little ahead</td></tr>
 *   <tr><td>secret</td><td>{@value #SECRET_BYTES} bytes</td><td>RFC 4226 §4 R6: at least 128, 160 recommended</td></tr>
 * </table>
 */
public final class Totp {
    public static final int DIGITS = 6;
    public static final long STEP_SECONDS = 30;
    public static final int DRIFT_STEPS = 1;
    public static final int SECRET_BYTES = 20;
    private static final String BASE32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
    private static final int[] POWERS = {1, 10, 100, 1_000, 10_000, 100_000, 1_000_000, 10_000_000, 100_000_000};

    private Totp() {
    }

    /** The time step of {@code t}: RFC 6238 §4.2 T = floor((Unix time - T0) / X) with T0 = 0, X = 30 s. */
    public static long step(Instant t) {
        return Math.floorDiv(t.getEpochSecond(), STEP_SECONDS);
    }

    /** The {@value #DIGITS}-digit code of {@code step}, zero-padded. */
    public static String code(byte[] key, long step) {
        return code(key, step, DIGITS);
    }

    /** RFC 4226 §5.3 HOTP of the step counter with dynamic truncation, {@code digits} long (1–8). */
    public static String code(byte[] key, long step, int digits) {
        if (digits < 1 || digits > 8) {
            throw new IllegalArgumentException("a code has 1 to 8 digits, not " + digits);
        }
        byte[] counter = new byte[8];
        for (int i = 7; i >= 0; i--) {
            counter[i] = (byte) step;
            step >>>= 8;
        }
        byte[] h;
        try {
            Mac mac = Mac.getInstance("HmacSHA1");
            mac.init(new SecretKeySpec(key, "HmacSHA1"));
            h = mac.doFinal(counter);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA1 is missing from this JVM", e);
        }
        // RFC 4226 §5.4: the low 4 bits of the last byte pick where 31 bits are read
        int offset = h[h.length - 1] & 0x0F;
        int binary = ((h[offset] & 0x7F) << 24) | ((h[offset + 1] & 0xFF) << 16) | ((h[offset + 2] & 0xFF) << 8)
                | (h[offset + 3] & 0xFF);
        String s = Integer.toString(binary % POWERS[digits]);
        return "0".repeat(digits - s.length()) + s;
    }

    /**
     * The step within ±{@value #DRIFT_STEPS} of {@code now} whose code is {@code code} and which is later than
     * {@code lastUsedStep} (RFC 6238 §5.2: a verifier must not accept the second attempt of a code it accepted), or
     * empty. Codes are compared in constant time.
     *
     * @param lastUsedStep the last step accepted for this secret, or {@code Long.MIN_VALUE} for none
     */
    public static OptionalLong verify(byte[] key, String code, Instant now, long lastUsedStep) {
        Objects.requireNonNull(key, "key");
        if (code == null) {
            return OptionalLong.empty();
        }
        String c = code.strip().replace(" ", "");
        if (c.length() != DIGITS || !c.chars().allMatch(ch -> ch >= '0' && ch <= '9')) {
            return OptionalLong.empty();
        }
        long current = step(now);
        for (long s = current - DRIFT_STEPS; s <= current + DRIFT_STEPS; s++) {
            if (s > lastUsedStep && MessageDigest.isEqual(code(key, s).getBytes(StandardCharsets.US_ASCII),
                    c.getBytes(StandardCharsets.US_ASCII))) {
                return OptionalLong.of(s);
            }
        }
        return OptionalLong.empty();
    }

    /** RFC 4648 §6 base32, upper case, without padding (what {@code otpauth://} URIs carry). */
    public static String base32(byte[] bytes) {
        StringBuilder sb = new StringBuilder((bytes.length * 8 + 4) / 5);
        int buffer = 0;
        int bits = 0;
        for (byte b : bytes) {
            buffer = (buffer << 8) | (b & 0xFF);
            bits += 8;
            while (bits >= 5) {
                sb.append(BASE32.charAt((buffer >>> (bits - 5)) & 31));
                bits -= 5;
            }
        }
        if (bits > 0) {
            sb.append(BASE32.charAt((buffer << (5 - bits)) & 31));
        }
        return sb.toString();
    }

    /**
     * Decodes base32 (either case, spaces and padding ignored).
     *
     * @throws IllegalArgumentException for a character outside the alphabet
     */
    public static byte[] fromBase32(String text) {
        String s = text.replace(" ", "").replace("=", "").toUpperCase(Locale.ROOT);
        byte[] out = new byte[s.length() * 5 / 8];
        int buffer = 0;
        int bits = 0;
        int n = 0;
        for (int i = 0; i < s.length(); i++) {
            int v = BASE32.indexOf(s.charAt(i));
            if (v < 0) {
                throw new IllegalArgumentException("not base32: character " + (i + 1));
            }
            buffer = (buffer << 5) | v;
            bits += 5;
            if (bits >= 8) {
                out[n++] = (byte) (buffer >>> (bits - 8));
                bits -= 8;
            }
        }
        return out;
    }

    /**
     * The {@code otpauth://totp/} URI authenticator apps read from a QR code (Google Authenticator's Key Uri
     * Format): label {@code issuer:account}, the secret, and the parameters spelled out.
     */
    public static String otpauthUri(String issuer, String account, String base32Secret) {
        String label = encode(issuer) + ":" + encode(account);
        return "otpauth://totp/" + label + "?secret=" + base32Secret + "&issuer=" + encode(issuer)
                + "&algorithm=SHA1&digits=" + DIGITS + "&period=" + STEP_SECONDS;
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
