package dev.parley.sip.header;

import dev.parley.sip.text.Cursor;
import dev.parley.sip.text.Parameters;
import dev.parley.sip.text.SipChars;
import dev.parley.sip.uri.Host;
import java.util.Objects;

/**
 * One Via value (RFC 3261 §20.42): {@code sent-protocol LWS sent-by *( SEMI via-params )}.
 *
 * @param protocolName normally {@code SIP}
 * @param protocolVersion normally {@code 2.0}
 * @param transport {@code UDP}, {@code TCP}, {@code TLS}, {@code WS}, ... as written
 * @param host the sent-by host: a hostname, an IPv4 address or a bracketed IPv6 reference
 * @param port the sent-by port, or -1 when absent
 * @param parameters via-params (branch, received, rport, maddr, ttl, extensions)
 */
public record Via(String protocolName, String protocolVersion, String transport, String host, int port,
        Parameters parameters) {

    /** RFC 3261 §8.1.1.7: branches of RFC 3261 elements start with this magic cookie. */
    public static final String MAGIC_COOKIE = "z9hG4bK";

    // the sent-protocol as nearly every Via spells it (RFC 3261 §20.42), shared rather than copied from each message
    private static final String[] PROTOCOL = {"SIP"};
    private static final String[] VERSION = {"2.0"};
    private static final String[] TRANSPORTS = {"UDP", "TCP", "TLS", "WS", "WSS", "SCTP"};

    public Via {
        Objects.requireNonNull(protocolName, "protocolName");
        Objects.requireNonNull(protocolVersion, "protocolVersion");
        Objects.requireNonNull(transport, "transport");
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(parameters, "parameters");
    }

    /** A Via of {@code SIP/2.0} for the given transport, sent-by and branch. */
    public static Via of(String transport, String host, int port, String branch) {
        return new Via("SIP", "2.0", transport, host, port, Parameters.EMPTY.with("branch", branch));
    }

    public static Via parse(String value) {
        return HeaderType.VIA.parseSingle(value);
    }

    static Via read(Cursor c) {
        String name = c.token(PROTOCOL);
        c.expectSeparator('/');
        String version = c.token(VERSION);
        c.expectSeparator('/');
        String transport = c.token(TRANSPORTS);
        int beforeSpace = c.position();
        c.skipWhitespace();
        if (c.position() == beforeSpace) {
            throw c.error("expected LWS before sent-by");
        }
        String host = readHost(c);
        int port = -1;
        if (c.acceptSeparator(':')) {
            port = (int) c.number(65535);
        }
        return new Via(name, version, transport, host, port, c.headerParameters());
    }

    /** host = hostname / IPv4address / IPv6reference; validated by {@link Host#check}. */
    static String readHost(Cursor c) {
        int start = c.position();
        if (c.peek() == '[') {
            while (!c.atEnd() && c.peek() != ']') {
                c.skip(1);
            }
            c.expect(']');
        } else {
            while (!c.atEnd() && (SipChars.isAlphanum(c.peek()) || c.peek() == '-' || c.peek() == '.')) {
                c.skip(1);
            }
        }
        if (c.position() == start) {
            throw c.error("expected a host");
        }
        Host.check(c.text(), start, c.position());
        return c.text().substring(start, c.position());
    }

    public String branch() {
        return parameters.value("branch");
    }

    public String received() {
        return parameters.value("received");
    }

    /** True when the rport parameter is present, with or without a value (RFC 3581). */
    public boolean hasRport() {
        return parameters.has("rport");
    }

    /** The rport value filled in by a server, or -1 when absent, empty or not a port (RFC 3581 §4: 1*DIGIT). */
    public int rport() {
        String v = parameters.value("rport");
        if (v == null || v.isEmpty() || v.length() > 5) {
            return -1;
        }
        int port = 0;
        for (int i = 0; i < v.length(); i++) {
            char c = v.charAt(i);
            // ASCII digits only: Character.isDigit would let Integer.parseInt read other scripts' digits
            if (c < '0' || c > '9') {
                return -1;
            }
            port = port * 10 + (c - '0');
        }
        return port <= 65535 ? port : -1;
    }

    public String maddr() {
        return parameters.value("maddr");
    }

    /** True when the branch carries RFC 3261's magic cookie, so it identifies the transaction by itself. */
    public boolean hasRfc3261Branch() {
        String b = branch();
        return b != null && b.startsWith(MAGIC_COOKIE);
    }

    public Via withParameter(String name, String value) {
        return new Via(protocolName, protocolVersion, transport, host, port, parameters.with(name, value));
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder(64);
        sb.append(protocolName).append('/').append(protocolVersion).append('/').append(transport).append(' ')
                .append(host);
        if (port >= 0) {
            sb.append(':').append(port);
        }
        parameters.appendTo(sb, ';');
        return sb.toString();
    }
}
