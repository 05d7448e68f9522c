package dev.parley.sip.header;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.parley.sip.text.SipSyntaxException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** RAck and RSeq of reliable provisional responses (RFC 3262 §7.1, §7.2). */
class RAckTest {

    @Test
    void rfc3262_7_2_example() {
        RAck r = RAck.parse("776656 1 INVITE");
        assertThat(r.responseNumber()).isEqualTo(776656);
        assertThat(r.cseqNumber()).isEqualTo(1);
        assertThat(r.method()).isEqualTo("INVITE");
        assertThat(r).hasToString("776656 1 INVITE");
        assertThat(RAck.parse(r.toString())).isEqualTo(r);
    }

    @Test
    void rfc3262_7_2_numbersUpTo2To32Minus1AndAnyLws() {
        RAck r = RAck.parse(" 4294967295 \t 4294967295   INVITE ");
        assertThat(r.responseNumber()).isEqualTo(4294967295L);
        assertThat(r.cseqNumber()).isEqualTo(4294967295L);
        assertThat(RAck.parse(r.toString())).isEqualTo(r);
    }

    @Test
    void rfc3262_7_1_rseqIsOneNumber() {
        assertThat(HeaderType.RSEQ.parseSingle("988789")).isEqualTo(988789L);
        assertThatThrownBy(() -> HeaderType.RSEQ.parseSingle("4294967296")).isInstanceOf(SipSyntaxException.class);
        assertThatThrownBy(() -> HeaderType.RSEQ.parseSingle("1 2")).isInstanceOf(SipSyntaxException.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {"x", "776656 1", "776656  INVITE", "776656 1INVITE", "4294967296 1 INVITE",
        "1 4294967296 INVITE", "1 2 INVITE x", ""})
    void malformedRAckIsASyntaxError(String value) {
        assertThatThrownBy(() -> RAck.parse(value)).isInstanceOf(SipSyntaxException.class);
    }
}
