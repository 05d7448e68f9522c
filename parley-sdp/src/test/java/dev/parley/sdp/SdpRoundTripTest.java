package dev.parley.sdp;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every real peer's SDP: parses, serializes back byte for byte, and reads the same with LF-only line ends. */
class SdpRoundTripTest {

    static List<String> peers() {
        return Fixtures.PEERS;
    }

    @ParameterizedTest
    @MethodSource("peers")
    void serializeOfParseIsTheInputByteForByte(String name) {
        String text = Fixtures.text(name);
        SdpParseResult result = SdpParser.parse(Fixtures.bytes(name));

        assertThat(result).isInstanceOf(SdpParseResult.Parsed.class);
        assertThat(result.orElseThrow().toSdp()).isEqualTo(text);
    }

    @ParameterizedTest
    @MethodSource("peers")
    void parseOfSerializeIsEqual(String name) {
        SessionDescription once = Fixtures.parsed(name);

        assertThat(SdpParser.parse(once.toSdp()).orElseThrow()).isEqualTo(once);
        assertThat(SdpParser.parse(once.toBytes()).orElseThrow()).isEqualTo(once);
    }

    @ParameterizedTest
    @MethodSource("peers")
    void lfOnlyLineEndsReadTheSameAndSerializeWithCrlf(String name) {
        String text = Fixtures.text(name);
        SessionDescription lf = SdpParser.parse(text.replace("\r\n", "\n")).orElseThrow();

        assertThat(lf).isEqualTo(Fixtures.parsed(name));
        assertThat(lf.toSdp()).isEqualTo(text);
    }

    @ParameterizedTest
    @MethodSource("peers")
    void everyLineEndsInCrlfAndNoKeyReachesToString(String name) {
        SessionDescription sdp = Fixtures.parsed(name);

        assertThat(sdp.toSdp()).doesNotContain("\n\n").doesNotContainPattern("[^\r]\n");
        sdp.media().forEach(m -> m.cryptos().forEach(c -> {
            String key = c.keyParams().get(0).info();
            assertThat(sdp.toString()).doesNotContain(key);
            assertThat(m.toString()).doesNotContain(key);
        }));
        sdp.media().forEach(m -> m.icePwd().ifPresent(pwd -> assertThat(sdp.toString()).doesNotContain(pwd)));
    }
}
