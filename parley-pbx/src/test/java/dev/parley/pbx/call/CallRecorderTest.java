package dev.parley.pbx.call;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class CallRecorderTest {

    @Test
    void safeTextIsLoggedAsItIsWithoutACopy() {
        String callId = "a84b4c76e66710@pc33.atlanta.example.com";
        assertThat(CallRecorder.safe(callId)).isSameAs(callId);
        assertThat(CallRecorder.safe(null)).isEqualTo("-");
        assertThat(CallRecorder.safe("")).isEmpty();
    }

    @Test
    void networkTextCannotForgeALogLine() {
        assertThat(CallRecorder.safe("101\ncall end id=x")).isEqualTo("101?call?end?id=x");
        assertThat(CallRecorder.safe("a\"b\\c d\u00e9\u0000")).isEqualTo("a?b?c?d??");
        assertThat(CallRecorder.safe("ok-then-\r")).isEqualTo("ok-then-?");
    }

    @Test
    void longTextIsCutTo64Characters() {
        String safe = "x".repeat(100);
        assertThat(CallRecorder.safe(safe)).isEqualTo("x".repeat(64));
        assertThat(CallRecorder.safe("y".repeat(70) + "\n")).isEqualTo("y".repeat(64));
        assertThat(CallRecorder.safe("\n" + "z".repeat(70))).isEqualTo("?" + "z".repeat(63));
    }
}
