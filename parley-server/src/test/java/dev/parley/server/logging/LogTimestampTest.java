package dev.parley.server.logging;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import org.junit.jupiter.api.Test;

class LogTimestampTest {
    private static final DateTimeFormatter LOGBACK_PATTERN = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS");

    private static String expected(long millis, ZoneId zone) {
        return LOGBACK_PATTERN.format(Instant.ofEpochMilli(millis).atZone(zone));
    }

    @Test
    void sameTextAsLogbacksPatternAcrossMillisecondsAndSeconds() {
        ZoneId utc = ZoneId.of("UTC");
        LogTimestamp t = new LogTimestamp(utc);
        long start = 1_765_000_000_000L - 3;
        for (long ms = start; ms < start + 2_500; ms++) {
            assertThat(t.format(ms)).isEqualTo(expected(ms, utc));
        }
        assertThat(t.format(1_765_000_000_007L)).isEqualTo("2025-12-06 05:46:40.007");
    }

    @Test
    void goingBackInTimeIsFormattedToo() {
        ZoneId utc = ZoneId.of("UTC");
        LogTimestamp t = new LogTimestamp(utc);
        assertThat(t.format(1_765_000_001_500L)).isEqualTo(expected(1_765_000_001_500L, utc));
        assertThat(t.format(1_765_000_000_999L)).isEqualTo(expected(1_765_000_000_999L, utc));
        assertThat(t.format(0L)).isEqualTo("1970-01-01 00:00:00.000");
    }

    @Test
    void followsTheZonesOffsetOverADaylightSavingTimeChange() {
        // Europe/Berlin: 2025-03-30 01:00 UTC, clocks go from 02:00 to 03:00 local time
        ZoneId berlin = ZoneId.of("Europe/Berlin");
        LogTimestamp t = new LogTimestamp(berlin);
        long change = Instant.parse("2025-03-30T01:00:00Z").toEpochMilli();
        assertThat(t.format(change - 1)).isEqualTo("2025-03-30 01:59:59.999");
        assertThat(t.format(change)).isEqualTo("2025-03-30 03:00:00.000");
        for (long ms = change - 1_500; ms < change + 1_500; ms += 7) {
            assertThat(t.format(ms)).isEqualTo(expected(ms, berlin));
        }
    }
}
