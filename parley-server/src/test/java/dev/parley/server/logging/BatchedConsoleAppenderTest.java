package dev.parley.server.logging;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.LoggingEvent;
import ch.qos.logback.classic.util.LogbackMDCAdapter;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** INFO lines wait in the buffer for the flusher; WARN and ERROR go out at once, after what was buffered. */
class BatchedConsoleAppenderTest {
    private final ByteArrayOutputStream console = new ByteArrayOutputStream();
    private final LoggerContext context = new LoggerContext();
    private final BatchedConsoleAppender appender = new BatchedConsoleAppender();
    private PrintStream systemOut;

    @BeforeEach
    void start() {
        // the console target writes to whatever System.out is at the time; like the JVM's own, this one autoflushes
        context.setMDCAdapter(new LogbackMDCAdapter()); // an event copies the MDC: a bare context has none
        systemOut = System.out;
        System.setOut(new PrintStream(console, true, StandardCharsets.UTF_8));
        PatternLayoutEncoder encoder = new PatternLayoutEncoder();
        encoder.setContext(context);
        encoder.setPattern("%-5level %msg%n");
        encoder.start();
        appender.setContext(context);
        appender.setName("CONSOLE");
        appender.setEncoder(encoder);
        appender.start();
    }

    @AfterEach
    void restore() {
        appender.stop();
        System.setOut(systemOut);
        context.stop();
    }

    @Test
    void anInfoLineWaitsInTheBufferUntilAFlush() {
        appender.doAppend(event(Level.INFO, "call start id=1"));
        appender.doAppend(event(Level.INFO, "call answer id=1"));

        assertThat(written()).as("before a flush").isEmpty();
        appender.flush();
        assertThat(written()).isEqualTo("INFO  call start id=1\nINFO  call answer id=1\n");
    }

    @Test
    void aWarningGoesOutAtOnceAfterTheLinesBeforeIt() {
        appender.doAppend(event(Level.INFO, "call start id=2"));
        appender.doAppend(event(Level.WARN, "could not save the CDR of call 2"));

        assertThat(written()).isEqualTo("INFO  call start id=2\nWARN  could not save the CDR of call 2\n");
    }

    @Test
    void theFlusherWritesAnInfoLineWithoutAnyOtherLogging() throws InterruptedException {
        appender.doAppend(event(Level.INFO, "call end id=3"));

        // a liveness wait, not a timing assertion: the line is due after FLUSH_DELAY_MILLIS
        long give = System.nanoTime() + 10_000_000_000L;
        while (written().isEmpty() && System.nanoTime() - give < 0) {
            Thread.sleep(5);
        }
        assertThat(written()).isEqualTo("INFO  call end id=3\n");
    }

    @Test
    void stoppingWritesWhatIsBuffered() {
        appender.doAppend(event(Level.INFO, "call end id=4"));

        appender.stop();
        assertThat(written()).isEqualTo("INFO  call end id=4\n");
    }

    @Test
    void onceTheJvmShutsDownEveryLineGoesOutAtOnce() {
        appender.doAppend(event(Level.INFO, "draining"));

        appender.writeThrough(); // what its shutdown hook runs
        assertThat(written()).isEqualTo("INFO  draining\n");
        appender.doAppend(event(Level.INFO, "stopped"));
        assertThat(written()).as("no flusher delay: the JVM may halt right after this line")
                .isEqualTo("INFO  draining\nINFO  stopped\n");
    }

    private LoggingEvent event(Level level, String message) {
        return new LoggingEvent("test", context.getLogger("parley.call"), level, message, null, null);
    }

    private String written() {
        return console.toString(StandardCharsets.UTF_8);
    }
}
