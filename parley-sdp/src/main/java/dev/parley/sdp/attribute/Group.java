package dev.parley.sdp.attribute;

import java.util.List;
import java.util.Optional;

/** {@code a=group:<semantics> *(SP <identification-tag>)} (RFC 5888 §5), e.g. {@code BUNDLE 0 1} (RFC 9143). */
public record Group(String semantics, List<String> mids) {
    public static final String NAME = "group";

    public Group {
        mids = List.copyOf(mids);
        if (!SdpText.isToken(semantics) || !mids.stream().allMatch(SdpText::isToken)) {
            throw new IllegalArgumentException("malformed group");
        }
    }

    public boolean isBundle() {
        return semantics.equals("BUNDLE");
    }

    public static Optional<Group> parse(String value) {
        // The constructor states what is valid; a value it refuses is malformed input, not a bug.
        return SdpText.attempt(() -> parseFields(value));
    }

    private static Optional<Group> parseFields(String value) {
        List<String> f = SdpText.fields(value);
        if (f == null || !f.stream().allMatch(SdpText::isToken)) {
            return Optional.empty();
        }
        return Optional.of(new Group(f.get(0), f.subList(1, f.size())));
    }

    public String value() {
        return mids.isEmpty() ? semantics : semantics + " " + String.join(" ", mids);
    }

    public Attribute toAttribute() {
        return new Attribute(NAME, value());
    }
}
