package dev.parley.sip.header;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.parley.sip.text.SipSyntaxException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Retry-After (RFC 3261 §20.33). */
class RetryAfterTest {

    private static RetryAfter roundTrip(RetryAfter r) {
        RetryAfter again = HeaderType.RETRY_AFTER.parseSingle(r.toString());
        assertThat(again).isEqualTo(r);
        assertThat(again.toString()).isEqualTo(r.toString());
        return r;
    }

    @Test
    void rfc3261_20_33_durationExample() {
        RetryAfter r = roundTrip(HeaderType.RETRY_AFTER.parseSingle("18000;duration=3600"));
        assertThat(r.seconds()).isEqualTo(18000);
        assertThat(r.duration()).isEqualTo(3600);
        assertThat(r.comment()).isNull();
        assertThat(r).hasToString("18000;duration=3600");
    }

    @Test
    void rfc3261_20_33_commentExample() {
        RetryAfter r = roundTrip(HeaderType.RETRY_AFTER.parseSingle("120 (I'm in a meeting)"));
        assertThat(r.seconds()).isEqualTo(120);
        assertThat(r.comment()).isEqualTo("(I'm in a meeting)");
        assertThat(r.duration()).isEqualTo(-1);
        assertThat(r).hasToString("120 (I'm in a meeting)");
    }

    @Test
    void rfc3261_25_1_nestedCommentWithQuotedPairThenParameters() {
        RetryAfter r = roundTrip(HeaderType.RETRY_AFTER.parseSingle("300 (busy (really) \\) ok) ;duration=60"));
        assertThat(r.comment()).isEqualTo("(busy (really) \\) ok)");
        assertThat(r.duration()).isEqualTo(60);
        assertThat(r).hasToString("300 (busy (really) \\) ok);duration=60");
    }

    @Test
    void ofHasNoCommentOrParameters() {
        assertThat(roundTrip(RetryAfter.of(5))).hasToString("5");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "soon", "120 (unterminated", "120 (a) (b)", "4294967296", "120 junk"})
    void malformedRetryAfterIsASyntaxError(String value) {
        assertThatThrownBy(() -> HeaderType.RETRY_AFTER.parseSingle(value)).isInstanceOf(SipSyntaxException.class);
    }
}
