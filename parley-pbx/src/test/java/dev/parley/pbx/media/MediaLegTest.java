package dev.parley.pbx.media;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.mediaapi.Direction;
import dev.parley.mediaapi.EndpointId;
import dev.parley.mediaapi.EndpointParameters;
import dev.parley.mediaapi.EndpointRequest;
import dev.parley.mediaapi.EndpointStats;
import dev.parley.mediaapi.LocalMedia;
import dev.parley.mediaapi.MediaService;
import dev.parley.mediaapi.PayloadFormat;
import dev.parley.mediaapi.Protection;
import dev.parley.mediaapi.SrtpSuite;
import dev.parley.pbx.directory.MediaPolicy;
import dev.parley.sdp.MediaDescription;
import dev.parley.sdp.SdpParser;
import dev.parley.sdp.SessionDescription;
import dev.parley.sdp.attribute.Crypto;
import dev.parley.sdp.attribute.MediaDirection;
import dev.parley.sdp.offeranswer.Codec;
import dev.parley.sipstack.flow.Transport;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import org.junit.jupiter.api.Test;

/**
 * Offer/answer through Parley's endpoints under each policy, with TLS and without (RFC 3264, RFC 4568): which
 * offers are refused, which keys are used, how payload types map between legs, which codecs are offered and
 * answered when the media plane converts some, and that no two legs or directions share a key. The engine is
 * {@code OfferAnswer} (tested in parley-sdp); this tests the PBX's policy glue around it.
 */
class MediaLegTest {
    private static final String KEY_A = "WVNfX19zZW1jdGwgKCkgewkyMjA7fQp9CnVubGVz"; // 30 bytes: key 16 + salt 14
    private static final String KEY_B = "QUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVphYmNk";
    private static final LegPolicy REQUIRED_TLS = new LegPolicy(MediaPolicy.REQUIRED, Transport.TLS);
    private static final LegPolicy REQUIRED_UDP = new LegPolicy(MediaPolicy.REQUIRED, Transport.UDP);
    private static final LegPolicy PREFERRED_TLS = new LegPolicy(MediaPolicy.PREFERRED, Transport.TLS);
    private static final LegPolicy PREFERRED_TCP = new LegPolicy(MediaPolicy.PREFERRED, Transport.TCP);
    private static final LegPolicy OFF_TLS = new LegPolicy(MediaPolicy.OFF, Transport.TLS);
    private static final PeerMedia PCMU = new PeerMedia(List.of(Codec.of(0, "PCMU", 8000)), MediaDirection.SENDRECV);

    private final Configured media = new Configured();
    private final SecureRandom random = new SecureRandom();

    /** c= hosts become addresses without DNS: IP literals only (IpLiteralTest proves no input reaches the resolver). */
    @Test
    void mediaAddressesAreIpLiteralsOnly() throws Exception {
        assertThat(MediaLeg.literal("192.0.2.10")).contains(InetAddress.getByName("192.0.2.10"));
        assertThat(MediaLeg.literal("0.0.0.0")).map(InetAddress::isAnyLocalAddress).contains(true);
        assertThat(MediaLeg.literal("[2001:db8::1]")).contains(InetAddress.getByName("2001:db8::1"));
        assertThat(MediaLeg.literal("2001:db8::1")).contains(InetAddress.getByName("2001:db8::1"));
        for (String notLiteral : new String[] {"phone.example.com", "1.2.3", "1.2.3.4.5", "1..2.3", ".1.2.3",
                "1.2.3.", "1234.1.1.1", "1.2.3.4a", "", "١.٢.٣.٤", "999.1.1.1", "g::1"}) {
            assertThat(MediaLeg.literal(notLiteral)).as(notLiteral).isEmpty();
        }
        assertThat(MediaLeg.literal(null)).isEmpty();
        assertThat(MediaLeg.literal("255.255.255.255")).isPresent();
    }

    private static SessionDescription sdp(String proto, String formats, String... attributes) {
        StringBuilder b = new StringBuilder("v=0\r\no=phone 7 7 IN IP4 192.0.2.10\r\ns=-\r\nc=IN IP4 192.0.2.10\r\n"
                + "t=0 0\r\nm=audio 4000 " + proto + " " + formats + "\r\n");
        for (String a : attributes) {
            b.append("a=").append(a).append("\r\n");
        }
        return SdpParser.parse(b.toString()).orElseThrow();
    }

    private static SessionDescription sdesOffer() {
        return sdp("RTP/SAVP", "0 8 101", "rtpmap:101 telephone-event/8000", "fmtp:101 0-15",
                "crypto:1 AES_CM_128_HMAC_SHA1_80 inline:" + KEY_A, "sendrecv");
    }

    private MediaLeg leg(LegPolicy policy, int port) {
        MediaLeg leg = new MediaLeg(media, random, policy);
        InetAddress lo = InetAddress.getLoopbackAddress();
        EndpointId id = new EndpointId(port);
        assertThat(leg.opened(new LocalMedia(id, new InetSocketAddress(lo, port), new InetSocketAddress(lo, port + 1))))
                .isTrue();
        return leg;
    }

    private static Protection.Sdes sdes(String base64) {
        byte[] keySalt = Base64.getDecoder().decode(base64);
        return new Protection.Sdes(SrtpSuite.AES_CM_128_HMAC_SHA1_80, Arrays.copyOf(keySalt, 16),
                Arrays.copyOfRange(keySalt, 16, 30));
    }

    @Test
    void rfc4568_requiredOverTlsTakesThePeersKeyAndAnswersWithAFreshOneOfTheSameSuiteAndTag() {
        MediaLeg a = leg(REQUIRED_TLS, 20000);
        MediaLeg b = leg(REQUIRED_TLS, 20002);
        assertThat(a.takeOffer(sdesOffer())).isEmpty();
        assertThat(a.pendingPeerOffer().codecs()).extracting(Codec::payloadType).containsExactly(0, 8, 101);
        SessionDescription toB = b.offerFor(a.pendingPeerOffer());
        MediaDescription mb = toB.media().getFirst();
        assertThat(mb.proto()).as("required: RTP/SAVP").isEqualTo("RTP/SAVP");
        assertThat(mb.port()).isEqualTo(20002);
        assertThat(mb.cryptos()).extracting(Crypto::suite)
                .containsExactly("AES_CM_128_HMAC_SHA1_80", "AES_CM_128_HMAC_SHA1_32");
        assertThat(key(mb.cryptos().get(0))).isNotEqualTo(key(mb.cryptos().get(1)));

        // B picks the 32-bit tag line and sends its own key
        SessionDescription answerB = sdp("RTP/SAVP", "8 101", "rtpmap:101 telephone-event/8000",
                "crypto:2 AES_CM_128_HMAC_SHA1_32 inline:" + KEY_B, "sendrecv");
        assertThat(b.takeAnswer(answerB)).isEmpty();
        SessionDescription toA = a.answer(b.peerMedia());
        MediaDescription ma = toA.media().getFirst();
        assertThat(ma.proto()).isEqualTo("RTP/SAVP");
        assertThat(ma.port()).isEqualTo(20000);
        assertThat(ma.payloadTypes()).containsExactly(8, 101);
        assertThat(ma.cryptos()).singleElement().satisfies(c -> {
            assertThat(c.tag()).isEqualTo(1);
            assertThat(c.suite()).isEqualTo("AES_CM_128_HMAC_SHA1_80");
            assertThat(c.keyParams().getFirst().value()).doesNotContain(KEY_A);
        });

        EndpointParameters pa = media.parameters.get(new EndpointId(20000));
        EndpointParameters pb = media.parameters.get(new EndpointId(20002));
        assertThat(pa.receive()).isEqualTo(sdes(KEY_A));
        assertThat(pa.remoteRtp()).isEqualTo(new InetSocketAddress("192.0.2.10", 4000));
        assertThat(((Protection.Sdes) pb.send()).suite()).isEqualTo(SrtpSuite.AES_CM_128_HMAC_SHA1_32);
        assertThat(((Protection.Sdes) pb.receive()).masterKey()).isEqualTo(Arrays.copyOf(
                Base64.getDecoder().decode(KEY_B), 16));
        // four different keys: A→Parley, Parley→A, B→Parley, Parley→B
        List<byte[]> keys = List.of(((Protection.Sdes) pa.receive()).masterKey(),
                ((Protection.Sdes) pa.send()).masterKey(), ((Protection.Sdes) pb.receive()).masterKey(),
                ((Protection.Sdes) pb.send()).masterKey());
        for (int i = 0; i < keys.size(); i++) {
            for (int j = i + 1; j < keys.size(); j++) {
                assertThat(keys.get(i)).isNotEqualTo(keys.get(j));
            }
        }
        assertThat(a.security().mediaText()).isEqualTo("SRTP AES_CM_128_HMAC_SHA1_80");
        assertThat(b.security().mediaText()).isEqualTo("SRTP AES_CM_128_HMAC_SHA1_32");
        assertThat(new CallSecurity(a.security(), b.security()).encryptedAllLegs()).isTrue();
        assertThat(pa.toString() + pb + a + b + toA.toString()).as("nothing prints a key").doesNotContain(KEY_A)
                .doesNotContain(KEY_B);
    }

    @Test
    void requiredRefusesSdesOverUdpAndOffersWithoutAUsableKey() {
        assertThat(leg(REQUIRED_UDP, 20100).takeOffer(sdesOffer()))
                .hasValueSatisfying(r -> assertThat(r.status()).isEqualTo(488));
        assertThat(leg(REQUIRED_TLS, 20102).takeOffer(sdp("RTP/AVP", "0"))).isPresent();
        // a suite the media plane does not speak, or an MKI, is not usable
        assertThat(leg(REQUIRED_TLS, 20104).takeOffer(sdp("RTP/SAVP", "0",
                "crypto:1 F8_128_HMAC_SHA1_80 inline:" + KEY_A))).isPresent();
        assertThat(leg(REQUIRED_TLS, 20106).takeOffer(sdp("RTP/SAVP", "0",
                "crypto:1 AES_CM_128_HMAC_SHA1_80 inline:" + KEY_A + "|2^20|1:4"))).isPresent();
        // ... but the next line is tried
        MediaLeg a = leg(REQUIRED_TLS, 20108);
        assertThat(a.takeOffer(sdp("RTP/SAVP", "0", "crypto:1 F8_128_HMAC_SHA1_80 inline:" + KEY_A,
                "crypto:2 AES_CM_128_HMAC_SHA1_32 inline:" + KEY_A))).isEmpty();
        assertThat(a.answer(PCMU).media().getFirst().cryptos()).singleElement()
                .satisfies(c -> assertThat(c.tag()).isEqualTo(2));
    }

    @Test
    void preferredTakesKeysOnlyOverTlsAndOffNever() {
        assertThat(answerTo(PREFERRED_TLS, 20200).cryptos()).hasSize(1);
        assertThat(answerTo(PREFERRED_TCP, 20202).cryptos()).isEmpty();
        assertThat(answerTo(OFF_TLS, 20204).cryptos()).isEmpty();
        // a preferred caller whose SAVP offer came over TCP is answered RTP/AVP without a key: its key is public
        assertThat(answerTo(PREFERRED_TCP, 20206).proto()).isEqualTo("RTP/AVP");
        assertThat(media.parameters.get(new EndpointId(20206)).receive().encrypted()).isFalse();

        MediaLeg overTcp = leg(PREFERRED_TCP, 20210);
        MediaDescription m = overTcp.offerFor(PCMU).media().getFirst();
        assertThat(m.proto()).isEqualTo("RTP/AVP");
        assertThat(m.cryptos()).as("no key over TCP").isEmpty();
        MediaLeg overTls = leg(PREFERRED_TLS, 20212);
        m = overTls.offerFor(PCMU).media().getFirst();
        assertThat(m.proto()).as("best-effort SRTP").isEqualTo("RTP/AVP");
        assertThat(m.cryptos()).hasSize(2);

        // a preferred peer that ignores the crypto lines is plain RTP, not a failure
        assertThat(overTls.takeAnswer(sdp("RTP/AVP", "0"))).isEmpty();
        assertThat(media.parameters.get(new EndpointId(20212)).encrypted()).isFalse();
        assertThat(overTls.security().encrypted()).isFalse();
    }

    private MediaDescription answerTo(LegPolicy policy, int port) {
        MediaLeg a = leg(policy, port);
        assertThat(a.takeOffer(sdesOffer())).isEmpty();
        return a.answer(PCMU).media().getFirst();
    }

    @Test
    void requiredAnswerWithoutParleysCryptoIsRefused() {
        MediaLeg b = leg(REQUIRED_TLS, 20020);
        b.offerFor(PCMU);
        assertThat(b.takeAnswer(sdp("RTP/AVP", "0"))).isPresent();
        // a crypto line under a tag Parley never offered does not count
        assertThat(b.takeAnswer(sdp("RTP/SAVP", "0", "crypto:9 AES_CM_128_HMAC_SHA1_80 inline:" + KEY_A)))
                .isPresent();
        assertThat(media.parameters).doesNotContainKey(new EndpointId(20020));
    }

    @Test
    void rfc3264_6_1_payloadTypesMapBackToTheOfferersNumbering() {
        MediaLeg a = leg(OFF_TLS, 20030);
        a.takeOffer(sdp("RTP/AVP", "111 0 101", "rtpmap:111 opus/48000/2", "rtpmap:101 telephone-event/8000"));
        MediaLeg b = leg(OFF_TLS, 20032);
        b.offerFor(a.pendingPeerOffer());
        assertThat(b.takeAnswer(sdp("RTP/AVP", "96 0 100", "rtpmap:96 opus/48000/2",
                "rtpmap:100 telephone-event/8000"))).isEmpty();
        MediaDescription toA = a.answer(b.peerMedia()).media().getFirst();
        assertThat(toA.payloadTypes()).containsExactly(111, 0, 101);
        assertThat(media.parameters.get(new EndpointId(20032)).formats()).extracting(PayloadFormat::payloadType)
                .containsExactly(96, 0, 100);
    }

    @Test
    void theCalleeIsOfferedTheConvertibleCodecsTheCallerLacksAndTheCallerIsAnsweredWithItsOwn() {
        media.convertible = List.of(PayloadFormat.of(0, "PCMU", 8000), PayloadFormat.of(8, "PCMA", 8000));
        MediaLeg a = leg(OFF_TLS, 20300);
        a.takeOffer(sdp("RTP/AVP", "0 101", "rtpmap:101 telephone-event/8000"));
        MediaLeg b = leg(OFF_TLS, 20302);
        assertThat(b.offerFor(a.pendingPeerOffer()).media().getFirst().payloadTypes())
                .as("the caller's codecs first, then what the media plane converts to").containsExactly(0, 101, 8);
        assertThat(b.takeAnswer(sdp("RTP/AVP", "8 101", "rtpmap:101 telephone-event/8000"))).isEmpty();
        MediaDescription toA = a.answer(b.peerMedia()).media().getFirst();
        assertThat(toA.payloadTypes()).as("A gets its own codec; the media plane converts").containsExactly(0, 101);
        assertThat(a.joinable(b.peerMedia())).isTrue();

        // a caller with nothing convertible: nothing is added, and a callee without its codec cannot be joined
        MediaLeg c = leg(OFF_TLS, 20304);
        c.takeOffer(sdp("RTP/AVP", "18", "rtpmap:18 G729/8000"));
        assertThat(leg(OFF_TLS, 20306).offerFor(c.pendingPeerOffer()).media().getFirst().payloadTypes())
                .containsExactly(18);
        assertThat(c.answer(PCMU)).isNull();
    }

    @Test
    void rfc3264_8_holdAndResumeKeepPortsAndKeysAndRaiseTheVersion() {
        MediaLeg a = leg(REQUIRED_TLS, 20040);
        MediaLeg b = leg(REQUIRED_TLS, 20042);
        a.takeOffer(sdesOffer());
        SessionDescription first = b.offerFor(a.pendingPeerOffer());
        b.takeAnswer(sdp("RTP/SAVP", "0", "crypto:1 AES_CM_128_HMAC_SHA1_80 inline:" + KEY_B));
        a.answer(b.peerMedia());
        Protection sendB = media.parameters.get(new EndpointId(20042)).send();

        // A holds
        a.takeOffer(sdp("RTP/SAVP", "0", "crypto:1 AES_CM_128_HMAC_SHA1_80 inline:" + KEY_A, "sendonly"));
        SessionDescription hold = b.offerFor(a.pendingPeerOffer());
        assertThat(hold.media().getFirst().port()).isEqualTo(20042);
        assertThat(hold.media().getFirst().cryptos()).as("the suite B chose, alone").hasSize(1);
        assertThat(hold.origin().sessionId()).isEqualTo(first.origin().sessionId());
        assertThat(Long.parseLong(hold.origin().sessionVersion()))
                .isGreaterThan(Long.parseLong(first.origin().sessionVersion()));
        assertThat(hold.directionOf(hold.media().getFirst())).isEqualTo(MediaDirection.SENDONLY);
        assertThat(b.takeAnswer(SdpParser.parse(sdp("RTP/SAVP", "0", "crypto:1 AES_CM_128_HMAC_SHA1_80 inline:"
                + KEY_B, "recvonly").toSdp().replace("o=phone 7 7", "o=phone 7 8")).orElseThrow())).isEmpty();
        SessionDescription toA = a.answer(b.peerMedia());
        assertThat(toA.directionOf(toA.media().getFirst())).isEqualTo(MediaDirection.RECVONLY);
        assertThat(media.parameters.get(new EndpointId(20040)).direction()).isEqualTo(Direction.RECVONLY);
        assertThat(media.parameters.get(new EndpointId(20042)).direction()).isEqualTo(Direction.SENDONLY);
        assertThat(media.parameters.get(new EndpointId(20042)).send()).as("Parley's key to B stays").isEqualTo(sendB);
    }

    @Test
    void rfc3261_13_2_1_theSameAnswerAgainChangesNothingAndAnotherIsTaken() {
        MediaLeg b = leg(OFF_TLS, 20400);
        b.offerFor(PCMU);
        SessionDescription early = sdp("RTP/AVP", "0");
        assertThat(b.takeAnswer(early)).isEmpty();
        EndpointParameters first = media.parameters.get(new EndpointId(20400));
        media.parameters.clear();
        assertThat(b.isLastAnswer(early)).isTrue();
        assertThat(b.takeAnswer(early)).isEmpty();
        assertThat(media.parameters).as("not configured again").isEmpty();
        SessionDescription moved = SdpParser.parse(early.toSdp().replace("o=phone 7 7", "o=phone 7 8")
                .replace("m=audio 4000", "m=audio 4100")).orElseThrow();
        assertThat(b.isLastAnswer(moved)).isFalse();
        assertThat(b.takeAnswer(moved)).isEmpty();
        assertThat(media.parameters.get(new EndpointId(20400)).remoteRtp().getPort()).isEqualTo(4100);
        assertThat(first.remoteRtp().getPort()).isEqualTo(4000);
    }

    @Test
    void rfc3264_6_answerKeepsEveryOfferedStreamAndRejectsTheOnesParleyDoesNotAnchor() {
        SessionDescription offer = SdpParser.parse("v=0\r\no=p 1 1 IN IP4 192.0.2.1\r\ns=-\r\nc=IN IP4 192.0.2.1\r\n"
                + "t=0 0\r\nm=video 5000 RTP/AVP 96\r\na=rtpmap:96 VP8/90000\r\nm=audio 4000 RTP/AVP 8\r\n"
                + "m=audio 4002 RTP/AVP 0\r\n").orElseThrow();
        MediaLeg a = leg(OFF_TLS, 20050);
        assertThat(a.takeOffer(offer)).isEmpty();
        SessionDescription answer = a.answer(new PeerMedia(List.of(Codec.of(8, "PCMA", 8000), Codec.of(0, "PCMU",
                8000)), MediaDirection.SENDRECV));
        assertThat(answer.media()).hasSize(3);
        assertThat(answer.media().get(0).port()).isZero();
        assertThat(answer.media().get(1).port()).isEqualTo(20050);
        assertThat(answer.media().get(2).port()).as("one anchored stream per leg").isZero();
        // RFC 3264 §8.4: c=0.0.0.0 is hold: no address to send to, and the peer does not receive
        MediaLeg old = leg(OFF_TLS, 20052);
        assertThat(old.takeOffer(SdpParser.parse("v=0\r\no=p 1 2 IN IP4 192.0.2.1\r\ns=-\r\nc=IN IP4 0.0.0.0\r\n"
                + "t=0 0\r\nm=audio 4000 RTP/AVP 8\r\n").orElseThrow())).isEmpty();
        assertThat(old.pendingPeerOffer().direction()).isEqualTo(MediaDirection.SENDONLY);
        old.answer(new PeerMedia(List.of(Codec.of(8, "PCMA", 8000)), MediaDirection.SENDRECV));
        assertThat(media.parameters.get(new EndpointId(20052)).remoteRtp()).isNull();
        assertThat(media.parameters.get(new EndpointId(20052)).direction()).as("as Parley wrote it")
                .isEqualTo(Direction.RECVONLY);
    }

    @Test
    void anOfferWithOnlyTelephoneEventsOrNoAudioIsRefused() {
        assertThat(leg(OFF_TLS, 20500).takeOffer(sdp("RTP/AVP", "101", "rtpmap:101 telephone-event/8000")))
                .isPresent();
        assertThat(leg(OFF_TLS, 20502).takeOffer(SdpParser.parse("v=0\r\no=p 1 1 IN IP4 192.0.2.1\r\ns=-\r\n"
                + "c=IN IP4 192.0.2.1\r\nt=0 0\r\nm=video 5000 RTP/AVP 96\r\na=rtpmap:96 VP8/90000\r\n")
                .orElseThrow())).isPresent();
    }

    @Test
    void anEndpointThatOpensAfterTheLegClosedIsClosedAtOnce() {
        MediaLeg leg = new MediaLeg(media, random, OFF_TLS);
        leg.close();
        InetAddress lo = InetAddress.getLoopbackAddress();
        assertThat(leg.opened(new LocalMedia(new EndpointId(9), new InetSocketAddress(lo, 20060),
                new InetSocketAddress(lo, 20061)))).isFalse();
        assertThat(media.closed).contains(new EndpointId(9));
        assertThat(Optional.ofNullable(leg.endpoint())).isEmpty();
    }

    private static String key(Crypto c) {
        return c.keyParams().getFirst().value();
    }

    /** Records configure and close; nothing else is used by these tests. */
    private static final class Configured implements MediaService {
        final Map<EndpointId, EndpointParameters> parameters = new HashMap<>();
        final List<EndpointId> closed = new java.util.ArrayList<>();
        List<PayloadFormat> convertible = List.of();

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
            closed.add(endpoint);
        }

        @Override
        public EndpointStats stats(EndpointId endpoint) {
            return null;
        }

        @Override
        public List<PayloadFormat> convertibleFormats() {
            return convertible;
        }

        @Override
        public void addListener(Listener listener) {
        }
    }
}
