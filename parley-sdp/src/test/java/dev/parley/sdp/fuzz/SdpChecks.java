package dev.parley.sdp.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.sdp.MediaDescription;
import dev.parley.sdp.Origin;
import dev.parley.sdp.SdpParseResult;
import dev.parley.sdp.SdpParser;
import dev.parley.sdp.SdpRedaction;
import dev.parley.sdp.SessionDescription;
import dev.parley.sdp.offeranswer.AnswerPolicy;
import dev.parley.sdp.offeranswer.OfferAnswer;
import dev.parley.sdp.offeranswer.SrtpPolicy;
import dev.parley.sdp.offeranswer.SupportedCodec;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * What must hold for any input: the parser returns a value and never takes its catch-all; what it accepts reads
 * through every typed accessor, serializes to text that parses to an equal description and serializes to the same
 * bytes again; offer/answer on it returns a value; redaction of the raw input never throws.
 */
final class SdpChecks {
    private SdpChecks() {
    }

    private static final AnswerPolicy ANY = AnswerPolicy.of(List.of(SupportedCodec.audio("PCMU", 8000),
            SupportedCodec.audio("PCMA", 8000), SupportedCodec.audio("telephone-event", 8000),
            new SupportedCodec("audio", "opus", 48000, 2), new SupportedCodec("video", "VP8", 90000, 1)),
            SrtpPolicy.PREFERRED);

    static void check(byte[] data) {
        SdpRedaction.redact(new String(data, StandardCharsets.UTF_8));
        SdpParseResult result = SdpParser.parse(data);
        if (result instanceof SdpParseResult.Malformed m) {
            assertThat(m.reason()).doesNotStartWith("internal");
            return;
        }
        SessionDescription sdp = ((SdpParseResult.Parsed) result).description();
        String text = sdp.toSdp();
        SessionDescription again = SdpParser.parse(text).orElseThrow();
        assertThat(again).isEqualTo(sdp);
        assertThat(again.toSdp()).isEqualTo(text);
        readEverything(sdp);
        OfferAnswer.answer(sdp, ANY, Origin.of("p", 1, 1, "192.0.2.1"), "192.0.2.1", (i, m) -> 20_000,
                suite -> new byte[suite.keySaltLength()]);
        OfferAnswer.negotiate(sdp, sdp);
    }

    private static void readEverything(SessionDescription sdp) {
        sdp.toString();
        sdp.groups();
        sdp.fingerprints();
        sdp.setup();
        sdp.iceOptions();
        sdp.extmaps();
        sdp.direction();
        for (MediaDescription m : sdp.media()) {
            m.toString();
            sdp.directionOf(m);
            sdp.connectionOf(m);
            m.payloadTypes().forEach(m::rtpMap);
            m.fmtps().forEach(f -> f.parameterMap());
            m.ptime();
            m.maxPtime();
            m.cryptos().forEach(c -> {
                c.masterKey();
                c.masterSalt();
                c.keyParams().forEach(k -> {
                    k.lifetime();
                    k.mkiLength();
                });
            });
            m.rtcp();
            m.rtcpFeedback().forEach(f -> f.type());
            m.candidates();
            m.ssrcs();
            m.ssrcGroups();
            m.msids();
            m.mid();
            m.label();
            sdp.fingerprintsOf(m).forEach(f -> f.bytes());
        }
    }
}
