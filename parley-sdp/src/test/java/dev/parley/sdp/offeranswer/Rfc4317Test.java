package dev.parley.sdp.offeranswer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.sdp.MediaDescription;
import dev.parley.sdp.Origin;
import dev.parley.sdp.SdpParser;
import dev.parley.sdp.SessionDescription;
import dev.parley.sdp.attribute.MediaDirection;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The offer/answer examples of RFC 4317 (SDP Offer/Answer Examples), Parley playing Bob (the answerer) with
 * Bob's capabilities from the text, and Parley playing Alice (checking Bob's answer from the text). The SDP is
 * the RFC's, with line ends made CRLF; Bob's answers are compared field by field (Parley always writes rtpmap and
 * an explicit direction, which the RFC's answers leave out).
 */
class Rfc4317Test {

    private static final Origin BOB = Origin.of("bob", 2808844564L, 2808844564L, "host.biloxi.example.com");
    private static final KeySupplier NO_KEYS = suite -> {
        throw new AssertionError("no SRTP in RFC 4317");
    };

    private static SessionDescription sdp(String... lines) {
        return SdpParser.parse(String.join("\r\n", lines) + "\r\n").orElseThrow();
    }

    private static final SessionDescription ALICE_AV = sdp(
            "v=0",
            "o=alice 2890844526 2890844526 IN IP4 host.atlanta.example.com",
            "s=",
            "c=IN IP4 host.atlanta.example.com",
            "t=0 0",
            "m=audio 49170 RTP/AVP 0 8 97",
            "a=rtpmap:0 PCMU/8000",
            "a=rtpmap:8 PCMA/8000",
            "a=rtpmap:97 iLBC/8000",
            "m=video 51372 RTP/AVP 31 32",
            "a=rtpmap:31 H261/90000",
            "a=rtpmap:32 MPV/90000");

    private static AnswerResult.Answered answerAsBob(SessionDescription offer, AnswerPolicy policy) {
        int[] next = {49174};
        AnswerResult r = OfferAnswer.answer(offer, policy, BOB, "host.biloxi.example.com",
                (i, m) -> next[0]++, NO_KEYS);
        assertThat(r).isInstanceOf(AnswerResult.Answered.class);
        AnswerResult.Answered a = (AnswerResult.Answered) r;
        // Whatever Parley answers must read back as the same description.
        assertThat(SdpParser.parse(a.answer().toSdp()).orElseThrow()).isEqualTo(a.answer());
        assertThat(a.answer().media()).hasSameSizeAs(offer.media());
        return a;
    }

    private static NegotiationResult.Negotiated negotiated(SessionDescription offer, SessionDescription answer) {
        NegotiationResult r = OfferAnswer.negotiate(offer, answer);
        assertThat(r).isInstanceOf(NegotiationResult.Negotiated.class);
        return (NegotiationResult.Negotiated) r;
    }

    @Test
    void section2_1_audioAndVideo1_bobPicksPcmuAndMpv() {
        AnswerPolicy bob = AnswerPolicy.of(List.of(SupportedCodec.audio("PCMU", 8000),
                new SupportedCodec("video", "MPV", 90000, 1)), SrtpPolicy.OFF);
        AnswerResult.Answered a = answerAsBob(ALICE_AV, bob);

        MediaDescription audio = a.answer().media().get(0);
        MediaDescription video = a.answer().media().get(1);
        assertThat(audio.formats()).containsExactly("0");
        assertThat(video.formats()).containsExactly("32");
        assertThat(audio.proto()).isEqualTo("RTP/AVP");
        assertThat(a.answer().connection().orElseThrow().address()).isEqualTo("host.biloxi.example.com");
        assertThat(a.answer().timing()).isEqualTo(ALICE_AV.timing());
        assertThat(a.media().get(0).remoteAddress()).isEqualTo("host.atlanta.example.com");
        assertThat(a.media().get(0).remotePort()).isEqualTo(49170);
        assertThat(a.media().get(0).remoteRtcpPort()).isEqualTo(49171);
        assertThat(a.media().get(1).codecs()).containsExactly(new Codec(32, "MPV", 90000, 1, ""));

        // Alice's side, with Bob's answer as RFC 4317 writes it.
        SessionDescription bobAnswer = sdp(
                "v=0",
                "o=bob 2808844564 2808844564 IN IP4 host.biloxi.example.com",
                "s=",
                "c=IN IP4 host.biloxi.example.com",
                "t=0 0",
                "m=audio 49174 RTP/AVP 0",
                "a=rtpmap:0 PCMU/8000",
                "m=video 49170 RTP/AVP 32",
                "a=rtpmap:32 MPV/90000");
        List<NegotiatedMedia> alice = negotiated(ALICE_AV, bobAnswer).media();
        assertThat(alice.get(0).codecs()).containsExactly(Codec.of(0, "PCMU", 8000));
        assertThat(alice.get(0).remoteAddress()).isEqualTo("host.biloxi.example.com");
        assertThat(alice.get(0).remotePort()).isEqualTo(49174);
        assertThat(alice.get(0).localPort()).isEqualTo(49170);
        assertThat(alice.get(0).direction()).isEqualTo(MediaDirection.SENDRECV);
        assertThat(alice.get(1).codecs()).containsExactly(new Codec(32, "MPV", 90000, 1, ""));
        assertThat(alice.get(1).remotePort()).isEqualTo(49170);
    }

    @Test
    void section2_2_audioAndVideo2_bobRejectsVideoWithPortZero() {
        AnswerPolicy bob = AnswerPolicy.of(List.of(SupportedCodec.audio("PCMU", 8000),
                SupportedCodec.audio("PCMA", 8000)), SrtpPolicy.OFF);
        AnswerResult.Answered a = answerAsBob(ALICE_AV, bob);

        assertThat(a.answer().media().get(0).formats()).containsExactly("0", "8");
        MediaDescription video = a.answer().media().get(1);
        assertThat(video.port()).isZero();
        assertThat(video.formats()).containsExactly("31", "32");
        assertThat(a.media().get(1).accepted()).isFalse();

        SessionDescription bobAnswer = sdp("v=0", "o=bob 2808844564 2808844564 IN IP4 host.biloxi.example.com", "s=",
                "c=IN IP4 host.biloxi.example.com", "t=0 0", "m=audio 49172 RTP/AVP 0 8", "a=rtpmap:0 PCMU/8000",
                "a=rtpmap:8 PCMA/8000", "m=video 0 RTP/AVP 31", "a=rtpmap:31 H261/90000");
        List<NegotiatedMedia> alice = negotiated(ALICE_AV, bobAnswer).media();
        assertThat(alice.get(0).codecs()).extracting(Codec::encodingName).containsExactly("PCMU", "PCMA");
        assertThat(alice.get(1).accepted()).isFalse();

        // Alice then settles on PCMU alone and keeps the rejected video m-line at port 0 (RFC 3264 §8.2).
        SessionDescription second = sdp("v=0", "o=alice 2890844526 2890844527 IN IP4 host.atlanta.example.com",
                "s=", "c=IN IP4 host.atlanta.example.com", "t=0 0", "m=audio 51372 RTP/AVP 0",
                "a=rtpmap:0 PCMU/8000", "m=video 0 RTP/AVP 31", "a=rtpmap:31 H261/90000");
        AnswerResult.Answered again = answerAsBob(second, bob);
        assertThat(again.answer().media().get(0).formats()).containsExactly("0");
        assertThat(again.answer().media().get(1).port()).isZero();
    }

    @Test
    void section2_4_twoAudioStreams_dtmfAloneInTheSecondIsAcceptedAndDirectionReversed() {
        SessionDescription offer = sdp("v=0", "o=alice 2890844526 2890844526 IN IP4 host.atlanta.example.com",
                "s=", "c=IN IP4 host.atlanta.example.com", "t=0 0",
                "m=audio 49170 RTP/AVP 0 97", "a=rtpmap:0 PCMU/8000", "a=rtpmap:97 iLBC/8000",
                "m=audio 49172 RTP/AVP 98", "a=rtpmap:98 telephone-event/8000", "a=sendonly");
        AnswerPolicy bob = AnswerPolicy.of(List.of(SupportedCodec.audio("iLBC", 8000),
                SupportedCodec.audio("telephone-event", 8000)), SrtpPolicy.OFF);
        AnswerResult.Answered a = answerAsBob(offer, bob);

        assertThat(a.answer().media().get(0).formats()).containsExactly("97");
        assertThat(a.answer().media().get(1).formats()).containsExactly("98");
        assertThat(a.answer().media().get(1).direction()).contains(MediaDirection.RECVONLY);
        assertThat(a.media().get(1).direction()).isEqualTo(MediaDirection.RECVONLY);
        assertThat(a.media().get(1).telephoneEvent()).isPresent();
    }

    @Test
    void section2_6_audioOnly_telephoneEventKeptOnlyAtTheRateOfAChosenCodec() {
        SessionDescription offer = sdp("v=0", "o=alice 2890844526 2890844526 IN IP4 host.atlanta.example.com",
                "s=", "c=IN IP4 host.atlanta.example.com", "t=0 0",
                "m=audio 49170 RTP/AVP 0 8 97 98 99", "a=rtpmap:0 PCMU/8000", "a=rtpmap:8 PCMA/8000",
                "a=rtpmap:97 iLBC/8000", "a=rtpmap:98 telephone-event/8000", "a=fmtp:98 0-16",
                "a=rtpmap:99 telephone-event/16000");
        AnswerPolicy bob = AnswerPolicy.of(List.of(SupportedCodec.audio("PCMU", 8000),
                SupportedCodec.audio("telephone-event", 8000), SupportedCodec.audio("telephone-event", 16000)),
                SrtpPolicy.OFF);
        AnswerResult.Answered a = answerAsBob(offer, bob);

        assertThat(a.answer().media().get(0).formats()).containsExactly("0", "98");
        assertThat(a.media().get(0).telephoneEvent()).contains(new Codec(98, "telephone-event", 8000, 1, "0-16"));
        assertThat(a.answer().media().get(0).fmtp(98).orElseThrow().parameters()).isEqualTo("0-16");

        AnswerPolicy noDtmf = AnswerPolicy.of(List.of(SupportedCodec.audio("PCMU", 8000)), SrtpPolicy.OFF);
        assertThat(answerAsBob(offer, noDtmf).media().get(0).telephoneEvent()).isEmpty();
    }

    @Test
    void section3_1_holdAndUnhold_sendonlyIsAnsweredRecvonlyAndBack() {
        AnswerPolicy bob = AnswerPolicy.of(List.of(SupportedCodec.audio("PCMU", 8000)), SrtpPolicy.OFF);
        SessionDescription call = sdp("v=0", "o=alice 2890844526 2890844527 IN IP4 host.atlanta.example.com",
                "s=", "c=IN IP4 host.atlanta.example.com", "t=0 0", "m=audio 49170 RTP/AVP 0",
                "a=rtpmap:0 PCMU/8000");
        SessionDescription hold = call.withMedia(0, call.media().get(0).withDirection(MediaDirection.SENDONLY));
        SessionDescription unhold = hold.withMedia(0, hold.media().get(0).withDirection(MediaDirection.SENDRECV));

        assertThat(answerAsBob(hold, bob).answer().media().get(0).direction()).contains(MediaDirection.RECVONLY);
        assertThat(answerAsBob(unhold, bob).answer().media().get(0).direction())
                .contains(MediaDirection.SENDRECV);
        SessionDescription inactive = call.withMedia(0, call.media().get(0).withDirection(MediaDirection.INACTIVE));
        assertThat(answerAsBob(inactive, bob).media().get(0).direction()).isEqualTo(MediaDirection.INACTIVE);

        // Alice's view of Bob's recvonly answer to her sendonly offer: she sends, he does not.
        SessionDescription bobAnswer = sdp("v=0", "o=bob 2808844564 2808844565 IN IP4 host.biloxi.example.com",
                "s=", "c=IN IP4 host.biloxi.example.com", "t=0 0", "m=audio 49172 RTP/AVP 0",
                "a=rtpmap:0 PCMU/8000", "a=recvonly");
        assertThat(negotiated(hold, bobAnswer).media().get(0).direction()).isEqualTo(MediaDirection.SENDONLY);
    }

    @Test
    void section3_2_holdWithTwoStreams() {
        SessionDescription hold = sdp("v=0", "o=alice 2890844526 2890844527 IN IP4 host.atlanta.example.com",
                "s=", "c=IN IP4 host.atlanta.example.com", "t=0 0", "m=audio 49170 RTP/AVP 97",
                "a=rtpmap:97 iLBC/8000", "a=sendonly", "m=video 51372 RTP/AVP 31", "a=rtpmap:31 H261/90000",
                "a=sendonly");
        AnswerPolicy bob = AnswerPolicy.of(List.of(SupportedCodec.audio("iLBC", 8000),
                new SupportedCodec("video", "H261", 90000, 1)), SrtpPolicy.OFF);
        AnswerResult.Answered a = answerAsBob(hold, bob);

        assertThat(a.media()).extracting(NegotiatedMedia::direction)
                .containsExactly(MediaDirection.RECVONLY, MediaDirection.RECVONLY);
    }

    @Test
    void section4_2_removingAStream_portZeroIsAnsweredWithPortZero() {
        SessionDescription offer = sdp("v=0", "o=alice 2890844526 2890844527 IN IP4 host.atlanta.example.com",
                "s=", "c=IN IP4 host.atlanta.example.com", "t=0 0", "m=audio 49170 RTP/AVP 97",
                "a=rtpmap:97 iLBC/8000", "m=video 0 RTP/AVP 31", "a=rtpmap:31 H261/90000");
        AnswerPolicy bob = AnswerPolicy.of(List.of(SupportedCodec.audio("iLBC", 8000),
                new SupportedCodec("video", "H261", 90000, 1)), SrtpPolicy.OFF);
        AnswerResult.Answered a = answerAsBob(offer, bob);

        assertThat(a.answer().media().get(1).port()).isZero();
        assertThat(a.media().get(1).accepted()).isFalse();
        assertThat(a.media().get(0).accepted()).isTrue();
    }

    @Test
    void section5_thirdPartyCallControl_offerWithoutMediaIsAnsweredWithoutMedia() {
        SessionDescription offer = sdp("v=0", "o=alice 2890844526 2890844526 IN IP4 host.atlanta.example.com",
                "s=", "c=IN IP4 host.atlanta.example.com", "t=0 0");
        AnswerPolicy bob = AnswerPolicy.of(List.of(SupportedCodec.audio("PCMU", 8000)), SrtpPolicy.OFF);

        AnswerResult.Answered a = answerAsBob(offer, bob);
        assertThat(a.answer().media()).isEmpty();
        assertThat(a.media()).isEmpty();
    }

    @Test
    void holdWithConnectionAddressZero_rfc2543Style() {
        SessionDescription offer = sdp("v=0", "o=alice 2890844526 2890844527 IN IP4 host.atlanta.example.com",
                "s=", "c=IN IP4 0.0.0.0", "t=0 0", "m=audio 49170 RTP/AVP 0");
        AnswerPolicy bob = AnswerPolicy.of(List.of(SupportedCodec.audio("PCMU", 8000)), SrtpPolicy.OFF);

        assertThat(answerAsBob(offer, bob).media().get(0).direction()).isEqualTo(MediaDirection.RECVONLY);
    }
}
