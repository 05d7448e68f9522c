package dev.parley.sipstack.flow;

import dev.parley.common.Ascii;
import java.util.Optional;

/** The transports Parley speaks, with the properties RFC 3261 §17/§18 timers and RFC 7118 depend on. */
public enum Transport {
    UDP(false, false, 5060),
    TCP(true, false, 5060),
    TLS(true, true, 5061),
    WS(true, false, 80),
    WSS(true, true, 443);

    private final boolean reliable;
    private final boolean secure;
    private final int defaultPort;

    Transport(boolean reliable, boolean secure, int defaultPort) {
        this.reliable = reliable;
        this.secure = secure;
        this.defaultPort = defaultPort;
    }

    /** Reliable transports carry no retransmissions (RFC 3261 §17.1.1.2: Timer A is not started). */
    public boolean isReliable() {
        return reliable;
    }

    /** Signalling protected by TLS (TLS, WSS); SDES keys may be exchanged only on these. */
    public boolean isSecure() {
        return secure;
    }

    /** The port a Via sent-by or a URI without a port means (RFC 3261 §19.1.2, RFC 7118 §5.2). */
    public int defaultPort() {
        return defaultPort;
    }

    /** The transport token of a Via header (RFC 3261 §20.42, RFC 7118 §5.1). */
    public String viaToken() {
        return name();
    }

    /**
     * The value of a SIP URI's {@code transport} parameter for this transport: RFC 7118 §5.2 defines only
     * {@code ws}, for WebSocket with and without TLS (the {@code sips} scheme asks for the secure one).
     */
    public String uriParameter() {
        return this == WSS ? "ws" : Ascii.toLowerCase(name());
    }

    /** The transport for a Via token or a {@code transport=} URI parameter, if Parley speaks it. */
    public static Optional<Transport> fromToken(String token) {
        for (Transport t : values()) {
            if (Ascii.equalsIgnoreCase(t.name(), token)) {
                return Optional.of(t);
            }
        }
        return Optional.empty();
    }
}
