package dev.parley.mediaapi;

import java.util.Objects;

/**
 * What the PBX asks for when it opens an endpoint.
 *
 * @param label who the endpoint serves, for logs and statistics only (for example {@code "<call-id>/caller"});
 *              never key material
 * @param near  an affinity hint, or {@code null}: open on the same media thread as {@code near} when it is still
 *              open, so a later bridge needs no move
 * @param kind  the peer's kind: {@link EndpointKind#RTP} (the default) or {@link EndpointKind#WEBRTC}, whose
 *              {@link LocalMedia#webRtc()} then carries the ICE credentials and certificate fingerprint to advertise
 */
public record EndpointRequest(String label, EndpointId near, EndpointKind kind) {
    public EndpointRequest {
        Objects.requireNonNull(label, "label");
        Objects.requireNonNull(kind, "kind");
    }

    /** An RTP endpoint, on the same media thread as {@code near} when that is still open. */
    public EndpointRequest(String label, EndpointId near) {
        this(label, near, EndpointKind.RTP);
    }

    /** An RTP endpoint with no affinity: it opens on whichever media thread is next. */
    public EndpointRequest(String label) {
        this(label, null, EndpointKind.RTP);
    }

    /** A browser's endpoint (ICE-lite, DTLS-SRTP, rtcp-mux), on the same media thread as {@code near} if open. */
    public static EndpointRequest webRtc(String label, EndpointId near) {
        return new EndpointRequest(label, near, EndpointKind.WEBRTC);
    }
}
