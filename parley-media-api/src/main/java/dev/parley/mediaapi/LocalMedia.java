package dev.parley.mediaapi;

import java.net.InetSocketAddress;
import java.util.Objects;

/**
 * An open endpoint as the peer must see it: the addresses Parley advertises in its SDP for this leg. RTP is on an
 * even port and RTCP on the next one (RFC 3550 §11); with rtcp-mux (RFC 5761) only {@link #rtp()} is used.
 *
 * @param webRtc for a {@link EndpointKind#WEBRTC} endpoint, the ICE credentials and DTLS fingerprint Parley
 *               advertises (its one host candidate is {@link #rtp()}, rtcp-mux only; {@link #rtcp()} is then the
 *               same address); {@code null} for an RTP endpoint
 */
public record LocalMedia(EndpointId id, InetSocketAddress rtp, InetSocketAddress rtcp, WebRtcTransport webRtc) {
    public LocalMedia {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(rtp, "rtp");
        Objects.requireNonNull(rtcp, "rtcp");
    }

    /** An RTP endpoint's addresses. */
    public LocalMedia(EndpointId id, InetSocketAddress rtp, InetSocketAddress rtcp) {
        this(id, rtp, rtcp, null);
    }

    /** Whether this is a browser's endpoint ({@link #webRtc()} is set). */
    public boolean isWebRtc() {
        return webRtc != null;
    }
}
