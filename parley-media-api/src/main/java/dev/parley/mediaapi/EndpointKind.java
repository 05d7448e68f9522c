package dev.parley.mediaapi;

/** What kind of peer an endpoint serves, chosen when it is opened. */
public enum EndpointKind {
    /**
     * RTP/AVP or RTP/SAVP: plain RTP or SDES-keyed SRTP on an RTP/RTCP port pair, symmetric-RTP latching.
     */
    RTP,
    /**
     * A browser (UDP/TLS/RTP/SAVPF, RFC 8827): Parley is an ICE-lite agent (RFC 8445 §2.5) answering the peer's
     * connectivity checks on one UDP port, SRTP keys come from a DTLS handshake on that port (RFC 5763/5764),
     * rtcp-mux is mandatory (browsers
     * default to the {@code require} policy, RFC 8829 §4.1.1), media goes to the ICE-selected pair only, and consent
     * freshness (RFC 7675) ends the leg when the browser stops answering.
     */
    WEBRTC
}
