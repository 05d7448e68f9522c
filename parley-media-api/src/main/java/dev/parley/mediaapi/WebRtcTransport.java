package dev.parley.mediaapi;

import java.util.Objects;

/**
 * What Parley's SDP must advertise for a {@link EndpointKind#WEBRTC} endpoint besides its address: Parley's ICE
 * credentials (Parley is ice-lite: {@code a=ice-lite}, one host candidate = {@link LocalMedia#rtp()}, component 1,
 * {@code a=rtcp-mux}) and the fingerprint of the DTLS certificate the endpoint presents ({@code a=fingerprint}).
 */
public record WebRtcTransport(IceCredentials ice, CertificateFingerprint fingerprint) {
    public WebRtcTransport {
        Objects.requireNonNull(ice, "ice");
        Objects.requireNonNull(fingerprint, "fingerprint");
    }
}
