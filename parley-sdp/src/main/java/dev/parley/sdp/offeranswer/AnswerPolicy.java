package dev.parley.sdp.offeranswer;

import dev.parley.sdp.attribute.CryptoSuite;
import dev.parley.sdp.attribute.MediaDirection;
import java.util.List;
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
 */
public record AnswerPolicy(List<SupportedCodec> codecs, SrtpPolicy srtp, List<CryptoSuite> suites, boolean rtcpMux,
        MediaDirection localDirection) {

    /** The SDES suites Parley's media plane implements (parley-media-api's {@code SrtpSuite}). */
    public static final List<CryptoSuite> PARLEY_SUITES = List.of(CryptoSuite.AES_CM_128_HMAC_SHA1_80,
            CryptoSuite.AES_CM_128_HMAC_SHA1_32, CryptoSuite.AEAD_AES_128_GCM);

    public AnswerPolicy {
        codecs = List.copyOf(codecs);
        Objects.requireNonNull(srtp, "srtp");
        suites = List.copyOf(suites);
        Objects.requireNonNull(localDirection, "localDirection");
    }

    /** Sendrecv, rtcp-mux allowed, Parley's suites. */
    public static AnswerPolicy of(List<SupportedCodec> codecs, SrtpPolicy srtp) {
        return new AnswerPolicy(codecs, srtp, PARLEY_SUITES, true, MediaDirection.SENDRECV);
    }

    public AnswerPolicy withLocalDirection(MediaDirection direction) {
        return new AnswerPolicy(codecs, srtp, suites, rtcpMux, direction);
    }

    public AnswerPolicy withSrtp(SrtpPolicy policy) {
        return new AnswerPolicy(codecs, policy, suites, rtcpMux, localDirection);
    }

    public AnswerPolicy withRtcpMux(boolean allow) {
        return new AnswerPolicy(codecs, srtp, suites, allow, localDirection);
    }

    public AnswerPolicy withSuites(List<CryptoSuite> allowed) {
        return new AnswerPolicy(codecs, srtp, allowed, rtcpMux, localDirection);
    }

    boolean supports(String media, Codec codec) {
        return codecs.stream().anyMatch(s -> s.matches(media, codec));
    }

    boolean supportsMedia(String media) {
        return codecs.stream().anyMatch(s -> s.media().equals(media));
    }
}
