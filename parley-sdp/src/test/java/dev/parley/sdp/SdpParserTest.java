package dev.parley.sdp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.sdp.attribute.Candidate;
import dev.parley.sdp.attribute.Crypto;
import dev.parley.sdp.attribute.CryptoSuite;
import dev.parley.sdp.attribute.MediaDirection;
import dev.parley.sdp.attribute.RtpMap;
import dev.parley.sdp.attribute.Setup;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SdpParserTest {

    private static final String MINIMAL = "v=0\r\no=- 1 1 IN IP4 192.0.2.1\r\ns=-\r\nc=IN IP4 192.0.2.1\r\nt=0 0\r\n";

    private static SdpParseResult.Malformed malformed(String text) {
        SdpParseResult r = SdpParser.parse(text);
        assertThat(r).isInstanceOf(SdpParseResult.Malformed.class);
        return (SdpParseResult.Malformed) r;
    }

    @Test
    void readsBaresipSrtpOfferThroughTypedAccessors() {
        SessionDescription sdp = Fixtures.parsed("baresip-1.0-srtp-mand.sdp");
        MediaDescription audio = sdp.media().get(0);

        assertThat(sdp.origin().username()).isEqualTo("-");
        assertThat(sdp.connection()).contains(Connection.of("127.0.0.1"));
        assertThat(sdp.attributeValue("tool")).contains("baresip 1.0.0");
        assertThat(audio.media()).isEqualTo("audio");
        assertThat(audio.proto()).isEqualTo("RTP/SAVP");
        assertThat(audio.isSecureProfile()).isTrue();
        assertThat(audio.payloadTypes()).containsExactly(0, 8, 9, 96, 101);
        assertThat(audio.rtpMap(96)).contains(new RtpMap(96, "opus", 48000, "2"));
        assertThat(audio.rtpMap(96).orElseThrow().channels()).isEqualTo(2);
        assertThat(audio.fmtp(101).orElseThrow().parameters()).isEqualTo("0-15");
        assertThat(audio.fmtp(96).orElseThrow().parameterMap()).containsEntry("sprop-stereo", "1");
        assertThat(audio.ptime()).hasValue(20);
        assertThat(audio.label()).contains("1");
        assertThat(audio.rtcpReducedSize()).isTrue();
        assertThat(audio.ssrcs()).singleElement().satisfies(s -> {
            assertThat(s.ssrc()).isEqualTo(1115705023L);
            assertThat(s.attribute()).isEqualTo("cname");
            assertThat(s.value()).isEqualTo("sip:101@127.0.0.1");
        });
        assertThat(sdp.directionOf(audio)).isEqualTo(MediaDirection.SENDRECV);
        assertThat(sdp.connectionOf(audio).orElseThrow().host()).isEqualTo("127.0.0.1");

        Crypto crypto = audio.cryptos().get(0);
        assertThat(crypto.tag()).isEqualTo(1);
        assertThat(crypto.knownSuite()).contains(CryptoSuite.AES_CM_128_HMAC_SHA1_80);
        assertThat(crypto.masterKey().orElseThrow()).hasSize(16);
        assertThat(crypto.masterSalt().orElseThrow()).hasSize(14);
        assertThat(java.util.Base64.getEncoder().encodeToString(crypto.keySaltChecked().orElseThrow()))
                .isEqualTo("pCieY2LogegJKEMFrEUBUCro5Wx5t5DbaHR+sxSO");
    }

    @Test
    void readsFirefoxWebRtcAttributes() {
        SessionDescription sdp = Fixtures.parsed("firefox-128-audio-video.sdp");
        MediaDescription audio = sdp.media().get(0);
        MediaDescription video = sdp.media().get(1);

        assertThat(sdp.bundleGroup().orElseThrow().mids()).containsExactly("0", "1");
        assertThat(sdp.iceOptions()).containsExactly("trickle");
        assertThat(sdp.fingerprintsOf(audio)).singleElement().satisfies(f -> {
            assertThat(f.hashFunctionLowerCase()).isEqualTo("sha-256");
            assertThat(f.bytes()).hasSize(32);
        });
        assertThat(audio.isDtlsProfile()).isTrue();
        assertThat(audio.setup()).contains(Setup.ACTPASS);
        assertThat(audio.mid()).contains("0");
        assertThat(audio.rtcpMux()).isTrue();
        assertThat(audio.iceUfrag()).contains("9a3f1c2d");
        assertThat(audio.endOfCandidates()).isTrue();
        List<Candidate> candidates = audio.candidates();
        assertThat(candidates).hasSize(3);
        assertThat(candidates.get(0).isUdp()).isTrue();
        assertThat(candidates.get(0).type()).isEqualTo("host");
        assertThat(candidates.get(1).extension("tcptype")).contains("active");
        assertThat(candidates.get(2).relatedAddress()).isEqualTo("192.168.1.2");
        assertThat(candidates.get(2).relatedPort()).isEqualTo(49203);
        assertThat(audio.extmaps().get(1).direction()).isEqualTo("recvonly");
        assertThat(audio.rtpMap(9).orElseThrow().encodingParameters()).isEqualTo("1");
        assertThat(audio.msids().get(0).appData()).startsWith("{0c1d");
        assertThat(video.rtcpFeedback()).hasSize(20);
        assertThat(video.rtcpFeedback().get(1).type()).isEqualTo("nack");
        assertThat(video.ssrcGroups().get(0).ssrcs()).containsExactly(3346385297L, 1180962617L);
    }

    @Test
    void staticPayloadTypesWithoutRtpmapMeanTheirRfc3551Codec() {
        SessionDescription sdp = SdpParser.parse(MINIMAL + "m=audio 5004 RTP/AVP 0 8 9 18 13\r\n").orElseThrow();
        MediaDescription m = sdp.media().get(0);

        assertThat(m.rtpMap(0)).contains(RtpMap.of(0, "PCMU", 8000, 1));
        assertThat(m.rtpMap(8)).contains(RtpMap.of(8, "PCMA", 8000, 1));
        assertThat(m.rtpMap(9)).contains(RtpMap.of(9, "G722", 8000, 1));
        assertThat(m.rtpMap(18)).contains(RtpMap.of(18, "G729", 8000, 1));
        assertThat(m.rtpMap(96)).isEmpty();
        assertThat(StaticPayloadTypes.payloadTypeOf("pcma", 8000, 1)).contains(8);
    }

    @Test
    void sessionLevelDirectionAppliesUnlessTheMediaOverridesIt() {
        SessionDescription sdp = SdpParser.parse(MINIMAL + "a=sendonly\r\n"
                + "m=audio 5004 RTP/AVP 0\r\n"
                + "m=video 5006 RTP/AVP 31\r\na=inactive\r\n").orElseThrow();

        assertThat(sdp.directionOf(sdp.media().get(0))).isEqualTo(MediaDirection.SENDONLY);
        assertThat(sdp.directionOf(sdp.media().get(1))).isEqualTo(MediaDirection.INACTIVE);
    }

    @Test
    void toleratesLfOnlyTrailingSpacesAndBlankLines() {
        String sloppy = "v=0\no=- 1 1 IN IP4 192.0.2.1 \ns= \nc=IN IP4 192.0.2.1\t\nt=0 0\n\n"
                + "m=audio 5004 RTP/AVP 0 \na=sendrecv  \n\n";
        SessionDescription sdp = SdpParser.parse(sloppy).orElseThrow();

        assertThat(sdp.sessionName()).isEqualTo(" ");
        assertThat(sdp.media().get(0).formats()).containsExactly("0");
        assertThat(sdp.toSdp()).isEqualTo("v=0\r\no=- 1 1 IN IP4 192.0.2.1\r\ns= \r\nc=IN IP4 192.0.2.1\r\n"
                + "t=0 0\r\nm=audio 5004 RTP/AVP 0\r\na=sendrecv\r\n");
    }

    @Test
    void missingSessionNameAndTimingReadAsDashAndZero() {
        SessionDescription sdp = SdpParser.parse("v=0\r\no=- 1 1 IN IP4 192.0.2.1\r\nc=IN IP4 192.0.2.1\r\n"
                + "m=audio 5004 RTP/AVP 0\r\n").orElseThrow();

        assertThat(sdp.sessionName()).isEqualTo("-");
        assertThat(sdp.timing()).containsExactly(new SdpLine('t', "0 0"));
        assertThat(SdpParser.parse(sdp.toSdp()).orElseThrow()).isEqualTo(sdp);
    }

    @Test
    void rejectedStreamMayHaveNoFormats() {
        SessionDescription sdp = SdpParser.parse(MINIMAL + "m=video 0 RTP/AVP\r\n").orElseThrow();

        assertThat(sdp.media().get(0).isRejected()).isTrue();
        assertThat(sdp.toSdp()).endsWith("m=video 0 RTP/AVP\r\n");
    }

    @Test
    void keepsUnknownAttributesAndPortCountsAsWritten() {
        String text = MINIMAL + "a=x-custom:anything at all: even colons\r\na=x-flag\r\n"
                + "m=audio 5004/2 RTP/AVP 0\r\na=rtcp:5007 IN IP4 192.0.2.9\r\na=x-empty:\r\n";
        SessionDescription sdp = SdpParser.parse(text).orElseThrow();

        assertThat(sdp.toSdp()).isEqualTo(text);
        assertThat(sdp.attributeValue("x-custom")).contains("anything at all: even colons");
        assertThat(sdp.attribute("x-flag").orElseThrow().isProperty()).isTrue();
        assertThat(sdp.media().get(0).portCount()).isEqualTo(2);
        assertThat(sdp.media().get(0).rtcp().orElseThrow().address()).isEqualTo("192.0.2.9");
        assertThat(sdp.media().get(0).attributeValue("x-empty")).contains("");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "port above 65535        | m=audio 70000 RTP/AVP 0                      | 6 | malformed port in m= line",
        "port not a number       | m=audio x RTP/AVP 0                          | 6 | malformed port in m= line",
        "port count zero         | m=audio 5004/0 RTP/AVP 0                     | 6 | malformed port in m= line",
        "no formats, port in use | m=audio 5004 RTP/AVP                         | 6 | m= line without formats",
        "double space            | m=audio  5004 RTP/AVP 0                      | 6 | malformed m= line",
        "bad proto               | m=audio 5004 RTP//AVP 0                      | 6 | malformed proto in m= line",
        "rtpmap without rate     | m=audio 5004 RTP/AVP 96\\na=rtpmap:96 opus     | 7 | malformed a=rtpmap",
        "rtpmap bad pt           | m=audio 5004 RTP/AVP 96\\na=rtpmap:300 x/8000  | 7 | malformed a=rtpmap",
        "rtpmap no value         | m=audio 5004 RTP/AVP 96\\na=rtpmap             | 7 | a=rtpmap needs a value",
        "rtpmap four parts       | m=audio 5004 RTP/AVP 96\\na=rtpmap:96 x/8000/1/2 | 7 | malformed a=rtpmap",
        "rtpmap empty rate       | m=audio 5004 RTP/AVP 96\\na=rtpmap:96 x/      | 7 | malformed a=rtpmap",
        "rtpmap empty name       | m=audio 5004 RTP/AVP 96\\na=rtpmap:96 /8000   | 7 | malformed a=rtpmap",
        "rtpmap empty channels   | m=audio 5004 RTP/AVP 96\\na=rtpmap:96 x/8000/ | 7 | malformed a=rtpmap",
        "rtpmap space in rest    | m=audio 5004 RTP/AVP 96\\na=rtpmap:96 x/8000 2 | 7 | malformed a=rtpmap",
        "empty proto part        | m=audio 5004 RTP/ 0                          | 6 | malformed proto in m= line",
        "crypto not base64       | m=audio 5004 RTP/SAVP 0\\na=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:@@@ | 7 | malformed a=crypto",
        "crypto no key           | m=audio 5004 RTP/SAVP 0\\na=crypto:1 AES_CM_128_HMAC_SHA1_80 | 7 | malformed a=crypto",
        "fingerprint not hex     | a=fingerprint:sha-256 ZZ:00                  | 6 | malformed a=fingerprint",
        "setup unknown           | a=setup:sometimes                            | 6 | malformed a=setup",
        "candidate short         | a=candidate:1 1 udp 1 192.0.2.1 5000         | 6 | malformed a=candidate",
        "rtcp port               | m=audio 5004 RTP/AVP 0\\na=rtcp:99999         | 7 | malformed a=rtcp",
        "unknown line type       | x=whatever                                   | 6 | unknown line type x=",
        "not a line              | hello                                        | 6 | not a <type>=<value> line",
        "o in media section      | m=audio 5004 RTP/AVP 0\\no=- 1 1 IN IP4 1.2.3.4 | 7 | o= is not allowed in a media section",
        "duplicate o             | o=- 2 2 IN IP4 192.0.2.1                     | 6 | duplicate o= line",
        "duplicate session c     | c=IN IP4 192.0.2.2                           | 6 | duplicate session-level c= line",
        "bad bandwidth           | b=AS:lots                                    | 6 | malformed b= line",
        "bad timing              | t=now later                                  | 6 | malformed t= line",
        "empty attribute         | a=                                           | 6 | a= line without a name",
    })
    void malformedLinesAreErrorsWithTheirLineNumber(String what, String tail, int line, String reason) {
        SdpParseResult.Malformed m = malformed(MINIMAL + tail.replace("\\n", "\n").strip() + "\r\n");

        assertThat(m.line()).as(what).isEqualTo(line);
        assertThat(m.reason()).as(what).isEqualTo(reason);
    }

    @Test
    void structuralErrors() {
        assertThat(malformed("")).isEqualTo(new SdpParseResult.Malformed(0, "empty: no v= line"));
        assertThat(malformed("\r\n\r\n").line()).isZero();
        assertThat(malformed("o=- 1 1 IN IP4 192.0.2.1\r\nv=0\r\n"))
                .isEqualTo(new SdpParseResult.Malformed(1, "the first line must be v="));
        assertThat(malformed("v=1\r\no=- 1 1 IN IP4 192.0.2.1\r\n").reason()).isEqualTo("unsupported SDP version");
        assertThat(malformed("v=0\r\ns=-\r\nt=0 0\r\n")).isEqualTo(new SdpParseResult.Malformed(0, "no o= line"));
        assertThat(malformed("v=0\r\no=- 1 1 IN IP4\r\n").reason()).isEqualTo("malformed o= line");
        assertThat(malformed(MINIMAL + "s=again\r\n").reason()).isEqualTo("duplicate s= line");
        assertThat(malformed(MINIMAL + "i=a\rb\r\n").reason()).isEqualTo("bare CR or NUL inside a line");
        assertThat(malformed(MINIMAL + "i=a\0b\r\n").line()).isEqualTo(6);
    }

    @Test
    void limitsStopHostileBodiesEarly() {
        byte[] huge = new byte[SdpLimits.DEFAULT.maxBytes() + 1];
        java.util.Arrays.fill(huge, (byte) 'a');
        assertThat(SdpParser.parse(huge)).isEqualTo(
                new SdpParseResult.Malformed(0, "body of 65536 bytes exceeds 65535"));
        assertThat(SdpParser.parse(new String(huge, StandardCharsets.US_ASCII))).isInstanceOf(
                SdpParseResult.Malformed.class);

        assertThat(malformed(MINIMAL + "a=x:" + "y".repeat(5000) + "\r\n").reason())
                .isEqualTo("line longer than 4096 characters");
        assertThat(malformed(MINIMAL + "a=x\r\n".repeat(2100)).reason()).isEqualTo("more than 2048 lines");
        assertThat(malformed(MINIMAL + "m=audio 0 RTP/AVP 0\r\n".repeat(65)))
                .isEqualTo(new SdpParseResult.Malformed(5 + 65, "more than 64 media sections"));

        SdpLimits tight = new SdpLimits(200, 10, 40, 1);
        assertThat(SdpParser.parse(MINIMAL + "m=audio 0 RTP/AVP 0\r\nm=video 0 RTP/AVP 31\r\n", tight))
                .isEqualTo(new SdpParseResult.Malformed(7, "more than 1 media sections"));
    }

    @Test
    void invalidUtf8BecomesReplacementCharactersNotAnError() {
        byte[] latin1 = (MINIMAL.replace("s=-", "s=M\u00fcller")).getBytes(StandardCharsets.ISO_8859_1);
        SessionDescription sdp = SdpParser.parse(latin1).orElseThrow();

        assertThat(sdp.sessionName()).isEqualTo("M\ufffdller");
        assertThat(SdpParser.parse(sdp.toBytes()).orElseThrow()).isEqualTo(sdp);
    }

    @Test
    void malformedNeverQuotesKeyMaterial() {
        String body = MINIMAL + "m=audio 5004 RTP/SAVP 0\r\na=crypto:1 AES_CM_128_HMAC_SHA1_80 "
                + "inline:SECRETSECRETSECRETSECRETSECRETSECRETSEC|junk|junk|junk\r\n";
        SdpParseResult.Malformed m = malformed(body);

        assertThat(m.toString()).doesNotContain("SECRET");
    }
}
