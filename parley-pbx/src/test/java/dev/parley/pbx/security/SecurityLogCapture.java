package dev.parley.pbx.security;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.LoggerFactory;

/** Captures the {@code parley.security} log with a Logback ListAppender and parses its key=value lines. */
public final class SecurityLogCapture implements AutoCloseable {
    /** key=token or key="quoted with \" escapes", separated by single spaces; nothing else allowed. */
    private static final Pattern PAIR = Pattern.compile("([a-z_]+)=(\"(?:[^\"\\\\]|\\\\.)*\"|[^\\s\"]+)");

    private final Logger logger = (Logger) LoggerFactory.getLogger(SecurityLog.LOGGER_NAME);
    private final ListAppender<ILoggingEvent> appender = new ListAppender<>();

    public SecurityLogCapture() {
        appender.start();
        logger.addAppender(appender);
    }

    public List<String> lines() {
        return appender.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
    }

    public List<ILoggingEvent> events() {
        return List.copyOf(appender.list);
    }

    /** Every line parsed into its pairs; a line that is not exactly pairs fails the parse. */
    public List<Map<String, String>> parsed() {
        return lines().stream().map(SecurityLogCapture::parse).toList();
    }

    public List<Map<String, String>> events(String event) {
        return parsed().stream().filter(m -> event.equals(m.get("event"))).toList();
    }

    public static Map<String, String> parse(String line) {
        Map<String, String> out = new LinkedHashMap<>();
        Matcher m = PAIR.matcher(line);
        int at = 0;
        while (m.find()) {
            if (m.start() != at) {
                throw new IllegalArgumentException("not key=value at " + at + ": " + line);
            }
            String v = m.group(2);
            if (v.startsWith("\"")) {
                v = v.substring(1, v.length() - 1).replaceAll("\\\\(.)", "$1");
            }
            out.put(m.group(1), v);
            at = m.end();
            if (at < line.length()) {
                if (line.charAt(at) != ' ') {
                    throw new IllegalArgumentException("pairs must be separated by one space: " + line);
                }
                at++;
            }
        }
        if (at != line.length()) {
            throw new IllegalArgumentException("trailing text after pairs: " + line);
        }
        return out;
    }

    @Override
    public void close() {
        logger.detachAppender(appender);
    }
}
