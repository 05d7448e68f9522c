package dev.parley.pbx.media;

import dev.parley.mediaapi.PayloadFormat;
import dev.parley.sdp.attribute.Crypto;
import dev.parley.sdp.attribute.MediaDirection;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Objects;

/**
 * What a peer's offer or answer says about the one audio stream Parley anchors.
 *
 * @param index the stream's m-line index in the peer's SDP (an answer keeps the offer's m-lines, RFC 3264 §6)
 * @param proto the transport protocol of the m-line ({@code RTP/AVP}, {@code RTP/SAVP})
 * @param formats the payload formats in the peer's numbering and order of preference
 * @param remoteRtp where the peer receives RTP, or {@code null} when it gave none (a {@code 0.0.0.0} hold, or a
 *     host name Parley does not resolve): symmetric RTP latching finds it
 * @param remoteRtcp where it receives RTCP ({@code a=rtcp}, RFC 3605), or {@code null} for RTP port + 1
 * @param rtcpMux whether it offered or accepted {@code a=rtcp-mux} (RFC 5761)
 * @param direction the direction as the peer wrote it (its point of view)
 * @param crypto the peer's {@code a=crypto} Parley will decrypt with, or {@code null} for plain RTP
 */
public record PeerMedia(int index, String proto, List<PayloadFormat> formats, InetSocketAddress remoteRtp,
        InetSocketAddress remoteRtcp, boolean rtcpMux, MediaDirection direction, Crypto crypto) {
    public PeerMedia {
        Objects.requireNonNull(proto, "proto");
        formats = List.copyOf(formats);
        Objects.requireNonNull(direction, "direction");
    }

    /** Key material stays out: the crypto shows as its suite only. */
    @Override
    public String toString() {
        return "PeerMedia[m=" + index + " " + proto + " " + formats.stream().map(f -> f.encodingName()
                + "/" + f.payloadType()).toList() + " rtp=" + remoteRtp + " mux=" + rtcpMux + " " + direction
                + (crypto == null ? " RTP" : " SRTP " + crypto.suite()) + "]";
    }
}
