package dev.parley.sip.corpus;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.sip.codec.ParseResult;
import dev.parley.sip.codec.SipParser;
import dev.parley.sip.codec.SipSerializer;
import dev.parley.sip.message.SipRequest;
import dev.parley.sip.uri.SipUri;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The 12 IPv6 torture messages of RFC 5118, made wire-legal, classified as {@code EXPECTATIONS.csv} says. */
class Rfc5118Test {
    private static final Path DIR = Corpora.dir("rfc5118-wire");
    private static final SipParser PARSER = SipParser.standard();

    static Stream<Arguments> expectations() {
        return Corpora.csv(DIR.resolve("EXPECTATIONS.csv")).stream().map(r -> Arguments.of(r[0], r[1], r[3]));
    }

    @ParameterizedTest(name = "{0} (section {1}: {2})")
    @MethodSource("expectations")
    void classifiedAsExpected(String file, String section, String kind) {
        ParseResult result = parse(file);
        if (kind.equals("invalid")) {
            assertThat(result).isInstanceOf(ParseResult.Malformed.class);
            assertThat(((ParseResult.Malformed) result).status()).isEqualTo(400);
        } else {
            assertThat(result).as(file + ": " + result).isInstanceOf(ParseResult.Parsed.class);
            byte[] once = SipSerializer.serialize(((ParseResult.Parsed) result).message());
            ParseResult again = PARSER.parseDatagram(once);
            assertThat(again).isInstanceOf(ParseResult.Parsed.class);
            assertThat(SipSerializer.serialize(((ParseResult.Parsed) again).message())).isEqualTo(once);
        }
    }

    @Test
    void twelveMessages() {
        assertThat(expectations().count()).isEqualTo(12);
    }

    @Test
    void portAmbiguous_noPortInsideTheBrackets_section4_3() {
        SipUri uri = (SipUri) request("port-ambiguous.sip").requestUri();
        assertThat(uri.host().isIpv6()).isTrue();
        assertThat(uri.port()).isEqualTo(-1);
    }

    @Test
    void portUnambiguous_port5070AfterTheBrackets_section4_4() {
        SipUri uri = (SipUri) request("port-unambiguous.sip").requestUri();
        assertThat(uri.host().isIpv6()).isTrue();
        assertThat(uri.port()).isEqualTo(5070);
    }

    @Test
    void viaReceivedWithAndWithoutDelimiters_section4_5() {
        assertThat(request("via-received-param-with-delim.sip").topVia().received()).startsWith("[2001:db8::");
        assertThat(request("via-received-param-no-delim.sip").topVia().received()).startsWith("2001:db8::");
    }

    @Test
    void ipv6BadIsRejectedBecauseTheReferenceIsNotBracketed_section4_2() {
        ParseResult.Malformed bad = (ParseResult.Malformed) parse("ipv6-bad.sip");
        assertThat(bad.errorResponse()).hasValueSatisfying(r -> assertThat(r.status()).isEqualTo(400));
    }

    private static ParseResult parse(String file) {
        return PARSER.parseDatagram(Corpora.read(DIR.resolve(file)));
    }

    private static SipRequest request(String file) {
        ParseResult result = parse(file);
        assertThat(result).as(file + ": " + result).isInstanceOf(ParseResult.Parsed.class);
        return (SipRequest) ((ParseResult.Parsed) result).message();
    }
}
