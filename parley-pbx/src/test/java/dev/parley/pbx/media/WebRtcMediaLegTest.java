package dev.parley.pbx.media;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.mediaapi.CertificateFingerprint;
import dev.parley.mediaapi.EndpointId;
import dev.parley.mediaapi.EndpointKind;
import dev.parley.mediaapi.EndpointParameters;
import dev.parley.mediaapi.EndpointRequest;
import dev.parley.mediaapi.EndpointStats;
import dev.parley.mediaapi.IceCredentials;
import dev.parley.mediaapi.LocalMedia;
import dev.parley.mediaapi.MediaService;
import dev.parley.mediaapi.PayloadFormat;
import dev.parley.mediaapi.Protection;
import dev.parley.mediaapi.SrtpSuite;
import dev.parley.mediaapi.WebRtcTransport;
import dev.parley.pbx.directory.MediaPolicy;
import dev.parley.sdp.MediaDescription;
import dev.parley.sdp.SdpParser;
import dev.parley.sdp.SessionDescription;
import dev.parley.sdp.attribute.MediaDirection;
import dev.parley.sdp.attribute.Setup;
import dev.parley.sdp.offeranswer.Codec;
import dev.parley.sipstack.flow.Transport;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import org.junit.jupiter.api.Test;

/**
 * A browser's leg through the PBX's policy glue: which legs are WebRTC legs, the endpoint kind they open, the SDP
 * they get (no SDES, ever), the parameters the media plane is configured with, and the padlock of a browser
 * bridged to an SDES phone (RFC 8827, RFC 5763).
 */
class WebRtcMediaLegTest {
    private static final String KEY = "WVNfX19zZW1jdGwgKCkgewkyMjA7fQp9CnVubGVz";
    private static final CertificateFingerprint PARLEY_CERT = new CertificateFingerprint("sha-256",
            "4A:AD:B9:B1:3F:82:18:3B:54:02:12:DF:3E:5D:49:6B:19:E5:7C:AB:4A:AD:B9:B1:3F:82:18:3B:54:02:12:DF");

    private final Fake media = new Fake();
    private final SecureRandom random = new SecureRandom();

    private MediaLeg leg(LegPolicy policy, int port) {
        MediaLeg leg = new MediaLeg(media, random, policy);
        InetAddress lo = InetAddress.getLoopbackAddress();
        WebRtcTransport t = leg.endpointKind() == EndpointKind.WEBRTC
                ? new WebRtcTransport(new IceCredentials("pArL", "parleyPasswordOf24chars!"), PARLEY_CERT) : null;
        assertThat(leg.opened(new LocalMedia(new EndpointId(port), new InetSocketAddress(lo, port),
                new InetSocketAddress(lo, port + 1), t))).isTrue();
        return leg;
    }

    private static SessionDescription chromiumOffer() {
        try (InputStream in = WebRtcMediaLegTest.class.getResourceAsStream("chromium-156-audio.sdp")) {
            return SdpParser.parse(in.readAllBytes()).orElseThrow();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static SessionDescription sdesPcmuAnswer() {
        return SdpParser.parse(("v=0\r\no=phone 7 7 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\n"
                + "m=audio 4000 RTP/AVP 0\r\na=rtpmap:0 PCMU/8000\r\na=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:"
                + KEY + "\r\na=sendrecv\r\n").getBytes()).orElseThrow();
    }

    @Test
    void aBrowserOverWssCallingAnSdesPhoneGetsDtlsSrtpAndThePhoneSdes() {
        LegPolicy wss = new LegPolicy(MediaPolicy.PREFERRED, Transport.WSS);
        MediaLeg browser = new MediaLeg(media, random, wss);
        assertThat(browser.isWebRtc()).as("WSS signalling makes a WebRTC leg").isTrue();
        assertThat(browser.takeOffer(chromiumOffer())).isEmpty();
        browser = reopen(browser, wss, chromiumOffer());
        MediaLeg phone = leg(new LegPolicy(MediaPolicy.PREFERRED, Transport.TLS), 20_002);

        SessionDescription toPhone = phone.offerFor(browser.pendingPeerOffer());
        MediaDescription mp = toPhone.media().getFirst();
        assertThat(mp.proto()).isEqualTo("RTP/AVP");
        assertThat(mp.cryptos()).isNotEmpty();
        assertThat(phone.takeAnswer(sdesPcmuAnswer())).isEmpty();

        SessionDescription toBrowser = browser.answer(phone.peerMedia());
        MediaDescription mb = toBrowser.media().getFirst();
        assertThat(toBrowser.iceLite()).isTrue();
        assertThat(mb.proto()).isEqualTo("UDP/TLS/RTP/SAVPF");
        assertThat(mb.cryptos()).as("RFC 8827: never SDES to a browser").isEmpty();
        assertThat(mb.setup()).contains(Setup.PASSIVE);
        assertThat(mb.iceUfrag()).contains("pArL");
        assertThat(mb.fingerprints().getFirst().fingerprint()).isEqualTo(PARLEY_CERT.digest());
        assertThat(mb.candidates().getFirst().port()).isEqualTo(20_000);
        assertThat(mb.payloadTypes().getFirst()).as("the phone's codec, in Chromium's numbering").isZero();

        EndpointParameters pb = media.parameters.get(new EndpointId(20_000));
        assertThat(pb.isWebRtc()).isTrue();
        assertThat(pb.rtcpMux()).isTrue();
        assertThat(pb.remoteIce().ufrag()).isEqualTo("ebnz");
        Protection.DtlsSrtp dtls = (Protection.DtlsSrtp) pb.receive();
        assertThat(dtls.role()).isEqualTo(Protection.DtlsSrtp.Role.SERVER);
        assertThat(dtls.remoteFingerprints().getFirst().digest()).startsWith("BD:66:9D:84");
        assertThat(media.parameters.get(new EndpointId(20_002)).send()).isInstanceOf(Protection.Sdes.class);

        assertThat(browser.security().mediaText()).isEqualTo("DTLS-SRTP");
        browser.dtlsConnected(SrtpSuite.AEAD_AES_128_GCM);
        assertThat(browser.security().mediaText()).isEqualTo("DTLS-SRTP AEAD_AES_128_GCM");
        assertThat(new CallSecurity(browser.security(), phone.security()).encryptedAllLegs()).isTrue();
        assertThat(pb.toString() + toBrowser + browser).doesNotContain("parleyPasswordOf24chars!")
                .doesNotContain("P9p/Vrn8yZoiXJUqaj0/LZ45");
    }

    @Test
    void aDtlsOfferMakesAWebRtcLegOverTlsToo_andPlainWsIsNoPadlock() {
        MediaLeg tls = new MediaLeg(media, random, new LegPolicy(MediaPolicy.PREFERRED, Transport.TLS));
        assertThat(tls.isWebRtc()).isFalse();
        assertThat(tls.takeOffer(chromiumOffer())).isEmpty();
        assertThat(tls.isWebRtc()).isTrue();
        assertThat(tls.endpointKind()).isEqualTo(EndpointKind.WEBRTC);

        LegSecurity ws = LegSecurity.dtlsSrtp(Transport.WS, SrtpSuite.AEAD_AES_128_GCM);
        assertThat(ws.encrypted()).as("a fingerprint over plain WS proves nothing").isFalse();
        assertThat(LegSecurity.dtlsSrtp(Transport.WSS, null).encrypted()).isTrue();
    }

    @Test
    void aWebSocketLegRefusesSdesAndPlainOffers() {
        MediaLeg browser = new MediaLeg(media, random, new LegPolicy(MediaPolicy.PREFERRED, Transport.WSS));
        SessionDescription sdes = SdpParser.parse(("v=0\r\no=x 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\n"
                + "t=0 0\r\nm=audio 4000 RTP/SAVP 0\r\na=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:" + KEY + "\r\n")
                .getBytes()).orElseThrow();
        assertThat(browser.takeOffer(sdes)).hasValueSatisfying(r -> {
            assertThat(r.status()).isEqualTo(488);
            assertThat(r.reason()).contains("RFC 8827");
        });
    }

    @Test
    void parleyOffersABrowserActpassWithoutCryptoAndTakesItsActiveAnswer() {
        MediaLeg browser = leg(new LegPolicy(MediaPolicy.PREFERRED, Transport.WSS), 20_010);
        SessionDescription offer = browser.offerFor(new PeerMedia(List.of(Codec.of(0, "PCMU", 8000)),
                dev.parley.sdp.attribute.MediaDirection.SENDRECV));
        MediaDescription m = offer.media().getFirst();
        assertThat(m.proto()).isEqualTo("UDP/TLS/RTP/SAVPF");
        assertThat(m.setup()).contains(Setup.ACTPASS);
        assertThat(m.cryptos()).isEmpty();
        assertThat(m.rtcpMux()).isTrue();

        String answer = "v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\na=group:BUNDLE 0\r\n"
                + "m=audio 51234 UDP/TLS/RTP/SAVPF 0\r\nc=IN IP4 127.0.0.1\r\n"
                + "a=ice-ufrag:bRwS\r\na=ice-pwd:Zk8dHc1vS8KBxC9nUQyNfV7T\r\n"
                + "a=fingerprint:sha-256 E8:A4:62:AA:4C:B6:8D:CE:34:82:5A:7B:7F:30:87:B5:AB:29:5A:4B:73:D8:F7:72"
                + ":FC:1F:39:02:BB:49:6C:76\r\na=setup:active\r\na=mid:0\r\na=sendrecv\r\na=rtcp-mux\r\n"
                + "a=rtpmap:0 PCMU/8000\r\n";
        assertThat(browser.takeAnswer(SdpParser.parse(answer.getBytes()).orElseThrow())).isEmpty();
        EndpointParameters p = media.parameters.get(new EndpointId(20_010));
        assertThat(((Protection.DtlsSrtp) p.send()).role()).isEqualTo(Protection.DtlsSrtp.Role.SERVER);
        assertThat(p.remoteIce().ufrag()).isEqualTo("bRwS");
    }

    @Test
    void browserToBrowserVideoIsBundledAndConfiguredOnBothLegs_butNotOfferedToAPhone() {
        SessionDescription offer = resource("chromium-156-audio-video-data.sdp");
        LegPolicy wss = new LegPolicy(MediaPolicy.PREFERRED, Transport.WSS);
        MediaLeg caller = leg(wss, 20_000);
        assertThat(caller.takeOffer(offer)).isEmpty();
        assertThat(caller.pendingPeerOffer().video()).extracting(Codec::encodingName).startsWith("VP8")
                .contains("H264").doesNotContain("rtx", "red", "ulpfec", "AV1", "VP9");

        MediaLeg callee = leg(wss, 20_020);
        SessionDescription toCallee = callee.offerFor(caller.pendingPeerOffer());
        assertThat(toCallee.media()).extracting(MediaDescription::media).containsExactly("audio", "video");
        MediaDescription v = toCallee.media().get(1);
        assertThat(v.port()).as("bundled on the audio's port").isEqualTo(20_020);
        assertThat(toCallee.bundleGroup().orElseThrow().mids()).containsExactly("0", "1");
        assertThat(v.payloadTypes().getFirst()).as("the caller's VP8 number").isEqualTo(96);

        String answer = "v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\na=group:BUNDLE 0 1\r\n"
                + "m=audio 51234 UDP/TLS/RTP/SAVPF 111\r\nc=IN IP4 127.0.0.1\r\n"
                + "a=ice-ufrag:bRwS\r\na=ice-pwd:Zk8dHc1vS8KBxC9nUQyNfV7T\r\n"
                + "a=fingerprint:sha-256 E8:A4:62:AA:4C:B6:8D:CE:34:82:5A:7B:7F:30:87:B5:AB:29:5A:4B:73:D8:F7:72"
                + ":FC:1F:39:02:BB:49:6C:76\r\na=setup:active\r\na=mid:0\r\na=sendrecv\r\na=rtcp-mux\r\n"
                + "a=rtpmap:111 opus/48000/2\r\n"
                + "m=video 51234 UDP/TLS/RTP/SAVPF 96\r\nc=IN IP4 127.0.0.1\r\n"
                + "a=ice-ufrag:bRwS\r\na=ice-pwd:Zk8dHc1vS8KBxC9nUQyNfV7T\r\n"
                + "a=fingerprint:sha-256 E8:A4:62:AA:4C:B6:8D:CE:34:82:5A:7B:7F:30:87:B5:AB:29:5A:4B:73:D8:F7:72"
                + ":FC:1F:39:02:BB:49:6C:76\r\na=setup:active\r\na=mid:1\r\na=sendrecv\r\na=rtcp-mux\r\n"
                + "a=rtpmap:96 VP8/90000\r\na=rtcp-fb:96 nack\r\na=rtcp-fb:96 nack pli\r\n";
        assertThat(callee.takeAnswer(SdpParser.parse(answer.getBytes()).orElseThrow())).isEmpty();
        assertThat(media.parameters.get(new EndpointId(20_020)).video()).extracting(f -> f.encodingName())
                .containsExactly("VP8");

        SessionDescription toCaller = caller.answer(callee.peerMedia());
        MediaDescription cv = toCaller.media().get(1);
        assertThat(cv.port()).isEqualTo(20_000);
        assertThat(cv.payloadTypes()).containsExactly(96);
        assertThat(toCaller.bundleGroup().orElseThrow().mids()).containsExactly("0", "1");
        assertThat(cv.rtcpFeedback()).extracting(f -> f.feedback()).containsExactly("nack", "nack pli", "ccm fir");
        assertThat(media.parameters.get(new EndpointId(20_000)).video()).extracting(f -> f.payloadType())
                .containsExactly(96);

        // A phone is offered audio only, and the browser's video is then declined in the answer to it.
        MediaLeg other = leg(wss, 20_030);
        assertThat(other.takeOffer(offer)).isEmpty();
        MediaLeg phone = leg(new LegPolicy(MediaPolicy.PREFERRED, Transport.TLS), 20_032);
        assertThat(phone.offerFor(other.pendingPeerOffer()).media()).extracting(MediaDescription::media)
                .containsExactly("audio");
        assertThat(phone.takeAnswer(sdesPcmuAnswer())).isEmpty();
        SessionDescription audioOnly = other.answer(phone.peerMedia());
        assertThat(audioOnly.media().get(1).port()).isZero();
        assertThat(audioOnly.bundleGroup().orElseThrow().mids()).containsExactly("0");
        assertThat(media.parameters.get(new EndpointId(20_030)).video()).isEmpty();
    }

    /**
     * A browser's SDP as a JsSIP phone sends it mid-call: audio (mid 0) and, with {@code video} not null, a video
     * m-line (mid 1) with that direction, port 0 for "removed" (RFC 3264 §8.2). {@code offer}: the SDP's role,
     * an offer says actpass, an answer active.
     */
    private static SessionDescription browserSdp(int version, boolean offer, String video) {
        String transport = "a=ice-ufrag:bRwS\r\na=ice-pwd:Zk8dHc1vS8KBxC9nUQyNfV7T\r\n"
                + "a=fingerprint:sha-256 E8:A4:62:AA:4C:B6:8D:CE:34:82:5A:7B:7F:30:87:B5:AB:29:5A:4B:73:D8:F7:72"
                + ":FC:1F:39:02:BB:49:6C:76\r\na=setup:" + (offer ? "actpass" : "active") + "\r\n";
        boolean videoUsed = video != null && !video.equals("removed");
        StringBuilder b = new StringBuilder("v=0\r\no=- 77 " + version + " IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\n"
                + "a=group:BUNDLE 0" + (videoUsed ? " 1" : "") + "\r\n"
                + "m=audio 51234 UDP/TLS/RTP/SAVPF 111\r\nc=IN IP4 127.0.0.1\r\n" + transport
                + "a=mid:0\r\na=sendrecv\r\na=rtcp-mux\r\na=rtpmap:111 opus/48000/2\r\n");
        if (videoUsed) {
            b.append("m=video 51234 UDP/TLS/RTP/SAVPF 96\r\nc=IN IP4 127.0.0.1\r\n").append(transport)
                    .append("a=mid:1\r\na=").append(video).append("\r\na=rtcp-mux\r\na=rtpmap:96 VP8/90000\r\n")
                    .append("a=rtcp-fb:96 nack\r\na=rtcp-fb:96 nack pli\r\n");
        } else if (video != null) {
            b.append("m=video 0 UDP/TLS/RTP/SAVPF 96\r\nc=IN IP4 127.0.0.1\r\na=mid:1\r\na=inactive\r\n"
                    + "a=rtpmap:96 VP8/90000\r\n");
        }
        return SdpParser.parse(b.toString().getBytes()).orElseThrow();
    }

    @Test
    void rfc3264_8_aReInviteAddsVideoMidCall_thenSwitchesItOff_thenRemovesIt_andTheMLineStays() {
        LegPolicy wss = new LegPolicy(MediaPolicy.PREFERRED, Transport.WSS);
        MediaLeg caller = leg(wss, 20_040);
        MediaLeg callee = leg(wss, 20_042);
        // an audio-only call between two browsers
        assertThat(caller.takeOffer(browserSdp(1, true, null))).isEmpty();
        assertThat(callee.offerFor(caller.pendingPeerOffer()).media()).hasSize(1);
        assertThat(callee.takeAnswer(browserSdp(1, false, null))).isEmpty();
        assertThat(caller.answer(callee.peerMedia()).media()).hasSize(1);
        assertThat(media.parameters.get(new EndpointId(20_042)).video()).isEmpty();

        // the caller presses Video: its re-INVITE adds a sendrecv video m-line; the callee (no camera yet) answers
        // receive-only, and both endpoints relay VP8
        assertThat(caller.takeOffer(browserSdp(2, true, "sendrecv"))).isEmpty();
        SessionDescription added = callee.offerFor(caller.pendingPeerOffer());
        assertThat(added.media()).extracting(MediaDescription::media).containsExactly("audio", "video");
        MediaDescription v = added.media().get(1);
        assertThat(v.port()).isEqualTo(20_042);
        assertThat(v.mid()).contains("1");
        assertThat(added.directionOf(v)).isEqualTo(MediaDirection.SENDRECV);
        assertThat(added.bundleGroup().orElseThrow().mids()).containsExactly("0", "1");
        assertThat(callee.takeAnswer(browserSdp(2, false, "recvonly"))).isEmpty();
        SessionDescription toCaller = caller.answer(callee.peerMedia());
        assertThat(toCaller.media().get(1).port()).isEqualTo(20_040);
        // RFC 3264 §6.1: the caller's video is answered recvonly (the callee sends none), its audio sendrecv
        assertThat(toCaller.directionOf(toCaller.media().get(1))).isEqualTo(MediaDirection.RECVONLY);
        assertThat(toCaller.directionOf(toCaller.media().getFirst())).isEqualTo(MediaDirection.SENDRECV);
        assertThat(media.parameters.get(new EndpointId(20_042)).video()).extracting(f -> f.encodingName())
                .containsExactly("VP8");
        assertThat(media.parameters.get(new EndpointId(20_040)).video()).extracting(f -> f.payloadType())
                .containsExactly(96);

        // "Video off": the caller's video becomes receive-only, and so does Parley's offer to the callee
        // (Parley will send it nothing), which a callee sending its camera answers send-only
        assertThat(caller.takeOffer(browserSdp(3, true, "recvonly"))).isEmpty();
        SessionDescription off = callee.offerFor(caller.pendingPeerOffer());
        assertThat(off.directionOf(off.media().get(1))).isEqualTo(MediaDirection.RECVONLY);
        assertThat(off.directionOf(off.media().getFirst())).as("the audio is untouched")
                .isEqualTo(MediaDirection.SENDRECV);
        assertThat(callee.takeAnswer(browserSdp(3, false, "sendonly"))).isEmpty();
        assertThat(callee.peerMedia().videoDirection()).isEqualTo(MediaDirection.SENDONLY);
        SessionDescription offAnswer = caller.answer(callee.peerMedia());
        assertThat(offAnswer.directionOf(offAnswer.media().get(1))).isEqualTo(MediaDirection.SENDONLY);

        // the caller removes its video m-line (port 0): the callee's session keeps its video m-line, port 0, same
        // mid and place, out of the BUNDLE group, and the endpoints stop relaying video
        assertThat(caller.takeOffer(browserSdp(4, true, "removed"))).isEmpty();
        SessionDescription removed = callee.offerFor(caller.pendingPeerOffer());
        assertThat(removed.media()).extracting(MediaDescription::media).containsExactly("audio", "video");
        assertThat(removed.media().get(1).port()).isZero();
        assertThat(removed.media().get(1).mid()).contains("1");
        assertThat(removed.media().get(1).payloadTypes()).isNotEmpty();
        assertThat(removed.bundleGroup().orElseThrow().mids()).containsExactly("0");
        assertThat(Long.parseLong(removed.origin().sessionVersion()))
                .isGreaterThan(Long.parseLong(added.origin().sessionVersion()));
        assertThat(callee.takeAnswer(browserSdp(4, false, "removed"))).isEmpty();
        SessionDescription removedAnswer = caller.answer(callee.peerMedia());
        assertThat(removedAnswer.media()).hasSize(2);
        assertThat(removedAnswer.media().get(1).port()).isZero();
        assertThat(media.parameters.get(new EndpointId(20_042)).video()).isEmpty();
        assertThat(media.parameters.get(new EndpointId(20_040)).video()).isEmpty();

        // a later re-offer to the caller (the callee holds) keeps the caller's video m-line too, port 0
        assertThat(callee.takeOffer(browserSdp(5, true, null))).isEmpty();
        SessionDescription toCallerAgain = caller.offerFor(callee.pendingPeerOffer());
        assertThat(toCallerAgain.media()).extracting(MediaDescription::media).containsExactly("audio", "video");
        assertThat(toCallerAgain.media().get(1).port()).isZero();
    }

    private static SessionDescription resource(String name) {
        try (InputStream in = WebRtcMediaLegTest.class.getResourceAsStream(name)) {
            return SdpParser.parse(in.readAllBytes()).orElseThrow();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The caller's leg takes its offer before its endpoint opens (as Call does); this opens it afterwards. */
    private MediaLeg reopen(MediaLeg taken, LegPolicy policy, SessionDescription offer) {
        assertThat(taken.endpointKind()).isEqualTo(EndpointKind.WEBRTC);
        MediaLeg leg = leg(policy, 20_000);
        assertThat(leg.takeOffer(offer)).isEmpty();
        return leg;
    }

    private static final class Fake implements MediaService {
        final Map<EndpointId, EndpointParameters> parameters = new HashMap<>();

        @Override
        public CompletionStage<LocalMedia> open(EndpointRequest request) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void configure(EndpointId endpoint, EndpointParameters p) {
            parameters.put(endpoint, p);
        }

        @Override
        public void bridge(EndpointId a, EndpointId b) {
        }

        @Override
        public void unbridge(EndpointId endpoint) {
        }

        @Override
        public void close(EndpointId endpoint) {
        }

        @Override
        public EndpointStats stats(EndpointId endpoint) {
            return null;
        }

        @Override
        public List<PayloadFormat> convertibleFormats() {
            return List.of(new PayloadFormat(0, "PCMU", 8000, 1, ""), new PayloadFormat(8, "PCMA", 8000, 1, ""),
                    new PayloadFormat(111, "opus", 48_000, 2, ""));
        }

        @Override
        public void addListener(Listener listener) {
        }
    }
}
