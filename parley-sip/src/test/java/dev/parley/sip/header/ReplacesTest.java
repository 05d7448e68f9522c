package dev.parley.sip.header;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.parley.sip.text.SipSyntaxException;
import org.junit.jupiter.api.Test;

/** Replaces (RFC 3891 §6.1). */
class ReplacesTest {

    private static Replaces roundTrip(Replaces r) {
        Replaces again = HeaderType.REPLACES.parseSingle(r.toString());
        assertThat(again).isEqualTo(r);
        assertThat(again.toString()).isEqualTo(r.toString());
        return r;
    }

    @Test
    void rfc3891_6_1_firstExampleUnfolded() {
        // Replaces: 98732@sip.example.com
        //           ;from-tag=r33th4x0r
        //           ;to-tag=ff87ff
        Replaces r = roundTrip(HeaderType.REPLACES.parseSingle(
                "98732@sip.example.com ;from-tag=r33th4x0r ;to-tag=ff87ff"));
        assertThat(r.callId()).isEqualTo("98732@sip.example.com");
        assertThat(r.fromTag()).isEqualTo("r33th4x0r");
        assertThat(r.toTag()).isEqualTo("ff87ff");
        assertThat(r.earlyOnly()).isFalse();
        assertThat(r).hasToString("98732@sip.example.com;from-tag=r33th4x0r;to-tag=ff87ff");
    }

    @Test
    void rfc3891_6_1_secondExampleWithEarlyOnly() {
        Replaces r = roundTrip(HeaderType.REPLACES.parseSingle(
                "12adf2f34456gs5;to-tag=12345;from-tag=54321;early-only"));
        assertThat(r.callId()).isEqualTo("12adf2f34456gs5");
        assertThat(r.toTag()).isEqualTo("12345");
        assertThat(r.fromTag()).isEqualTo("54321");
        assertThat(r.earlyOnly()).isTrue();
    }

    @Test
    void rfc3891_6_1_callIdMayUseWordCharacters() {
        Replaces r = roundTrip(HeaderType.REPLACES.parseSingle("a84b4c76e66710@pc33.atlanta.com;to-tag=x;from-tag=y"));
        assertThat(r.callId()).isEqualTo("a84b4c76e66710@pc33.atlanta.com");
    }

    @Test
    void malformedReplacesIsASyntaxError() {
        assertThatThrownBy(() -> HeaderType.REPLACES.parseSingle("")).isInstanceOf(SipSyntaxException.class);
        assertThatThrownBy(() -> HeaderType.REPLACES.parseSingle(";to-tag=1")).isInstanceOf(SipSyntaxException.class);
        assertThatThrownBy(() -> HeaderType.REPLACES.parseSingle("abc def")).isInstanceOf(SipSyntaxException.class);
    }
}
