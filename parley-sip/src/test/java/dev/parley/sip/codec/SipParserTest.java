package dev.parley.sip.codec;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.sip.header.HeaderField;
import dev.parley.sip.header.HeaderName;
import dev.parley.sip.message.SipMessage;
import dev.parley.sip.message.SipRequest;
import dev.parley.sip.message.SipResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Datagram parsing (RFC 3261 §7, §18.3) and the limits of {@link SipLimits}. */
class SipParserTest {

    private static final String VIA = "Via: SIP/2.0/UDP pc33.atlanta.com;branch=z9hG4bKnashds8\r\n";
    private static final String HEADERS = VIA
            + "Max-Forwards: 70\r\n"
            + "To: Bob <sip:bob@biloxi.com>\r\n"
            + "From: Alice <sip:alice@atlanta.com>;tag=1928301774\r\n"
            + "Call-ID: a84b4c76e66710@pc33.atlanta.com\r\n"
            + "CSeq: 314159 INVITE\r\n";
    private static final String INVITE = "INVITE sip:bob@biloxi.com SIP/2.0\r\n" + HEADERS;

    private static ParseResult parse(String text) {
        return parse(SipParser.standard(), text);
    }

    private static ParseResult parse(SipParser parser, String text) {
        return parser.parseDatagram(text.getBytes(StandardCharsets.UTF_8));
    }

    private static SipMessage parsed(String text) {
        ParseResult r = parse(text);
        assertThat(r).isInstanceOf(ParseResult.Parsed.class);
        return ((ParseResult.Parsed) r).message();
    }

    private static ParseResult.Malformed malformed(ParseResult r, int status) {
        assertThat(r).isInstanceOf(ParseResult.Malformed.class);
        ParseResult.Malformed m = (ParseResult.Malformed) r;
        assertThat(m.status()).as(m.error()).isEqualTo(status);
        return m;
    }

    private static List<String> lines(SipMessage m) {
        List<String> out = new ArrayList<>();
        for (HeaderField f : m.headers()) {
            out.add(f.name().name() + ": " + f.value());
        }
        return out;
    }

    @Test
    void rfc3261_7_wellFormedInviteWithBody() {
        SipRequest r = (SipRequest) parsed(INVITE + "Content-Type: application/sdp\r\nContent-Length: 5\r\n\r\nv=0\r\n");
        assertThat(r.method()).isEqualTo("INVITE");
        assertThat(r.requestUri()).hasToString("sip:bob@biloxi.com");
        assertThat(r.callId()).isEqualTo("a84b4c76e66710@pc33.atlanta.com");
        assertThat(r.cseq().sequence()).isEqualTo(314159);
        assertThat(r.body().toUtf8String()).isEqualTo("v=0\r\n");
        assertThat(r.headers().size()).isEqualTo(8);
    }

    @Test
    void rfc3261_7_5_leadingCrlfsAreIgnored() {
        SipMessage m = parsed("\r\n\r\n\n" + INVITE + "Content-Length: 0\r\n\r\n");
        assertThat(m.startLine()).isEqualTo("INVITE sip:bob@biloxi.com SIP/2.0");
    }

    @Test
    void rfc5626_3_5_1_onlyCrlfsIsAKeepAlive() {
        assertThat(parse("\r\n\r\n")).isInstanceOf(ParseResult.KeepAlive.class);
        assertThat(parse("\r\n")).isInstanceOf(ParseResult.KeepAlive.class);
        assertThat(parse("")).isInstanceOf(ParseResult.KeepAlive.class);
    }

    @Test
    void rfc3261_7_3_1_foldedHeaderLinesAreUnfolded() {
        SipMessage m = parsed(INVITE
                + "Subject: I know you're there,\r\n"
                + "         pick up the phone\r\n"
                + "\t and talk to me!\r\n"
                + "Route: <sip:p1.example.com;lr>,\r\n"
                + "  <sip:p2.example.com;lr>\r\n"
                + "Content-Length: 0\r\n\r\n");
        assertThat(m.headers().value(HeaderName.SUBJECT)).isEqualTo("I know you're there, pick up the phone and talk to me!");
        assertThat(m.routes()).hasSize(2);
        assertThat(m.headers().value(HeaderName.ROUTE)).isEqualTo("<sip:p1.example.com;lr>, <sip:p2.example.com;lr>");
    }

    @Test
    void rfc3261_7_3_1_continuationBeforeAnyHeaderIs400() {
        malformed(parse("INVITE sip:bob@biloxi.com SIP/2.0\r\n  folded\r\n" + HEADERS + "\r\n"), 400);
    }

    @Test
    void rfc3261_7_3_3_compactFormsAreTheLongHeaders() {
        SipMessage m = parsed("INVITE sip:bob@biloxi.com SIP/2.0\r\n"
                + "v: SIP/2.0/UDP pc33.atlanta.com;branch=z9hG4bKnashds8\r\n"
                + "t: <sip:bob@biloxi.com>\r\n"
                + "f: <sip:alice@atlanta.com>;tag=1\r\n"
                + "i: abc@atlanta.com\r\n"
                + "CSeq: 1 INVITE\r\n"
                + "m: <sip:alice@pc33.atlanta.com>\r\n"
                + "k: 100rel\r\n"
                + "c: application/sdp\r\n"
                + "l: 3\r\n\r\nabc");
        assertThat(m.topVia().host()).isEqualTo("pc33.atlanta.com");
        assertThat(m.callId()).isEqualTo("abc@atlanta.com");
        assertThat(m.from().tag()).isEqualTo("1");
        assertThat(m.contacts()).hasSize(1);
        assertThat(m.supported()).containsExactly("100rel");
        assertThat(m.contentType()).hasValueSatisfying(t -> assertThat(t.isSdp()).isTrue());
        assertThat(m.body().toUtf8String()).isEqualTo("abc");
        assertThat(m.headers().get(0).name()).isSameAs(HeaderName.VIA);
    }

    @Test
    void rfc3261_7_3_1_headerNamesAreCaseInsensitiveAndMayHaveSpaceBeforeTheColon() {
        SipMessage m = parsed("INVITE sip:bob@biloxi.com SIP/2.0\r\n"
                + "VIA: SIP/2.0/UDP pc33.atlanta.com;branch=z9hG4bKnashds8\r\n"
                + "to  : <sip:bob@biloxi.com>\r\n"
                + "FrOm:<sip:alice@atlanta.com>;tag=1\r\n"
                + "call-id:\tabc\r\n"
                + "cseq: 1 INVITE\r\n\r\n");
        assertThat(m.callId()).isEqualTo("abc");
        assertThat(m.to().uri()).hasToString("sip:bob@biloxi.com");
    }

    @Test
    void bareLfLineEndsAreAccepted() {
        SipMessage m = parsed((INVITE + "Content-Length: 2\r\n\r\nhi").replace("\r\n", "\n"));
        assertThat(m.callId()).isEqualTo("a84b4c76e66710@pc33.atlanta.com");
        assertThat(m.body().toUtf8String()).isEqualTo("hi");
    }

    @Test
    void rfc3261_7_3_1_utf8DisplayNamesAreKept() {
        SipMessage m = parsed(INVITE.replace("To: Bob", "To: \"Bébé Öster 日本\"") + "Content-Length: 0\r\n\r\n");
        assertThat(m.to().displayName()).isEqualTo("Bébé Öster 日本");
    }

    @Test
    void rfc3261_7_3_1_invalidUtf8Is400() {
        byte[] head = (INVITE.replace("To: Bob", "To: \"B\u0001b\"")).getBytes(StandardCharsets.UTF_8);
        byte[] bad = new byte[head.length + 2];
        System.arraycopy(head, 0, bad, 0, head.length);
        bad[head.length] = '\r';
        bad[head.length + 1] = '\n';
        int at = new String(head, StandardCharsets.ISO_8859_1).indexOf('\u0001');
        bad[at] = (byte) 0xC3; // a lead byte followed by 'b', not a continuation byte
        ParseResult.Malformed m = malformed(SipParser.standard().parseDatagram(bad), 400);
        assertThat(m.error()).contains("UTF-8");
        assertThat(m.request()).isTrue();
        assertThat(m.errorResponse()).isPresent();
    }

    @Test
    void nulInAHeaderIs400() {
        ParseResult.Malformed m = malformed(parse(INVITE + "Subject: a\0b\r\n\r\n"), 400);
        assertThat(m.error()).contains("NUL");
    }

    @Test
    void aBareCrNulOrInvalidUtf8IsFoundAtEveryOffsetOfALine() {
        // the parser passes over ordinary text eight octets at a time: what it must refuse can sit at any offset
        String value = "abcdefghijklmnopqrstuvwxyz0123456789";
        for (int i = 0; i <= value.length(); i++) {
            String head = INVITE + "Subject: " + value.substring(0, i);
            String tail = value.substring(i) + "\r\n\r\n";
            assertThat(malformed(parse(head + "\r" + tail), 400).error()).contains("bare CR");
            assertThat(malformed(parse(head + "\0" + tail), 400).error()).contains("NUL");
            byte[] bad = (head + "\u0001" + tail).getBytes(StandardCharsets.UTF_8);
            bad[head.length()] = (byte) 0xC3; // a lead byte followed by ASCII, not a continuation byte
            assertThat(malformed(SipParser.standard().parseDatagram(bad), 400).error()).contains("UTF-8");
            assertThat(parsed(head + "\u00e9" + tail).headers().value(HeaderName.SUBJECT))
                    .isEqualTo(value.substring(0, i) + "\u00e9" + value.substring(i));
            assertThat(parsed(INVITE + "Subject: \t " + value.substring(0, i) + " \t\r\n\r\n").headers()
                    .value(HeaderName.SUBJECT)).isEqualTo(value.substring(0, i));
        }
    }

    @Test
    void rfc4475_3_1_1_2_nulAsAQuotedPairIsKept() {
        SipMessage m = parsed(INVITE.replace("To: Bob", "To: \"NUL:\\\0\"") + "\r\n");
        assertThat(m.to().displayName()).isEqualTo("NUL:\0");
        // an escaped backslash does not escape the NUL after it
        malformed(parse(INVITE.replace("To: Bob", "To: \"x\\\\\0\"") + "\r\n"), 400);
    }

    @Test
    void bareCrInAHeaderIs400() {
        malformed(parse(INVITE + "Subject: a\rb\r\n\r\n"), 400);
    }

    @Test
    void limitMessageBytesIs513() {
        String text = INVITE + "Content-Length: 0\r\n\r\n";
        int size = text.getBytes(StandardCharsets.UTF_8).length;
        SipParser exact = new SipParser(new SipLimits(size, 16_384, 8_192, 128, 60_000));
        assertThat(parse(exact, text)).isInstanceOf(ParseResult.Parsed.class);
        SipParser tight = new SipParser(new SipLimits(size - 1, 16_384, 8_192, 128, 60_000));
        ParseResult.Malformed m = malformed(parse(tight, text), 513);
        assertThat(m.request()).isTrue();
    }

    @Test
    void limitHeaderSectionBytesIs513() {
        String text = INVITE + "Content-Length: 0\r\n\r\n";
        SipParser tight = new SipParser(new SipLimits(65_535, 100, 8_192, 128, 60_000));
        ParseResult.Malformed m = malformed(parse(tight, text), 513);
        // what was read before the limit still routes the answer
        assertThat(m.errorResponse()).hasValueSatisfying(r -> assertThat(r.status()).isEqualTo(513));
        SipParser roomy = new SipParser(new SipLimits(65_535, text.length(), 8_192, 128, 60_000));
        assertThat(parse(roomy, text)).isInstanceOf(ParseResult.Parsed.class);
    }

    @Test
    void limitLineBytesIs513() {
        SipParser parser = new SipParser(new SipLimits(65_535, 16_384, 64, 128, 60_000));
        String okLine = "Subject: " + "x".repeat(64 - 9) + "\r\n"; // exactly 64 octets before CRLF
        assertThat(parse(parser, INVITE + okLine + "Content-Length: 0\r\n\r\n")).isInstanceOf(ParseResult.Parsed.class);
        String longLine = "Subject: " + "x".repeat(200) + "\r\n";
        malformed(parse(parser, INVITE + longLine + "Content-Length: 0\r\n\r\n"), 513);
    }

    @Test
    void limitHeaderCountIs513() {
        // INVITE has 6 header lines, plus Content-Length
        SipParser exact = new SipParser(new SipLimits(65_535, 16_384, 8_192, 7, 60_000));
        assertThat(parse(exact, INVITE + "Content-Length: 0\r\n\r\n")).isInstanceOf(ParseResult.Parsed.class);
        SipParser tight = new SipParser(new SipLimits(65_535, 16_384, 8_192, 6, 60_000));
        ParseResult.Malformed m = malformed(parse(tight, INVITE + "Content-Length: 0\r\n\r\n"), 513);
        assertThat(m.headersRead()).hasSize(6);
    }

    @Test
    void limitBodyBytesIs513() {
        SipParser parser = new SipParser(new SipLimits(65_535, 16_384, 8_192, 128, 10));
        assertThat(parse(parser, INVITE + "Content-Length: 10\r\n\r\n0123456789")).isInstanceOf(ParseResult.Parsed.class);
        malformed(parse(parser, INVITE + "Content-Length: 11\r\n\r\n0123456789a"), 513);
        // without Content-Length the body runs to the end of the datagram, and is limited all the same
        malformed(parse(parser, INVITE + "\r\n0123456789a"), 513);
    }

    @Test
    void limitsMustBePositive() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new SipLimits(0, 1, 1, 1, 0))
                .isInstanceOf(IllegalArgumentException.class);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new SipLimits(1, 1, 1, 1, -1))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {"Via", "From", "To", "Call-ID", "CSeq"})
    void rfc3261_8_1_1_missingMandatoryHeaderIs400(String name) {
        String text = (INVITE + "Content-Length: 0\r\n\r\n").replaceAll("(?m)^" + name + ":[^\r]*\r\n", "");
        assertThat(text).doesNotContain(name + ": ");
        ParseResult.Malformed m = malformed(parse(text), 400);
        assertThat(m.error()).containsIgnoringCase(name.equals("Via") ? "via" : name);
    }

    @Test
    void rfc4475_3_3_8_duplicateFromIs400() {
        malformed(parse(INVITE + "From: <sip:mallory@evil.example>;tag=2\r\nContent-Length: 0\r\n\r\n"), 400);
    }

    @Test
    void rfc4475_3_3_9_duplicateContentLengthIs400() {
        malformed(parse(INVITE + "Content-Length: 2\r\nl: 2\r\n\r\nhi"), 400);
    }

    @Test
    void rfc4475_3_1_2_3_contentLengthLargerThanTheDatagramIs400() {
        ParseResult.Malformed m = malformed(parse(INVITE + "Content-Length: 9999\r\n\r\nhi"), 400);
        assertThat(m.errorResponse()).isPresent();
    }

    @Test
    void rfc4475_3_1_1_8_contentLengthSmallerTruncatesAndExtraOctetsAreIgnored() {
        SipMessage m = parsed(INVITE + "Content-Length: 2\r\n\r\nhi there, trailing garbage");
        assertThat(m.body().toUtf8String()).isEqualTo("hi");
    }

    @Test
    void rfc3261_18_3_withoutContentLengthTheDatagramBodyRunsToTheEnd() {
        SipMessage m = parsed(INVITE + "\r\nall\r\nof this");
        assertThat(m.body().toUtf8String()).isEqualTo("all\r\nof this");
        assertThat(parsed(INVITE + "\r\n").body().isEmpty()).isTrue();
    }

    @Test
    void rfc4475_3_1_2_2_nonNumericContentLengthIs400() {
        malformed(parse(INVITE + "Content-Length: five\r\n\r\nhello"), 400);
        malformed(parse(INVITE + "Content-Length: -1\r\n\r\nhello"), 400);
    }

    @Test
    void rfc3261_8_2_1_unsupportedVersionIs505WithTheViaInTheAnswer() {
        ParseResult.Malformed m = malformed(
                parse("OPTIONS sip:bob@biloxi.com SIP/3.0\r\n" + HEADERS.replace("INVITE", "OPTIONS") + "\r\n"), 505);
        assertThat(m.request()).isTrue();
        assertThat(m.method()).isEqualTo("OPTIONS");
        SipResponse answer = m.errorResponse().orElseThrow();
        assertThat(answer.status()).isEqualTo(505);
        assertThat(answer.reason()).isEqualTo("Version Not Supported");
        assertThat(answer.topVia().branch()).isEqualTo("z9hG4bKnashds8");
        assertThat(answer.cseq().method()).isEqualTo("OPTIONS");
    }

    @Test
    void rfc3261_18_1_2_responseWithABadVersionIsDropped() {
        ParseResult.Malformed m = (ParseResult.Malformed) parse("SIP/7.0 200 OK\r\n" + HEADERS + "\r\n");
        assertThat(m.request()).isFalse();
        assertThat(m.method()).isNull();
        assertThat(m.errorResponse()).isEmpty();
    }

    @Test
    void rfc3261_17_1_1_3_malformedAckIsNeverAnswered() {
        ParseResult.Malformed m = (ParseResult.Malformed) parse(
                "ACK sip:bob@biloxi.com SIP/2.0\r\n" + HEADERS.replace("INVITE", "ACK").replace("CSeq: 314159 ACK\r\n", ""));
        assertThat(m.request()).isTrue();
        assertThat(m.method()).isEqualTo("ACK");
        assertThat(m.errorResponse()).isEmpty();
    }

    @Test
    void rfc3261_8_2_6_2_errorResponseCopiesWhatWasRead() {
        String text = "INVITE sip:bob@biloxi.com SIP/2.0\r\n"
                + VIA
                + "Via: SIP/2.0/TCP second.example.com;branch=z9hG4bK2\r\n"
                + "To: Bob <sip:bob@biloxi.com>\r\n"
                + "From: Alice <sip:alice@atlanta.com>;tag=1928301774\r\n"
                + "Call-ID: a84b4c76e66710@pc33.atlanta.com\r\n"
                + "CSeq: 314159 INVITE\r\n"
                + "Contact: <sip:alice@pc33.atlanta.com>\r\n"
                + "Max-Forwards: many\r\n"
                + "\r\n";
        ParseResult.Malformed m = malformed(parse(text), 400);
        SipResponse answer = m.errorResponse().orElseThrow();
        assertThat(lines(answer)).containsExactly(
                "Via: SIP/2.0/UDP pc33.atlanta.com;branch=z9hG4bKnashds8",
                "Via: SIP/2.0/TCP second.example.com;branch=z9hG4bK2",
                "To: Bob <sip:bob@biloxi.com>",
                "From: Alice <sip:alice@atlanta.com>;tag=1928301774",
                "Call-ID: a84b4c76e66710@pc33.atlanta.com",
                "CSeq: 314159 INVITE");
        assertThat(answer.status()).isEqualTo(400);
        assertThat(m.headersRead()).hasSize(8);
    }

    @Test
    void rfc3261_18_2_2_theFieldBeforeAnOverlongLineStillRoutesTheAnswer() {
        SipParser parser = new SipParser(new SipLimits(65_535, 16_384, 80, 128, 60_000));
        String text = "OPTIONS sip:bob@biloxi.com SIP/2.0\r\n" + VIA + "Subject: " + "x".repeat(100) + "\r\n\r\n";
        ParseResult.Malformed m = malformed(parse(parser, text), 513);
        assertThat(m.headersRead()).extracting(f -> f.name()).containsExactly(HeaderName.VIA);
        assertThat(m.errorResponse()).hasValueSatisfying(
                r -> assertThat(r.topVia().branch()).isEqualTo("z9hG4bKnashds8"));
    }

    @Test
    void rfc3261_8_2_6_2_errorResponseForADuplicateFromCarriesTheFirstOnly() {
        ParseResult.Malformed m = malformed(
                parse(INVITE + "From: <sip:mallory@evil.example>;tag=2\r\nCall-ID: second\r\n\r\n"), 400);
        SipResponse answer = m.errorResponse().orElseThrow();
        assertThat(answer.headers().values(HeaderName.FROM))
                .containsExactly("Alice <sip:alice@atlanta.com>;tag=1928301774");
        assertThat(answer.headers().values(HeaderName.CALL_ID)).containsExactly("a84b4c76e66710@pc33.atlanta.com");
    }

    @Test
    void rfc3261_18_2_2_noViaMeansNoAnswer() {
        ParseResult.Malformed m = malformed(parse(INVITE.replace(VIA, "") + "\r\n"), 400);
        assertThat(m.request()).isTrue();
        assertThat(m.errorResponse()).isEmpty();
    }

    @Test
    void rfc4475_3_1_2_17_cseqMethodMismatchIs400() {
        ParseResult.Malformed m = malformed(parse(INVITE.replace("CSeq: 314159 INVITE", "CSeq: 314159 ACK") + "\r\n"), 400);
        assertThat(m.error()).contains("CSeq");
    }

    @Test
    void rfc3261_7_2_responsesNeedNotMatchARequestMethod() {
        SipResponse r = (SipResponse) parsed("SIP/2.0 180 Ringing\r\n" + HEADERS + "Content-Length: 0\r\n\r\n");
        assertThat(r.status()).isEqualTo(180);
        assertThat(r.reason()).isEqualTo("Ringing");
        assertThat(r.method()).isEqualTo("INVITE");
    }

    @ParameterizedTest
    @ValueSource(strings = {"SIP/2.0 2000 OK", "SIP/2.0 20 OK", "SIP/2.0 099 Low", "SIP/2.0 700 High", "SIP/2.0 2x0 OK",
        "SIP/2.0  200 OK"})
    void rfc4475_3_1_2_19_statusCodeMustBeThreeDigitsInRange(String statusLine) {
        ParseResult.Malformed m = malformed(parse(statusLine + "\r\n" + HEADERS + "\r\n"), 400);
        assertThat(m.request()).isFalse();
        assertThat(m.errorResponse()).isEmpty();
    }

    @Test
    void rfc4475_3_1_1_13_emptyReasonPhraseIsValid() {
        SipResponse r = (SipResponse) parsed("SIP/2.0 200 \r\n" + HEADERS + "\r\n");
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.reason()).isEmpty();
        SipResponse utf8 = (SipResponse) parsed("SIP/2.0 200 Très bien\r\n" + HEADERS + "\r\n");
        assertThat(utf8.reason()).isEqualTo("Très bien");
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "INVITE  sip:bob@biloxi.com SIP/2.0",     // two spaces (RFC 4475 §3.1.2.9)
        "INVITE sip:bob@biloxi.com  SIP/2.0",
        "INVITE sip:bob@biloxi.com",              // no version
        "INVITE sip:bob@biloxi.com?x=y SIP/2.0",  // headers in the Request-URI (§3.1.2.11)
        "INVITE sip:bob@biloxi.com SIP/2",        // malformed version
        "INV@TE sip:bob@biloxi.com SIP/2.0",      // method not a token
    })
    void rfc4475_3_1_2_malformedRequestLinesAre400(String requestLine) {
        ParseResult.Malformed m = malformed(parse(requestLine + "\r\n" + HEADERS + "\r\n"), 400);
        assertThat(m.request()).isTrue();
    }

    @Test
    void rfc3261_7_1_unknownMethodParsesWhenCSeqAgrees() {
        SipRequest r = (SipRequest) parsed("NEWMETHOD sip:bob@biloxi.com SIP/2.0\r\n"
                + HEADERS.replace("314159 INVITE", "8 NEWMETHOD") + "\r\n");
        assertThat(r.method()).isEqualTo("NEWMETHOD");
    }

    @Test
    void truncatedHeaderSectionIs400() {
        malformed(parse(INVITE), 400);
        malformed(parse("INVITE sip:bob@biloxi.com SIP/2.0"), 400);
    }

    @Test
    void headerLineWithoutAColonIs400() {
        malformed(parse(INVITE + "NoColonHere\r\n\r\n"), 400);
    }

    @Test
    void parseDatagramReadsOnlyTheGivenRange() {
        byte[] text = ("xxxx" + INVITE + "Content-Length: 2\r\n\r\nhiyyyy").getBytes(StandardCharsets.UTF_8);
        ParseResult r = SipParser.standard().parseDatagram(text, 4, text.length - 8);
        assertThat(((ParseResult.Parsed) r).message().body().toUtf8String()).isEqualTo("hi");
    }

    @Test
    void rfc3261_20_22_maxForwardsAbove255Is400() {
        malformed(parse(INVITE.replace("Max-Forwards: 70", "Max-Forwards: 256") + "\r\n"), 400);
    }

    @Test
    void malformedContactRouteOrRecordRouteIs400() {
        malformed(parse(INVITE + "Contact: <sip:a@b\r\n\r\n"), 400);
        malformed(parse(INVITE + "Route: sip:p1.example.com\r\n\r\n"), 400 /* name-addr only */ );
        malformed(parse(INVITE + "Record-Route: <sip:p1.example.com;lr> x\r\n\r\n"), 400);
    }
}
