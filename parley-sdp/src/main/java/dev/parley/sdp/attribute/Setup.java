package dev.parley.sdp.attribute;

import java.util.Optional;

/** {@code a=setup} (RFC 4145 §4, RFC 8842 §5.1): which end opens the DTLS association. */
public enum Setup {
    ACTIVE("active"), PASSIVE("passive"), ACTPASS("actpass"), HOLDCONN("holdconn");

    private final String value;

    Setup(String value) {
        this.value = value;
    }

    public String value() {
        return value;
    }

    public static Optional<Setup> parse(String value) {
        for (Setup s : values()) {
            if (s.value.equals(value)) {
                return Optional.of(s);
            }
        }
        return Optional.empty();
    }
}
