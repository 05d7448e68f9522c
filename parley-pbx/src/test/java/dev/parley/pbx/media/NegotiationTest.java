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
import dev.parley.sipstack.flow.Transport;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import org.junit.jupiter.api.Test;

/**
 * Offer/answer through Parley's endpoints under each policy, with TLS and without (RFC 3264, RFC 4568): which
 * offers are refused, which keys are used, how payload types map between legs, and that no two legs or directions
 * share a key.
 */
class NegotiationTest {
    private static final String KEY_A = "WVNfX19zZW1jdGwgKCkgewkyMjA7fQp9CnVubGVz"; // 30 bytes: key 16 + salt 14
    private static final LegPolicy REQUIRED_TLS = new LegPolicy(MediaPolicy.REQUIRED, Transport.TLS);
    private static final LegPolicy REQUIRED_UDP = new LegPolicy(MediaPolicy.REQUIRED, Transport.UDP);
    private static final LegPolicy PREFERRED_TLS = new LegPolicy(MediaPolicy.PREFERRED, Transport.TLS);
    private static final LegPolicy PREFERRED_TCP = new LegPolicy(MediaPolicy.PREFERRED, Transport.TCP);
    private static final LegPolicy OFF_TLS = new LegPolicy(MediaPolicy.OFF, Transport.TLS);

    private final Configured media = new Configured();
    private final SecureRandom random = new SecureRandom();

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

    @Test
    void rfc4568_requiredOverTlsTakesThePeersKeyAndAnswersWithAFreshOneOfTheSameSuiteAndTag() {
        Negotiation.Reading r = Negotiation.readOffer(sdesOffer(), REQUIRED_TLS);
        PeerMedia peer = ((Negotiation.Reading.Usable) r).media();
        assertThat(peer.crypto().tag()).isEqualTo(1);
        assertThat(peer.remoteRtp()).isEqualTo(new InetSocketAddress("192.0.2.10", 4000));

        MediaLeg a = leg(REQUIRED_TLS, 20000);
        MediaLeg b = leg(REQUIRED_TLS, 20002);
        a.takeOffer(sdesOffer());
        SessionDescription toB = b.offer(a.pendingPeerOffer().formats(), MediaDirection.SENDRECV, false);
        MediaDescription mb = toB.media().getFirst();
        assertThat(mb.proto()).as("required: RTP/SAVP").isEqualTo("RTP/SAVP");
        assertThat(mb.port()).isEqualTo(20002);
        assertThat(mb.cryptos()).extracting(Crypto::suite)
                .containsExactly("AES_CM_128_HMAC_SHA1_80", "AES_CM_128_HMAC_SHA1_32");
        assertThat(key(mb.cryptos().get(0))).isNotEqualTo(key(mb.cryptos().get(1)));

        // B picks the 32-bit tag line and sends its own key
        String keyB = "QUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVphYmNk";
        SessionDescription answerB = sdp("RTP/SAVP", "8 101", "rtpmap:101 telephone-event/8000",
                "crypto:2 AES_CM_128_HMAC_SHA1_32 inline:" + keyB, "sendrecv");
        PeerMedia bPeer = ((Negotiation.Reading.Usable) b.takeAnswer(answerB)).media();
        SessionDescription toA = a.answer(bPeer.formats(), bPeer.direction());
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
        assertThat(pa.receive()).isEqualTo(SdesKeys.protection(sdesOffer().media().getFirst().cryptos().getFirst()));
        assertThat(((Protection.Sdes) pb.send()).suite()).isEqualTo(SrtpSuite.AES_CM_128_HMAC_SHA1_32);
        assertThat(((Protection.Sdes) pb.receive()).masterKey()).isEqualTo(Arrays.copyOf(
                java.util.Base64.getDecoder().decode(keyB), 16));
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
                .doesNotContain(keyB);
    }

    @Test
    void requiredRefusesSdesOverUdpAndOffersWithoutAUsableKey() {
        assertThat(Negotiation.readOffer(sdesOffer(), REQUIRED_UDP)).isInstanceOfSatisfying(
                Negotiation.Reading.Refused.class, r -> assertThat(r.refusal().status()).isEqualTo(488));
        assertThat(Negotiation.readOffer(sdp("RTP/AVP", "0"), REQUIRED_TLS))
                .isInstanceOf(Negotiation.Reading.Refused.class);
        // a suite the media plane does not speak, or an MKI, is not usable
        assertThat(Negotiation.readOffer(sdp("RTP/SAVP", "0", "crypto:1 F8_128_HMAC_SHA1_80 inline:" + KEY_A),
                REQUIRED_TLS)).isInstanceOf(Negotiation.Reading.Refused.class);
        assertThat(Negotiation.readOffer(sdp("RTP/SAVP", "0", "crypto:1 AES_CM_128_HMAC_SHA1_80 inline:" + KEY_A
                + "|2^20|1:4"), REQUIRED_TLS)).isInstanceOf(Negotiation.Reading.Refused.class);
        // ... but the next line is tried
        PeerMedia p = ((Negotiation.Reading.Usable) Negotiation.readOffer(sdp("RTP/SAVP", "0",
                "crypto:1 F8_128_HMAC_SHA1_80 inline:" + KEY_A, "crypto:2 AES_CM_128_HMAC_SHA1_32 inline:" + KEY_A),
                REQUIRED_TLS)).media();
        assertThat(p.crypto().tag()).isEqualTo(2);
    }

    @Test
    void preferredTakesKeysOnlyOverTlsAndOffNever() {
        assertThat(((Negotiation.Reading.Usable) Negotiation.readOffer(sdesOffer(), PREFERRED_TLS)).media().crypto())
                .isNotNull();
        assertThat(((Negotiation.Reading.Usable) Negotiation.readOffer(sdesOffer(), PREFERRED_TCP)).media().crypto())
                .isNull();
        assertThat(((Negotiation.Reading.Usable) Negotiation.readOffer(sdesOffer(), OFF_TLS)).media().crypto())
                .isNull();

        MediaLeg overTcp = leg(PREFERRED_TCP, 20010);
        MediaDescription m = overTcp.offer(Negotiation.DEFAULT_FORMATS, MediaDirection.SENDRECV, false).media()
                .getFirst();
        assertThat(m.proto()).isEqualTo("RTP/AVP");
        assertThat(m.cryptos()).as("no key over TCP").isEmpty();
        MediaLeg overTls = leg(PREFERRED_TLS, 20012);
        m = overTls.offer(Negotiation.DEFAULT_FORMATS, MediaDirection.SENDRECV, false).media().getFirst();
        assertThat(m.proto()).as("best-effort SRTP").isEqualTo("RTP/AVP");
        assertThat(m.cryptos()).hasSize(2);

        // a preferred peer that ignores the crypto lines is plain RTP, not a failure
        PeerMedia plain = ((Negotiation.Reading.Usable) overTls.takeAnswer(sdp("RTP/AVP", "0"))).media();
        assertThat(plain.crypto()).isNull();
        assertThat(media.parameters.get(new EndpointId(20012)).encrypted()).isFalse();
        assertThat(overTls.security().encrypted()).isFalse();

        // a preferred caller whose SAVP offer came over TCP is answered RTP/AVP without a key
        MediaLeg a = leg(PREFERRED_TCP, 20014);
        a.takeOffer(sdesOffer());
        MediaDescription answer = a.answer(List.of(PayloadFormat.of(0, "PCMU", 8000)), MediaDirection.SENDRECV)
                .media().getFirst();
        assertThat(answer.proto()).isEqualTo("RTP/AVP");
        assertThat(answer.cryptos()).isEmpty();
    }

    @Test
    void requiredAnswerWithoutParleysCryptoIsRefused() {
        MediaLeg b = leg(REQUIRED_TLS, 20020);
        b.offer(Negotiation.DEFAULT_FORMATS, MediaDirection.SENDRECV, false);
        assertThat(b.takeAnswer(sdp("RTP/AVP", "0"))).isInstanceOf(Negotiation.Reading.Refused.class);
        // a crypto line under a tag Parley never offered does not count
        assertThat(b.takeAnswer(sdp("RTP/SAVP", "0", "crypto:9 AES_CM_128_HMAC_SHA1_80 inline:" + KEY_A)))
                .isInstanceOf(Negotiation.Reading.Refused.class);
        assertThat(media.parameters).doesNotContainKey(new EndpointId(20020));
    }

    @Test
    void rfc3264_6_1_payloadTypesMapBackToTheOfferersNumbering() {
        MediaLeg a = leg(OFF_TLS, 20030);
        a.takeOffer(sdp("RTP/AVP", "111 0 101", "rtpmap:111 opus/48000/2", "rtpmap:101 telephone-event/8000"));
        MediaLeg b = leg(OFF_TLS, 20032);
        b.offer(a.pendingPeerOffer().formats(), MediaDirection.SENDRECV, false);
        PeerMedia bPeer = ((Negotiation.Reading.Usable) b.takeAnswer(sdp("RTP/AVP", "96 100",
                "rtpmap:96 opus/48000/2", "rtpmap:100 telephone-event/8000"))).media();
        MediaDescription toA = a.answer(bPeer.formats(), bPeer.direction()).media().getFirst();
        assertThat(toA.payloadTypes()).containsExactly(111, 101);
        assertThat(media.parameters.get(new EndpointId(20032)).formats()).extracting(PayloadFormat::payloadType)
                .containsExactly(96, 100);
    }

    @Test
    void rfc3264_8_4_holdAndResumeKeepPortsAndKeysAndRaiseTheVersion() {
        MediaLeg a = leg(REQUIRED_TLS, 20040);
        MediaLeg b = leg(REQUIRED_TLS, 20042);
        a.takeOffer(sdesOffer());
        SessionDescription first = b.offer(a.pendingPeerOffer().formats(), MediaDirection.SENDRECV, false);
        String keyB = "QUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVphYmNk";
        b.takeAnswer(sdp("RTP/SAVP", "0", "crypto:1 AES_CM_128_HMAC_SHA1_80 inline:" + keyB));
        a.answer(List.of(PayloadFormat.of(0, "PCMU", 8000)), MediaDirection.SENDRECV);
        Protection sendB = media.parameters.get(new EndpointId(20042)).send();

        // A holds
        a.takeOffer(sdp("RTP/SAVP", "0", "crypto:1 AES_CM_128_HMAC_SHA1_80 inline:" + KEY_A, "sendonly"));
        SessionDescription hold = b.offer(a.pendingPeerOffer().formats(), a.pendingPeerOffer().direction(), false);
        assertThat(hold.media().getFirst().port()).isEqualTo(20042);
        assertThat(hold.origin().sessionId()).isEqualTo(first.origin().sessionId());
        assertThat(Long.parseLong(hold.origin().sessionVersion()))
                .isGreaterThan(Long.parseLong(first.origin().sessionVersion()));
        assertThat(hold.directionOf(hold.media().getFirst())).isEqualTo(MediaDirection.SENDONLY);
        PeerMedia held = ((Negotiation.Reading.Usable) b.takeAnswer(sdp("RTP/SAVP", "0",
                "crypto:1 AES_CM_128_HMAC_SHA1_80 inline:" + keyB, "recvonly"))).media();
        SessionDescription toA = a.answer(held.formats(), held.direction());
        assertThat(toA.directionOf(toA.media().getFirst())).isEqualTo(MediaDirection.RECVONLY);
        assertThat(media.parameters.get(new EndpointId(20040)).direction()).isEqualTo(Direction.RECVONLY);
        assertThat(media.parameters.get(new EndpointId(20042)).direction()).isEqualTo(Direction.SENDONLY);
        assertThat(media.parameters.get(new EndpointId(20042)).send()).as("Parley's key to B stays").isEqualTo(sendB);
    }

    @Test
    void rfc3264_6_answerKeepsEveryOfferedStreamAndRejectsTheOnesParleyDoesNotAnchor() {
        SessionDescription offer = SdpParser.parse("v=0\r\no=p 1 1 IN IP4 192.0.2.1\r\ns=-\r\nc=IN IP4 192.0.2.1\r\n"
                + "t=0 0\r\nm=video 5000 RTP/AVP 96\r\na=rtpmap:96 VP8/90000\r\nm=audio 4000 RTP/AVP 8\r\n")
                .orElseThrow();
        MediaLeg a = leg(OFF_TLS, 20050);
        a.takeOffer(offer);
        assertThat(a.pendingPeerOffer().index()).isEqualTo(1);
        SessionDescription answer = a.answer(List.of(PayloadFormat.of(8, "PCMA", 8000)), MediaDirection.SENDRECV);
        assertThat(answer.media()).hasSize(2);
        assertThat(answer.media().get(0).port()).isZero();
        assertThat(answer.media().get(1).port()).isEqualTo(20050);
        // RFC 3264 §8.4: c=0.0.0.0 is hold: no address to send to, and the peer does not receive
        PeerMedia old = ((Negotiation.Reading.Usable) Negotiation.readOffer(SdpParser.parse(
                "v=0\r\no=p 1 2 IN IP4 192.0.2.1\r\ns=-\r\nc=IN IP4 0.0.0.0\r\nt=0 0\r\nm=audio 4000 RTP/AVP 8\r\n")
                .orElseThrow(), OFF_TLS)).media();
        assertThat(old.remoteRtp()).isNull();
        assertThat(old.direction()).isEqualTo(MediaDirection.SENDONLY);
    }

    @Test
    void anEndpointThatOpensAfterTheLegClosedIsClosedAtOnce() {
        MediaLeg leg = new MediaLeg(media, random, OFF_TLS);
        leg.close();
        InetAddress lo = InetAddress.getLoopbackAddress();
        assertThat(leg.opened(new LocalMedia(new EndpointId(9), new InetSocketAddress(lo, 20060),
                new InetSocketAddress(lo, 20061)))).isFalse();
        assertThat(media.closed).contains(new EndpointId(9));
    }

    private static String key(Crypto c) {
        return c.keyParams().getFirst().value();
    }

    /** Records configure and close; nothing else is used by these tests. */
    private static final class Configured implements MediaService {
        final Map<EndpointId, EndpointParameters> parameters = new HashMap<>();
        final List<EndpointId> closed = new java.util.ArrayList<>();

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
        public void addListener(Listener listener) {
        }
    }
}
