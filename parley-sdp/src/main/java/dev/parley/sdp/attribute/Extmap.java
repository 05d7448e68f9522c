package dev.parley.sdp.attribute;

import java.util.Optional;
import java.util.OptionalInt;

/**
 * {@code a=extmap:<id>[/<direction>] <URI> [<extension attributes>]} (RFC 8285 §8): an RTP header extension.
 *
 * @param direction {@code sendonly}, {@code recvonly}, {@code sendrecv}, {@code inactive}, or {@code null}
 * @param extensionAttributes the rest of the line after the URI, or {@code null}
 */
public record Extmap(int id, String direction, String uri, String extensionAttributes) {
    public static final String NAME = "extmap";

    public Extmap {
        if (id < 1 || id > 4095 || (direction != null && MediaDirection.fromAttributeName(direction).isEmpty())
                || !SdpText.isVisible(uri) || (extensionAttributes != null
                        && (extensionAttributes.isEmpty() || !SdpText.isLineText(extensionAttributes)))) {
            throw new IllegalArgumentException("malformed extmap");
        }
    }

    public static Optional<Extmap> parse(String value) {
        // The constructor states what is valid; a value it refuses is malformed input, not a bug.
        return SdpText.attempt(() -> parseFields(value));
    }

    private static Optional<Extmap> parseFields(String value) {
        String[] p = SdpText.splitFirstSpace(value);
        if (p == null) {
            return Optional.empty();
        }
        int slash = p[0].indexOf('/');
        OptionalInt id = SdpText.parseInt(slash < 0 ? p[0] : p[0].substring(0, slash), 1, 4095);
        String dir = slash < 0 ? null : p[0].substring(slash + 1);
        if (id.isEmpty() || (dir != null && MediaDirection.fromAttributeName(dir).isEmpty())) {
            return Optional.empty();
        }
        String[] uriRest = SdpText.splitFirstSpace(p[1]);
        String uri = uriRest == null ? p[1] : uriRest[0];
        if (!SdpText.isVisible(uri)) {
            return Optional.empty();
        }
        return Optional.of(new Extmap(id.getAsInt(), dir, uri, uriRest == null ? null : uriRest[1]));
    }

    public String value() {
        return id + (direction == null ? "" : "/" + direction) + " " + uri
                + (extensionAttributes == null ? "" : " " + extensionAttributes);
    }

    public Attribute toAttribute() {
        return new Attribute(NAME, value());
    }
}
