package dev.parley.sdp.offeranswer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.sdp.Fixtures;
import dev.parley.sdp.MediaDescription;
import dev.parley.sdp.Origin;
import dev.parley.sdp.SdpParser;
import dev.parley.sdp.SessionDescription;
import dev.parley.sdp.attribute.Crypto;
import dev.parley.sdp.attribute.CryptoSuite;
import dev.parley.sdp.attribute.MediaDirection;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Answering real phones' offers under each media policy, and the SDES rules of RFC 4568. */
class SdesOfferAnswerTest {

    private static final Origin PARLEY = Origin.of("parley", 77L, 1L, "203.0.113.5");
    private static final List<SupportedCodec> G711 = List.of(SupportedCodec.audio("PCMA", 8000),
            SupportedCodec.audio("PCMU", 8000), SupportedCodec.audio("telephone-event", 8000));

    /** Deterministic "fresh" keys: 0x01 0x02 ... so a test can tell them from the peer's. */
    private final List<CryptoSuite> asked = new ArrayList<>();
    private final KeySupplier keys = suite -> {
        asked.add(suite);
        byte[] k = new byte[suite.keySaltLength()];
        for (int i = 0; i < k.length; i++) {
            k[i] = (byte) (i + asked.size());
        }
        return k;
    };

    private AnswerResult answer(String fixture, SrtpPolicy policy) {
        return answer(Fixtures.parsed(fixture), AnswerPolicy.of(G711, policy));
    }

    private AnswerResult answer(SessionDescription offer, AnswerPolicy policy) {
        return OfferAnswer.answer(offer, policy, PARLEY, "203.0.113.5", (i, m) -> 20_000 + 2 * i, keys);
    }

    private static AnswerResult.Answered answered(AnswerResult r) {
        assertThat(r).isInstanceOf(AnswerResult.Answered.class);
        return (AnswerResult.Answered) r;
    }

    @Test
    void baresipSrtpMandatoryUnderRequiredGetsSavpWithTheSameTagAndANewKey() {
        AnswerResult.Answered a = answered(answer("baresip-1.0-srtp-mand.sdp", SrtpPolicy.REQUIRED));
        MediaDescription m = a.answer().media().get(0);

        assertThat(m.proto()).isEqualTo("RTP/SAVP");
        assertThat(m.port()).isEqualTo(20_000);
        assertThat(m.formats()).containsExactly("0", "8", "101");
        Crypto mine = m.cryptos().get(0);
        assertThat(mine.tag()).isEqualTo(1);
        assertThat(mine.suite()).isEqualTo("AES_CM_128_HMAC_SHA1_80");
        assertThat(m.cryptos()).hasSize(1);

        NegotiatedMedia n = a.media().get(0);
        SdesKeys sdes = n.sdes().orElseThrow();
        assertThat(sdes.suite()).isEqualTo(CryptoSuite.AES_CM_128_HMAC_SHA1_80);
        assertThat(sdes.localMasterKey()).isEqualTo(mine.masterKey().orElseThrow());
        assertThat(sdes.localMasterSalt()).isEqualTo(mine.masterSalt().orElseThrow());
        byte[] baresip = Base64.getDecoder().decode("pCieY2LogegJKEMFrEUBUCro5Wx5t5DbaHR+sxSO");
        assertThat(sdes.remoteMasterKey()).isEqualTo(Arrays.copyOf(baresip, 16));
        assertThat(sdes.remoteMasterSalt()).isEqualTo(Arrays.copyOfRange(baresip, 16, 30));
        assertThat(sdes.toString()).isEqualTo("SDES AES_CM_128_HMAC_SHA1_80 tag 1");
        assertThat(n.toString()).doesNotContain("pCieY2");
        assertThat(a.answer().toString()).contains("inline:<redacted>");
        assertThat(n.remoteAddress()).isEqualTo("127.0.0.1");
        assertThat(n.remotePort()).isEqualTo(36074);
        assertThat(n.primaryCodec().orElseThrow().encodingName()).isEqualTo("PCMU");
        assertThat(asked).containsExactly(CryptoSuite.AES_CM_128_HMAC_SHA1_80);
    }

    @Test
    void baresipSrtpMandatoryUnderOffIsNotAcceptable() {
        AnswerResult r = answer("baresip-1.0-srtp-mand.sdp", SrtpPolicy.OFF);

        assertThat(r).isInstanceOf(AnswerResult.NotAcceptable.class);
        assertThat(((AnswerResult.NotAcceptable) r).reason())
                .isEqualTo("m-line 0 (audio): SRTP mandatory in RTP/SAVP but the policy is off");
        assertThat(asked).isEmpty();
    }

    @Test
    void savpWhoseKeyIsNotUsedIsAnsweredPlainOnlyWithPlainFallbackAndNeverUnderRequired() {
        SessionDescription offer = Fixtures.parsed("baresip-1.0-srtp-mand.sdp");
        for (SrtpPolicy p : List.of(SrtpPolicy.OFF, SrtpPolicy.PREFERRED)) {
            AnswerPolicy fallback = AnswerPolicy.of(G711, p).withPlainFallback(true);
            AnswerPolicy noUsableSuite = fallback.withSuites(List.of(CryptoSuite.AEAD_AES_128_GCM));
            for (AnswerPolicy policy : p == SrtpPolicy.OFF ? List.of(fallback) : List.of(noUsableSuite)) {
                AnswerResult.Answered a = answered(answer(offer, policy));
                MediaDescription m = a.answer().media().get(0);
                assertThat(m.proto()).isEqualTo("RTP/AVP");
                assertThat(m.cryptos()).isEmpty();
                assertThat(a.media().get(0).proto()).isEqualTo("RTP/AVP");
                assertThat(a.media().get(0).encrypted()).isFalse();
            }
        }
        assertThat(answer(offer, AnswerPolicy.of(G711, SrtpPolicy.REQUIRED).withPlainFallback(true)
                .withSuites(List.of(CryptoSuite.AEAD_AES_128_GCM)))).isInstanceOf(AnswerResult.NotAcceptable.class);
        // PREFERRED with a usable key still answers SAVP with a key
        assertThat(answered(answer(offer, AnswerPolicy.of(G711, SrtpPolicy.PREFERRED).withPlainFallback(true)))
                .answer().media().get(0).proto()).isEqualTo("RTP/SAVP");
        assertThat(asked).containsExactly(CryptoSuite.AES_CM_128_HMAC_SHA1_80);
    }

    @Test
    void rfc3264_6_aStreamTheLocalSideDeclinesWithPortZeroIsRejectedAndTheNextTaken() {
        SessionDescription offer = Fixtures.parsed("sipp-3.6-uac.sdp");
        SessionDescription two = offer.withMedia(List.of(offer.media().get(0), offer.media().get(0).withPort(6000)));
        AnswerResult r = OfferAnswer.answer(two, AnswerPolicy.of(G711, SrtpPolicy.OFF), PARLEY, "203.0.113.5",
                (i, m) -> i == 0 ? 0 : 20_002, keys);
        AnswerResult.Answered a = answered(r);
        assertThat(a.answer().media()).extracting(MediaDescription::port).containsExactly(0, 20_002);
        assertThat(a.media()).extracting(NegotiatedMedia::accepted).containsExactly(false, true);
        assertThat(OfferAnswer.answer(offer, AnswerPolicy.of(G711, SrtpPolicy.OFF), PARLEY, "203.0.113.5",
                (i, m) -> 0, keys)).isEqualTo(new AnswerResult.NotAcceptable(
                "m-line 0 (audio): declined by the local side"));
    }

    @Test
    void baresipBestEffortIsAnsweredWithCryptoUnlessThePolicyIsOff() {
        for (SrtpPolicy p : List.of(SrtpPolicy.REQUIRED, SrtpPolicy.PREFERRED)) {
            AnswerResult.Answered a = answered(answer("baresip-1.0-srtp-best-effort.sdp", p));
            assertThat(a.answer().media().get(0).proto()).isEqualTo("RTP/AVP");
            assertThat(a.answer().media().get(0).cryptos()).hasSize(1);
            assertThat(a.media().get(0).encrypted()).isTrue();
        }
        AnswerResult.Answered off = answered(answer("baresip-1.0-srtp-best-effort.sdp", SrtpPolicy.OFF));
        assertThat(off.answer().media().get(0).proto()).isEqualTo("RTP/AVP");
        assertThat(off.answer().media().get(0).cryptos()).isEmpty();
        assertThat(off.media().get(0).encrypted()).isFalse();
    }

    @Test
    void plainOfferUnderRequiredIsNotAcceptableAndUnderPreferredIsPlain() {
        assertThat(answer("sipp-3.6-uac.sdp", SrtpPolicy.REQUIRED)).isEqualTo(new AnswerResult.NotAcceptable(
                "m-line 0 (audio): SRTP required and no acceptable a=crypto offered"));

        AnswerResult.Answered a = answered(answer("sipp-3.6-uac.sdp", SrtpPolicy.PREFERRED));
        assertThat(a.answer().toSdp()).isEqualTo("v=0\r\no=parley 77 1 IN IP4 203.0.113.5\r\ns=-\r\n"
                + "c=IN IP4 203.0.113.5\r\nt=0 0\r\nm=audio 20000 RTP/AVP 0\r\na=rtpmap:0 PCMU/8000\r\n"
                + "a=sendrecv\r\n");
    }

    @Test
    void linphoneFirstAllowedSuiteWinsAndTelephoneEventAtTheCodecRate() {
        SessionDescription offer = Fixtures.parsed("linphone-5-srtp.sdp");
        AnswerPolicy only32 = AnswerPolicy.of(G711, SrtpPolicy.REQUIRED)
                .withSuites(List.of(CryptoSuite.AES_CM_128_HMAC_SHA1_32));
        AnswerResult.Answered a = answered(answer(offer, only32));

        assertThat(a.answer().media().get(0).cryptos().get(0).tag()).isEqualTo(2);
        assertThat(a.media().get(0).sdes().orElseThrow().suite()).isEqualTo(CryptoSuite.AES_CM_128_HMAC_SHA1_32);
        // Offered order kept: 0 8 (and not 18, unsupported); telephone-event/8000 only, as PT 100.
        assertThat(a.answer().media().get(0).formats()).containsExactly("0", "8", "100");
        assertThat(a.media().get(0).remoteRtcpPort()).isEqualTo(7079);
        assertThat(a.media().get(0).remoteRtcpAddress()).isEqualTo("192.0.2.20");
        // The RTP/AVPF video stream has no common codec: rejected, the call goes on with audio.
        assertThat(a.answer().media().get(1).port()).isZero();
        assertThat(a.answer().media().get(1).proto()).isEqualTo("RTP/AVPF");

        AnswerResult.Answered first = answered(answer(offer, AnswerPolicy.of(G711, SrtpPolicy.REQUIRED)));
        assertThat(first.answer().media().get(0).cryptos().get(0).tag()).isEqualTo(1);
    }

    @Test
    void cryptoWithMkiOrSessionParametersOrUnknownSuiteIsSkipped() {
        String k30 = Base64.getEncoder().encodeToString(new byte[30]);
        SessionDescription offer = SdpParser.parse("v=0\r\no=- 1 1 IN IP4 192.0.2.1\r\ns=-\r\nc=IN IP4 192.0.2.1\r\n"
                + "t=0 0\r\nm=audio 4000 RTP/SAVP 0\r\n"
                + "a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:" + k30 + "|2^20|1:4\r\n"
                + "a=crypto:2 AES_CM_128_HMAC_SHA1_80 inline:" + k30 + " UNENCRYPTED_SRTP\r\n"
                + "a=crypto:3 SOME_FUTURE_SUITE inline:" + k30 + "\r\n"
                + "a=crypto:4 AES_CM_128_HMAC_SHA1_80 inline:AAAA\r\n"
                + "a=crypto:5 AES_CM_128_HMAC_SHA1_80 inline:" + k30 + "|2^31\r\n").orElseThrow();

        AnswerResult.Answered a = answered(answer(offer, AnswerPolicy.of(G711, SrtpPolicy.REQUIRED)));
        assertThat(a.answer().media().get(0).cryptos().get(0).tag()).isEqualTo(5);

        SessionDescription none = offer.withMedia(0, offer.media().get(0).withoutAttributes(
                at -> at.is("crypto") && at.value().startsWith("5 ")));
        assertThat(answer(none, AnswerPolicy.of(G711, SrtpPolicy.PREFERRED))).isEqualTo(
                new AnswerResult.NotAcceptable("m-line 0 (audio): no acceptable a=crypto in RTP/SAVP"));
    }

    @Test
    void rtcpMuxAcceptedWhenOfferedAndAllowed() {
        SessionDescription offer = OfferAnswer.offer(Origin.of("a", 1, 1, "192.0.2.1"), "192.0.2.1",
                List.of(MediaOffer.audio(4000, List.of(Codec.of(8, "PCMA", 8000)), SrtpOffer.NONE, List.of())),
                keys);
        assertThat(offer.media().get(0).rtcpMux()).isTrue();

        AnswerResult.Answered mux = answered(answer(offer, AnswerPolicy.of(G711, SrtpPolicy.OFF)));
        assertThat(mux.answer().media().get(0).rtcpMux()).isTrue();
        assertThat(mux.media().get(0).rtcpMux()).isTrue();

        AnswerResult.Answered noMux = answered(answer(offer, AnswerPolicy.of(G711, SrtpPolicy.OFF)
                .withRtcpMux(false)));
        assertThat(noMux.answer().media().get(0).rtcpMux()).isFalse();
        assertThat(noMux.media().get(0).rtcpMux()).isFalse();
    }

    @Test
    void localHoldForcesSendonlyOrInactive() {
        AnswerPolicy hold = AnswerPolicy.of(G711, SrtpPolicy.PREFERRED).withLocalDirection(MediaDirection.SENDONLY);
        assertThat(answered(answer(Fixtures.parsed("sipp-3.6-uac.sdp"), hold)).media().get(0).direction())
                .isEqualTo(MediaDirection.SENDONLY);
        assertThat(answered(answer(Fixtures.parsed("sipp-3.6-uac.sdp"),
                hold.withLocalDirection(MediaDirection.INACTIVE))).answer().media().get(0).direction())
                .contains(MediaDirection.INACTIVE);
    }

    @Test
    void browserDtlsOffersAreNotAnsweredOnTheSdesPath() {
        AnswerResult r = answer("chromium-156-audio-video-data.sdp", SrtpPolicy.PREFERRED);

        assertThat(r).isInstanceOf(AnswerResult.NotAcceptable.class);
        assertThat(((AnswerResult.NotAcceptable) r).reason()).contains("DTLS-SRTP is answered on WebRTC legs only");
    }
}
