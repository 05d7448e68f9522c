package dev.parley.sdp.offeranswer;

import dev.parley.sdp.attribute.CryptoSuite;
import dev.parley.sdp.attribute.MediaDirection;
import java.util.List;
import java.util.Objects;

/**
 * One m-line Parley offers.
 *
 * @param media {@code audio}, {@code video}
 * @param port the local RTP port; 0 offers the stream as disabled (RFC 3264 §8.2, keeps the m-line count)
 * @param codecs in order of preference, with the payload type numbers to use (for a relay: the other leg's)
 * @param suites the {@code a=crypto} lines to offer, in order of preference, tags 1, 2, ...; ignored for
 *     {@link SrtpOffer#NONE}
 * @param mid the {@code a=mid} to write, or null
 */
public record MediaOffer(String media, int port, List<Codec> codecs, MediaDirection direction, SrtpOffer srtp,
        List<CryptoSuite> suites, boolean rtcpMux, String mid) {

    public MediaOffer {
        Objects.requireNonNull(media, "media");
        codecs = List.copyOf(codecs);
        Objects.requireNonNull(direction, "direction");
        Objects.requireNonNull(srtp, "srtp");
        suites = List.copyOf(suites);
        if (srtp != SrtpOffer.NONE && suites.isEmpty()) {
            throw new IllegalArgumentException("an SRTP offer needs at least one suite");
        }
        if (codecs.isEmpty() && port != 0) {
            throw new IllegalArgumentException("an m-line in use needs at least one codec");
        }
    }

    /** Audio, sendrecv, rtcp-mux offered, no mid. */
    public static MediaOffer audio(int port, List<Codec> codecs, SrtpOffer srtp, List<CryptoSuite> suites) {
        return new MediaOffer("audio", port, codecs, MediaDirection.SENDRECV, srtp, suites, true, null);
    }

    public MediaOffer withDirection(MediaDirection d) {
        return new MediaOffer(media, port, codecs, d, srtp, suites, rtcpMux, mid);
    }
}
