package dev.parley.sdp.offeranswer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.parley.sdp.Fixtures;
import dev.parley.sdp.MediaDescription;
import dev.parley.sdp.Origin;
import dev.parley.sdp.SdpParser;
import dev.parley.sdp.SdpSerializer;
import dev.parley.sdp.SessionDescription;
import dev.parley.sdp.attribute.Candidate;
import dev.parley.sdp.attribute.CryptoSuite;
import dev.parley.sdp.attribute.Fingerprint;
import dev.parley.sdp.attribute.Group;
import dev.parley.sdp.attribute.MediaDirection;
import dev.parley.sdp.attribute.Setup;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * WebRTC legs (RFC 8829, RFC 8827, RFC 5763, RFC 8843): Chromium 156's real offers answered as an ICE-lite,
 * DTLS-SRTP peer; Parley's offer to a browser; a browser's answer checked.
 */
class WebRtcOfferAnswerTest {

    private static final Origin PARLEY = Origin.of("parley", 77L, 1L, "127.0.0.1");
    private static final Fingerprint PARLEY_CERT = new Fingerprint("sha-256",
            "4A:AD:B9:B1:3F:82:18:3B:54:02:12:DF:3E:5D:49:6B:19:E5:7C:AB:4A:AD:B9:B1:3F:82:18:3B:54:02:12:DF");
    private static final WebRtcTransport LOCAL = new WebRtcTransport("pArL", "parleyPasswordOf24chars!", PARLEY_CERT);
    private static final List<SupportedCodec> AUDIO = List.of(new SupportedCodec("audio", "opus", 48_000, 2),
            SupportedCodec.audio("PCMU", 8000), SupportedCodec.audio("PCMA", 8000),
            SupportedCodec.audio("telephone-event", 8000), new SupportedCodec("audio", "telephone-event", 48_000, 1));
    private static final KeySupplier NO_KEYS = suite -> {
        throw new AssertionError("a WebRTC leg asked for an SDES key");
    };

    private static AnswerResult answer(SessionDescription offer, WebRtcTransport webRtc) {
        return OfferAnswer.answer(offer, AnswerPolicy.of(AUDIO, SrtpPolicy.REQUIRED), PARLEY, "127.0.0.1",
                firstAudio(40_000), NO_KEYS, webRtc);
    }

    private static LocalPorts firstAudio(int port) {
        boolean[] taken = {false};
        return (i, m) -> {
            if (taken[0] || !m.media().equals("audio")) {
                return 0;
            }
            taken[0] = true;
            return port;
        };
    }

    private static AnswerResult.Answered answered(AnswerResult r) {
        assertThat(r).isInstanceOf(AnswerResult.Answered.class);
        return (AnswerResult.Answered) r;
    }

    @Test
    void chromiumAudioOfferIsAnsweredAsIceLiteDtlsSrtpPassive() {
        SessionDescription offer = Fixtures.parsed("chromium-156-audio.sdp");
        AnswerResult.Answered a = answered(answer(offer, LOCAL));
        SessionDescription sdp = a.answer();
        MediaDescription m = sdp.media().get(0);

        assertThat(sdp.iceLite()).isTrue();
        assertThat(m.proto()).isEqualTo("UDP/TLS/RTP/SAVPF");
        assertThat(m.port()).isEqualTo(40_000);
        assertThat(m.cryptos()).isEmpty();
        assertThat(m.iceUfrag()).contains("pArL");
        assertThat(m.icePwd()).contains("parleyPasswordOf24chars!");
        assertThat(m.fingerprints()).containsExactly(PARLEY_CERT);
        assertThat(m.setup()).contains(Setup.PASSIVE);
        assertThat(m.rtcpMux()).isTrue();
        assertThat(m.endOfCandidates()).isTrue();
        Candidate host = m.candidates().get(0);
        assertThat(m.candidates()).hasSize(1);
        assertThat(host.address()).isEqualTo("127.0.0.1");
        assertThat(host.port()).isEqualTo(40_000);
        assertThat(host.type()).isEqualTo("host");
        assertThat(host.componentId()).isEqualTo(1);
        assertThat(host.priority()).isEqualTo(2_130_706_431L);
        assertThat(m.mid()).isEqualTo(offer.media().get(0).mid());
        assertThat(sdp.bundleGroup().map(Group::mids)).contains(List.of(offer.media().get(0).mid().orElseThrow()));
        // Chromium's order: opus first; its telephone-events at 48000 (with opus) and 8000 (with G.711).
        assertThat(m.rtpMap(m.payloadTypes().get(0)).orElseThrow().encodingName()).isEqualTo("opus");

        NegotiatedMedia n = a.media().get(0);
        assertThat(n.encrypted()).isTrue();
        assertThat(n.sdes()).isEmpty();
        assertThat(n.rtcpMux()).isTrue();
        assertThat(n.direction()).isEqualTo(MediaDirection.SENDRECV);
        WebRtcPeer peer = n.webRtc().orElseThrow();
        assertThat(peer.iceUfrag()).isEqualTo(offer.iceUfragOf(offer.media().get(0)).orElseThrow());
        assertThat(peer.icePwd()).isEqualTo(offer.icePwdOf(offer.media().get(0)).orElseThrow());
        assertThat(peer.fingerprints()).isEqualTo(offer.fingerprintsOf(offer.media().get(0)));
        assertThat(peer.parleySetup()).isEqualTo(Setup.PASSIVE);
        assertThat(peer.toString()).doesNotContain(peer.icePwd());
        assertThat(a.answer().toString()).doesNotContain("parleyPasswordOf24chars!");

        // What goes on the wire parses back to the same description.
        String wire = SdpSerializer.serialize(sdp);
        assertThat(parse(wire)).isEqualTo(sdp);
    }

    @Test
    void chromiumAudioVideoDataOfferKeepsAudioOnlyAndBundlesWhatIsLeft() {
        SessionDescription offer = Fixtures.parsed("chromium-156-audio-video-data.sdp");
        AnswerResult.Answered a = answered(answer(offer, LOCAL));
        List<MediaDescription> lines = a.answer().media();

        assertThat(lines).hasSize(3);
        assertThat(lines.get(0).port()).isEqualTo(40_000);
        // RFC 8843 §7.3.3: a rejected bundled m-line gets port 0 and leaves the BUNDLE group.
        assertThat(lines.get(1).port()).isZero();
        assertThat(lines.get(1).mid()).contains("1");
        assertThat(lines.get(2).port()).isZero();
        assertThat(a.answer().bundleGroup().orElseThrow().mids()).containsExactly("0");
        assertThat(a.media().get(0).webRtc()).isPresent();
        assertThat(a.media().get(1).accepted()).isFalse();
        // The answer to opus/48000/2 keeps opus' fmtp (useinbandfec) and names telephone-event at 48 kHz too.
        assertThat(lines.get(0).formats()).containsExactly("111", "0", "8", "110", "126");
    }

    @Test
    void withVideoInThePolicyVideoJoinsTheBundleWithNackPliFirAndExactH264Fmtp() {
        SessionDescription offer = Fixtures.parsed("chromium-156-audio-video-data.sdp");
        List<SupportedCodec> codecs = new java.util.ArrayList<>(AUDIO);
        codecs.add(new SupportedCodec("video", "VP8", 90_000, 1));
        codecs.add(new SupportedCodec("video", "H264", 90_000, 1));
        // Bundled: audio and video on the one port (RFC 8843), the data channel declined.
        LocalPorts bundled = (i, m) -> m.media().equals("application") ? 0 : 40_000;
        AnswerResult.Answered a = answered(OfferAnswer.answer(offer, AnswerPolicy.of(codecs, SrtpPolicy.REQUIRED),
                PARLEY, "127.0.0.1", bundled, NO_KEYS, LOCAL));
        MediaDescription video = a.answer().media().get(1);

        assertThat(video.port()).isEqualTo(40_000);
        assertThat(video.rtcpMux()).isTrue();
        assertThat(a.answer().bundleGroup().orElseThrow().mids()).containsExactly("0", "1");
        // VP8 and every offered H.264 (own numbers), no rtx/red/ulpfec: retransmissions go as the original packets.
        assertThat(video.formats()).startsWith("96", "102", "104", "108").doesNotContain("97", "98", "99");
        assertThat(video.rtpMap(97)).isEmpty();
        // RFC 6184 §8.2.2: profile-level-id and packetization-mode are answered exactly as offered.
        assertThat(video.fmtp(102).orElseThrow().parameters())
                .isEqualTo("level-asymmetry-allowed=1;packetization-mode=1;profile-level-id=42001f");
        assertThat(video.fmtp(104).orElseThrow().parameters())
                .isEqualTo("level-asymmetry-allowed=1;packetization-mode=0;profile-level-id=42001f");
        assertThat(video.rtcpFeedback()).filteredOn(f -> f.format().equals("96"))
                .extracting(f -> f.feedback()).containsExactly("nack", "nack pli", "ccm fir");
        // Parley does not handle them, so it does not agree to them.
        assertThat(video.rtcpFeedback()).extracting(f -> f.type()).doesNotContain("goog-remb", "transport-cc");
        assertThat(a.media().get(1).webRtc()).isPresent();
        assertThat(a.media().get(1).codecs()).extracting(Codec::encodingName).containsOnly("VP8", "H264");
    }

    @Test
    void rfc3264_6_1_eachStreamIsAnsweredWithItsOwnDirection_videoRecvonlyWhileAudioStaysSendrecv() {
        SessionDescription offer = Fixtures.parsed("chromium-156-audio-video-data.sdp");
        List<SupportedCodec> codecs = new java.util.ArrayList<>(AUDIO);
        codecs.add(new SupportedCodec("video", "VP8", 90_000, 1));
        LocalPorts bundled = (i, m) -> m.media().equals("application") ? 0 : 40_000;
        // the relay's other browser takes video receive-only (no camera): Parley only receives this one's video
        AnswerPolicy policy = AnswerPolicy.of(codecs, SrtpPolicy.REQUIRED)
                .withLocalDirection("video", MediaDirection.RECVONLY);
        AnswerResult.Answered a = answered(OfferAnswer.answer(offer, policy, PARLEY, "127.0.0.1", bundled, NO_KEYS,
                LOCAL));
        SessionDescription sdp = a.answer();
        assertThat(sdp.directionOf(sdp.media().get(0))).isEqualTo(MediaDirection.SENDRECV);
        assertThat(sdp.directionOf(sdp.media().get(1))).isEqualTo(MediaDirection.RECVONLY);
        assertThat(a.media().get(1).direction()).isEqualTo(MediaDirection.RECVONLY);
        // the common direction still applies to the others, and changing it keeps the video's
        AnswerPolicy held = policy.withLocalDirection(MediaDirection.SENDONLY);
        assertThat(held.localDirection("audio")).isEqualTo(MediaDirection.SENDONLY);
        assertThat(held.localDirection("video")).isEqualTo(MediaDirection.RECVONLY);
    }

    @Test
    void parleysVideoOfferToABrowserCarriesNackPliFirPerFormat() {
        MediaOffer audio = new MediaOffer("audio", 41_000, List.of(codec(111, "opus", 48_000, 2)),
                MediaDirection.SENDRECV, SrtpOffer.NONE, List.of(), true, "0");
        MediaOffer video = new MediaOffer("video", 41_000, List.of(codec(96, "VP8", 90_000, 1),
                new Codec(102, "H264", 90_000, 1, "packetization-mode=1;profile-level-id=42e01f")),
                MediaDirection.SENDRECV, SrtpOffer.NONE, List.of(), true, "1");
        SessionDescription offer = OfferAnswer.offerWebRtc(PARLEY, "127.0.0.1", List.of(audio, video), LOCAL);
        MediaDescription v = offer.media().get(1);

        assertThat(offer.bundleGroup().orElseThrow().mids()).containsExactly("0", "1");
        assertThat(v.rtcpFeedback()).extracting(f -> f.format() + " " + f.feedback()).containsExactly(
                "96 nack", "96 nack pli", "96 ccm fir", "102 nack", "102 nack pli", "102 ccm fir");
        assertThat(v.fmtp(102).orElseThrow().parameters()).isEqualTo("packetization-mode=1;profile-level-id=42e01f");
        assertThat(offer.media().get(0).rtcpFeedback()).isEmpty();
    }

    @Test
    void withoutWebRtcTransportDtlsIsRejectedAsBefore() {
        AnswerResult r = answer(Fixtures.parsed("chromium-156-audio-video-data.sdp"), null);
        assertThat(r).isInstanceOf(AnswerResult.NotAcceptable.class);
        assertThat(((AnswerResult.NotAcceptable) r).reason()).contains("WebRTC legs only");
    }

    @Test
    void aWebRtcLegNeverTakesSdesNorPlainRtp() {
        // RFC 8827 §6.5: baresip's SAVP + a=crypto and sipp's plain RTP/AVP are refused on a WebRTC leg.
        for (String fixture : List.of("baresip-1.0-srtp-mand.sdp", "sipp-3.6-uac.sdp")) {
            AnswerResult r = answer(Fixtures.parsed(fixture), LOCAL);
            assertThat(r).as(fixture).isInstanceOf(AnswerResult.NotAcceptable.class);
            assertThat(((AnswerResult.NotAcceptable) r).reason()).contains("RFC 8827");
        }
    }

    @Test
    void aCryptoLineInADtlsOfferIsIgnoredNotAnswered() {
        String text = Fixtures.text("chromium-156-audio.sdp").replace("a=rtcp-mux\r\n",
                "a=rtcp-mux\r\na=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:WVNfX19zZW1jdGwgKCkgewkyMjA7fQp9CnVubGVz\r\n");
        AnswerResult.Answered a = answered(answer(parse(text), LOCAL));
        assertThat(a.answer().media().get(0).cryptos()).isEmpty();
        assertThat(a.media().get(0).sdes()).isEmpty();
    }

    @Test
    void missingIceCredentialsFingerprintOrRtcpMuxRejectTheStream() {
        String chromium = Fixtures.text("chromium-156-audio.sdp");
        assertRejected(chromium.replaceAll("a=ice-pwd:[^\r]*\r\n", ""), "ice-pwd");
        assertRejected(chromium.replaceAll("a=fingerprint:[^\r]*\r\n", ""), "fingerprint");
        assertRejected(chromium.replace("a=rtcp-mux\r\n", ""), "rtcp-mux");
        assertRejected(chromium.replace("a=setup:actpass", "a=setup:holdconn"), "setup:holdconn");
    }

    @Test
    void aPassiveOffererMakesParleyActive() {
        String text = Fixtures.text("chromium-156-audio.sdp").replace("a=setup:actpass", "a=setup:passive");
        AnswerResult.Answered a = answered(answer(parse(text), LOCAL));
        assertThat(a.answer().media().get(0).setup()).contains(Setup.ACTIVE);
        assertThat(a.media().get(0).webRtc().orElseThrow().parleySetup()).isEqualTo(Setup.ACTIVE);
    }

    @Test
    void trickleAddressZeroIsNotHold() {
        // RFC 8839 §5.1: c=0.0.0.0 with port 9 is ICE's placeholder; the browser still sends.
        String text = Fixtures.text("chromium-156-audio.sdp").replaceFirst("c=IN IP4 [^\r]*", "c=IN IP4 0.0.0.0");
        AnswerResult.Answered a = answered(answer(parse(text), LOCAL));
        assertThat(a.media().get(0).direction()).isEqualTo(MediaDirection.SENDRECV);
    }

    @Test
    void parleysOfferToABrowserIsActpassIceLiteWithoutCrypto() {
        MediaOffer audio = new MediaOffer("audio", 41_000, List.of(codec(111, "opus", 48_000, 2),
                codec(0, "PCMU", 8000, 1), codec(101, "telephone-event", 8000, 1)), MediaDirection.SENDRECV,
                SrtpOffer.NONE, List.of(), true, null);
        SessionDescription offer = OfferAnswer.offerWebRtc(PARLEY, "127.0.0.1", List.of(audio), LOCAL);
        MediaDescription m = offer.media().get(0);

        assertThat(offer.iceLite()).isTrue();
        assertThat(offer.bundleGroup().orElseThrow().mids()).containsExactly("0");
        assertThat(m.proto()).isEqualTo("UDP/TLS/RTP/SAVPF");
        assertThat(m.setup()).contains(Setup.ACTPASS);
        assertThat(m.mid()).contains("0");
        assertThat(m.rtcpMux()).isTrue();
        assertThat(m.cryptos()).isEmpty();
        assertThat(m.candidates()).extracting(Candidate::port).containsExactly(41_000);
        assertThatThrownBy(() -> OfferAnswer.offerWebRtc(PARLEY, "127.0.0.1", List.of(new MediaOffer("audio",
                41_000, audio.codecs(), MediaDirection.SENDRECV, SrtpOffer.BEST_EFFORT,
                List.of(CryptoSuite.AES_CM_128_HMAC_SHA1_80), true, null)), LOCAL))
                .hasMessageContaining("RFC 8827");

        // Chromium answers actpass with active: Parley is the DTLS server.
        SessionDescription browser = parse(chromiumAnswer("a=setup:active"));
        NegotiationResult r = OfferAnswer.negotiate(offer, browser);
        assertThat(r).isInstanceOf(NegotiationResult.Negotiated.class);
        NegotiatedMedia n = ((NegotiationResult.Negotiated) r).media().get(0);
        assertThat(n.webRtc().orElseThrow().parleySetup()).isEqualTo(Setup.PASSIVE);
        assertThat(n.webRtc().orElseThrow().iceUfrag()).isEqualTo("bRwS");
        assertThat(n.encrypted()).isTrue();
        assertThat(n.primaryCodec().orElseThrow().encodingName()).isEqualTo("opus");

        NegotiatedMedia passive = ((NegotiationResult.Negotiated) OfferAnswer.negotiate(offer,
                parse(chromiumAnswer("a=setup:passive")))).media().get(0);
        assertThat(passive.webRtc().orElseThrow().parleySetup()).isEqualTo(Setup.ACTIVE);

        assertThat(OfferAnswer.negotiate(offer, parse(chromiumAnswer("a=setup:actpass"))))
                .isInstanceOf(NegotiationResult.InvalidAnswer.class);
        assertThat(OfferAnswer.negotiate(offer, parse(chromiumAnswer("a=setup:active\r\n"
                + "a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:WVNfX19zZW1jdGwgKCkgewkyMjA7fQp9CnVubGVz"))))
                .isInstanceOf(NegotiationResult.InvalidAnswer.class);
    }

    /** The shape of Chromium 156's answer to an audio offer (as in the fixture's transport lines). */
    private static String chromiumAnswer(String setup) {
        return "v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\na=group:BUNDLE 0\r\n"
                + "m=audio 51234 UDP/TLS/RTP/SAVPF 111 101\r\nc=IN IP4 127.0.0.1\r\n"
                + "a=candidate:1 1 udp 2122260223 127.0.0.1 51234 typ host generation 0\r\n"
                + "a=ice-ufrag:bRwS\r\na=ice-pwd:Zk8dHc1vS8KBxC9nUQyNfV7T\r\n"
                + "a=fingerprint:sha-256 E8:A4:62:AA:4C:B6:8D:CE:34:82:5A:7B:7F:30:87:B5:AB:29:5A:4B:73:D8:F7:72:FC:1F:39:02:BB:49:6C:76\r\n"
                + setup + "\r\na=mid:0\r\na=sendrecv\r\na=rtcp-mux\r\na=rtpmap:111 opus/48000/2\r\n"
                + "a=fmtp:111 minptime=10;useinbandfec=1\r\na=rtpmap:101 telephone-event/8000\r\n";
    }

    private static Codec codec(int pt, String name, int rate, int channels) {
        return new Codec(pt, name, rate, channels, "");
    }

    private static void assertRejected(String offerText, String reasonPart) {
        AnswerResult r = answer(parse(offerText), LOCAL);
        assertThat(r).isInstanceOf(AnswerResult.NotAcceptable.class);
        assertThat(((AnswerResult.NotAcceptable) r).reason()).contains(reasonPart);
    }

    private static SessionDescription parse(String text) {
        return SdpParser.parse(text.getBytes(StandardCharsets.UTF_8)).orElseThrow();
    }
}
