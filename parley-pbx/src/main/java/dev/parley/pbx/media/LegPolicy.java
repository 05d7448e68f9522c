package dev.parley.pbx.media;

import dev.parley.pbx.directory.MediaPolicy;
import dev.parley.sipstack.flow.Transport;
import java.util.Objects;

/**
 * What one leg may do with SRTP: the account's {@link MediaPolicy} and the transport its signalling uses.
 *
 * @param policy the media policy of the device (later: trunk) on this leg
 * @param signalling the SIP transport of this leg's flow
 */
public record LegPolicy(MediaPolicy policy, Transport signalling) {
    public LegPolicy {
        Objects.requireNonNull(policy, "policy");
        Objects.requireNonNull(signalling, "signalling");
    }

    /**
     * Whether SDES keys may cross this leg's signalling: only over TLS (or WSS), because RFC 4568 §8.3 puts the
     * master key in the SDP in clear and relies on the signalling to keep it secret; a key sent over UDP or TCP is
     * a key every on-path observer has. And never when the account's policy is {@code off}.
     */
    public boolean maySendKeys() {
        return signalling.isSecure() && policy != MediaPolicy.OFF;
    }

    /**
     * Whether the leg's signalling is a WebSocket (RFC 7118): only browsers speak it, so the leg is a WebRTC leg
     * (ICE-lite, DTLS-SRTP) whatever its offer says.
     */
    public boolean webSocket() {
        return signalling == Transport.WS || signalling == Transport.WSS;
    }

    /** SRTP or nothing. */
    public boolean requiresSrtp() {
        return policy == MediaPolicy.REQUIRED;
    }
}
