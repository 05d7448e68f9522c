package dev.parley.sip.auth;

import dev.parley.common.Ascii;
import java.util.Optional;

/**
 * The values of the Digest {@code algorithm} parameter (RFC 7616 §3.3, registered in its §6.1; brought to SIP by
 * RFC 8760, which updates RFC 3261 §22.4 beyond MD5).
 *
 * <p>Each value names the hash function {@code H} and whether {@code A1} takes the {@code -sess} form of
 * RFC 7616 §3.4.2. {@code SHA-512-256} is SHA-512/256 of FIPS 180-4 — SHA-512 with its own initial hash value,
 * then truncated — and <em>not</em> the first 256 bits of a plain SHA-512: the two differ in every bit.
 */
public enum DigestAlgorithm {
    /** {@code MD5}: kept for RFC 2617 and RFC 3261 peers only; RFC 7616 §3.3 and RFC 8760 prefer SHA-256. */
    MD5("MD5", "MD5", false),
    /** {@code MD5-sess}. */
    MD5_SESS("MD5-sess", "MD5", true),
    /** {@code SHA-256}. */
    SHA_256("SHA-256", "SHA-256", false),
    /** {@code SHA-256-sess}. */
    SHA_256_SESS("SHA-256-sess", "SHA-256", true),
    /** {@code SHA-512-256}: FIPS 180-4 SHA-512/256. */
    SHA_512_256("SHA-512-256", "SHA-512/256", false),
    /** {@code SHA-512-256-sess}. */
    SHA_512_256_SESS("SHA-512-256-sess", "SHA-512/256", true);

    // values() copies its array on every call; the lookup below runs once per challenge or Authorization header.
    private static final DigestAlgorithm[] VALUES = values();

    private final String token;
    private final String messageDigestName;
    private final boolean session;

    DigestAlgorithm(String token, String messageDigestName, boolean session) {
        this.token = token;
        this.messageDigestName = messageDigestName;
        this.session = session;
    }

    /** The token as RFC 7616 §6.1 registers it and as it is written on the wire, e.g. {@code SHA-256-sess}. */
    public String token() {
        return token;
    }

    /** The name {@link java.security.MessageDigest#getInstance(String)} knows the hash function by. */
    public String messageDigestName() {
        return messageDigestName;
    }

    /** True for the {@code -sess} variants, whose {@code A1} includes the nonce and cnonce (RFC 7616 §3.4.2). */
    public boolean isSession() {
        return session;
    }

    /**
     * Length in hex digits of every value this algorithm produces — {@code response}, {@code H(A1)},
     * {@code userhash}: 32 for MD5, 64 for the others (RFC 7616 §3.4.1, RFC 8760). A received {@code response} of
     * any other length cannot be right and can be refused before any hashing.
     */
    public int hexLength() {
        return this == MD5 || this == MD5_SESS ? 32 : 64;
    }

    /**
     * The algorithm an {@code algorithm} parameter names, compared ignoring the case of ASCII letters only.
     *
     * @return empty for a token no value matches: RFC 7616 §3.3 lets a peer offer algorithms this one does not know
     */
    public static Optional<DigestAlgorithm> fromToken(String token) {
        for (DigestAlgorithm algorithm : VALUES) {
            if (Ascii.equalsIgnoreCase(algorithm.token, token)) {
                return Optional.of(algorithm);
            }
        }
        return Optional.empty();
    }

    /**
     * Like {@link #fromToken}, but a {@code null} token — the parameter was absent — means {@link #MD5}
     * (RFC 7616 §3.3 and RFC 2617 §3.2.1: an absent {@code algorithm} is assumed to be MD5). A parameter
     * that is present but empty or unknown is still empty: it is not the same as no parameter.
     */
    public static Optional<DigestAlgorithm> fromTokenOrDefault(String tokenOrNull) {
        return tokenOrNull == null ? Optional.of(MD5) : fromToken(tokenOrNull);
    }
}
