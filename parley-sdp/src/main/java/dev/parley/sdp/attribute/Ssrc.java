package dev.parley.sdp.attribute;

import java.util.Optional;
import java.util.OptionalLong;

/**
 * {@code a=ssrc:<ssrc-id> <attribute>[:<value>]} (RFC 5576 §4.1), e.g. {@code 3735928559 cname:user@host}.
 *
 * @param value {@code null} for a property such as a bare attribute name
 */
public record Ssrc(long ssrc, String attribute, String value) {
    public static final String NAME = "ssrc";

    public Ssrc {
        if (ssrc < 0 || ssrc > 0xFFFF_FFFFL || attribute.isEmpty() || attribute.indexOf(' ') >= 0
                || attribute.indexOf(':') >= 0 || (value != null && !SdpText.isLineText(value))) {
            throw new IllegalArgumentException("malformed ssrc attribute");
        }
    }

    public static Optional<Ssrc> parse(String text) {
        // The constructor states what is valid; a value it refuses is malformed input, not a bug.
        return SdpText.attempt(() -> parseFields(text));
    }

    private static Optional<Ssrc> parseFields(String text) {
        String[] p = SdpText.splitFirstSpace(text);
        if (p == null) {
            return Optional.empty();
        }
        OptionalLong id = SdpText.parseLong(p[0], 0xFFFF_FFFFL);
        int colon = p[1].indexOf(':');
        String name = colon < 0 ? p[1] : p[1].substring(0, colon);
        if (id.isEmpty() || !SdpText.isToken(name)) {
            return Optional.empty();
        }
        return Optional.of(new Ssrc(id.getAsLong(), name, colon < 0 ? null : p[1].substring(colon + 1)));
    }

    public String attributeValue() {
        return ssrc + " " + attribute + (value == null ? "" : ":" + value);
    }

    public Attribute toAttribute() {
        return new Attribute(NAME, attributeValue());
    }
}
