package dev.parley.sdp.offeranswer;

import dev.parley.sdp.attribute.CryptoSuite;
import dev.parley.sdp.attribute.MediaDirection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What Parley accepts when it answers an offer on one leg.
 *
 * @param codecs what the local side can take, any media type; an m-line whose media type has none is rejected.
 *     For a relay this is what the other leg can take, so that no transcoding is needed.
 * @param srtp the leg's media policy
 * @param suites the SDES suites Parley accepts; the first offered line whose suite is here wins (the offerer's
 *     preference, RFC 4568 §7.1.2 lets the answerer pick any acceptable one)
 * @param rtcpMux whether to accept {@code a=rtcp-mux} when offered (RFC 5761 §5.1.1)
 * @param localDirection what Parley wants: {@code SENDRECV} normally; {@code SENDONLY} to put the peer on hold
 *     (Parley plays music, the peer sends nothing), {@code INACTIVE} to stop media. The answer's direction is this
 *     intersected with the reverse of the offer's (RFC 3264 §6.1).
 * @param plainFallback answer an {@code RTP/SAVP} offer whose key Parley will not use (policy {@code OFF}, or
 *     {@code PREFERRED} without an acceptable line) with plain {@code RTP/AVP} instead of rejecting the stream.
 *     Not what RFC 3264 §6.1 and RFC 4568 §7.1.2 ask (the answer keeps the offer's proto), but what a PBX does
 *     when the key came over signalling that cannot keep it secret (UDP, TCP): the key is public, so SRTP with it
 *     would only pretend; plain RTP is honest, and phones that offer SAVP over UDP commonly take it. Off by default.
 * @param mediaDirections {@code localDirection} for the m-lines of one media type, where it differs: a relay whose
 *     other peer takes video receive-only while its audio goes both ways (RFC 3264 §6.1 answers each stream's
 *     direction on its own)
 */
public record AnswerPolicy(List<SupportedCodec> codecs, SrtpPolicy srtp, List<CryptoSuite> suites, boolean rtcpMux,
        MediaDirection localDirection, boolean plainFallback, Map<String, MediaDirection> mediaDirections) {

    /** The SDES suites Parley's media plane implements (parley-media-api's {@code SrtpSuite}). */
    public static final List<CryptoSuite> PARLEY_SUITES = List.of(CryptoSuite.AES_CM_128_HMAC_SHA1_80,
            CryptoSuite.AES_CM_128_HMAC_SHA1_32, CryptoSuite.AEAD_AES_128_GCM);

    public AnswerPolicy {
        codecs = List.copyOf(codecs);
        Objects.requireNonNull(srtp, "srtp");
        suites = List.copyOf(suites);
        Objects.requireNonNull(localDirection, "localDirection");
        mediaDirections = Map.copyOf(mediaDirections);
    }

    public AnswerPolicy(List<SupportedCodec> codecs, SrtpPolicy srtp, List<CryptoSuite> suites, boolean rtcpMux,
            MediaDirection localDirection, boolean plainFallback) {
        this(codecs, srtp, suites, rtcpMux, localDirection, plainFallback, Map.of());
    }

    public AnswerPolicy(List<SupportedCodec> codecs, SrtpPolicy srtp, List<CryptoSuite> suites, boolean rtcpMux,
            MediaDirection localDirection) {
        this(codecs, srtp, suites, rtcpMux, localDirection, false);
    }

    /** Sendrecv, rtcp-mux allowed, Parley's suites. */
    public static AnswerPolicy of(List<SupportedCodec> codecs, SrtpPolicy srtp) {
        return new AnswerPolicy(codecs, srtp, PARLEY_SUITES, true, MediaDirection.SENDRECV);
    }

    public AnswerPolicy withLocalDirection(MediaDirection direction) {
        return new AnswerPolicy(codecs, srtp, suites, rtcpMux, direction, plainFallback, mediaDirections);
    }

    /** {@code direction} for the m-lines of {@code media} only (see {@link #mediaDirections()}). */
    public AnswerPolicy withLocalDirection(String media, MediaDirection direction) {
        Map<String, MediaDirection> directions = new HashMap<>(mediaDirections);
        directions.put(media, Objects.requireNonNull(direction, "direction"));
        return new AnswerPolicy(codecs, srtp, suites, rtcpMux, localDirection, plainFallback, directions);
    }

    /** What Parley wants on an m-line of {@code media}: its own direction if it has one, else the common one. */
    public MediaDirection localDirection(String media) {
        return mediaDirections.getOrDefault(media, localDirection);
    }

    public AnswerPolicy withSrtp(SrtpPolicy policy) {
        return new AnswerPolicy(codecs, policy, suites, rtcpMux, localDirection, plainFallback, mediaDirections);
    }

    public AnswerPolicy withRtcpMux(boolean allow) {
        return new AnswerPolicy(codecs, srtp, suites, allow, localDirection, plainFallback, mediaDirections);
    }

    public AnswerPolicy withSuites(List<CryptoSuite> allowed) {
        return new AnswerPolicy(codecs, srtp, allowed, rtcpMux, localDirection, plainFallback, mediaDirections);
    }

    public AnswerPolicy withCodecs(List<SupportedCodec> supported) {
        return new AnswerPolicy(supported, srtp, suites, rtcpMux, localDirection, plainFallback, mediaDirections);
    }

    /** See {@link #plainFallback()}. */
    public AnswerPolicy withPlainFallback(boolean allow) {
        return new AnswerPolicy(codecs, srtp, suites, rtcpMux, localDirection, allow, mediaDirections);
    }

    boolean supports(String media, Codec codec) {
        for (SupportedCodec s : codecs) { // a loop, not a stream: once per offered codec per answer
            if (s.matches(media, codec)) {
                return true;
            }
        }
        return false;
    }

    boolean supportsMedia(String media) {
        for (SupportedCodec s : codecs) {
            if (s.media().equals(media)) {
                return true;
            }
        }
        return false;
    }
}
