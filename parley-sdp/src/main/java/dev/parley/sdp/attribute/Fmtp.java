package dev.parley.sdp.attribute;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * {@code a=fmtp:<format> <format specific parameters>} (RFC 8866 §6.15). The parameters are kept as written; most
 * codecs use {@code name=value;name=value} and {@link #parameterMap()} reads that form.
 */
public record Fmtp(String format, String parameters) {
    public static final String NAME = "fmtp";

    public Fmtp {
        if (!SdpText.isToken(format)) {
            throw new IllegalArgumentException("fmtp format must be a token: " + format);
        }
        if (parameters.isEmpty() || parameters.indexOf('\r') >= 0 || parameters.indexOf('\n') >= 0
                || parameters.indexOf('\0') >= 0) {
            throw new IllegalArgumentException("fmtp parameters must be non-empty text on one line");
        }
    }

    /** The payload type when the format is an RTP payload type number. */
    public OptionalInt payloadType() {
        return SdpText.parseInt(format, 0, 127);
    }

    public static Optional<Fmtp> parse(String value) {
        // The constructor states what is valid; a value it refuses is malformed input, not a bug.
        return SdpText.attempt(() -> parseFields(value));
    }

    private static Optional<Fmtp> parseFields(String value) {
        String[] parts = SdpText.splitFirstSpace(value);
        if (parts == null || !SdpText.isToken(parts[0])) {
            return Optional.empty();
        }
        return Optional.of(new Fmtp(parts[0], parts[1]));
    }

    /** {@code a=b;c=d} as an ordered map (names as written; a part without '=' maps to the empty string). */
    public Map<String, String> parameterMap() {
        Map<String, String> m = new LinkedHashMap<>();
        for (String part : parameters.split(";")) {
            String p = part.strip();
            if (p.isEmpty()) {
                continue;
            }
            int eq = p.indexOf('=');
            m.put(eq < 0 ? p : p.substring(0, eq).strip(), eq < 0 ? "" : p.substring(eq + 1).strip());
        }
        return m;
    }

    public String value() {
        return format + " " + parameters;
    }

    public Attribute toAttribute() {
        return new Attribute(NAME, value());
    }
}
