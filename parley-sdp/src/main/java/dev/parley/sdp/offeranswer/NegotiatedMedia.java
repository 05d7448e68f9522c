package dev.parley.sdp.offeranswer;

import dev.parley.sdp.attribute.MediaDirection;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The outcome of offer/answer for one m-line, from Parley's point of view; what the PBX needs to configure the
 * media endpoint of this leg (maps to {@code dev.parley.mediaapi.EndpointParameters}).
 *
 * @param index the m-line's position (0-based)
 * @param media {@code audio}, {@code video}, ...
 * @param accepted false when either side rejected the stream (port 0); then the fields below are empty/0
 * @param proto as negotiated, e.g. {@code RTP/AVP}, {@code RTP/SAVP}
 * @param localPort the RTP port Parley wrote in its SDP for this m-line
 * @param remoteAddress where the peer's SDP says to send RTP (text, never resolved), or null when rejected
 * @param remotePort the peer's RTP port
 * @param remoteRtcpAddress where to send RTCP when not muxed: the peer's {@code a=rtcp} address, else
 *     {@code remoteAddress}
 * @param remoteRtcpPort the peer's {@code a=rtcp} port, else {@code remotePort + 1} (RFC 3550 §11)
 * @param rtcpMux RTP and RTCP on one port (RFC 5761): both sides wrote {@code a=rtcp-mux}
 * @param codecs the payload formats in the peer's numbering (what Parley sends with), first one preferred; the
 *     telephone-event format, when negotiated, is among them
 * @param direction as Parley's SDP says: {@code SENDONLY} means Parley sends and the peer does not
 *     (RFC 3264 §6.1); maps to {@code dev.parley.mediaapi.Direction}
 * @param sdes the SDES keys, empty for plain RTP
 * @param mid the {@code a=mid} of the m-line, or null
 * @param webRtc for a DTLS-SRTP stream (WebRTC leg): the peer's ICE credentials, fingerprints and Parley's DTLS
 *     role; empty otherwise. Never together with {@code sdes} (RFC 8827 §6.5: no SDES on WebRTC legs).
 */
public record NegotiatedMedia(int index, String media, boolean accepted, String proto, int localPort,
        String remoteAddress, int remotePort, String remoteRtcpAddress, int remoteRtcpPort, boolean rtcpMux,
        List<Codec> codecs, MediaDirection direction, Optional<SdesKeys> sdes, String mid,
        Optional<WebRtcPeer> webRtc) {

    public NegotiatedMedia {
        Objects.requireNonNull(media, "media");
        Objects.requireNonNull(proto, "proto");
        codecs = List.copyOf(codecs);
        Objects.requireNonNull(direction, "direction");
        Objects.requireNonNull(sdes, "sdes");
        Objects.requireNonNull(webRtc, "webRtc");
        if (sdes.isPresent() && webRtc.isPresent()) {
            throw new IllegalArgumentException("a stream is keyed by SDES or by DTLS, not both (RFC 8827)");
        }
    }

    /** An RTP or SDES-SRTP stream (no DTLS). */
    public NegotiatedMedia(int index, String media, boolean accepted, String proto, int localPort,
            String remoteAddress, int remotePort, String remoteRtcpAddress, int remoteRtcpPort, boolean rtcpMux,
            List<Codec> codecs, MediaDirection direction, Optional<SdesKeys> sdes, String mid) {
        this(index, media, accepted, proto, localPort, remoteAddress, remotePort, remoteRtcpAddress, remoteRtcpPort,
                rtcpMux, codecs, direction, sdes, mid, Optional.empty());
    }

    static NegotiatedMedia rejected(int index, String media, String proto, String mid) {
        return new NegotiatedMedia(index, media, false, proto, 0, null, 0, null, 0, false, List.of(),
                MediaDirection.INACTIVE, Optional.empty(), mid);
    }

    /** Whether the stream is SRTP: keyed by SDES, or by DTLS once the handshake completes. */
    public boolean encrypted() {
        return sdes.isPresent() || webRtc.isPresent();
    }

    /** The first codec that is not telephone-event: what Parley sends. */
    public Optional<Codec> primaryCodec() {
        return codecs.stream().filter(c -> !c.isTelephoneEvent()).findFirst();
    }

    /** The RFC 4733 telephone-event format, if negotiated. */
    public Optional<Codec> telephoneEvent() {
        return codecs.stream().filter(Codec::isTelephoneEvent).findFirst();
    }
}
