package dev.parley.rtp.ice;

import java.util.Objects;
import java.util.random.RandomGenerator;

/**
 * A local ICE username fragment and password (RFC 8445 §5.3, grammar RFC 8839 §5.4): {@code ice-char} =
 * ALPHA / DIGIT / "+" / "/", ufrag 4..256 and password 22..256 characters. {@link #toString()} redacts the
 * password (it keys MESSAGE-INTEGRITY, like an SRTP key).
 */
public record IceCredentials(String ufrag, String password) {
    /** 8 characters = 48 random bits (RFC 8445 §5.3 asks for at least 24): unique enough to route by. */
    public static final int UFRAG_LENGTH = 8;
    /** 24 characters = 144 random bits (RFC 8445 §5.3 asks for at least 128). */
    public static final int PASSWORD_LENGTH = 24;

    private static final char[] ICE_CHARS =
            "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".toCharArray();

    public IceCredentials {
        Objects.requireNonNull(ufrag, "ufrag");
        Objects.requireNonNull(password, "password");
        check("ufrag", ufrag, 4);
        check("password", password, 22);
    }

    private static void check(String what, String value, int min) {
        if (value.length() < min || value.length() > 256) {
            throw new IllegalArgumentException("ICE " + what + " must have " + min + "..256 characters, not "
                    + value.length());
        }
        for (int i = 0; i < value.length(); i++) {
            if (!isIceChar(value.charAt(i))) {
                throw new IllegalArgumentException("ICE " + what + " may hold only ALPHA, DIGIT, '+' and '/'");
            }
        }
    }

    static boolean isIceChar(char c) {
        return c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '+' || c == '/';
    }

    /**
     * Fresh credentials from {@code random}, which must be a cryptographically strong generator in production
     * (a {@code java.security.SecureRandom}): the password is what keeps others from answering for the browser.
     */
    public static IceCredentials random(RandomGenerator random) {
        return new IceCredentials(randomChars(random, UFRAG_LENGTH), randomChars(random, PASSWORD_LENGTH));
    }

    private static String randomChars(RandomGenerator random, int n) {
        char[] chars = new char[n];
        for (int i = 0; i < n; i++) {
            chars[i] = ICE_CHARS[random.nextInt(ICE_CHARS.length)];
        }
        return new String(chars);
    }

    @Override
    public String toString() {
        return "IceCredentials[ufrag=" + ufrag + ", password=<redacted>]";
    }
}
