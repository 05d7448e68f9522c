package dev.parley.rtp.srtp;

import java.util.Optional;

/**
 * The SRTP protection profiles Parley speaks, with the sizes the media plane needs to reserve room. Names are the
 * SDES crypto-suite names (RFC 4568 §6.2, RFC 7714 §14.2); DTLS-SRTP maps its own profile ids onto these.
 *
 * <table>
 * <caption>Sizes in octets</caption>
 * <tr><th>profile</th><th>master key</th><th>master salt</th><th>RTP overhead</th><th>RTCP overhead</th></tr>
 * <tr><td>AES_CM_128_HMAC_SHA1_80</td><td>16</td><td>14</td><td>10 (tag)</td><td>14 (E+index, tag)</td></tr>
 * <tr><td>AES_CM_128_HMAC_SHA1_32</td><td>16</td><td>14</td><td>4 (tag)</td><td>14 (RTCP keeps the 80-bit tag,
 * RFC 4568 §6.2.1)</td></tr>
 * <tr><td>AEAD_AES_128_GCM</td><td>16</td><td>12</td><td>16 (tag)</td><td>20 (tag, E+index)</td></tr>
 * </table>
 */
public enum SrtpProfile {
    AES_CM_128_HMAC_SHA1_80(14, 10, 10, false),
    AES_CM_128_HMAC_SHA1_32(14, 4, 10, false),
    AEAD_AES_128_GCM(12, 16, 16, true);

    /** RFC 3711 §3.4: the SRTCP trailer word, E flag and 31-bit index. */
    static final int SRTCP_INDEX_LENGTH = 4;

    private final int saltLength;
    private final int rtpTagLength;
    private final int rtcpTagLength;
    private final boolean aead;

    SrtpProfile(int saltLength, int rtpTagLength, int rtcpTagLength, boolean aead) {
        this.saltLength = saltLength;
        this.rtpTagLength = rtpTagLength;
        this.rtcpTagLength = rtcpTagLength;
        this.aead = aead;
    }

    public int masterKeyLength() {
        return 16;
    }

    public int masterSaltLength() {
        return saltLength;
    }

    /** Octets {@code protectRtp} appends: the authentication tag. */
    public int rtpOverhead() {
        return rtpTagLength;
    }

    /** Octets {@code protectRtcp} appends: the E flag with the SRTCP index, and the tag. */
    public int rtcpOverhead() {
        return rtcpTagLength + SRTCP_INDEX_LENGTH;
    }

    int rtpTagLength() {
        return rtpTagLength;
    }

    int rtcpTagLength() {
        return rtcpTagLength;
    }

    boolean aead() {
        return aead;
    }

    /** The SDES crypto-suite name, e.g. {@code AES_CM_128_HMAC_SHA1_80}. */
    public String sdesName() {
        return name();
    }

    /** The profile an SDES {@code a=crypto} line names (exact, case-sensitive as RFC 4568 §9.2 registers it). */
    public static Optional<SrtpProfile> fromSdesName(String name) {
        for (SrtpProfile profile : values()) {
            if (profile.name().equals(name)) {
                return Optional.of(profile);
            }
        }
        return Optional.empty();
    }
}
