package dev.parley.pbx.security;

import dev.parley.sipstack.flow.Transport;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The security log: one line per event on the SLF4J logger {@value #LOGGER_NAME}, as space-separated
 * {@code key=value} pairs that a fail2ban filter, a SIEM or {@code grep} can read without guessing:
 *
 * <pre>
 *   event=auth_failure src=192.0.2.1 port=5060 transport=UDP user="101" method=REGISTER        (WARN)
 *   event=unidentified_request src=192.0.2.1 port=5060 transport=UDP method=INVITE             (WARN)
 *   event=ban src=192.0.2.1 until=2026-01-01T00:15:00Z failures=5 window=60s                   (WARN)
 *   event=unban src=192.0.2.1                                                                  (INFO)
 * </pre>
 *
 * <p>Keys are fixed words; values are either tokens without spaces or quotes (addresses, methods, instants) or a
 * double-quoted string in which {@code "} and {@code \} are escaped with a backslash and every character outside
 * printable ASCII is written as {@code \}{@code uXXXX}. Usernames come from the attacker, so this is what keeps a
 * crafted username from forging a second line or a second {@code src=}. For IPv6, {@code src} of a ban names the
 * banned prefix ({@code 2001:db8:0:1:0:0:0:0/64}).
 *
 * <p>Never logged here or anywhere: passwords, secrets, {@code H(A1)} values, Digest responses, nonces.
 */
public final class SecurityLog {
    public static final String LOGGER_NAME = "parley.security";
    private static final Logger LOG = LoggerFactory.getLogger(LOGGER_NAME);
    private static final int MAX_QUOTED = 64;

    private SecurityLog() {
    }

    /** What was counted against a source. */
    public enum Failure {
        /** Credentials were presented and did not verify (wrong password, unknown user). */
        AUTH_FAILURE("auth_failure"),
        /** A request that matched no user, trunk or dialog Parley knows (counted by the routing layer). */
        UNIDENTIFIED_REQUEST("unidentified_request");

        private final String event;

        Failure(String event) {
            this.event = event;
        }

        public String event() {
            return event;
        }
    }

    static void failure(Failure kind, InetSocketAddress source, Transport transport, String user, String method) {
        if (!LOG.isWarnEnabled()) {
            return;
        }
        StringBuilder sb = new StringBuilder(128).append("event=").append(kind.event());
        sb.append(" src=").append(source.getAddress().getHostAddress()).append(" port=").append(source.getPort());
        sb.append(" transport=").append(transport.name());
        if (user != null) {
            sb.append(" user=");
            quoted(sb, user);
        }
        if (method != null) {
            sb.append(" method=");
            token(sb, method); // a parsed method is a token; anything else is quoted
        }
        LOG.warn(sb.toString());
    }

    static void ban(String source, Instant until, int failures, Duration window) {
        LOG.warn("event=ban src=" + source + " until=" + until + " failures=" + failures + " window="
                + window.toSeconds() + "s");
    }

    static void unban(String source) {
        LOG.info("event=unban src=" + source);
    }

    /** Appends {@code value} as-is when it is a plain token, otherwise as {@link #quoted}. */
    static void token(StringBuilder sb, String value) {
        boolean plain = !value.isEmpty() && value.length() <= MAX_QUOTED && value.chars().allMatch(
                c -> c > 0x20 && c < 0x7F && c != '"' && c != '\\' && c != '=');
        if (plain) {
            sb.append(value);
        } else {
            quoted(sb, value);
        }
    }

    /**
     * Appends {@code value} in double quotes, {@code "} and {@code \} escaped, anything outside printable ASCII as
     * {@code \}{@code uXXXX}, cut to 64 characters.
     */
    static void quoted(StringBuilder sb, String value) {
        String v = value.length() > MAX_QUOTED ? value.substring(0, MAX_QUOTED) : value;
        sb.append('"');
        for (int i = 0; i < v.length(); i++) {
            char c = v.charAt(i);
            if (c == '"' || c == '\\') {
                sb.append('\\').append(c);
            } else if (c < 0x20 || c >= 0x7F) {
                sb.append(String.format("\\u%04x", (int) c));
            } else {
                sb.append(c);
            }
        }
        sb.append('"');
    }
}
