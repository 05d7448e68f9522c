package dev.parley.bench;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Guards the measurement, not the speed: every timed call really decodes a whole 20 ms frame or encodes one, so the
 * benchmark can never time a codec that refused its input.
 */
class TranscodeBenchmarkTest {

    @ParameterizedTest(name = "peer at {0} b/s")
    @ValueSource(ints = {16000, 32000})
    void everyOperationTranscodesAWholeFrame(int peerBitrate) throws Exception {
        TranscodeBenchmark b = new TranscodeBenchmark();
        b.peerBitrate = peerBitrate;
        b.setUp();
        for (int i = 0; i < 100; i++) {
            assertThat(b.opusToPcmu()).as("8 kHz samples decoded").isEqualTo(160);
            assertThat(b.pcmuToOpus()).as("Opus octets encoded").isBetween(10, 200);
        }
    }
}
