package dev.parley.sip.header;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.parley.sip.text.SipSyntaxException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** CSeq (RFC 3261 §20.16). */
class CSeqTest {

    @Test
    void rfc3261_20_16_example() {
        CSeq c = CSeq.parse("4711 INVITE");
        assertThat(c.sequence()).isEqualTo(4711);
        assertThat(c.method()).isEqualTo("INVITE");
        assertThat(c).hasToString("4711 INVITE");
        assertThat(CSeq.parse(c.toString())).isEqualTo(c);
    }

    @Test
    void rfc3261_20_16_largestSequenceIs2To32Minus1() {
        CSeq c = CSeq.parse("4294967295 REGISTER");
        assertThat(c.sequence()).isEqualTo(4294967295L);
        assertThat(CSeq.parse(c.toString())).isEqualTo(c);
    }

    @Test
    void rfc4475_3_1_2_4_overflowingSequenceIsRejected() {
        assertThatThrownBy(() -> CSeq.parse("4294967296 REGISTER")).isInstanceOf(SipSyntaxException.class);
        assertThatThrownBy(() -> CSeq.parse("36893488147419103232 REGISTER")).isInstanceOf(SipSyntaxException.class);
        assertThatThrownBy(() -> new CSeq(4294967296L, "INVITE")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new CSeq(-1, "INVITE")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void rfc3261_7_1_methodIsCaseSensitiveAndKeptAsWritten() {
        assertThat(CSeq.parse("1 invite").method()).isEqualTo("invite");
        assertThat(CSeq.parse("  2 \t NEWMETHOD  ").method()).isEqualTo("NEWMETHOD");
        assertThat(CSeq.parse("0 ACK").sequence()).isZero();
    }

    @ParameterizedTest
    @ValueSource(strings = {"1INVITE", "INVITE 1", "1", "1 ", "-1 INVITE", "1 INVITE extra", "1 INV@TE", ""})
    void malformedCSeqIsASyntaxError(String value) {
        assertThatThrownBy(() -> CSeq.parse(value)).isInstanceOf(SipSyntaxException.class);
    }
}
