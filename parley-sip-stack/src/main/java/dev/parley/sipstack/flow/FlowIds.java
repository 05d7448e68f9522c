package dev.parley.sipstack.flow;

import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Identifiers for connection flows ({@link Flow#id()}): the transport, a token drawn once per process, and a
 * counter, e.g. {@code tls-3fa9c2e1-17}. The process token keeps an identifier stored with a binding before a
 * restart from naming a different connection after it.
 */
public final class FlowIds {
    private static final String PROCESS = processToken();
    private static final AtomicLong NEXT = new AtomicLong();

    private FlowIds() {
    }

    private static String processToken() {
        byte[] token = new byte[4];
        new SecureRandom().nextBytes(token);
        return HexFormat.of().formatHex(token);
    }

    /** A new identifier for a connection over {@code transport}. */
    public static String next(Transport transport) {
        return transport.name().toLowerCase(Locale.ROOT) + "-" + PROCESS + "-" + NEXT.incrementAndGet();
    }
}
