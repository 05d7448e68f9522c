package dev.parley.mediaapi;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.Objects;

/**
 * Everything the media plane needs to serve one leg after offer/answer, replaced as a whole on every re-INVITE.
 *
 * @param remoteRtp  where the peer's SDP says to send RTP; {@code null} until known. Symmetric RTP latching
 *                   (learning the real source from the first authenticated packets) may override it.
 * @param remoteRtcp where to send RTCP when not multiplexed; {@code null} means RTP port + 1
 * @param rtcpMux    RTP and RTCP share the RTP port (RFC 5761), negotiated with the peer
 * @param formats    the payload formats negotiated on this leg, the first being the one Parley sends
 * @param direction  as in the SDP Parley sent to this leg's peer
 * @param receive    how the peer protects what it sends to Parley (from the peer's {@code a=crypto})
 * @param send       how Parley protects what it sends to the peer (the key Parley offered or answered)
 * @param remoteIce  for a {@link EndpointKind#WEBRTC} leg, the browser's {@code a=ice-ufrag}/{@code a=ice-pwd};
 *                   {@code null} for an RTP leg. A WebRTC leg also has {@code rtcpMux} set and
 *                   {@link Protection.DtlsSrtp} in both directions; its {@code remoteRtp} may be {@code null}
 *                   (browsers hide host candidates behind mDNS names): Parley sends only to the address its
 *                   ICE-lite agent selected from the browser's checks.
 * @param video      for a WebRTC leg bridged to another WebRTC leg, the video formats of the m-line bundled with the
 *                   audio one (RFC 8843): video is relayed between browsers without decoding, only its payload
 *                   type renumbered. Empty when the leg carries no video (every RTP leg).
 */
public record EndpointParameters(
        InetSocketAddress remoteRtp,
        InetSocketAddress remoteRtcp,
        boolean rtcpMux,
        List<PayloadFormat> formats,
        Direction direction,
        Protection receive,
        Protection send,
        IceCredentials remoteIce,
        List<PayloadFormat> video) {

    public EndpointParameters {
        formats = List.copyOf(formats);
        video = List.copyOf(video);
        if (!video.isEmpty() && remoteIce == null) {
            throw new IllegalArgumentException("video is relayed between WebRTC legs only");
        }
        Objects.requireNonNull(direction, "direction");
        Objects.requireNonNull(receive, "receive");
        Objects.requireNonNull(send, "send");
    }

    /** An RTP leg's parameters (no ICE). */
    public EndpointParameters(InetSocketAddress remoteRtp, InetSocketAddress remoteRtcp, boolean rtcpMux,
            List<PayloadFormat> formats, Direction direction, Protection receive, Protection send) {
        this(remoteRtp, remoteRtcp, rtcpMux, formats, direction, receive, send, null, List.of());
    }

    /** Parameters without video. */
    public EndpointParameters(InetSocketAddress remoteRtp, InetSocketAddress remoteRtcp, boolean rtcpMux,
            List<PayloadFormat> formats, Direction direction, Protection receive, Protection send,
            IceCredentials remoteIce) {
        this(remoteRtp, remoteRtcp, rtcpMux, formats, direction, receive, send, remoteIce, List.of());
    }

    /** The same parameters with the bundled video stream's formats (a WebRTC leg only). */
    public EndpointParameters withVideo(List<PayloadFormat> videoFormats) {
        return new EndpointParameters(remoteRtp, remoteRtcp, rtcpMux, formats, direction, receive, send, remoteIce,
                videoFormats);
    }

    /**
     * A browser leg's parameters: rtcp-mux, DTLS-SRTP both ways, the browser's ICE credentials.
     *
     * @param remoteRtp the browser's candidate address from its SDP when it is an IP address, else {@code null}
     */
    public static EndpointParameters webRtc(InetSocketAddress remoteRtp, List<PayloadFormat> formats,
            Direction direction, Protection.DtlsSrtp dtls, IceCredentials remoteIce) {
        Objects.requireNonNull(remoteIce, "remoteIce");
        return new EndpointParameters(remoteRtp, null, true, formats, direction, dtls, dtls, remoteIce);
    }

    /** Whether this is a browser leg (ICE and DTLS-SRTP). */
    public boolean isWebRtc() {
        return remoteIce != null;
    }

    /** Whether both directions of this leg are SRTP. */
    public boolean encrypted() {
        return receive.encrypted() && send.encrypted();
    }
}
