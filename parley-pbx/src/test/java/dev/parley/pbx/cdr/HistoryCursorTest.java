package dev.parley.pbx.cdr;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class HistoryCursorTest {
    private static String b64(String s) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void aTokenReadsBackAsTheSameCursor() {
        HistoryCursor c = new HistoryCursor(Instant.ofEpochMilli(1_764_998_400_123L),
                "0b7c9a52-3d2e-4f10-9a8b-1c2d3e4f5a6b");
        assertThat(HistoryCursor.parse(c.token())).contains(c);
        assertThat(c.token()).doesNotContain(":").matches("[A-Za-z0-9_-]+");
    }

    @Test
    void anythingElseIsNoCursor() {
        for (String bad : new String[] {null, "", "!!!", b64("nocolon"), b64(":id"), b64("123:"), b64("12x:id"),
                b64("123:has space"), b64("123:" + "x".repeat(65)), b64("99999999999999999999:id"),
                b64("123:caf\u00e9"), "a".repeat(201)}) {
            assertThat(HistoryCursor.parse(bad)).as(String.valueOf(bad)).isEmpty();
        }
    }

    @Test
    void precedesFollowsStartThenIdDescending() {
        Instant t = Instant.parse("2026-12-06T05:00:00Z");
        HistoryCursor c = new HistoryCursor(t, "m");
        CallRecord earlier = new CallRecord("z", "c", "1", "2", null, t.minusMillis(1), null, t, 487, "cancelled");
        CallRecord sameStartLowerId = new CallRecord("a", "c", "1", "2", null, t, null, t, 487, "cancelled");
        CallRecord sameStartHigherId = new CallRecord("n", "c", "1", "2", null, t, null, t, 487, "cancelled");
        CallRecord itself = new CallRecord("m", "c", "1", "2", null, t, null, t, 487, "cancelled");
        assertThat(c.precedes(earlier)).isTrue();
        assertThat(c.precedes(sameStartLowerId)).isTrue();
        assertThat(c.precedes(sameStartHigherId)).isFalse();
        assertThat(c.precedes(itself)).isFalse();
    }
}
