package dev.parley.pbx.media;

import dev.parley.mediaapi.SrtpSuite;
import dev.parley.sipstack.flow.Transport;
import java.util.Objects;

/**
 * How one leg of a call is protected, for the padlock and the CDR: the transport of its signalling and what its
 * media uses. Never key material.
 *
 * @param signalling the SIP transport of the leg
 * @param suite the SRTP suite of its media, or {@code null} for plain RTP
 */
public record LegSecurity(Transport signalling, SrtpSuite suite) {
    public LegSecurity {
        Objects.requireNonNull(signalling, "signalling");
    }

    public static LegSecurity plain(Transport signalling) {
        return new LegSecurity(signalling, null);
    }

    /** Whether the media is SRTP (and so, by Parley's rules, the signalling TLS). */
    public boolean encrypted() {
        return suite != null;
    }

    /** {@code RTP}, or {@code SRTP} and the suite, as the CDR writes it. */
    public String mediaText() {
        return suite == null ? "RTP" : "SRTP " + suite.sdesName();
    }

    @Override
    public String toString() {
        return signalling + "/" + mediaText();
    }
}
