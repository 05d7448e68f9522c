package dev.parley.sdp.attribute;

import java.util.Optional;

/**
 * {@code a=msid:<stream id> [<track id>]} (RFC 8830 §2). Firefox and Chrome write {@code {uuid} {uuid}};
 * Chrome may write {@code - <track>} when the track has no stream.
 *
 * @param appData the second field, or {@code null}
 */
public record Msid(String streamId, String appData) {
    public static final String NAME = "msid";

    public Msid {
        if (!SdpText.isVisible(streamId) || (appData != null && !SdpText.isVisible(appData))) {
            throw new IllegalArgumentException("malformed msid");
        }
    }

    public static Optional<Msid> parse(String value) {
        // The constructor states what is valid; a value it refuses is malformed input, not a bug.
        return SdpText.attempt(() -> parseFields(value));
    }

    private static Optional<Msid> parseFields(String value) {
        java.util.List<String> f = SdpText.fields(value);
        if (f == null || f.size() > 2 || !SdpText.isVisible(f.get(0))
                || (f.size() == 2 && !SdpText.isVisible(f.get(1)))) {
            return Optional.empty();
        }
        return Optional.of(new Msid(f.get(0), f.size() == 2 ? f.get(1) : null));
    }

    public String value() {
        return appData == null ? streamId : streamId + " " + appData;
    }

    public Attribute toAttribute() {
        return new Attribute(NAME, value());
    }
}
