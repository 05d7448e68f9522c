package dev.parley.pbx.call;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.pbx.cdr.CallRecord;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.slf4j.helpers.MessageFormatter;

class CallRecorderTest {

    @Test
    void safeTextIsLoggedAsItIs() {
        String callId = "a84b4c76e66710@pc33.atlanta.example.com";
        assertThat(CallRecorder.safe(callId)).isEqualTo(callId);
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

    /** The lines built by hand are the lines SLF4J made from the same format before, hostile text included. */
    @Test
    void callLinesReadAsTheFormattedLinesDid() {
        String hostileCallId = "x{}\ncall end id=forged\"" + "z".repeat(80);
        for (String callId : new String[] {"a84b4c76e66710@pc33.atlanta.example.com", hostileCallId, null}) {
            assertThat(CallRecorder.startLine("c1", callId, "2000", "20{}01", 2)).isEqualTo(format(
                    "call start id={} call-id={} caller={} callee={} contacts={}", "c1", CallRecorder.safe(callId),
                    "2000", "20{}01", 2));
            assertThat(CallRecorder.answerLine("c1", callId, null)).isEqualTo(format(
                    "call answer id={} call-id={} answered-by={}", "c1", CallRecorder.safe(callId), "-"));
            Instant t = Instant.parse("2026-12-06T19:00:00Z");
            CallRecord record = new CallRecord("c1", callId == null ? "-" : callId, "bench-a\r", "2001", "bench-b",
                    t, t, t, 200, "answered-caller-hangup", null, null, false, null, null, null);
            assertThat(CallRecorder.endLine(record)).isEqualTo(format(
                    "call end id={} call-id={} caller={} callee={} answered-by={} status={} cause={}", "c1",
                    CallRecorder.safe(record.callId()), "bench-a?", "2001", "bench-b", 200,
                    "answered-caller-hangup"));
        }
        assertThat(CallRecorder.startLine("c1", hostileCallId, "a", "b", 1)).doesNotContain("\n")
                .contains("call-id=x{}?call?end?id=forged?zzz");
    }

    private static String format(String pattern, Object... args) {
        return MessageFormatter.arrayFormat(pattern, args).getMessage();
    }
}
