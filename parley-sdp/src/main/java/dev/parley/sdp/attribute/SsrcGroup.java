package dev.parley.sdp.attribute;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/** {@code a=ssrc-group:<semantics> *(SP <ssrc-id>)} (RFC 5576 §4.2), e.g. {@code FID 1 2} for RTX. */
public record SsrcGroup(String semantics, List<Long> ssrcs) {
    public static final String NAME = "ssrc-group";

    public SsrcGroup {
        ssrcs = List.copyOf(ssrcs);
        if (!SdpText.isToken(semantics) || ssrcs.stream().anyMatch(s -> s < 0 || s > 0xFFFF_FFFFL)) {
            throw new IllegalArgumentException("malformed ssrc-group");
        }
    }

    public static Optional<SsrcGroup> parse(String value) {
        // The constructor states what is valid; a value it refuses is malformed input, not a bug.
        return SdpText.attempt(() -> parseFields(value));
    }

    private static Optional<SsrcGroup> parseFields(String value) {
        List<String> f = SdpText.fields(value);
        if (f == null || !SdpText.isToken(f.get(0))) {
            return Optional.empty();
        }
        List<Long> ids = new ArrayList<>();
        for (String s : f.subList(1, f.size())) {
            OptionalLong id = SdpText.parseLong(s, 0xFFFF_FFFFL);
            if (id.isEmpty()) {
                return Optional.empty();
            }
            ids.add(id.getAsLong());
        }
        return Optional.of(new SsrcGroup(f.get(0), ids));
    }

    public String value() {
        StringBuilder b = new StringBuilder(semantics);
        ssrcs.forEach(s -> b.append(' ').append(s));
        return b.toString();
    }

    public Attribute toAttribute() {
        return new Attribute(NAME, value());
    }
}
