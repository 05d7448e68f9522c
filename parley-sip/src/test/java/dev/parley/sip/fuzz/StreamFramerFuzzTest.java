package dev.parley.sip.fuzz;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.DictionaryFile;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.parley.sip.codec.ParseResult;
import dev.parley.sip.codec.SipSerializer;
import dev.parley.sip.codec.StreamSipFramer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.IntStream;

/**
 * Any byte stream, cut anywhere: the framer never throws, and what it reports (messages by their canonical bytes,
 * malformed input by status, keep-alive pings, in order) and whether it failed do not depend on where TCP split
 * the stream.
 *
 * <p>Input layout: the stream, then from the end (how {@link FuzzedDataProvider} reads integers) one byte for the
 * number of cuts ({@code byte % 18}; 17 means "one byte at a time") and two bytes per cut position. Regression
 * inputs: {@code src/test/resources/dev/parley/sip/fuzz/StreamFramerFuzzTestInputs/feed/}.
 */
class StreamFramerFuzzTest {
    private static final int EVERY_BYTE = 17;

    @FuzzTest
    @DictionaryFile(resourcePath = "sip.dict")
    void feed(FuzzedDataProvider data) {
        int cutCount = data.consumeInt(0, EVERY_BYTE);
        int[] positions = new int[cutCount == EVERY_BYTE ? 0 : cutCount];
        for (int i = 0; i < positions.length; i++) {
            positions[i] = data.consumeInt(0, 0xFFFF);
        }
        byte[] stream = data.consumeRemainingAsBytes();
        int[] cuts = cutCount == EVERY_BYTE
                ? IntStream.range(0, stream.length).toArray()
                : Arrays.stream(positions).map(p -> p % (stream.length + 1)).sorted().toArray();

        Recorder whole = new Recorder();
        StreamSipFramer one = new StreamSipFramer(MessageChecks.PARSER);
        one.feed(stream, 0, stream.length, whole);

        Recorder pieces = new Recorder();
        StreamSipFramer split = new StreamSipFramer(MessageChecks.PARSER);
        int from = 0;
        for (int cut : cuts) {
            split.feed(stream, from, cut - from, pieces);
            from = cut;
        }
        split.feed(stream, from, stream.length - from, pieces);

        assertEquals(whole.events, pieces.events, () -> "cut at " + Arrays.toString(cuts));
        assertEquals(one.failed(), split.failed());
        assertEquals(one.buffered(), split.buffered());
    }

    /** What the framer reported, in order, in a comparable form; checks each result on the way. */
    private static final class Recorder implements StreamSipFramer.Listener {
        final List<String> events = new ArrayList<>();

        @Override
        public void onMessage(ParseResult result) {
            MessageChecks.check(result);
            events.add(switch (result) {
                case ParseResult.Parsed p -> "message " + HexFormat.of().formatHex(SipSerializer.serialize(p.message()));
                case ParseResult.Malformed m -> "malformed " + m.status();
                case ParseResult.KeepAlive k -> "keep-alive";
            });
        }

        @Override
        public void onKeepAlivePing() {
            events.add("ping");
        }
    }
}
