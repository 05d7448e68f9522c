package dev.parley.sip.message;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.parley.sip.codec.ParseResult;
import dev.parley.sip.codec.SipParser;
import dev.parley.sip.codec.SipSerializer;
import dev.parley.sip.header.Address;
import dev.parley.sip.header.CSeq;
import dev.parley.sip.header.HeaderField;
import dev.parley.sip.header.HeaderName;
import dev.parley.sip.header.HeaderType;
import dev.parley.sip.header.MediaType;
import dev.parley.sip.header.Via;
import dev.parley.sip.text.SipSyntaxException;
import dev.parley.sip.uri.SipUri;
import dev.parley.sip.uri.Uri;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Messages, their builders and typed header access (RFC 3261 §7, §8.2.6.2, §20). */
class SipMessageTest {

    private static SipMessage parse(String text) {
        ParseResult r = SipParser.standard().parseDatagram(text.getBytes(StandardCharsets.UTF_8));
        assertThat(r).isInstanceOf(ParseResult.Parsed.class);
        return ((ParseResult.Parsed) r).message();
    }

    private static List<String> lines(SipMessage m) {
        List<String> out = new ArrayList<>();
        for (HeaderField f : m.headers()) {
            out.add(f.name().name() + ": " + f.value());
        }
        return out;
    }

    private static final String INVITE = """
            INVITE sip:bob@biloxi.com SIP/2.0\r
            Via: SIP/2.0/UDP pc33.atlanta.com;branch=z9hG4bK776asdhds, SIP/2.0/UDP p1.example.com;branch=z9hG4bK1\r
            Max-Forwards: 70\r
            To: Bob <sip:bob@biloxi.com>\r
            v: SIP/2.0/TCP p2.example.com;branch=z9hG4bK2\r
            From: Alice <sip:alice@atlanta.com>;tag=1928301774\r
            Call-ID: a84b4c76e66710@pc33.atlanta.com\r
            CSeq: 314159 INVITE\r
            Contact: <sip:alice@pc33.atlanta.com>\r
            Record-Route: <sip:p1.example.com;lr>\r
            X-Custom: keep me\r
            Content-Type: application/sdp\r
            Content-Length: 4\r
            \r
            v=0
            """;

    @Test
    void builderKeepsHeadersInTheOrderAdded() {
        SipRequest r = SipRequest.builder(SipMethod.OPTIONS, Uri.parse("sip:carol@chicago.com"))
                .via(Via.of("UDP", "pc33.atlanta.com", 5060, "z9hG4bKhjhs8ass877"))
                .maxForwards(70)
                .to(Address.of(Uri.parse("sip:carol@chicago.com")))
                .from(Address.of("Alice", Uri.parse("sip:alice@atlanta.com")).withTag("1928301774"))
                .callId("a84b4c76e66710")
                .cseq(new CSeq(63104, SipMethod.OPTIONS))
                .contact(Address.of(Uri.parse("sip:alice@pc33.atlanta.com")))
                .add("Accept", "application/sdp")
                .build();
        assertThat(lines(r)).containsExactly(
                "Via: SIP/2.0/UDP pc33.atlanta.com:5060;branch=z9hG4bKhjhs8ass877",
                "Max-Forwards: 70",
                "To: <sip:carol@chicago.com>",
                "From: \"Alice\" <sip:alice@atlanta.com>;tag=1928301774",
                "Call-ID: a84b4c76e66710",
                "CSeq: 63104 OPTIONS",
                "Contact: <sip:alice@pc33.atlanta.com>",
                "Accept: application/sdp");
        assertThat(r.startLine()).isEqualTo("OPTIONS sip:carol@chicago.com SIP/2.0");
        assertThat(r.method()).isEqualTo("OPTIONS");
        assertThat(r.maxForwards()).isEqualTo(70);
        assertThat(r.cseq()).isEqualTo(new CSeq(63104, "OPTIONS"));
        assertThat(r.from().tag()).isEqualTo("1928301774");
        assertThat(r.body().isEmpty()).isTrue();
    }

    @Test
    void setReplacesEveryFieldOfThatNameWhereTheFirstWas() {
        SipRequest r = SipRequest.builder("BYE", Uri.parse("sip:b@x"))
                .add("Subject", "one").add("X-A", "a").add("s", "two").add("X-B", "b")
                .set(HeaderName.SUBJECT, "three")
                .cseq(new CSeq(1, "BYE")).cseq(new CSeq(2, "BYE"))
                .build();
        assertThat(lines(r)).containsExactly("Subject: three", "X-A: a", "X-B: b", "CSeq: 2 BYE");
    }

    @Test
    void rfc3261_8_2_6_2_responseCopiesViaFromToCallIdAndCSeqOnly() {
        SipRequest invite = (SipRequest) parse(INVITE);
        SipResponse ok = SipResponse.to(invite, 200).build();
        assertThat(ok.status()).isEqualTo(200);
        assertThat(ok.reason()).isEqualTo("OK");
        assertThat(ok.startLine()).isEqualTo("SIP/2.0 200 OK");
        assertThat(lines(ok)).containsExactly(
                "Via: SIP/2.0/UDP pc33.atlanta.com;branch=z9hG4bK776asdhds, SIP/2.0/UDP p1.example.com;branch=z9hG4bK1",
                "To: Bob <sip:bob@biloxi.com>",
                "Via: SIP/2.0/TCP p2.example.com;branch=z9hG4bK2",
                "From: Alice <sip:alice@atlanta.com>;tag=1928301774",
                "Call-ID: a84b4c76e66710@pc33.atlanta.com",
                "CSeq: 314159 INVITE");
        assertThat(ok.vias()).extracting(Via::branch)
                .containsExactly("z9hG4bK776asdhds", "z9hG4bK1", "z9hG4bK2");
        assertThat(ok.method()).isEqualTo("INVITE");
        assertThat(ok.body().isEmpty()).isTrue();
        assertThat(ok.contentType()).isEmpty();
        assertThat(ok.recordRoutes()).isEmpty();
        assertThat(ok.contacts()).isEmpty();
        assertThat(ok.header("X-Custom")).isEmpty();
        // the UAS adds its tag to the copied To
        SipResponse tagged = ok.toBuilder().to(ok.to().withTag("a6c85cf")).build();
        assertThat(tagged.to()).hasToString("\"Bob\" <sip:bob@biloxi.com>;tag=a6c85cf");
        assertThat(lines(tagged).get(1)).isEqualTo("To: \"Bob\" <sip:bob@biloxi.com>;tag=a6c85cf");
    }

    @Test
    void rfc3261_16_6_addFirstPutsViaOnTop() {
        SipRequest invite = (SipRequest) parse(INVITE);
        SipRequest forwarded = invite.toBuilder()
                .via(Via.of("UDP", "proxy.example.com", 5060, "z9hG4bKtop"))
                .build();
        assertThat(forwarded.topVia().branch()).isEqualTo("z9hG4bKtop");
        assertThat(forwarded.vias()).extracting(Via::branch)
                .containsExactly("z9hG4bKtop", "z9hG4bK776asdhds", "z9hG4bK1", "z9hG4bK2");
        assertThat(lines(forwarded).get(0)).isEqualTo("Via: SIP/2.0/UDP proxy.example.com:5060;branch=z9hG4bKtop");
        // the original is unchanged
        assertThat(invite.topVia().branch()).isEqualTo("z9hG4bK776asdhds");
    }

    @Test
    void rfc3261_16_6_addFirstWithoutAnyFieldOfThatNameGoesToTheTop() {
        SipRequest r = SipRequest.builder("BYE", Uri.parse("sip:b@x"))
                .callId("c").addFirst(HeaderType.RECORD_ROUTE, Address.of(Uri.parse("sip:p.example.com;lr")))
                .build();
        assertThat(lines(r)).containsExactly("Record-Route: <sip:p.example.com;lr>", "Call-ID: c");
    }

    @Test
    void rfc3261_16_12_removeFirstPopsOneValueOfACommaJoinedRoute() {
        SipRequest r = SipRequest.builder("BYE", Uri.parse("sip:b@x"))
                .add("Route", "<sip:p1.example.com;lr>, <sip:p2.example.com;lr>,<sip:p3.example.com;lr>")
                .add("Route", "<sip:p4.example.com;lr>")
                .callId("c")
                .build();
        SipRequest popped = r.toBuilder().removeFirst(HeaderType.ROUTE).build();
        assertThat(popped.routes()).extracting(a -> a.uri().toString())
                .containsExactly("sip:p2.example.com;lr", "sip:p3.example.com;lr", "sip:p4.example.com;lr");
        assertThat(lines(popped)).containsExactly(
                "Route: <sip:p2.example.com;lr>, <sip:p3.example.com;lr>",
                "Route: <sip:p4.example.com;lr>",
                "Call-ID: c");
        SipRequest twice = popped.toBuilder().removeFirst(HeaderType.ROUTE).removeFirst(HeaderType.ROUTE).build();
        assertThat(lines(twice)).containsExactly("Route: <sip:p4.example.com;lr>", "Call-ID: c");
        SipRequest none = twice.toBuilder().removeFirst(HeaderType.ROUTE).removeFirst(HeaderType.ROUTE).build();
        assertThat(lines(none)).containsExactly("Call-ID: c");
        assertThat(none.routes()).isEmpty();
    }

    @Test
    void removeFirstOfAParsedCommaJoinedViaKeepsTheRest() {
        // the parser has read this Via line into typed values already; removeFirst takes them from there
        SipRequest r = (SipRequest) parse(INVITE);
        SipRequest popped = r.toBuilder().removeFirst(HeaderType.VIA).build();
        assertThat(popped.vias()).extracting(Via::branch).containsExactly("z9hG4bK1", "z9hG4bK2");
        assertThat(popped.headers().values(HeaderName.VIA))
                .containsExactly("SIP/2.0/UDP p1.example.com;branch=z9hG4bK1",
                        "SIP/2.0/TCP p2.example.com;branch=z9hG4bK2");
        SipRequest none = popped.toBuilder().removeFirst(HeaderType.VIA).removeFirst(HeaderType.VIA).build();
        assertThat(none.headers().contains(HeaderName.VIA)).isFalse();
    }

    @Test
    void rfc3261_18_2_1_withTopViaReplacesTheTopViaLineInPlace() {
        String text = INVITE.replace("Via: SIP/2.0/UDP pc33.atlanta.com;branch=z9hG4bK776asdhds, ",
                "Via: SIP/2.0/UDP pc33.atlanta.com;branch=z9hG4bK776asdhds;rport\r\nVia: ");
        SipRequest r = (SipRequest) parse(text);
        Via stamped = r.topVia().withParameter("received", "192.0.2.4").withParameter("rport", "5062");
        SipRequest s = r.withTopVia(stamped);
        assertThat(s.vias()).extracting(Via::branch).containsExactly("z9hG4bK776asdhds", "z9hG4bK1", "z9hG4bK2");
        assertThat(s.topVia()).isEqualTo(stamped);
        assertThat(s.headers().get(0).value())
                .isEqualTo("SIP/2.0/UDP pc33.atlanta.com;branch=z9hG4bK776asdhds;rport=5062;received=192.0.2.4");
        for (int i = 1; i < r.headers().size(); i++) {
            assertThat(s.headers().get(i)).isEqualTo(r.headers().get(i));
        }
        assertThat(s.method()).isEqualTo(r.method());
        assertThat(s.requestUri()).isEqualTo(r.requestUri());
        assertThat(s.body()).isEqualTo(r.body());
    }

    @Test
    void withTopViaOfACommaJoinedTopViaLineSplitsItAsTheBuilderDoes() {
        SipRequest r = (SipRequest) parse(INVITE);
        Via stamped = r.topVia().withParameter("received", "192.0.2.4");
        SipRequest s = r.withTopVia(stamped);
        assertThat(s.vias()).extracting(Via::branch).containsExactly("z9hG4bK776asdhds", "z9hG4bK1", "z9hG4bK2");
        assertThat(s.topVia()).isEqualTo(stamped);
        assertThat(SipSerializer.serialize(s))
                .isEqualTo(SipSerializer.serialize(r.toBuilder().removeFirst(HeaderType.VIA)
                        .addFirst(HeaderType.VIA, stamped).build()));
    }

    @Test
    void removeFirstPopsTheTopViaOfAResponse() {
        SipResponse ok = SipResponse.to((SipRequest) parse(INVITE), 200).build();
        SipResponse upstream = ok.toBuilder().removeFirst(HeaderType.VIA).build();
        assertThat(upstream.vias()).extracting(Via::branch).containsExactly("z9hG4bK1", "z9hG4bK2");
    }

    @Test
    void rfc3261_7_3_unknownHeadersAreKeptExactlyAndInOrder() {
        String text = """
                OPTIONS sip:carol@chicago.com SIP/2.0\r
                X-Weird:   a,,;; b\r
                Via: SIP/2.0/UDP pc33.atlanta.com;branch=z9hG4bKhjhs8ass877\r
                x-lower: MiXeD  case\tvalue\r
                To: <sip:carol@chicago.com>\r
                X-Empty:\r
                From: Alice <sip:alice@atlanta.com>;tag=1928301774\r
                Call-ID: a84b4c76e66710\r
                X-Weird: second\r
                CSeq: 63104 OPTIONS\r
                Content-Length: 0\r
                \r
                """;
        SipMessage m = parse(text);
        assertThat(m.headers().values(HeaderName.of("x-weird"))).containsExactly("a,,;; b", "second");
        assertThat(m.headers().value(HeaderName.of("X-LOWER"))).isEqualTo("MiXeD  case\tvalue");
        assertThat(m.headers().value(HeaderName.of("X-Empty"))).isEmpty();
        String out = SipSerializer.toText(m);
        assertThat(out).isEqualTo("""
                OPTIONS sip:carol@chicago.com SIP/2.0\r
                X-Weird: a,,;; b\r
                Via: SIP/2.0/UDP pc33.atlanta.com;branch=z9hG4bKhjhs8ass877\r
                x-lower: MiXeD  case\tvalue\r
                To: <sip:carol@chicago.com>\r
                X-Empty: \r
                From: Alice <sip:alice@atlanta.com>;tag=1928301774\r
                Call-ID: a84b4c76e66710\r
                X-Weird: second\r
                CSeq: 63104 OPTIONS\r
                Content-Length: 0\r
                \r
                """);
        SipMessage again = parse(out);
        assertThat(lines(again)).isEqualTo(lines(m));
    }

    @Test
    void everyHeaderTypeReadsFromAParsedMessage() throws Exception {
        String text = """
                NOTIFY sip:bob@192.0.2.4 SIP/2.0\r
                Via: SIP/2.0/UDP 192.0.2.1:5060;branch=z9hG4bK1;rport=5062;received=198.51.100.1\r
                From: <sip:alice@atlanta.com>;tag=a\r
                To: "Bob" <sip:bob@biloxi.com>;tag=b\r
                Contact: <sip:alice@192.0.2.1>;expires=60;q=0.5\r
                Call-ID: c1@atlanta.com\r
                CSeq: 7 NOTIFY\r
                Max-Forwards: 69\r
                Route: <sip:p1.example.com;lr>\r
                Record-Route: <sip:p2.example.com;lr>\r
                Path: <sip:edge.example.com;lr>\r
                Content-Type: text/plain;charset=utf-8\r
                Expires: 3600\r
                Min-Expires: 60\r
                Authorization: Digest username="alice", realm="atlanta.com", nonce="n1", uri="sip:bob@biloxi.com", response="r1"\r
                Proxy-Authorization: Digest username="alice", realm="proxy", nonce="n2", uri="sip:bob@biloxi.com", response="r2"\r
                WWW-Authenticate: Digest realm="atlanta.com", nonce="n3", algorithm=MD5\r
                Proxy-Authenticate: Digest realm="proxy", nonce="n4", algorithm=SHA-256\r
                Require: 100rel\r
                Proxy-Require: foo\r
                Supported: timer, replaces\r
                Unsupported: bar\r
                Allow: INVITE, ACK, BYE\r
                Allow-Events: presence, refer\r
                RSeq: 988789\r
                RAck: 776656 1 INVITE\r
                Call-Info: <http://www.example.com/alice/photo.jpg>;purpose=icon\r
                Event: refer;id=93809824\r
                Subscription-State: active;expires=60\r
                Refer-To: <sip:carol@chicago.com>\r
                Referred-By: <sip:alice@atlanta.com>\r
                Replaces: 98732@sip.example.com;from-tag=r33th4x0r;to-tag=ff87ff\r
                Session-Expires: 1800;refresher=uac\r
                Min-SE: 90\r
                Reason: Q.850;cause=16;text="Terminated"\r
                Retry-After: 120 (I'm in a meeting)\r
                User-Agent: Parley/1\r
                Server: Parley/2\r
                Content-Length: 2\r
                \r
                hi""";
        SipMessage m = parse(text);
        // every public HeaderType constant reads to at least one value: a new type gets a line above
        for (Field f : HeaderType.class.getFields()) {
            if (Modifier.isStatic(f.getModifiers()) && f.getType() == HeaderType.class) {
                HeaderType<?> type = (HeaderType<?>) f.get(null);
                assertThat(m.headers().list(type)).as(f.getName()).isNotEmpty();
                assertThat(m.headers().single(type)).as(f.getName()).isNotNull();
            }
        }
        assertThat(m.topVia().rport()).isEqualTo(5062);
        assertThat(m.from().tag()).isEqualTo("a");
        assertThat(m.to().displayName()).isEqualTo("Bob");
        assertThat(m.contacts().get(0).parameters().value("expires")).isEqualTo("60");
        assertThat(m.callId()).isEqualTo("c1@atlanta.com");
        assertThat(m.cseq()).isEqualTo(new CSeq(7, "NOTIFY"));
        assertThat(m.maxForwards()).isEqualTo(69);
        assertThat(((SipUri) m.routes().get(0).uri()).host().text()).isEqualTo("p1.example.com");
        assertThat(m.recordRoutes().get(0).uri()).hasToString("sip:p2.example.com;lr");
        assertThat(m.paths().get(0).uri()).hasToString("sip:edge.example.com;lr");
        assertThat(m.contentType()).hasValueSatisfying(t -> assertThat(t.is("text", "plain")).isTrue());
        assertThat(m.headers().single(HeaderType.CONTENT_LENGTH)).isEqualTo(2L);
        assertThat(m.expires()).hasValue(3600);
        assertThat(m.minExpires()).hasValue(60);
        assertThat(m.authorizations().get(0).response()).isEqualTo("r1");
        assertThat(m.proxyAuthorizations().get(0).realm()).isEqualTo("proxy");
        assertThat(m.wwwAuthenticates().get(0).nonce()).isEqualTo("n3");
        assertThat(m.proxyAuthenticates().get(0).algorithm()).isEqualTo("SHA-256");
        assertThat(m.require()).containsExactly("100rel");
        assertThat(m.proxyRequire()).containsExactly("foo");
        assertThat(m.supported()).containsExactly("timer", "replaces");
        assertThat(m.unsupported()).containsExactly("bar");
        assertThat(m.allow()).containsExactly("INVITE", "ACK", "BYE");
        assertThat(m.headers().list(HeaderType.ALLOW_EVENTS)).containsExactly("presence", "refer");
        assertThat(m.rseq()).hasValue(988789);
        assertThat(m.rack()).hasValueSatisfying(r -> assertThat(r).hasToString("776656 1 INVITE"));
        assertThat(m.callInfos().get(0).purpose()).isEqualTo("icon");
        assertThat(m.event()).hasValueSatisfying(e -> assertThat(e.id()).isEqualTo("93809824"));
        assertThat(m.subscriptionState()).hasValueSatisfying(s -> assertThat(s.expires()).isEqualTo(60));
        assertThat(m.referTo()).hasValueSatisfying(a -> assertThat(a.uri()).hasToString("sip:carol@chicago.com"));
        assertThat(m.referredBy()).hasValueSatisfying(a -> assertThat(a.uri()).hasToString("sip:alice@atlanta.com"));
        assertThat(m.replaces()).hasValueSatisfying(r -> assertThat(r.toTag()).isEqualTo("ff87ff"));
        assertThat(m.sessionExpires()).hasValueSatisfying(s -> assertThat(s.refresher()).isEqualTo("uac"));
        assertThat(m.minSe()).hasValue(90);
        assertThat(m.reasons().get(0).cause()).isEqualTo(16);
        assertThat(m.retryAfter()).hasValueSatisfying(r -> assertThat(r.comment()).isEqualTo("(I'm in a meeting)"));
        assertThat(m.userAgent()).hasValue("Parley/1");
        assertThat(m.server()).hasValue("Parley/2");
        assertThat(m.body().toUtf8String()).isEqualTo("hi");
    }

    @Test
    void absentOptionalHeadersReadAsEmpty() {
        SipMessage m = parse(INVITE);
        assertThat(m.rack()).isEmpty();
        assertThat(m.expires()).isEmpty();
        assertThat(m.supported()).isEmpty();
        assertThat(m.reasons()).isEmpty();
        assertThat(m.headers().single(HeaderType.EVENT)).isNull();
        assertThat(m.userAgent()).isEmpty();
    }

    @Test
    void rfc3261_20_37_emptySupportedAndAllowAreEmptyLists() {
        SipMessage m = parse(INVITE.replace("X-Custom: keep me\r\n", "Supported:\r\nAllow: \r\n"));
        assertThat(m.supported()).isEmpty();
        assertThat(m.allow()).isEmpty();
        assertThat(m.headers().single(HeaderType.SUPPORTED)).isNull();
        assertThat(m.headers().contains(HeaderName.SUPPORTED)).isTrue();
    }

    @Test
    void rfc3261_8_2_malformedLazyHeaderFailsOnlyOnAccessWith400() {
        SipMessage m = parse(INVITE.replace("X-Custom: keep me", "RAck: x"));
        assertThat(m.headers().value(HeaderName.RACK)).isEqualTo("x");
        assertThatThrownBy(m::rack)
                .isInstanceOfSatisfying(SipSyntaxException.class, e -> assertThat(e.status()).isEqualTo(400));
        // the rest of the message is usable
        assertThat(m.callId()).isEqualTo("a84b4c76e66710@pc33.atlanta.com");
        assertThat(m.maxForwards()).isEqualTo(70);
    }

    @Test
    void bodyAndNoBodyMaintainContentTypeAndLength() {
        SipRequest r = SipRequest.builder("MESSAGE", Uri.parse("sip:b@x"))
                .callId("c")
                .body(new MediaType("text", "plain", dev.parley.sip.text.Parameters.EMPTY), Body.of("héllo"))
                .build();
        assertThat(r.body().length()).isEqualTo(6);
        assertThat(lines(r)).containsExactly("Call-ID: c", "Content-Type: text/plain", "Content-Length: 6");
        SipRequest empty = r.toBuilder().noBody().build();
        assertThat(empty.body()).isSameAs(Body.EMPTY);
        assertThat(lines(empty)).containsExactly("Call-ID: c", "Content-Length: 0");
        assertThat(empty.contentType()).isEmpty();
    }

    @Test
    void rfc3261_7_3_1_builderRefusesLineBreaksInValues() {
        SipRequest.Builder b = SipRequest.builder("BYE", Uri.parse("sip:b@x"));
        org.assertj.core.api.Assertions.assertThatIllegalArgumentException()
                .isThrownBy(() -> b.add("Subject", "hi\r\nVia: SIP/2.0/UDP evil.example.com"));
        org.assertj.core.api.Assertions.assertThatIllegalArgumentException()
                .isThrownBy(() -> b.set(HeaderName.SUBJECT, "hi\nthere"));
        org.assertj.core.api.Assertions.assertThatIllegalArgumentException()
                .isThrownBy(() -> b.from(Address.of("Eve\r\nContent-Length: 0\r\n\r\n", Uri.parse("sip:e@x"))));
        org.assertj.core.api.Assertions.assertThatIllegalArgumentException()
                .isThrownBy(() -> b.add("X-Evil: a\r\nVia", "x"));
        // nothing was added by the refused calls
        assertThat(b.build().headers().size()).isZero();
        // a tab or a non-ASCII letter is fine
        assertThat(b.add("Subject", "a\tb é").build().headers().value(HeaderName.SUBJECT)).isEqualTo("a\tb é");
    }

    @Test
    void rfc3261_21_defaultReasonPhrases() {
        assertThat(SipResponse.builder(180).build().reason()).isEqualTo("Ringing");
        assertThat(SipResponse.builder(481).build().reason()).isEqualTo("Call/Transaction Does Not Exist");
        assertThat(SipResponse.builder(499).build().reason()).isEqualTo("Client Error");
        assertThat(SipResponse.builder(200).status(299, "Fine").build().startLine()).isEqualTo("SIP/2.0 299 Fine");
        assertThatThrownBy(() -> SipResponse.builder(700).build()).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> SipResponse.builder(99).build()).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void rfc3261_7_1_methodsAreCaseSensitive() {
        assertThat(SipMethod.isKnown("INVITE")).isTrue();
        assertThat(SipMethod.isKnown("invite")).isFalse();
        assertThat(SipMethod.intern(new String("BYE"))).isSameAs(SipMethod.BYE);
        SipRequest r = SipRequest.builder("invite", Uri.parse("sip:b@x")).build();
        assertThat(r.isMethod("INVITE")).isFalse();
        assertThat(r.isMethod("invite")).isTrue();
    }

    @Test
    void messagesAreImmutableThroughTheirBuilders() {
        SipRequest original = (SipRequest) parse(INVITE);
        SipRequest changed = original.toBuilder()
                .requestUri(Uri.parse("sip:bob@192.0.2.4"))
                .maxForwards(69)
                .remove(HeaderName.of("x-custom"))
                .build();
        assertThat(changed.requestUri()).hasToString("sip:bob@192.0.2.4");
        assertThat(changed.maxForwards()).isEqualTo(69);
        assertThat(changed.header("X-Custom")).isEmpty();
        assertThat(original.requestUri()).hasToString("sip:bob@biloxi.com");
        assertThat(original.maxForwards()).isEqualTo(70);
        assertThat(original.header("X-Custom")).hasValue("keep me");
        assertThat(changed.body()).isEqualTo(original.body());
    }
}
