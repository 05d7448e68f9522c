package dev.parley.sdp.attribute;

import dev.parley.common.Ascii;
import java.util.Optional;

/**
 * {@code a=fingerprint:<hash function> <hex bytes separated by ':'>} (RFC 8122 §5): the certificate hash DTLS
 * must match. Not secret.
 */
public record Fingerprint(String hashFunction, String fingerprint) {
    public static final String NAME = "fingerprint";

    public Fingerprint {
        if (!SdpText.isToken(hashFunction) || !isHexPairs(fingerprint)) {
            throw new IllegalArgumentException("malformed fingerprint");
        }
    }

    public static Optional<Fingerprint> parse(String value) {
        // The constructor states what is valid; a value it refuses is malformed input, not a bug.
        return SdpText.attempt(() -> parseFields(value));
    }

    private static Optional<Fingerprint> parseFields(String value) {
        String[] p = SdpText.splitFirstSpace(value);
        if (p == null || !SdpText.isToken(p[0]) || !isHexPairs(p[1])) {
            return Optional.empty();
        }
        return Optional.of(new Fingerprint(p[0], p[1]));
    }

    /** RFC 8122 §5: {@code 2UHEX *(":" 2UHEX)}; lower case is accepted as browsers and some phones send it. */
    private static boolean isHexPairs(String s) {
        if (s.length() < 2 || s.length() % 3 != 2) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            boolean hex = (c >= '0' && c <= '9') || (c >= 'A' && c <= 'F') || (c >= 'a' && c <= 'f');
            if (i % 3 == 2 ? c != ':' : !hex) {
                return false;
            }
        }
        return true;
    }

    /** The hash bytes. */
    public byte[] bytes() {
        byte[] out = new byte[(fingerprint.length() + 1) / 3];
        for (int i = 0; i < out.length; i++) {
            out[i] = (byte) Integer.parseInt(fingerprint.substring(3 * i, 3 * i + 2), 16);
        }
        return out;
    }

    /** Hash function names are case-insensitive (RFC 8122 §5: "sha-256" / "SHA-256"). */
    public String hashFunctionLowerCase() {
        return Ascii.toLowerCase(hashFunction);
    }

    public String value() {
        return hashFunction + " " + fingerprint;
    }

    public Attribute toAttribute() {
        return new Attribute(NAME, value());
    }
}
