package dev.parley.mediaapi;

import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A certificate fingerprint as in SDP {@code a=fingerprint} (RFC 8122 §5): a hash function name such as
 * {@code sha-256} and the digest as upper-case hex octets separated by colons. Not a secret: it names a public
 * certificate.
 *
 * @param hashFunction lower case, e.g. {@code sha-256}
 * @param digest       upper case colon-separated hex, e.g. {@code 4A:AD:...}
 */
public record CertificateFingerprint(String hashFunction, String digest) {
    private static final Pattern DIGEST = Pattern.compile("[0-9A-F]{2}(:[0-9A-F]{2})*");

    public CertificateFingerprint {
        Objects.requireNonNull(hashFunction, "hashFunction");
        Objects.requireNonNull(digest, "digest");
        hashFunction = hashFunction.toLowerCase(Locale.ROOT);
        digest = digest.toUpperCase(Locale.ROOT);
        if (hashFunction.isEmpty() || !DIGEST.matcher(digest).matches()) {
            throw new IllegalArgumentException("not an RFC 8122 fingerprint: " + hashFunction + " " + digest);
        }
    }

    /**
     * Parses the value of an {@code a=fingerprint} attribute ({@code "sha-256 4A:AD:..."}); empty when it is not
     * one (RFC 8122 §5 grammar: hash-func SP fingerprint, hex case-insensitive).
     */
    public static Optional<CertificateFingerprint> parse(String attributeValue) {
        String[] parts = attributeValue.trim().split("\\s+");
        if (parts.length != 2) {
            return Optional.empty();
        }
        try {
            return Optional.of(new CertificateFingerprint(parts[0], parts[1]));
        } catch (IllegalArgumentException notHex) {
            return Optional.empty();
        }
    }

    /** The value of the {@code a=fingerprint} attribute: {@code "sha-256 4A:AD:..."}. */
    public String toSdpValue() {
        return hashFunction + " " + digest;
    }

    @Override
    public String toString() {
        return toSdpValue();
    }
}
