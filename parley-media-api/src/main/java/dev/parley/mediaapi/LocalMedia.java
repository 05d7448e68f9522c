package dev.parley.mediaapi;

import java.net.InetSocketAddress;
import java.util.Objects;

/**
 * An open endpoint as the peer must see it: the addresses Parley advertises in its SDP for this leg. RTP is on an
 * even port and RTCP on the next one (RFC 3550 §11); with rtcp-mux (RFC 5761) only {@link #rtp()} is used.
 */
public record LocalMedia(EndpointId id, InetSocketAddress rtp, InetSocketAddress rtcp) {
    public LocalMedia {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(rtp, "rtp");
        Objects.requireNonNull(rtcp, "rtcp");
    }
}
