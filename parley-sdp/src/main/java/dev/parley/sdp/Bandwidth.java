package dev.parley.sdp;

import dev.parley.sdp.attribute.SdpText;
import java.util.Optional;
import java.util.OptionalLong;

/** {@code b=<bwtype>:<bandwidth>} (RFC 8866 §5.8), e.g. {@code AS:64} (kbit/s), {@code TIAS:64000} (bit/s). */
public record Bandwidth(String type, long bandwidth) {

    public Bandwidth {
        if (!SdpText.isToken(type) || bandwidth < 0) {
            throw new IllegalArgumentException("malformed bandwidth");
        }
    }

    static Optional<Bandwidth> parse(String text) {
        // The constructor states what is valid; a value it refuses is malformed input, not a bug.
        return SdpText.attempt(() -> parseFields(text));
    }

    private static Optional<Bandwidth> parseFields(String text) {
        int colon = text.indexOf(':');
        if (colon <= 0) {
            return Optional.empty();
        }
        String type = text.substring(0, colon);
        OptionalLong v = SdpText.parseLong(text.substring(colon + 1), Long.MAX_VALUE);
        return SdpText.isToken(type) && v.isPresent() ? Optional.of(new Bandwidth(type, v.getAsLong()))
                : Optional.empty();
    }

    public String value() {
        return type + ":" + bandwidth;
    }
}
