package dev.parley.server.logging;

import ch.qos.logback.classic.pattern.ClassicConverter;
import ch.qos.logback.classic.spi.ILoggingEvent;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;

/**
 * {@code %time} in {@code logback.xml}: the event's time as {@code yyyy-MM-dd HH:mm:ss.SSS} in the JVM's default zone,
 * the same text as Logback's {@code %d{yyyy-MM-dd HH:mm:ss.SSS}}, made for less.
 *
 * <p>Why: under call load the console log writes three lines per call, and Logback's {@code %d} formats the whole
 * date with {@link DateTimeFormatter} for every new millisecond (its cache holds one millisecond): 2 % of Parley's
 * CPU in the SIP load benchmark (docs/benchmarks.md, issue 3). Here the text up to the seconds is made once per
 * second and kept; each line appends its three millisecond digits. The zone's offset is looked up for each new
 * second, so a change of offset (daylight saving time) shows on the first line after it, as with {@code %d}.
 */
public final class LogTimestamp extends ClassicConverter {
    private static final DateTimeFormatter TO_SECONDS = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.");

    /** The text of one second, up to and including the dot before the milliseconds. */
    private record Second(long epochSecond, String text) {
    }

    private final ZoneId zone;
    private volatile Second last = new Second(Long.MIN_VALUE, "");

    public LogTimestamp() {
        this(ZoneId.systemDefault());
    }

    LogTimestamp(ZoneId zone) {
        this.zone = zone;
    }

    @Override
    public String convert(ILoggingEvent event) {
        return format(event.getTimeStamp());
    }

    String format(long epochMillis) {
        long second = Math.floorDiv(epochMillis, 1000);
        int millis = (int) Math.floorMod(epochMillis, 1000);
        Second s = last;
        if (s.epochSecond() != second) {
            // a race between threads at a second's turn only makes the text twice; each thread uses its own
            s = new Second(second, TO_SECONDS.format(Instant.ofEpochSecond(second).atZone(zone)));
            last = s;
        }
        char[] ms = {(char) ('0' + millis / 100), (char) ('0' + millis / 10 % 10), (char) ('0' + millis % 10)};
        return s.text().concat(new String(ms));
    }
}
