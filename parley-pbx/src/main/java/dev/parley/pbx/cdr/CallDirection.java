package dev.parley.pbx.cdr;

import java.util.Locale;
import java.util.Optional;

/** Which way a call went, seen from one user: they placed it, or it was placed to them. */
public enum CallDirection {
    INCOMING,
    OUTGOING;

    /** {@code incoming} or {@code outgoing}, as the API writes it. */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The direction named {@code text} exactly as the API writes it, if any. */
    public static Optional<CallDirection> fromWire(String text) {
        for (CallDirection d : values()) {
            if (d.wireName().equals(text)) {
                return Optional.of(d);
            }
        }
        return Optional.empty();
    }
}
