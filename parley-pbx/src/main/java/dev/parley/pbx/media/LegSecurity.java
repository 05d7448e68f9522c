package dev.parley.pbx.media;

import dev.parley.mediaapi.SrtpSuite;
import dev.parley.sipstack.flow.Transport;
import java.util.Objects;

/**
 * How one leg of a call is protected, for the padlock and the CDR: the transport of its signalling and what its
 * media uses. Never key material.
 *
 * @param signalling the SIP transport of the leg
 * @param suite the SRTP suite of its media, or {@code null} for plain RTP (and for a DTLS-SRTP leg whose
 *     handshake has not finished yet)
 * @param dtls whether the media is DTLS-SRTP (a WebRTC leg): it never carries plain RTP, its keys never cross the
 *     signalling, but the fingerprint that authenticates the handshake does (RFC 5763 §8)
 */
public record LegSecurity(Transport signalling, SrtpSuite suite, boolean dtls) {
    public LegSecurity {
        Objects.requireNonNull(signalling, "signalling");
    }

    /** Plain RTP or SDES-keyed SRTP ({@code suite}, or null for RTP). */
    public LegSecurity(Transport signalling, SrtpSuite suite) {
        this(signalling, suite, false);
    }

    public static LegSecurity plain(Transport signalling) {
        return new LegSecurity(signalling, null, false);
    }

    /** A DTLS-SRTP leg; {@code suite} is null until the handshake has chosen one. */
    public static LegSecurity dtlsSrtp(Transport signalling, SrtpSuite suite) {
        return new LegSecurity(signalling, suite, true);
    }

    /**
     * Whether the padlock may count this leg: SDES-SRTP (whose keys Parley sends only over TLS), or DTLS-SRTP whose
     * fingerprints came over TLS (WSS): over plain WS a man in the middle could swap the fingerprint and the
     * handshake would "succeed" with it (RFC 8827 §6.5, RFC 5763 §8).
     */
    public boolean encrypted() {
        return dtls ? signalling.isSecure() : suite != null;
    }

    /** {@code RTP}, {@code SRTP} and the suite, or {@code DTLS-SRTP} and the suite once known, as the CDR writes it. */
    public String mediaText() {
        if (dtls) {
            return suite == null ? "DTLS-SRTP" : "DTLS-SRTP " + suite.sdesName();
        }
        return suite == null ? "RTP" : "SRTP " + suite.sdesName();
    }

    @Override
    public String toString() {
        return signalling + "/" + mediaText();
    }
}
