package dev.parley.sdp.offeranswer;

import dev.parley.sdp.attribute.Fingerprint;
import dev.parley.sdp.attribute.Setup;
import java.util.List;
import java.util.Objects;

/**
 * What a WebRTC peer's SDP says about its transport on one negotiated stream, and the DTLS role that leaves Parley:
 * what the media plane needs to answer the peer's ICE checks and to check the certificate the peer presents.
 *
 * @param iceUfrag the peer's {@code a=ice-ufrag} (RFC 8839 §5.4)
 * @param icePwd the peer's {@code a=ice-pwd}: a secret, never in {@link #toString()}
 * @param fingerprints the peer's {@code a=fingerprint} lines (RFC 8122 §5: the certificate must match one)
 * @param parleySetup {@link Setup#PASSIVE}: Parley is the DTLS server and waits for the peer's ClientHello;
 *     {@link Setup#ACTIVE}: Parley sends it (RFC 5763 §5, RFC 8842 §5.1)
 */
public record WebRtcPeer(String iceUfrag, String icePwd, List<Fingerprint> fingerprints, Setup parleySetup) {
    public WebRtcPeer {
        Objects.requireNonNull(iceUfrag, "iceUfrag");
        Objects.requireNonNull(icePwd, "icePwd");
        fingerprints = List.copyOf(fingerprints);
        if (fingerprints.isEmpty()) {
            throw new IllegalArgumentException("a DTLS-SRTP peer needs at least one fingerprint");
        }
        if (parleySetup != Setup.ACTIVE && parleySetup != Setup.PASSIVE) {
            throw new IllegalArgumentException("Parley's DTLS role is active or passive, not " + parleySetup);
        }
    }

    @Override
    public String toString() {
        return "WebRtcPeer[ufrag " + iceUfrag + ", ice-pwd <redacted>, " + fingerprints.size()
                + " fingerprint(s), Parley " + parleySetup.value() + "]";
    }
}
