package dev.parley.sip.header;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.parley.sip.text.SipSyntaxException;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Reason (RFC 3326 §2, §3). */
class ReasonTest {

    private static Reason roundTrip(Reason r) {
        List<Reason> again = HeaderType.REASON.parseList(r.toString());
        assertThat(again).containsExactly(r);
        assertThat(again.get(0).toString()).isEqualTo(r.toString());
        return r;
    }

    @Test
    void rfc3326_2_sipCauseWithText() {
        Reason r = roundTrip(HeaderType.REASON.parseList("SIP ;cause=200 ;text=\"Call completed elsewhere\"").get(0));
        assertThat(r.protocol()).isEqualTo("SIP");
        assertThat(r.cause()).isEqualTo(200);
        assertThat(r.text()).isEqualTo("Call completed elsewhere");
        assertThat(r).hasToString("SIP;cause=200;text=\"Call completed elsewhere\"");
    }

    @Test
    void rfc3326_3_q850Cause() {
        Reason r = roundTrip(HeaderType.REASON.parseList("Q.850 ;cause=16 ;text=\"Terminated\"").get(0));
        assertThat(r.protocol()).isEqualTo("Q.850");
        assertThat(r.cause()).isEqualTo(16);
        assertThat(r.text()).isEqualTo("Terminated");
    }

    @Test
    void rfc3326_2_severalReasonsInOneLine() {
        List<Reason> list = HeaderType.REASON.parseList(
                "SIP ;cause=580 ;text=\"Precondition Failure\", Q.850 ;cause=16 ;text=\"a, b\"");
        assertThat(list).extracting(Reason::protocol).containsExactly("SIP", "Q.850");
        assertThat(list).extracting(Reason::cause).containsExactly(580, 16);
        assertThat(list.get(1).text()).isEqualTo("a, b");
    }

    @Test
    void ofQuotesTheText() {
        Reason r = roundTrip(Reason.of("SIP", 600, "Busy \"Everywhere\""));
        assertThat(r).hasToString("SIP;cause=600;text=\"Busy \\\"Everywhere\\\"\"");
        assertThat(r.text()).isEqualTo("Busy \"Everywhere\"");
        assertThat(Reason.of("Q.850", 31, null)).hasToString("Q.850;cause=31");
    }

    @Test
    void causeThatIsNotANumberReadsAsAbsent() {
        assertThat(HeaderType.REASON.parseList("SIP;cause=abc").get(0).cause()).isEqualTo(-1);
        assertThat(HeaderType.REASON.parseList("SIP").get(0).cause()).isEqualTo(-1);
        assertThat(HeaderType.REASON.parseList("SIP").get(0).text()).isNull();
    }

    @Test
    void malformedReasonIsASyntaxError() {
        assertThatThrownBy(() -> HeaderType.REASON.parseList(";cause=1")).isInstanceOf(SipSyntaxException.class);
        assertThatThrownBy(() -> HeaderType.REASON.parseList("SIP;text=\"open")).isInstanceOf(SipSyntaxException.class);
    }
}
