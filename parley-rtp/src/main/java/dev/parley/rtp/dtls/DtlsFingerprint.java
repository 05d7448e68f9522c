package dev.parley.rtp.dtls;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Optional;

/**
 * A certificate fingerprint as SDP carries it (RFC 8122 §5): {@code a=fingerprint:sha-256 4A:AD:B9:...}, the hash
 * of the DER encoding of the certificate the peer will present in the DTLS handshake.
 *
 * <p>Parley generates {@code sha-256} (RFC 8122 §5 requires SHA-256 support and RFC 8827 §6.5 forbids MD5/SHA-1
 * for WebRTC) and verifies {@code sha-1}, {@code sha-224}, {@code sha-256}, {@code sha-384} and {@code sha-512};
 * {@code md5} and {@code md2} are refused by {@link #parse}. Hex is written upper case as RFC 8122's grammar says
 * and read in either case, since some implementations write it lower case.
 *
 * @param hashFunction the RFC 8122 hash function name in lower case, e.g. {@code sha-256}
 * @param value the digest
 */
public record DtlsFingerprint(String hashFunction, byte[] value) {
    public static final String SHA_256 = "sha-256";

    /** Longest value we read: SHA-512 is 64 octets, so 191 characters with colons; refuse anything much longer. */
    private static final int MAX_TEXT = 256;

    public DtlsFingerprint {
        hashFunction = hashFunction.toLowerCase(Locale.ROOT);
        if (jcaName(hashFunction).isEmpty()) {
            throw new IllegalArgumentException("unsupported fingerprint hash function: " + hashFunction);
        }
        value = value.clone();
    }

    /** The {@code sha-256} fingerprint of a DER-encoded certificate. */
    public static DtlsFingerprint sha256(byte[] derCertificate) {
        return of(SHA_256, derCertificate);
    }

    /** The fingerprint of a DER-encoded certificate with the named RFC 8122 hash function. */
    public static DtlsFingerprint of(String hashFunction, byte[] derCertificate) {
        String name = hashFunction.toLowerCase(Locale.ROOT);
        return new DtlsFingerprint(name, digest(name, derCertificate));
    }

    /**
     * Reads the value of an {@code a=fingerprint} attribute ({@code "sha-256 AB:CD:..."}). Empty for a hash
     * function Parley does not verify with, a digest of the wrong length, or text that is not colon-separated hex.
     */
    public static Optional<DtlsFingerprint> parse(String attributeValue) {
        if (attributeValue == null || attributeValue.length() > MAX_TEXT) {
            return Optional.empty();
        }
        String text = attributeValue.trim();
        int space = text.indexOf(' ');
        if (space < 0) {
            return Optional.empty();
        }
        String hash = text.substring(0, space).toLowerCase(Locale.ROOT);
        String hex = text.substring(space + 1).trim();
        Optional<String> jca = jcaName(hash);
        if (jca.isEmpty()) {
            return Optional.empty();
        }
        String[] pairs = hex.split(":", -1);
        byte[] value = new byte[pairs.length];
        for (int i = 0; i < pairs.length; i++) {
            if (pairs[i].length() != 2
                    || Character.digit(pairs[i].charAt(0), 16) < 0 || Character.digit(pairs[i].charAt(1), 16) < 0) {
                return Optional.empty();
            }
            value[i] = (byte) Integer.parseInt(pairs[i], 16);
        }
        if (value.length != digestLength(jca.get())) {
            return Optional.empty();
        }
        return Optional.of(new DtlsFingerprint(hash, value));
    }

    /** True when {@code derCertificate} hashes to this fingerprint (constant time in the digest). */
    public boolean matches(byte[] derCertificate) {
        return MessageDigest.isEqual(value, digest(hashFunction, derCertificate));
    }

    /** The attribute value for SDP: {@code sha-256 AB:CD:...} (RFC 8122 §5: upper-case hex pairs). */
    public String toSdpValue() {
        return hashFunction + " " + HexFormat.ofDelimiter(":").withUpperCase().formatHex(value);
    }

    @Override
    public byte[] value() {
        return value.clone();
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof DtlsFingerprint that
                && hashFunction.equals(that.hashFunction) && MessageDigest.isEqual(value, that.value);
    }

    @Override
    public int hashCode() {
        return hashFunction.hashCode() * 31 + java.util.Arrays.hashCode(value);
    }

    @Override
    public String toString() {
        return toSdpValue();
    }

    private static Optional<String> jcaName(String hashFunction) {
        return switch (hashFunction) {
            case "sha-1" -> Optional.of("SHA-1");
            case "sha-224" -> Optional.of("SHA-224");
            case "sha-256" -> Optional.of("SHA-256");
            case "sha-384" -> Optional.of("SHA-384");
            case "sha-512" -> Optional.of("SHA-512");
            default -> Optional.empty();
        };
    }

    private static int digestLength(String jcaName) {
        try {
            return MessageDigest.getInstance(jcaName).getDigestLength();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK lacks " + jcaName, e);
        }
    }

    private static byte[] digest(String hashFunction, byte[] data) {
        String jca = jcaName(hashFunction)
                .orElseThrow(() -> new IllegalArgumentException("unsupported hash function " + hashFunction));
        try {
            return MessageDigest.getInstance(jca).digest(data);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK lacks " + jca, e);
        }
    }
}
