package dev.parley.web;

import java.net.InetAddress;
import java.time.Duration;
import java.util.Objects;
import javax.net.ssl.KeyManagerFactory;

/**
 * How {@link WebServer} listens.
 *
 * <table>
 *   <caption>Settings</caption>
 *   <tr><th>setting</th><th>meaning</th></tr>
 *   <tr><td>{@code bindAddress}</td><td>the address both ports bind to</td></tr>
 *   <tr><td>{@code httpsPort}</td><td>the HTTPS port (0: any free port)</td></tr>
 *   <tr><td>{@code redirectPort}</td><td>the plain-HTTP port that answers every request with {@code 308} to the
 *       HTTPS URL; {@link #DISABLED} for none (the default)</td></tr>
 *   <tr><td>{@code keyManagers}</td><td>the certificate and key: the server's one TLS material, shared with SIP over
 *       TLS</td></tr>
 *   <tr><td>{@code unauthenticatedIdleTimeout}</td><td>a WebSocket that carried no complete SIP message for this
 *       long and never registered is closed (as TCP/TLS in the SIP stack); 30 s by default</td></tr>
 *   <tr><td>{@code pingInterval}</td><td>how often Parley sends a WebSocket ping to every {@code /ws} client
 *       (RFC 6455 §5.5.2), which keeps NAT bindings open and proves the client alive; 25 s by default</td></tr>
 *   <tr><td>{@code idleTimeout}</td><td>a WebSocket with no traffic at all (pongs included) for this long is
 *       closed: a client that stopped answering pings; 90 s by default</td></tr>
 *   <tr><td>{@code maxMessageBytes}</td><td>the largest WebSocket message, i.e. SIP message, accepted; 65 535 by
 *       default (a larger one closes the connection with 1009)</td></tr>
 * </table>
 */
public record WebConfig(InetAddress bindAddress, int httpsPort, int redirectPort, KeyManagerFactory keyManagers,
        Duration unauthenticatedIdleTimeout, Duration pingInterval, Duration idleTimeout, int maxMessageBytes) {

    /** A port that does not listen. */
    public static final int DISABLED = -1;

    public WebConfig {
        Objects.requireNonNull(bindAddress, "bindAddress");
        Objects.requireNonNull(keyManagers, "keyManagers");
        Objects.requireNonNull(unauthenticatedIdleTimeout, "unauthenticatedIdleTimeout");
        Objects.requireNonNull(pingInterval, "pingInterval");
        Objects.requireNonNull(idleTimeout, "idleTimeout");
        if (httpsPort < 0 || httpsPort > 65535) {
            throw new IllegalArgumentException("httpsPort must be 0 (any free port) or 1..65535, was " + httpsPort);
        }
        if (redirectPort < DISABLED || redirectPort > 65535) {
            throw new IllegalArgumentException("redirectPort must be -1 (off), 0 or 1..65535, was " + redirectPort);
        }
        if (!pingInterval.isPositive() || idleTimeout.compareTo(pingInterval) <= 0
                || !unauthenticatedIdleTimeout.isPositive()) {
            throw new IllegalArgumentException("timeouts must be positive and idleTimeout (" + idleTimeout
                    + ") longer than pingInterval (" + pingInterval + ")");
        }
        if (maxMessageBytes < 1024) {
            throw new IllegalArgumentException("maxMessageBytes must be at least 1024, was " + maxMessageBytes);
        }
    }

    /** The defaults of the table, on {@code bindAddress} and {@code httpsPort}, with no redirect port. */
    public static WebConfig of(InetAddress bindAddress, int httpsPort, KeyManagerFactory keyManagers) {
        return new WebConfig(bindAddress, httpsPort, DISABLED, keyManagers, Duration.ofSeconds(30),
                Duration.ofSeconds(25), Duration.ofSeconds(90), 65_535);
    }

    public WebConfig withRedirectPort(int port) {
        return new WebConfig(bindAddress, httpsPort, port, keyManagers, unauthenticatedIdleTimeout, pingInterval,
                idleTimeout, maxMessageBytes);
    }

    public WebConfig withUnauthenticatedIdleTimeout(Duration timeout) {
        return new WebConfig(bindAddress, httpsPort, redirectPort, keyManagers, timeout, pingInterval, idleTimeout,
                maxMessageBytes);
    }

    public WebConfig withKeepAlive(Duration ping, Duration idle) {
        return new WebConfig(bindAddress, httpsPort, redirectPort, keyManagers, unauthenticatedIdleTimeout, ping,
                idle, maxMessageBytes);
    }
}
