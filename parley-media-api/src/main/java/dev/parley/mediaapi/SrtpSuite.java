package dev.parley.mediaapi;

import java.util.Optional;

/** The SRTP protection profiles Parley speaks, with the lengths SDES (RFC 4568) carries for each. */
public enum SrtpSuite {
    /** RFC 3711 default: AES-128 counter mode, 80-bit HMAC-SHA1 tag. */
    AES_CM_128_HMAC_SHA1_80("AES_CM_128_HMAC_SHA1_80", 16, 14),
    /** As above with a 32-bit RTP tag (RTCP keeps 80 bits, RFC 4568 §6.2.1). */
    AES_CM_128_HMAC_SHA1_32("AES_CM_128_HMAC_SHA1_32", 16, 14),
    /** RFC 7714 AES-GCM with a 12-octet salt. */
    AEAD_AES_128_GCM("AEAD_AES_128_GCM", 16, 12);

    private final String sdesName;
    private final int masterKeyLength;
    private final int masterSaltLength;

    SrtpSuite(String sdesName, int masterKeyLength, int masterSaltLength) {
        this.sdesName = sdesName;
        this.masterKeyLength = masterKeyLength;
        this.masterSaltLength = masterSaltLength;
    }

    /** The crypto-suite name in {@code a=crypto} (RFC 4568 §6.2, RFC 7714 §14.2). */
    public String sdesName() {
        return sdesName;
    }

    public int masterKeyLength() {
        return masterKeyLength;
    }

    public int masterSaltLength() {
        return masterSaltLength;
    }

    public static Optional<SrtpSuite> fromSdesName(String name) {
        for (SrtpSuite suite : values()) {
            if (suite.sdesName.equals(name)) {
                return Optional.of(suite);
            }
        }
        return Optional.empty();
    }
}
