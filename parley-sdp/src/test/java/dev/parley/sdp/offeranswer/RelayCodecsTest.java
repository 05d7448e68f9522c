package dev.parley.sdp.offeranswer;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Which codecs cross a B2BUA whose media plane converts between some: shared first, converted only when needed. */
class RelayCodecsTest {
    private static final Codec PCMU = Codec.of(0, "PCMU", 8000);
    private static final Codec PCMA = Codec.of(8, "PCMA", 8000);
    private static final Codec G729 = Codec.of(18, "G729", 8000);
    private static final Codec OPUS = new Codec(111, "opus", 48000, 2, "");
    private static final Codec EVENTS = new Codec(101, "telephone-event", 8000, 1, "0-16");
    private static final List<Codec> CONVERTIBLE = List.of(PCMU, PCMA, OPUS);

    @Test
    void theFarLegIsOfferedTheNearCodecsFirstThenTheConvertibleOnesItLacks() {
        assertThat(RelayCodecs.offerFor(List.of(PCMA, EVENTS), CONVERTIBLE))
                .containsExactly(PCMA, EVENTS, PCMU, OPUS);
        assertThat(RelayCodecs.offerFor(List.of(PCMU, PCMA, OPUS), CONVERTIBLE)).containsExactly(PCMU, PCMA, OPUS);
    }

    @Test
    void nothingIsAddedWhenTheNearOfferHasNoConvertibleCodec() {
        assertThat(RelayCodecs.offerFor(List.of(G729, EVENTS), CONVERTIBLE)).containsExactly(G729, EVENTS);
        assertThat(RelayCodecs.offerFor(List.of(PCMU), List.of())).containsExactly(PCMU);
    }

    @Test
    void rfc3264_5_1_anAddedCodecWhoseNumberIsTakenGetsTheFirstFreeDynamicOne() {
        Codec speex = new Codec(111, "speex", 8000, 1, "");
        Codec other = new Codec(96, "iLBC", 8000, 1, "");
        assertThat(RelayCodecs.offerFor(List.of(speex, other, PCMU), CONVERTIBLE))
                .containsExactly(speex, other, PCMU, PCMA, OPUS.withPayloadType(97));
    }

    @Test
    void theNearOfferIsAnsweredWithTheFarCodecsWhenItSharesOneElseWithTheConvertibleOnes() {
        assertThat(RelayCodecs.answerable("audio", List.of(PCMU, PCMA), List.of(PCMA, EVENTS), CONVERTIBLE))
                .containsExactly(SupportedCodec.audio("PCMA", 8000), SupportedCodec.audio("telephone-event", 8000));
        assertThat(RelayCodecs.answerable("audio", List.of(PCMU, EVENTS), List.of(PCMA, EVENTS), CONVERTIBLE))
                .containsExactly(SupportedCodec.audio("PCMU", 8000), SupportedCodec.audio("PCMA", 8000),
                        new SupportedCodec("audio", "opus", 48000, 2),
                        SupportedCodec.audio("telephone-event", 8000));
        // the far side takes events at 8 kHz, the near side offers them at 48 kHz: the relay translates the clock
        Codec events48 = new Codec(110, "telephone-event", 48000, 1, "0-16");
        assertThat(RelayCodecs.answerable("audio", List.of(OPUS, events48), List.of(PCMU, EVENTS), CONVERTIBLE))
                .contains(new SupportedCodec("audio", "opus", 48000, 2),
                        new SupportedCodec("audio", "telephone-event", 48000, 1));
        // no events on the far side: none on the near side either
        assertThat(RelayCodecs.answerable("audio", List.of(PCMU, EVENTS), List.of(PCMU), CONVERTIBLE))
                .containsExactly(SupportedCodec.audio("PCMU", 8000));
        // the far side chose something the media plane cannot convert: only its own codecs, which the near lacks
        assertThat(RelayCodecs.answerable("audio", List.of(PCMU), List.of(G729), CONVERTIBLE))
                .containsExactly(SupportedCodec.audio("G729", 8000));
    }

    @Test
    void legsAreJoinableWhenTheyShareACodecOrBothHaveAConvertibleOne() {
        assertThat(RelayCodecs.joinable(List.of(G729), List.of(G729, PCMU), CONVERTIBLE)).isTrue();
        assertThat(RelayCodecs.joinable(List.of(PCMU, EVENTS), List.of(OPUS), CONVERTIBLE)).isTrue();
        assertThat(RelayCodecs.joinable(List.of(PCMU), List.of(PCMA), List.of())).isFalse();
        assertThat(RelayCodecs.joinable(List.of(G729, EVENTS), List.of(PCMA, EVENTS), CONVERTIBLE)).isFalse();
    }
}
