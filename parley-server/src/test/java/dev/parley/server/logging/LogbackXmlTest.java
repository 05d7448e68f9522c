package dev.parley.server.logging;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.classic.spi.LoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.encoder.LayoutWrappingEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import org.junit.jupiter.api.Test;

/** The server's own {@code logback.xml}: its console lines start with the time as operators have read it so far. */
class LogbackXmlTest {
    @Test
    void consoleAndSecurityLinesStartWithTheMillisecondTime() throws Exception {
        URL xml = getClass().getResource("/logback.xml");
        assertThat(xml).as("parley-server's logback.xml").isNotNull();
        LoggerContext context = new LoggerContext();
        JoranConfigurator configurator = new JoranConfigurator();
        configurator.setContext(context);
        configurator.doConfigure(xml);
        try {
            long at = Instant.parse("2026-12-06T11:12:13.045Z").toEpochMilli();
            String time = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS")
                    .format(Instant.ofEpochMilli(at).atZone(ZoneId.systemDefault()));
            assertThat(line(context, "CONSOLE", "parley.call", "call end id=1", at))
                    .isEqualTo(time + " INFO  parley.call - call end id=1\n");
            assertThat(line(context, "SECURITY", "parley.security", "event=ban src=192.0.2.1", at))
                    .isEqualTo(time + " WARN  parley.security event=ban src=192.0.2.1\n");
        } finally {
            context.stop();
        }
    }

    @SuppressWarnings("unchecked")
    private static String line(LoggerContext context, String appender, String logger, String message, long at) {
        String owner = appender.equals("SECURITY") ? "parley.security" : "ROOT";
        ConsoleAppender<ILoggingEvent> console =
                (ConsoleAppender<ILoggingEvent>) context.getLogger(owner).getAppender(appender);
        assertThat(console).as(appender).isNotNull();
        LoggingEvent event = new LoggingEvent("test", context.getLogger(logger),
                appender.equals("SECURITY") ? Level.WARN : Level.INFO, message, null, null);
        event.setTimeStamp(at);
        byte[] bytes = ((LayoutWrappingEncoder<ILoggingEvent>) console.getEncoder()).encode(event);
        return new String(bytes, StandardCharsets.UTF_8);
    }
}
