package dev.parley.media.relay;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.mediaapi.PayloadFormat;
import java.util.ArrayList;
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
        assertThat(route.isTelephoneEvent(0)).isFalse();
        assertThat(route.conversion(111)).isEqualTo(Conversion.NONE);
        assertThat(route.inputClockRate(111)).isEqualTo(48000);
        assertThat(route.inputClockRate(0)).isEqualTo(8000);
        assertThat(route.inputClockRate(9)).as("not in the leg's SDP").isZero();
        assertThat(route.transcoder(0)).as("relayed as it is").isNull();
    }

    @Test
    void dropsWhatTheOtherLegCannotTakeAndWhatWasNeverNegotiated() {
        PayloadRoute route = PayloadRoute.between(List.of(PayloadFormat.of(9, "G722", 8000),
                PayloadFormat.of(101, "telephone-event", 48000)), List.of(PCMU));
        assertThat(route.outputType(9)).as("no transcoder for G.722").isEqualTo(PayloadRoute.DROP);
        assertThat(route.outputType(101)).as("no telephone-event on the other leg").isEqualTo(PayloadRoute.DROP);
        assertThat(route.outputType(0)).as("not in the leg's SDP").isEqualTo(PayloadRoute.DROP);
        assertThat(PayloadRoute.NONE.outputType(0)).isEqualTo(PayloadRoute.DROP);
    }

    @Test
    void transcodesOpusToTheFirstG711LawOfTheOtherLegAndG711ToItsOpus() {
        PayloadRoute down = PayloadRoute.between(List.of(OPUS_111, PayloadFormat.of(101, "telephone-event", 48000)),
                List.of(PCMA, PCMU, PayloadFormat.of(100, "telephone-event", 8000)));
        assertThat(down.outputType(111)).isEqualTo(8);
        assertThat(down.outputClockRate(111)).isEqualTo(8000);
        assertThat(down.transcoder(111)).isInstanceOf(OpusToG711.class);
        assertThat(down.outputType(101)).as("telephone-event at another clock rate").isEqualTo(100);
        assertThat(down.transcoder(101)).isInstanceOf(TelephoneEventTranslation.class);
        assertThat(down.transcoder(101).numbering).as("one stream with the audio")
                .isSameAs(down.transcoder(111).numbering);

        PayloadRoute up = PayloadRoute.between(List.of(PCMU, PCMA), List.of(OPUS_96));
        assertThat(up.outputType(0)).isEqualTo(96);
        assertThat(up.outputType(8)).isEqualTo(96);
        assertThat(up.outputClockRate(0)).isEqualTo(48000);
        assertThat(up.transcoder(0)).isInstanceOf(G711ToOpus.class);
        assertThat(up.transcoder(8).numbering).isSameAs(up.transcoder(0).numbering);
    }

    @Test
    void neverTranscodesWhenTheLegsShareACodec() {
        PayloadRoute route = PayloadRoute.between(List.of(OPUS_111, PCMU), List.of(PCMU, OPUS_96));
        assertThat(route.transcoder(111)).isNull();
        assertThat(route.transcoder(0)).isNull();
        assertThat(PayloadRoute.between(List.of(PCMU), List.of(OPUS_96, PCMA)).transcoder(0))
                .as("the other G.711 law is a table lookup, preferred to Opus").isNull();
    }

    @Test
    void aRebuiltRouteKeepsTheTranscodersThatStillFitSoCodecStateCarriesOn() {
        PayloadRoute first = PayloadRoute.between(List.of(OPUS_111), List.of(PCMU));
        PayloadRoute again = PayloadRoute.between(List.of(OPUS_111), List.of(PCMU), first);
        assertThat(again.transcoder(111)).isSameAs(first.transcoder(111));
        PayloadRoute changed = PayloadRoute.between(List.of(OPUS_111), List.of(PCMA), again);
        assertThat(changed.transcoder(111)).isNotSameAs(first.transcoder(111));
        assertThat(changed.outputType(111)).isEqualTo(8);
    }

    @Test
    void translatesTheTelephoneEventClockInARelayedDirectionWithoutRenumbering() {
        PayloadRoute route = PayloadRoute.between(List.of(OPUS_111, PayloadFormat.of(101, "telephone-event", 8000)),
                List.of(OPUS_96, PayloadFormat.of(110, "telephone-event", 48000)));
        assertThat(route.transcoder(111)).isNull();
        assertThat(route.outputType(101)).isEqualTo(110);
        assertThat(route.transcoder(101)).isInstanceOf(TelephoneEventTranslation.class);
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
    @Test
    void aRouteKeepsASlotTableSizedByItsTypesNotByAllPayloadTypes() {
        PayloadRoute route = PayloadRoute.between(List.of(PCMU, PayloadFormat.of(101, "telephone-event", 8000)),
                List.of(PCMU, PayloadFormat.of(101, "telephone-event", 8000)));
        assertThat(route.slots()).as("two types, at most half full").isEqualTo(4);
        assertThat(PayloadRoute.between(List.of(PCMU), List.of(PCMU)).slots()).isEqualTo(2);
        assertThat(PayloadRoute.NONE.slots()).isEqualTo(1);
    }

    @Test
    void everyPayloadTypeReadsWhatItWasGivenEvenWhenTypesShareASlot() {
        // seven types whose low four bits are 0 or 8: all of them probe from slot 0 or 8 of the 16-slot table;
        // each must find its own entry, and every other payload type must read as absent
        List<PayloadFormat> from = new ArrayList<>(List.of(PCMU, PCMA));
        List<PayloadFormat> to = new ArrayList<>(List.of(PCMU, PCMA));
        for (int type : new int[] {16, 24, 96, 104, 120}) {
            from.add(new PayloadFormat(type, "X" + type, 1000 + type, 1, ""));
            to.add(new PayloadFormat(127 - type, "X" + type, 1000 + type, 1, ""));
        }
        PayloadRoute route = PayloadRoute.between(from, to);
        assertThat(route.slots()).isEqualTo(16);
        for (int type = 0; type < 128; type++) {
            int t = type;
            PayloadFormat in = from.stream().filter(f -> f.payloadType() == t).findFirst().orElse(null);
            if (in == null) {
                assertThat(route.outputType(type)).as("type %d", type).isEqualTo(PayloadRoute.DROP);
                assertThat(route.inputClockRate(type)).as("type %d", type).isZero();
            } else if (type == 0 || type == 8) {
                assertThat(route.outputType(type)).as("type %d", type).isEqualTo(type);
                assertThat(route.inputClockRate(type)).isEqualTo(8000);
            } else {
                assertThat(route.outputType(type)).as("type %d", type).isEqualTo(127 - type);
                assertThat(route.inputClockRate(type)).as("type %d", type).isEqualTo(1000 + type);
                assertThat(route.outputClockRate(type)).as("type %d", type).isEqualTo(1000 + type);
            }
            assertThat(route.transcoder(type)).isNull();
            assertThat(route.isTelephoneEvent(type)).isFalse();
        }
    }
}
