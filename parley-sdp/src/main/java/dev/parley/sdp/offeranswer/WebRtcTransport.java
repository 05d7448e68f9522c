package dev.parley.sdp.offeranswer;

import dev.parley.sdp.attribute.Fingerprint;
import java.util.Objects;

/**
 * Parley's side of one WebRTC leg's transport, as its SDP announces it: the ICE-lite credentials of its endpoint
 * (RFC 8839 §5.4) and the fingerprint of the DTLS certificate it presents (RFC 8122). The host candidate is the
 * endpoint's address and port, which the offer/answer functions already take. Handed in like {@link KeySupplier},
 * so the functions stay pure.
 *
 * <p>{@link #toString()} never shows the password: with it anyone could answer ICE checks in Parley's name.
 */
public record WebRtcTransport(String iceUfrag, String icePwd, Fingerprint fingerprint) {
    public WebRtcTransport {
        Objects.requireNonNull(iceUfrag, "iceUfrag");
        Objects.requireNonNull(icePwd, "icePwd");
        Objects.requireNonNull(fingerprint, "fingerprint");
    }

    @Override
    public String toString() {
        return "WebRtcTransport[ufrag " + iceUfrag + ", " + fingerprint.hashFunction() + "]";
    }
}
