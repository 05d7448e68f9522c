package dev.parley.pbx.cdr;

import java.util.Objects;

/**
 * The security and media counters of one leg of a call, as the CDR keeps them.
 *
 * @param signalling the transport the leg's SIP came over: {@code UDP}, {@code TCP}, {@code TLS}, {@code WSS}
 * @param media how its media travelled: {@code RTP}, or {@code SRTP} followed by the suite
 *     ({@code SRTP AES_CM_128_HMAC_SHA1_80}); never key material
 * @param packetsReceived RTP packets Parley received from this leg's peer (from the media plane, at call end)
 * @param packetsSent RTP packets Parley sent to this leg's peer
 */
public record LegRecord(String signalling, String media, long packetsReceived, long packetsSent) {
    public LegRecord {
        Objects.requireNonNull(signalling, "signalling");
        Objects.requireNonNull(media, "media");
    }

    /** Whether this leg's media was SRTP (and so its signalling TLS, which is the only way Parley keys SRTP). */
    public boolean encrypted() {
        return media.startsWith("SRTP");
    }
}
