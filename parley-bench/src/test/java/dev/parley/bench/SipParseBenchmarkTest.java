package dev.parley.bench;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.bench.SipParseBenchmark.Reads;
import dev.parley.sip.codec.ParseResult;
import dev.parley.sip.codec.SipParser;
import dev.parley.sip.message.SipMessage;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/**
 * Guards the comparison, not the speed: both parsers accept every sample and read the same values from it, so a
 * benchmark can never time a parse that failed early or read nothing. Calls the benchmark methods themselves.
 */
class SipParseBenchmarkTest {

    private static SipParseBenchmark benchmark(String message) {
        SipParseBenchmark b = new SipParseBenchmark();
        b.message = message;
        b.setUp();
        return b;
    }

    @Test
    void inviteReadsTheSameInBothParsers() throws Exception {
        SipParseBenchmark b = benchmark("INVITE");
        Reads expected = new Reads("z9hG4bK1717358942", "3482613727", "2209836151@192.168.1.23", 1, "INVITE", null);
        assertThat(b.parley_parse()).isEqualTo(expected);
        assertThat(b.jainsip_parse()).isEqualTo(expected);
    }

    @Test
    void registerReadsTheSameDigestResponseInBothParsers() throws Exception {
        SipParseBenchmark b = benchmark("REGISTER");
        Reads expected = new Reads("z9hG4bK2468013579", "1928301774", "843817637684230@192.168.1.23", 2, "REGISTER",
                "6629fae49393a05397450978507c4ef1");
        assertThat(b.parley_parse()).isEqualTo(expected);
        assertThat(b.jainsip_parse()).isEqualTo(expected);
    }

    @Test
    void responseReadsTheSameInBothParsers() throws Exception {
        SipParseBenchmark b = benchmark("RESPONSE_200");
        Reads expected = new Reads("z9hG4bK74bf9.8c1f2a3d", "3482613727", "2209836151@192.168.1.23", 1, "INVITE",
                null);
        assertThat(b.parley_parse()).isEqualTo(expected);
        assertThat(b.jainsip_parse()).isEqualTo(expected);
    }

    @ParameterizedTest
    @ValueSource(strings = {"INVITE", "REGISTER", "RESPONSE_200"})
    void bothSerializationsParseBackToTheSameMessage(String message) throws Exception {
        SipParseBenchmark b = benchmark(message);
        Reads original = b.parley_parse();
        SipMessage fromParley = b.parseWithParley(b.parley_parseAndSerialize());
        SipMessage fromJainSip = b.parseWithParley(b.jainsip_parseAndSerialize());
        assertThat(b.read(fromParley)).isEqualTo(original);
        assertThat(b.read(fromJainSip)).isEqualTo(original);
        assertThat(fromParley.body()).isEqualTo(b.parseWithParley(sample(message)).body());
        assertThat(fromJainSip.body()).isEqualTo(fromParley.body());
    }

    @Test
    void sdpBodiesAreTheSizeTheDocumentationStates() {
        // docs/benchmarks.md describes the INVITE's offer as about 300 octets
        assertThat(parse(SipSamples.INVITE).body().length()).isBetween(280, 340);
        assertThat(parse(SipSamples.RESPONSE_200).body().length()).isBetween(200, 340);
        assertThat(parse(SipSamples.REGISTER).body().isEmpty()).isTrue();
        assertThat(new String(SipSamples.INVITE, StandardCharsets.US_ASCII)).contains("\r\n\r\nv=0\r\n");
    }

    private static byte[] sample(String message) {
        return switch (message) {
            case "INVITE" -> SipSamples.INVITE;
            case "REGISTER" -> SipSamples.REGISTER;
            default -> SipSamples.RESPONSE_200;
        };
    }

    private static SipMessage parse(byte[] bytes) {
        ParseResult r = SipParser.standard().parseDatagram(bytes);
        assertThat(r).isInstanceOf(ParseResult.Parsed.class);
        return ((ParseResult.Parsed) r).message();
    }
}
