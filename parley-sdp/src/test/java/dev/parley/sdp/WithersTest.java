package dev.parley.sdp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.sdp.attribute.Attribute;
import dev.parley.sdp.attribute.Crypto;
import dev.parley.sdp.attribute.CryptoSuite;
import dev.parley.sdp.attribute.Fmtp;
import dev.parley.sdp.attribute.MediaDirection;
import dev.parley.sdp.attribute.Rtcp;
import dev.parley.sdp.attribute.RtpMap;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The rewrites a B2BUA does on an SDP it relays, each checked on the wire text. */
class WithersTest {

    @Test
    void originKeepsItsSessionAndCountsVersionsPerRfc3264Section8() {
        Origin leg = Origin.of("parley", 4242L, 1L, "203.0.113.5");
        Origin next = leg.withNextVersion();

        assertThat(leg.value()).isEqualTo("parley 4242 1 IN IP4 203.0.113.5");
        assertThat(next.value()).isEqualTo("parley 4242 2 IN IP4 203.0.113.5");
        assertThat(next.sameSession(leg)).isTrue();
        assertThat(new Origin("-", "1", "18446744073709551615", "IN", "IP4", "x").withNextVersion().sessionVersion())
                .isEqualTo("18446744073709551616");
        assertThat(Origin.of("p", 1, 1, "2001:db8::1").addrType()).isEqualTo("IP6");
    }

    /** The typed reads a section keeps after its first use follow a wither: the copy reads its own lines. */
    @Test
    void typedReadsOfACopyFollowItsOwnLines() {
        MediaDescription m = SdpParser.parse("v=0\r\no=- 1 1 IN IP4 192.0.2.1\r\ns=-\r\nc=IN IP4 192.0.2.1\r\n"
                + "t=0 0\r\nm=audio 5004 RTP/AVP 96 0\r\na=rtpmap:96 opus/48000/2\r\na=fmtp:96 useinbandfec=1\r\n")
                .orElseThrow().media().getFirst();
        assertThat(m.rtpMap(96).orElseThrow().encodingName()).isEqualTo("opus");
        assertThat(m.fmtp(96).orElseThrow().parameters()).isEqualTo("useinbandfec=1");
        assertThat(m.payloadTypes()).containsExactly(96, 0);

        MediaDescription changed = m.withFormats(List.of("97", "0")).withAttributes(List.of(
                Attribute.of("rtpmap", "97 G722/8000"), Attribute.of("fmtp", "97 x=1")));
        assertThat(changed.payloadTypes()).containsExactly(97, 0);
        assertThat(changed.rtpMap(96)).isEmpty();
        assertThat(changed.rtpMap(97).orElseThrow().encodingName()).isEqualTo("G722");
        assertThat(changed.fmtp(96)).isEmpty();
        assertThat(changed.fmtp(97).orElseThrow().parameters()).isEqualTo("x=1");
        assertThat(m.rtpMap(96)).isPresent(); // the original is unchanged
        assertThat(m.rtpMaps()).hasSize(1);
    }

    /**
     * A section built with typed rtpmap/fmtp lines knows them without reading its lines back; what it knows is what
     * parsing its own text gives. A line added as a plain attribute is read from the lines as before.
     */
    @Test
    void typedCodecLinesAreKnownAsParsingTheTextWouldGiveThem() {
        MediaDescription built = MediaDescription.builder("audio", 20_000, "RTP/AVP")
                .formats(List.of("0", "111", "101"))
                .rtpMap(RtpMap.of(0, "PCMU", 8000, 1))
                .rtpMap(RtpMap.of(111, "opus", 48_000, 2))
                .fmtp(new Fmtp("111", "minptime=10;useinbandfec=1"))
                .rtpMap(RtpMap.of(101, "telephone-event", 8000, 1))
                .fmtp(new Fmtp("101", "0-16"))
                .property("sendrecv")
                .build();
        SessionDescription sdp = SessionDescription.builder(Origin.of("parley", 1, 1, "192.0.2.1"))
                .connection(Connection.of("192.0.2.1")).media(built).build();
        MediaDescription reparsed = SdpParser.parse(sdp.toSdp()).orElseThrow().media().getFirst();

        assertThat(reparsed).isEqualTo(built);
        assertThat(built.rtpMaps()).isEqualTo(reparsed.rtpMaps()).hasSize(3);
        assertThat(built.fmtps()).isEqualTo(reparsed.fmtps()).hasSize(2);
        assertThat(built.rtpMap(111).orElseThrow().channels()).isEqualTo(2);
        assertThat(built.fmtp(101).orElseThrow().parameters()).isEqualTo("0-16");

        MediaDescription mixed = MediaDescription.builder("audio", 20_000, "RTP/AVP").formats(List.of("0", "8"))
                .rtpMap(RtpMap.of(0, "PCMU", 8000, 1))
                .attribute(Attribute.of("rtpmap", "8 PCMA/8000"))
                .build();
        assertThat(mixed.rtpMaps()).extracting(RtpMap::encodingName).containsExactly("PCMU", "PCMA");
        MediaDescription copied = built.toBuilder().attribute(Attribute.of("fmtp", "0 x=1")).build();
        assertThat(copied.fmtps()).extracting(Fmtp::format).containsExactly("111", "101", "0");
    }

    @Test
    void rewritesAddressPortAndOriginOfARelayedOffer() {
        SessionDescription in = Fixtures.parsed("asterisk-pjsip-sdes.sdp");
        SessionDescription out = in.withOrigin(Origin.of("parley", 7, 3, "203.0.113.5"))
                .withConnectionEverywhere(Connection.of("203.0.113.5"))
                .mapMedia(m -> m.withPort(20_000));

        assertThat(out.toSdp()).startsWith("v=0\r\no=parley 7 3 IN IP4 203.0.113.5\r\ns=Asterisk\r\n"
                + "c=IN IP4 203.0.113.5\r\nt=0 0\r\nm=audio 20000 RTP/SAVP 9 0 8 101\r\n");
        assertThat(SdpParser.parse(out.toSdp()).orElseThrow()).isEqualTo(out);
    }

    @Test
    void replacesCryptoLinesInPlaceAndRemovesThem() {
        MediaDescription audio = Fixtures.parsed("linphone-5-srtp.sdp").media().get(0);
        Crypto mine = Crypto.inline(7, CryptoSuite.AES_CM_128_HMAC_SHA1_80, new byte[30]);

        MediaDescription replaced = audio.withCryptos(List.of(mine));
        List<String> names = replaced.attributes().stream().map(Attribute::name).toList();
        assertThat(replaced.cryptos()).containsExactly(mine);
        assertThat(names.indexOf("crypto")).isEqualTo(audio.attributes().stream().map(Attribute::name).toList()
                .indexOf("crypto"));
        assertThat(replaced.attributes()).hasSize(audio.attributes().size() - 3);

        assertThat(audio.withCryptos(List.of()).cryptos()).isEmpty();
        assertThat(audio.withCryptos(List.of()).hasAttribute("rtcp")).isTrue();
    }

    @Test
    void stripsIceAndDtlsFromABrowserOfferForASipLeg() {
        SessionDescription ff = Fixtures.parsed("firefox-128-audio-video.sdp");
        SessionDescription plain = ff.withoutIce().withoutDtls();

        String text = plain.toSdp();
        assertThat(text).doesNotContain("a=candidate", "a=ice-", "a=end-of-candidates", "a=fingerprint",
                "a=setup");
        assertThat(text).contains("a=group:BUNDLE 0 1", "a=rtcp-mux", "a=mid:0", "a=rtpmap:109 opus/48000/2");
    }

    @Test
    void rtcpMuxDirectionAndFormats() {
        MediaDescription m = Fixtures.parsed("sipp-3.6-uac.sdp").media().get(0);

        MediaDescription changed = m.withRtcp(Rtcp.of(6001, "192.0.2.7")).withRtcpMux(true)
                .withDirection(MediaDirection.SENDONLY).withFormats(List.of("8", "0"))
                .withAttribute(Attribute.of("rtpmap", "8 PCMA/8000"));
        assertThat(changed.toString()).isEqualTo("m=audio 6000 RTP/AVP 8 0\r\na=rtpmap:0 PCMU/8000\r\n"
                + "a=rtcp:6001 IN IP4 192.0.2.7\r\na=rtcp-mux\r\na=sendonly\r\na=rtpmap:8 PCMA/8000\r\n");
        assertThat(changed.withDirection(MediaDirection.INACTIVE).direction()).contains(MediaDirection.INACTIVE);
        assertThat(changed.withDirection(MediaDirection.INACTIVE).attributes()).hasSameSizeAs(changed.attributes());
        assertThat(changed.withRtcpMux(false).rtcpMux()).isFalse();
        assertThat(changed.withRtcp(null).rtcp()).isEmpty();
        assertThat(changed.withoutDirection().direction()).isEmpty();
    }

    @Test
    void buildsADescriptionFromScratch() {
        SessionDescription sdp = SessionDescription.builder(Origin.of("parley", 1, 1, "192.0.2.1"))
                .connection(Connection.of("192.0.2.1"))
                .media(MediaDescription.builder("audio", 30_000, "RTP/AVP").format("0").format("101")
                        .attribute("rtpmap", "0 PCMU/8000").attribute("rtpmap", "101 telephone-event/8000")
                        .attribute("fmtp", "101 0-16").property("sendrecv").build())
                .build();

        assertThat(sdp.toSdp()).isEqualTo("v=0\r\no=parley 1 1 IN IP4 192.0.2.1\r\ns=-\r\nc=IN IP4 192.0.2.1\r\n"
                + "t=0 0\r\nm=audio 30000 RTP/AVP 0 101\r\na=rtpmap:0 PCMU/8000\r\n"
                + "a=rtpmap:101 telephone-event/8000\r\na=fmtp:101 0-16\r\na=sendrecv\r\n");
    }
}
