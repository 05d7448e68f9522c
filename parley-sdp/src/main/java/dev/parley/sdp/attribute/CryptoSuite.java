package dev.parley.sdp.attribute;

import java.util.Optional;

/**
 * The SRTP crypto-suites an {@code a=crypto} line may name (RFC 4568 §6.2, RFC 6188, RFC 7714 §14.2) with the
 * master key and salt lengths the inline key carries. Names match {@code dev.parley.mediaapi.SrtpSuite#sdesName}.
 */
public enum CryptoSuite {
    AES_CM_128_HMAC_SHA1_80(16, 14),
    AES_CM_128_HMAC_SHA1_32(16, 14),
    F8_128_HMAC_SHA1_80(16, 14),
    AES_192_CM_HMAC_SHA1_80(24, 14),
    AES_192_CM_HMAC_SHA1_32(24, 14),
    AES_256_CM_HMAC_SHA1_80(32, 14),
    AES_256_CM_HMAC_SHA1_32(32, 14),
    AEAD_AES_128_GCM(16, 12),
    AEAD_AES_256_GCM(32, 12);

    private final int masterKeyLength;
    private final int masterSaltLength;

    CryptoSuite(int masterKeyLength, int masterSaltLength) {
        this.masterKeyLength = masterKeyLength;
        this.masterSaltLength = masterSaltLength;
    }

    /** The name as written in {@code a=crypto}. */
    public String sdesName() {
        return name();
    }

    public int masterKeyLength() {
        return masterKeyLength;
    }

    public int masterSaltLength() {
        return masterSaltLength;
    }

    /** Length of the inline key: master key followed by master salt (RFC 4568 §6.1). */
    public int keySaltLength() {
        return masterKeyLength + masterSaltLength;
    }

    /** Suite names are case-sensitive (RFC 4568 §9.2: the grammar is literal upper case). */
    public static Optional<CryptoSuite> fromSdesName(String name) {
        for (CryptoSuite s : values()) {
            if (s.name().equals(name)) {
                return Optional.of(s);
            }
        }
        return Optional.empty();
    }
}
