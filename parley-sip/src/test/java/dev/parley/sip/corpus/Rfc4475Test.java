package dev.parley.sip.corpus;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.sip.codec.ParseResult;
import dev.parley.sip.codec.SipParser;
import dev.parley.sip.codec.SipSerializer;
import dev.parley.sip.header.Address;
import dev.parley.sip.message.SipMessage;
import dev.parley.sip.message.SipRequest;
import dev.parley.sip.message.SipResponse;
import dev.parley.sip.uri.SipUri;
import dev.parley.sip.uri.AbsoluteUri;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The 49 torture messages of RFC 4475, each one UDP datagram, classified as {@code EXPECTATIONS.csv} says: valid
 * ones parse (with what the RFC says they mean checked below), invalid ones get a listed status.
 *
 * <p>Statuses the parser cannot know (416, 420, 415, 401...) belong to the layers above; for those messages the
 * parser's job is to accept them.
 */
class Rfc4475Test {
    private static final Path DIR = Corpora.dir("rfc4475");
    private static final SipParser PARSER = SipParser.standard();

    /** Messages the RFC marks invalid that a server only rejects if it uses the broken element. */
    private static final Set<String> PARSE_ANYWAY = Set.of("baddate.dat");

    static Stream<Arguments> expectations() {
        return Corpora.csv(DIR.resolve("EXPECTATIONS.csv")).stream()
                .map(r -> Arguments.of(r[0], r[3], r[5]));
    }

    @ParameterizedTest(name = "{0} ({1}: {2})")
    @MethodSource("expectations")
    void classifiedAsExpected(String file, String kind, String passCodes) {
        ParseResult result = parse(file);
        Set<String> codes = Arrays.stream(passCodes.split("\\|")).collect(Collectors.toSet());
        boolean valid = kind.startsWith("valid") || PARSE_ANYWAY.contains(file);
        if (valid) {
            assertThat(result).as(file + " is valid and must parse: " + result).isInstanceOf(ParseResult.Parsed.class);
            SipMessage m = ((ParseResult.Parsed) result).message();
            assertThat(m.isRequest()).isEqualTo(!kind.equals("valid-response"));
            // parse -> serialize -> parse is stable
            byte[] once = SipSerializer.serialize(m);
            ParseResult again = PARSER.parseDatagram(once);
            assertThat(again).as(file + " re-parsed").isInstanceOf(ParseResult.Parsed.class);
            assertThat(SipSerializer.serialize(((ParseResult.Parsed) again).message())).isEqualTo(once);
        } else if (kind.endsWith("response")) {
            // RFC 3261 §18.1.2: a malformed response is dropped silently
            assertThat(result).isInstanceOf(ParseResult.Malformed.class);
            assertThat(((ParseResult.Malformed) result).errorResponse()).isEmpty();
        } else {
            assertThat(result).as(file).isInstanceOf(ParseResult.Malformed.class);
            ParseResult.Malformed bad = (ParseResult.Malformed) result;
            assertThat(String.valueOf(bad.status())).as(file + ": " + bad.error()).isIn(codes);
            assertThat(bad.error()).doesNotStartWith("unparseable message");
        }
    }

    @Test
    void allFortyNineMessagesAndTheUnreferencedTestDatAreClassified() {
        assertThat(expectations().count()).isEqualTo(50);
    }

    @Test
    void wsinv_shortTortuousInvite_section3_1_1_1() {
        SipRequest r = request("wsinv.dat");
        assertThat(r.method()).isEqualTo("INVITE");
        assertThat(r.vias()).hasSize(3);
        assertThat(r.vias().get(0).transport()).isEqualTo("UDP");
        assertThat(r.vias().get(0).branch()).isEqualTo("390skdjuw");
        assertThat(r.vias().get(1).transport()).isEqualTo("TCP");
        assertThat(r.vias().get(1).host()).isEqualTo("spindle.example.com");
        assertThat(r.vias().get(1).branch()).isEqualTo("z9hG4bK9ikj8");
        assertThat(r.vias().get(2).branch()).isEqualTo("z9hG4bK30239");
        assertThat(r.maxForwards()).isEqualTo(68);
        assertThat(r.cseq().sequence()).isEqualTo(9);
        assertThat(r.to().tag()).isEqualTo("1918181833n");
        assertThat(r.from().displayName()).isEqualTo("J Rosenberg \\\"");
        assertThat(r.from().tag()).isEqualTo("98asjd8");
        assertThat(r.contacts()).hasSize(1);
        assertThat(r.contacts().get(0).displayName()).isEqualTo("Quoted string \"\"");
        assertThat(r.contacts().get(0).parameters().value("newparam")).isEqualTo("newvalue");
        assertThat(r.contacts().get(0).parameters().value("q")).isEqualTo("0.33");
        assertThat(r.header("UnknownHeaderWithUnusualValue")).contains(";;,,;;,;");
        assertThat(r.header("NewFangledHeader")).contains("newfangled value continued newfangled value");
        assertThat(r.body().length()).isEqualTo(150);
    }

    @Test
    void intmeth_wideRangeOfValidCharacters_section3_1_1_2() {
        SipRequest r = request("intmeth.dat");
        assertThat(r.method()).isEqualTo("!interesting-Method0123456789_*+`.%indeed'~");
        assertThat(r.cseq().method()).isEqualTo(r.method());
        SipUri ruri = (SipUri) r.requestUri();
        assertThat(ruri.user()).isEqualTo("1_unusual.URI~(to-be!sure)&isn't+it$/crazy?,/;;*");
        assertThat(ruri.password()).isEqualTo("&it+has=1,weird!*pas$wo~d_too.(doesn't-it)");
        assertThat(r.from().displayName()).isEqualTo("token1~` token2'+_ token3*%!.-");
        assertThat(r.from().parameters().unquotedValue("fromParam''~+*_!.-%"))
                .isEqualTo("\u0440\u0430\u0431\u043e\u0442\u0430\u044e\u0449\u0438\u0439");
        assertThat(r.callId()).isEqualTo("intmeth.word%ZK-!.*_+'@word`~)(><:\\/\"][?}{");
        assertThat(r.to().displayName()).startsWith("BEL:");
    }

    @Test
    void esc01_validEscaping_section3_1_1_3() {
        SipRequest r = request("esc01.dat");
        SipUri ruri = (SipUri) r.requestUri();
        assertThat(ruri.user()).isEqualTo("sips:user@example.com");
        assertThat(ruri.host().text()).isEqualTo("example.net");
        assertThat(((SipUri) r.to().uri()).user()).isEqualTo("user");
        assertThat(((SipUri) r.from().uri()).user()).isEqualTo("I have spaces");
    }

    @Test
    void escnull_escapedNullsKeepTheWholeUser_section3_1_1_4() {
        SipRequest r = request("escnull.dat");
        assertThat(((SipUri) r.to().uri()).user()).isEqualTo("null-\u0000-null");
        assertThat(r.contacts()).hasSize(2);
        assertThat(((SipUri) r.contacts().get(0).uri()).user()).isEqualTo("\u0000");
        assertThat(((SipUri) r.contacts().get(1).uri()).user()).isEqualTo("\u0000\u0000");
    }

    @Test
    void esc02_percentInMethodIsNotAnEscape_section3_1_1_5() {
        SipRequest r = request("esc02.dat");
        assertThat(r.method()).isEqualTo("RE%47IST%45R").isNotEqualTo("REGISTER");
        assertThat(r.isMethod("REGISTER")).isFalse();
    }

    @Test
    void lwsdisp_noSpaceBeforeAngleBracket_section3_1_1_6() {
        SipRequest r = request("lwsdisp.dat");
        assertThat(r.from().displayName()).isEqualTo("caller");
    }

    @Test
    void longreq_longValues_section3_1_1_7() {
        SipRequest r = request("longreq.dat");
        assertThat(r.vias()).hasSize(34);
        assertThat(r.to().displayName()).hasSize(103);
        assertThat(r.from().tag()).hasSizeGreaterThan(150);
        assertThat(r.callId()).startsWith("longreq.onereally").endsWith("longcallid");
        assertThat(r.headers().asList()).anySatisfy(f -> assertThat(f.name().name()).startsWith("Unknown-LongLong"));
    }

    @Test
    void dblreq_trailingOctetsIgnored_section3_1_1_8() {
        SipRequest r = request("dblreq.dat");
        assertThat(r.method()).isEqualTo("REGISTER");
        assertThat(r.body().length()).isZero();
    }

    @Test
    void semiuri_semicolonInUserPart_section3_1_1_9() {
        SipRequest r = request("semiuri.dat");
        SipUri ruri = (SipUri) r.requestUri();
        assertThat(ruri.user()).isEqualTo("user;par=u@example.net");
        assertThat(ruri.host().text()).isEqualTo("example.com");
        assertThat(ruri.parameters().isEmpty()).isTrue();
    }

    @Test
    void transports_unknownTransportsAccepted_section3_1_1_10() {
        SipRequest r = request("transports.dat");
        assertThat(r.vias()).extracting(v -> v.transport()).contains("UDP", "SCTP", "TLS", "UNKNOWN", "TCP");
    }

    @Test
    void mpart01_multipartBodyKept_section3_1_1_11() {
        SipRequest r = request("mpart01.dat");
        assertThat(r.contentType()).hasValueSatisfying(t -> assertThat(t.is("multipart", "mixed")).isTrue());
        assertThat(r.body().length()).isGreaterThan(0);
    }

    @Test
    void unreason_unusualReasonPhraseInUtf8_section3_1_1_12() {
        SipResponse r = response("unreason.dat");
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.reason()).startsWith("= 2**3 * 5**2 ").contains("\u043d\u043e");
    }

    @Test
    void noreason_emptyReasonPhrase_section3_1_1_13() {
        SipResponse r = response("noreason.dat");
        assertThat(r.status()).isEqualTo(100);
        assertThat(r.reason()).isEmpty();
    }

    @Test
    void badvers_unknownVersionAnswered505WithTheVia_section3_1_2_16() {
        ParseResult.Malformed bad = (ParseResult.Malformed) parse("badvers.dat");
        assertThat(bad.status()).isEqualTo(505);
        SipResponse answer = bad.errorResponse().orElseThrow();
        assertThat(answer.status()).isEqualTo(505);
        assertThat(answer.topVia().branch()).isEqualTo("z9hG4bKkdjuw");
    }

    @Test
    void unksm2_unknownSchemesInHeaders_section3_3_4() {
        SipRequest r = request("unksm2.dat");
        assertThat(r.to().uri()).isInstanceOf(AbsoluteUri.class);
        assertThat(r.to().uri().scheme()).isEqualTo("isbn");
        assertThat(r.from().uri().scheme()).isEqualTo("http");
        assertThat(r.contacts().get(0).uri().scheme()).isEqualTo("name");
    }

    @Test
    void unkscm_unknownSchemeRequestUriParses_section3_3_2() {
        SipRequest r = request("unkscm.dat");
        assertThat(r.requestUri()).isInstanceOf(AbsoluteUri.class);
        assertThat(r.requestUri().scheme()).isEqualTo("nobodyknowsthisscheme");
    }

    @Test
    void bext01_requireAndProxyRequireRead_section3_3_5() {
        SipRequest r = request("bext01.dat");
        assertThat(r.require()).contains("nothingSupportsThis", "nothingSupportsThisEither");
        assertThat(r.proxyRequire()).contains("noProxiesSupportThis", "norDoAnyProxiesSupportThis");
    }

    @Test
    void regaut01_unknownAuthorizationSchemeParses_section3_3_7() {
        SipRequest r = request("regaut01.dat");
        assertThat(r.authorizations()).hasSize(1);
        assertThat(r.authorizations().get(0).scheme()).isEqualTo("NoOneKnowsThisScheme");
        assertThat(r.authorizations().get(0).isDigest()).isFalse();
    }

    @Test
    void zeromf_maxForwardsZero_section3_3_11() {
        assertThat(request("zeromf.dat").maxForwards()).isZero();
    }

    @Test
    void cparam01_unbracketedContactParameterIsAContactParameter_section3_3_12() {
        Address contact = request("cparam01.dat").contacts().get(0);
        assertThat(contact.parameters().has("unknownparam")).isTrue();
        assertThat(((SipUri) contact.uri()).parameters().has("unknownparam")).isFalse();
    }

    @Test
    void cparam02_bracketedParameterStaysInTheUri_section3_3_13() {
        Address contact = request("cparam02.dat").contacts().get(0);
        assertThat(contact.parameters().has("unknownparam")).isFalse();
        assertThat(((SipUri) contact.uri()).parameters().has("unknownparam")).isTrue();
    }

    @Test
    void regescrt_escapedHeaderKeptInTheContactUri_section3_3_14() {
        SipUri contact = (SipUri) request("regescrt.dat").contacts().get(0).uri();
        assertThat(contact.headers().value("Route")).isEqualTo("%3Csip:sip.example.com%3E");
    }

    @Test
    void inv2543_rfc2543SyntaxAccepted_section3_4_1() {
        SipRequest r = request("inv2543.dat");
        assertThat(r.topVia().hasRfc3261Branch()).isFalse();
        assertThat(r.maxForwards()).isEqualTo(-1);
    }

    @Test
    void bcast_broadcastReceivedParses_section3_3_10() {
        SipResponse r = response("bcast.dat");
        assertThat(r.vias()).isNotEmpty();
    }

    private static ParseResult parse(String file) {
        return PARSER.parseDatagram(Corpora.read(DIR.resolve(file)));
    }

    private static SipRequest request(String file) {
        ParseResult result = parse(file);
        assertThat(result).as(file + ": " + result).isInstanceOf(ParseResult.Parsed.class);
        return (SipRequest) ((ParseResult.Parsed) result).message();
    }

    private static SipResponse response(String file) {
        ParseResult result = parse(file);
        assertThat(result).as(file + ": " + result).isInstanceOf(ParseResult.Parsed.class);
        return (SipResponse) ((ParseResult.Parsed) result).message();
    }

    static List<String> files() {
        return expectations().map(a -> (String) a.get()[0]).toList();
    }
}
