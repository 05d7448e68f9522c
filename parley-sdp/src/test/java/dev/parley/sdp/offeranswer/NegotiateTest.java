package dev.parley.sdp.offeranswer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.sdp.Fixtures;
import dev.parley.sdp.MediaDescription;
import dev.parley.sdp.Origin;
import dev.parley.sdp.SessionDescription;
import dev.parley.sdp.attribute.Attribute;
import dev.parley.sdp.attribute.Crypto;
import dev.parley.sdp.attribute.CryptoSuite;
import dev.parley.sdp.attribute.MediaDirection;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Parley as offerer: checking the answer (RFC 3264 §6, RFC 4568 §7.1) and the B2BUA chain A → Parley → B. */
class NegotiateTest {

    private static final KeySupplier KEYS = suite -> {
        byte[] k = new byte[suite.keySaltLength()];
        java.util.Arrays.fill(k, (byte) 0x5A);
        return k;
    };
    private static final KeySupplier OTHER_KEYS = suite -> {
        byte[] k = new byte[suite.keySaltLength()];
        java.util.Arrays.fill(k, (byte) 0x33);
        return k;
    };
    private static final List<Codec> G711 = List.of(Codec.of(8, "PCMA", 8000), Codec.of(0, "PCMU", 8000),
            new Codec(101, "telephone-event", 8000, 1, "0-16"));

    private static SessionDescription parleyOffer(SrtpOffer srtp) {
        return OfferAnswer.offer(Origin.of("parley", 9, 1, "203.0.113.5"), "203.0.113.5",
                List.of(MediaOffer.audio(30_000, G711, srtp,
                        List.of(CryptoSuite.AES_CM_128_HMAC_SHA1_80, CryptoSuite.AES_CM_128_HMAC_SHA1_32))),
                KEYS);
    }

    private static SessionDescription peerAnswer(SessionDescription offer, SrtpPolicy policy) {
        AnswerResult r = OfferAnswer.answer(offer, AnswerPolicy.of(List.of(SupportedCodec.audio("PCMU", 8000),
                SupportedCodec.audio("telephone-event", 8000)), policy), Origin.of("b", 1, 1, "198.51.100.9"),
                "198.51.100.9", (i, m) -> 40_000, OTHER_KEYS);
        return ((AnswerResult.Answered) r).answer();
    }

    private static String invalid(SessionDescription offer, SessionDescription answer) {
        NegotiationResult r = OfferAnswer.negotiate(offer, answer);
        assertThat(r).isInstanceOf(NegotiationResult.InvalidAnswer.class);
        return ((NegotiationResult.InvalidAnswer) r).reason();
    }

    @Test
    void parleysOfferIsWellFormedAndCarriesEveryCodecAndKey() {
        SessionDescription offer = parleyOffer(SrtpOffer.MANDATORY);

        assertThat(offer.toSdp()).isEqualTo("v=0\r\no=parley 9 1 IN IP4 203.0.113.5\r\ns=-\r\n"
                + "c=IN IP4 203.0.113.5\r\nt=0 0\r\nm=audio 30000 RTP/SAVP 8 0 101\r\n"
                + "a=rtpmap:8 PCMA/8000\r\na=rtpmap:0 PCMU/8000\r\na=rtpmap:101 telephone-event/8000\r\n"
                + "a=fmtp:101 0-16\r\n"
                + "a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:WlpaWlpaWlpaWlpaWlpaWlpaWlpaWlpaWlpaWlpa\r\n"
                + "a=crypto:2 AES_CM_128_HMAC_SHA1_32 inline:WlpaWlpaWlpaWlpaWlpaWlpaWlpaWlpaWlpaWlpa\r\n"
                + "a=rtcp-mux\r\na=sendrecv\r\n");
        assertThat(parleyOffer(SrtpOffer.BEST_EFFORT).media().get(0).proto()).isEqualTo("RTP/AVP");
        assertThat(parleyOffer(SrtpOffer.NONE).media().get(0).cryptos()).isEmpty();
    }

    @Test
    void validAnswerGivesTheOfferersMediaWithBothKeys() {
        SessionDescription offer = parleyOffer(SrtpOffer.MANDATORY);
        SessionDescription answer = peerAnswer(offer, SrtpPolicy.REQUIRED);

        NegotiationResult r = OfferAnswer.negotiate(offer, answer);
        NegotiatedMedia m = ((NegotiationResult.Negotiated) r).media().get(0);
        assertThat(m.accepted()).isTrue();
        assertThat(m.proto()).isEqualTo("RTP/SAVP");
        assertThat(m.localPort()).isEqualTo(30_000);
        assertThat(m.remoteAddress()).isEqualTo("198.51.100.9");
        assertThat(m.remotePort()).isEqualTo(40_000);
        assertThat(m.rtcpMux()).isTrue();
        assertThat(m.codecs()).extracting(Codec::encodingName).containsExactly("PCMU", "telephone-event");
        assertThat(m.direction()).isEqualTo(MediaDirection.SENDRECV);
        SdesKeys keys = m.sdes().orElseThrow();
        assertThat(keys.tag()).isEqualTo(1);
        assertThat(keys.localMasterKey()).containsOnly((byte) 0x5A);
        assertThat(keys.remoteMasterKey()).containsOnly((byte) 0x33);
    }

    @Test
    void bestEffortOfferAnsweredPlainIsPlainRtp() {
        SessionDescription offer = parleyOffer(SrtpOffer.BEST_EFFORT);
        NegotiationResult r = OfferAnswer.negotiate(offer, peerAnswer(offer, SrtpPolicy.OFF));

        assertThat(((NegotiationResult.Negotiated) r).media().get(0).sdes()).isEmpty();
    }

    @Test
    void rfc3264_6_1_answeredFormatsThatWereNotOfferedAreLeftOutNotAnError() {
        SessionDescription offer = parleyOffer(SrtpOffer.MANDATORY);
        SessionDescription good = peerAnswer(offer, SrtpPolicy.REQUIRED);
        MediaDescription a = good.media().get(0).withFormats(List.of("9", "0", "96"))
                .withAttribute(Attribute.of("rtpmap", "9 G722/8000"));

        NegotiationResult r = OfferAnswer.negotiate(offer, good.withMedia(0, a));
        assertThat(((NegotiationResult.Negotiated) r).media().get(0).codecs()).extracting(Codec::encodingName)
                .containsExactly("PCMU");
    }

    @Test
    void invalidAnswersAreTypedErrors() {
        SessionDescription offer = parleyOffer(SrtpOffer.MANDATORY);
        SessionDescription good = peerAnswer(offer, SrtpPolicy.REQUIRED);
        MediaDescription a = good.media().get(0);

        assertThat(invalid(offer, good.withMedia(List.of()))).isEqualTo("answer has 0 m-lines, the offer 1 "
                + "(RFC 3264 §6)");
        assertThat(invalid(offer, good.withMedia(0, a.withFormats(List.of("9"))
                .withAttribute(Attribute.of("rtpmap", "9 G722/8000")))))
                .isEqualTo("codec G722/8000 was not offered (RFC 3264 §6.1)");
        assertThat(invalid(offer, good.withMedia(0, a.withFormats(List.of("96")))))
                .isEqualTo("payload type 96 has no rtpmap");
        assertThat(invalid(offer, good.withMedia(0, a.withCryptos(List.of(
                Crypto.inline(7, CryptoSuite.AES_CM_128_HMAC_SHA1_80, new byte[30]))))))
                .isEqualTo("a=crypto tag 7 was not offered (RFC 4568 §7.1.3)");
        assertThat(invalid(offer, good.withMedia(0, a.withCryptos(List.of(
                Crypto.inline(1, CryptoSuite.AES_CM_128_HMAC_SHA1_32, new byte[30]))))))
                .isEqualTo("a=crypto tag 1 answered with another suite");
        assertThat(invalid(offer, good.withMedia(0, a.withCryptos(List.of()))))
                .isEqualTo("RTP/SAVP accepted without a=crypto (RFC 4568 §7.1.2)");
        assertThat(invalid(offer, good.withMedia(0, a.withCryptos(List.of(
                Crypto.inline(1, CryptoSuite.AES_CM_128_HMAC_SHA1_80, new byte[30]),
                Crypto.inline(2, CryptoSuite.AES_CM_128_HMAC_SHA1_32, new byte[30]))))))
                .isEqualTo("more than one a=crypto in the answer (RFC 4568 §7.1.2)");
        assertThat(invalid(offer, good.withMedia(0, a.withProto("RTP/AVP"))))
                .isEqualTo("proto RTP/AVP answers RTP/SAVP");
        assertThat(invalid(offer, good.withMedia(0, MediaDescription.builder("video", 4000, "RTP/SAVP")
                .format("31").build()))).isEqualTo("media type video answers audio");

        SessionDescription disabled = offer.withMedia(0, offer.media().get(0).withPort(0));
        assertThat(invalid(disabled, good)).isEqualTo("a stream offered with port 0 was accepted");
        assertThat(OfferAnswer.negotiate(offer, good.withMedia(0, a.withPort(0))))
                .isInstanceOf(NegotiationResult.Negotiated.class);
    }

    @Test
    void b2buaChain_baresipToParleyToAsteriskLikePeer() {
        // Leg A: baresip offers best-effort SDES; leg A's device policy is "preferred".
        SessionDescription offerA = Fixtures.parsed("baresip-1.0-srtp-best-effort.sdp");

        // Parley offers leg B A's codecs (A's numbers), SRTP mandatory per B's policy, its own address and keys.
        List<Codec> aCodecs = Codec.listOf(offerA.media().get(0));
        SessionDescription offerB = OfferAnswer.offer(Origin.of("parley", 5, 1, "203.0.113.5"), "203.0.113.5",
                List.of(MediaOffer.audio(30_002, aCodecs, SrtpOffer.MANDATORY,
                        List.of(CryptoSuite.AES_CM_128_HMAC_SHA1_80))), KEYS);
        assertThat(offerB.media().get(0).formats()).containsExactly("0", "8", "9", "96", "101");

        // B answers PCMU + telephone-event.
        SessionDescription answerB = peerAnswer(offerB, SrtpPolicy.REQUIRED);
        NegotiatedMedia legB = ((NegotiationResult.Negotiated) OfferAnswer.negotiate(offerB, answerB))
                .media().get(0);

        // Parley answers A with what B chose, so the relay needs no transcoding.
        List<SupportedCodec> chosenByB = legB.codecs().stream()
                .map(c -> new SupportedCodec("audio", c.encodingName(), c.clockRate(), c.channels())).toList();
        AnswerResult r = OfferAnswer.answer(offerA, AnswerPolicy.of(chosenByB, SrtpPolicy.PREFERRED),
                Origin.of("parley", 6, 1, "203.0.113.5"), "203.0.113.5", (i, m) -> 30_000, OTHER_KEYS);
        NegotiatedMedia legA = ((AnswerResult.Answered) r).media().get(0);

        assertThat(legA.codecs()).extracting(Codec::payloadType).containsExactly(0, 101);
        assertThat(legB.codecs()).extracting(Codec::payloadType).containsExactly(0, 101);
        assertThat(legA.sdes().orElseThrow().remoteMasterKey())
                .isEqualTo(offerA.media().get(0).cryptos().get(0).masterKey().orElseThrow());
        assertThat(legA.sdes().orElseThrow().localMasterKey()).containsOnly((byte) 0x33);
        assertThat(legB.sdes().orElseThrow().localMasterKey()).containsOnly((byte) 0x5A);
        assertThat(legA.remotePort()).isEqualTo(36072);
        assertThat(legB.remotePort()).isEqualTo(40_000);
    }
}
