package dev.parley.server.it;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.AppenderBase;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.slf4j.LoggerFactory;

/**
 * Every log event of the JVM at TRACE, while open: the root logger's level is lowered to TRACE and an appender keeps
 * each event's logger name, formatted message and stack trace as text. {@link #close()} restores the level. For
 * tests that must prove what never reaches a log (SRTP keys).
 */
public final class LogCapture extends AppenderBase<ILoggingEvent> implements AutoCloseable {
    private final Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    private final Level previous;
    private final ConcurrentLinkedQueue<String> lines = new ConcurrentLinkedQueue<>();

    private LogCapture() {
        previous = root.getLevel();
    }

    /** Starts capturing everything at TRACE. */
    public static LogCapture trace() {
        LogCapture c = new LogCapture();
        c.setContext(c.root.getLoggerContext());
        c.setName("test-trace-capture");
        c.start();
        c.root.addAppender(c);
        c.root.setLevel(Level.TRACE);
        return c;
    }

    @Override
    protected void append(ILoggingEvent event) {
        StringBuilder b = new StringBuilder().append(event.getLevel()).append(' ').append(event.getLoggerName())
                .append(' ').append(event.getFormattedMessage());
        if (event.getThrowableProxy() != null) {
            b.append('\n').append(ThrowableProxyUtil.asString(event.getThrowableProxy()));
        }
        lines.add(b.toString());
    }

    /** Everything logged so far, one event per line (messages may span lines). */
    public String text() {
        return String.join("\n", lines);
    }

    public int events() {
        return lines.size();
    }

    @Override
    public void close() {
        root.setLevel(previous);
        root.detachAppender(this);
        stop();
    }
}
