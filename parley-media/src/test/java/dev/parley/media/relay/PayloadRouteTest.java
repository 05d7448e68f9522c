package dev.parley.media.relay;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.mediaapi.PayloadFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

class PayloadRouteTest {
    private static final PayloadFormat PCMU = PayloadFormat.of(0, "PCMU", 8000);
    private static final PayloadFormat PCMA = PayloadFormat.of(8, "PCMA", 8000);
    private static final PayloadFormat OPUS_111 = new PayloadFormat(111, "opus", 48000, 2, "");
    private static final PayloadFormat OPUS_96 = new PayloadFormat(96, "OPUS", 48000, 2, "");

    @Test
    void mapsEachCodecToTheNumberTheOtherLegUsesForIt() {
        PayloadRoute route = PayloadRoute.between(
                List.of(OPUS_111, PCMU, PayloadFormat.of(101, "telephone-event", 8000)),
                List.of(PCMU, OPUS_96, PayloadFormat.of(100, "telephone-event", 8000)));
        assertThat(route.outputType(111)).isEqualTo(96);
        assertThat(route.outputClockRate(111)).isEqualTo(48000);
        assertThat(route.outputType(0)).isZero();
        assertThat(route.outputType(101)).isEqualTo(100);
        assertThat(route.isTelephoneEvent(101)).isTrue();
        assertThat(route.conversion(111)).isEqualTo(Conversion.NONE);
    }

    @Test
    void dropsWhatTheOtherLegCannotTakeAndWhatWasNeverNegotiated() {
        PayloadRoute route = PayloadRoute.between(List.of(OPUS_111, PayloadFormat.of(101, "telephone-event", 48000)),
                List.of(PCMU, PayloadFormat.of(101, "telephone-event", 8000)));
        assertThat(route.outputType(111)).isEqualTo(PayloadRoute.DROP);
        assertThat(route.outputType(101)).as("telephone-event at another clock rate").isEqualTo(PayloadRoute.DROP);
        assertThat(route.outputType(0)).as("not in the leg's SDP").isEqualTo(PayloadRoute.DROP);
        assertThat(PayloadRoute.NONE.outputType(0)).isEqualTo(PayloadRoute.DROP);
    }

    @Test
    void convertsG711LawsOnlyWhenTheOtherLegLacksTheSameLaw() {
        assertThat(PayloadRoute.between(List.of(PCMU), List.of(PCMA)).conversion(0))
                .isEqualTo(Conversion.ULAW_TO_ALAW);
        assertThat(PayloadRoute.between(List.of(PCMA), List.of(PCMU)).conversion(8))
                .isEqualTo(Conversion.ALAW_TO_ULAW);
        assertThat(PayloadRoute.between(List.of(PCMU), List.of(PCMA)).outputType(0)).isEqualTo(8);
        PayloadRoute both = PayloadRoute.between(List.of(PCMU), List.of(PCMA, PCMU));
        assertThat(both.outputType(0)).isZero();
        assertThat(both.conversion(0)).isEqualTo(Conversion.NONE);
    }
}
