package dev.parley.sip.codec;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.sip.header.Address;
import dev.parley.sip.header.CSeq;
import dev.parley.sip.header.HeaderName;
import dev.parley.sip.header.MediaType;
import dev.parley.sip.header.Via;
import dev.parley.sip.message.Body;
import dev.parley.sip.message.SipMessage;
import dev.parley.sip.message.SipRequest;
import dev.parley.sip.message.SipResponse;
import dev.parley.sip.uri.Uri;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Canonical serialization (RFC 3261 §7): parse → serialize → parse is stable. */
class SipSerializerTest {

    private static SipMessage parse(byte[] data) {
        ParseResult r = SipParser.standard().parseDatagram(data);
        assertThat(r).isInstanceOf(ParseResult.Parsed.class);
        return ((ParseResult.Parsed) r).message();
    }

    private static SipMessage parse(String text) {
        return parse(text.getBytes(StandardCharsets.UTF_8));
    }

    private static final String COMPACT = "\r\n"
            + "INVITE sip:bob@biloxi.com SIP/2.0\n"
            + "v:  SIP / 2.0 / UDP pc33.atlanta.com ;branch=z9hG4bKnashds8\r\n"
            + "t: Bob <sip:bob@biloxi.com>\r\n"
            + "f: \"Alice\"<sip:alice@atlanta.com>;tag=1928301774\r\n"
            + "i: a84b4c76e66710@pc33.atlanta.com\r\n"
            + "CSEQ: 314159 INVITE\r\n"
            + "Subject: folded\r\n"
            + "  line\r\n"
            + "x-unknown-Header:  kept  as is \r\n"
            + "c: application/sdp\r\n"
            + "l: 4\r\n"
            + "\r\n"
            + "v=0\r\ntrailing";

    @Test
    void rfc3261_7_3_3_compactNamesAreExpandedAndValuesKept() {
        String out = SipSerializer.toText(parse(COMPACT));
        assertThat(out).isEqualTo("INVITE sip:bob@biloxi.com SIP/2.0\r\n"
                + "Via: SIP / 2.0 / UDP pc33.atlanta.com ;branch=z9hG4bKnashds8\r\n"
                + "To: Bob <sip:bob@biloxi.com>\r\n"
                + "From: \"Alice\"<sip:alice@atlanta.com>;tag=1928301774\r\n"
                + "Call-ID: a84b4c76e66710@pc33.atlanta.com\r\n"
                + "CSeq: 314159 INVITE\r\n"
                + "Subject: folded line\r\n"
                + "x-unknown-Header: kept  as is\r\n"
                + "Content-Type: application/sdp\r\n"
                + "Content-Length: 4\r\n"
                + "\r\n"
                + "v=0\r");
    }

    @Test
    void parseSerializeParseSerializeIsStable() {
        byte[] first = SipSerializer.serialize(parse(COMPACT));
        byte[] second = SipSerializer.serialize(parse(first));
        assertThat(second).isEqualTo(first);
        SipMessage a = parse(first);
        SipMessage b = parse(second);
        assertThat(b.headers().asList()).isEqualTo(a.headers().asList());
        assertThat(b.body()).isEqualTo(a.body());
    }

    @Test
    void rfc3261_20_14_contentLengthIsInsertedWhenAbsent() {
        // a datagram without Content-Length: the body runs to the end
        SipMessage m = parse(COMPACT.replace("l: 4\r\n", ""));
        String out = SipSerializer.toText(m);
        assertThat(out).endsWith("Content-Type: application/sdp\r\nContent-Length: 13\r\n\r\nv=0\r\ntrailing");
        assertThat(out.split("Content-Length", -1)).hasSize(2);
    }

    @Test
    void rfc3261_20_14_wrongContentLengthIsCorrectedAndDuplicatesDropped() {
        SipRequest built = SipRequest.builder("MESSAGE", Uri.parse("sip:bob@biloxi.com"))
                .add("Content-Length", "99")
                .callId("x")
                .add("l", "7")
                .body(new MediaType("text", "plain", dev.parley.sip.text.Parameters.EMPTY), Body.of("hello"))
                .build();
        built = built.toBuilder().add(HeaderName.CONTENT_LENGTH, "1000").build();
        String out = SipSerializer.toText(built);
        assertThat(out).isEqualTo("MESSAGE sip:bob@biloxi.com SIP/2.0\r\n"
                + "Content-Length: 5\r\n"
                + "Call-ID: x\r\n"
                + "Content-Type: text/plain\r\n"
                + "\r\n"
                + "hello");
    }

    @Test
    void noContentLengthFieldStillGetsOne() {
        SipResponse r = SipResponse.builder(100).callId("x").build();
        assertThat(SipSerializer.toText(r)).isEqualTo("SIP/2.0 100 Trying\r\nCall-ID: x\r\nContent-Length: 0\r\n\r\n");
    }

    @Test
    void rfc3261_24_2_builtInviteWithSdpSerializesExactly() {
        String sdp = "v=0\r\n"
                + "o=alice 2890844526 2890844526 IN IP4 pc33.atlanta.com\r\n"
                + "s=-\r\n"
                + "c=IN IP4 192.0.2.101\r\n"
                + "t=0 0\r\n"
                + "m=audio 49172 RTP/AVP 0\r\n"
                + "a=rtpmap:0 PCMU/8000\r\n";
        SipRequest invite = SipRequest.builder("INVITE", Uri.parse("sip:bob@biloxi.com"))
                .via(Via.of("UDP", "pc33.atlanta.com", -1, "z9hG4bK776asdhds"))
                .maxForwards(70)
                .to(Address.of("Bob", Uri.parse("sip:bob@biloxi.com")))
                .from(Address.of("Alice", Uri.parse("sip:alice@atlanta.com")).withTag("1928301774"))
                .callId("a84b4c76e66710@pc33.atlanta.com")
                .cseq(new CSeq(314159, "INVITE"))
                .contact(Address.of(Uri.parse("sip:alice@pc33.atlanta.com")))
                .body(MediaType.APPLICATION_SDP, Body.of(sdp))
                .build();
        byte[] bytes = SipSerializer.serialize(invite);
        assertThat(new String(bytes, StandardCharsets.UTF_8)).isEqualTo("INVITE sip:bob@biloxi.com SIP/2.0\r\n"
                + "Via: SIP/2.0/UDP pc33.atlanta.com;branch=z9hG4bK776asdhds\r\n"
                + "Max-Forwards: 70\r\n"
                + "To: \"Bob\" <sip:bob@biloxi.com>\r\n"
                + "From: \"Alice\" <sip:alice@atlanta.com>;tag=1928301774\r\n"
                + "Call-ID: a84b4c76e66710@pc33.atlanta.com\r\n"
                + "CSeq: 314159 INVITE\r\n"
                + "Contact: <sip:alice@pc33.atlanta.com>\r\n"
                + "Content-Type: application/sdp\r\n"
                + "Content-Length: 141\r\n"
                + "\r\n"
                + sdp);
        assertThat(sdp.length()).isEqualTo(141);
        SipRequest back = (SipRequest) parse(bytes);
        assertThat(back.body().toUtf8String()).isEqualTo(sdp);
        assertThat(back.cseq()).isEqualTo(invite.cseq());
        assertThat(back.from()).isEqualTo(invite.from());
        assertThat(back.vias()).isEqualTo(invite.vias());
        assertThat(SipSerializer.serialize(back)).isEqualTo(bytes);
    }

    @Test
    void utf8ValuesAndBinaryBodiesSurvive() {
        byte[] body = {0, 1, 2, (byte) 0xFF, '\r', '\n', (byte) 0x80};
        SipRequest r = SipRequest.builder("MESSAGE", Uri.parse("sip:bob@biloxi.com"))
                .via(Via.of("UDP", "h.example.com", -1, "z9hG4bK1"))
                .to(Address.of("Zoë", Uri.parse("sip:bob@biloxi.com")))
                .from(Address.of(Uri.parse("sip:a@b")).withTag("1"))
                .callId("c")
                .cseq(new CSeq(1, "MESSAGE"))
                .body(new MediaType("application", "octet-stream", dev.parley.sip.text.Parameters.EMPTY), Body.of(body))
                .build();
        byte[] bytes = SipSerializer.serialize(r);
        SipMessage back = parse(bytes);
        assertThat(back.to().displayName()).isEqualTo("Zoë");
        assertThat(back.body().toByteArray()).isEqualTo(body);
        assertThat(SipSerializer.serialize(back)).isEqualTo(bytes);
    }

    @Test
    void nonAsciiTextBeyondTheAsciiSizeAndALongBodyAreWrittenWhole() {
        // Every To below is longer in UTF-8 than in chars: the output outgrows the size estimated from the text
        String name = "Zoë Ødegård ".repeat(40);
        byte[] body = new byte[12_345];
        java.util.Arrays.fill(body, (byte) 'x');
        SipRequest.Builder b = SipRequest.builder("MESSAGE", Uri.parse("sip:bob@biloxi.com"))
                .via(Via.of("UDP", "h.example.com", -1, "z9hG4bK1"))
                .to(Address.of("Zoë", Uri.parse("sip:bob@biloxi.com")))
                .from(Address.of(Uri.parse("sip:a@b")).withTag("1"))
                .callId("c")
                .cseq(new CSeq(1, "MESSAGE"))
                .body(new MediaType("text", "plain", dev.parley.sip.text.Parameters.EMPTY), Body.of(body));
        for (int i = 0; i < 5; i++) {
            b.add(HeaderName.of("X-Name-" + i), "\"" + name + "\"");
        }
        SipRequest r = b.build();
        byte[] bytes = SipSerializer.serialize(r);
        StringBuilder expected = new StringBuilder("MESSAGE sip:bob@biloxi.com SIP/2.0\r\n");
        for (var f : r.headers()) {
            String value = f.name().equals(HeaderName.CONTENT_LENGTH) ? "12345" : f.value();
            expected.append(f.name().name()).append(": ").append(value).append("\r\n");
        }
        expected.append("\r\n").append("x".repeat(12_345));
        assertThat(new String(bytes, StandardCharsets.UTF_8)).isEqualTo(expected.toString());
        assertThat(bytes).hasSize(expected.toString().getBytes(StandardCharsets.UTF_8).length);
        SipMessage back = parse(bytes);
        assertThat(back.headers().value(HeaderName.of("X-Name-4"))).isEqualTo("\"" + name + "\"");
        assertThat(SipSerializer.serialize(back)).isEqualTo(bytes);
    }
}
