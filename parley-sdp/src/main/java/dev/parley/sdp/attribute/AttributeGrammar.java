package dev.parley.sdp.attribute;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.function.Predicate;

/**
 * Which attributes the parser checks, and how. These are the attributes offer/answer and the media plane act on:
 * a malformed one would silently change a negotiation, so the whole description is refused instead. Every other
 * attribute is kept as written without a look at its value. Property attributes with a value and value attributes
 * of unknown names are never errors (RFC 8866 §5.13: unknown attributes are ignored).
 */
public final class AttributeGrammar {
    private AttributeGrammar() {
    }

    private static final Map<String, Predicate<String>> VALUE_CHECKS = Map.ofEntries(
            Map.entry(RtpMap.NAME, v -> RtpMap.parse(v).isPresent()),
            Map.entry(Fmtp.NAME, v -> Fmtp.parse(v).isPresent()),
            Map.entry("ptime", v -> parsePacketTime(v).isPresent()),
            Map.entry("maxptime", v -> parsePacketTime(v).isPresent()),
            Map.entry(Crypto.NAME, v -> Crypto.parse(v).isPresent()),
            Map.entry(Rtcp.NAME, v -> Rtcp.parse(v).isPresent()),
            Map.entry(RtcpFeedback.NAME, v -> RtcpFeedback.parse(v).isPresent()),
            Map.entry(Fingerprint.NAME, v -> Fingerprint.parse(v).isPresent()),
            Map.entry("setup", v -> Setup.parse(v).isPresent()),
            Map.entry("ice-ufrag", SdpText::isVisible),
            Map.entry("ice-pwd", SdpText::isVisible),
            Map.entry("ice-options", v -> SdpText.fields(v) != null),
            Map.entry(Candidate.NAME, v -> Candidate.parse(v).isPresent()),
            Map.entry("mid", SdpText::isToken),
            Map.entry(Group.NAME, v -> Group.parse(v).isPresent()),
            Map.entry(Ssrc.NAME, v -> Ssrc.parse(v).isPresent()),
            Map.entry(SsrcGroup.NAME, v -> SsrcGroup.parse(v).isPresent()),
            Map.entry(Msid.NAME, v -> Msid.parse(v).isPresent()),
            Map.entry(Extmap.NAME, v -> Extmap.parse(v).isPresent()));

    /** Names whose value is checked; each must have a value. */
    public static boolean isChecked(String name) {
        return VALUE_CHECKS.containsKey(name);
    }

    /** Why this attribute is refused, or empty when it is acceptable. */
    public static Optional<String> problem(Attribute a) {
        Predicate<String> check = VALUE_CHECKS.get(a.name());
        if (check == null) {
            return Optional.empty();
        }
        if (a.value() == null) {
            return Optional.of("a=" + a.name() + " needs a value");
        }
        return check.test(a.value()) ? Optional.empty() : Optional.of("malformed a=" + a.name());
    }

    /**
     * {@code a=ptime} / {@code a=maxptime} in whole milliseconds (RFC 8866 §6.4: {@code non-zero-int-or-real}); a
     * fraction is rounded up so that a packet time never reads as 0.
     */
    public static OptionalInt parsePacketTime(String value) {
        int dot = value.indexOf('.');
        String whole = dot < 0 ? value : value.substring(0, dot);
        String fraction = dot < 0 ? "" : value.substring(dot + 1);
        if (!SdpText.isDigits(whole) || (dot >= 0 && !SdpText.isDigits(fraction))) {
            return OptionalInt.empty();
        }
        OptionalInt ms = SdpText.parseInt(whole, 0, 100_000);
        if (ms.isEmpty()) {
            return OptionalInt.empty();
        }
        boolean hasFraction = !fraction.chars().allMatch(c -> c == '0');
        int v = ms.getAsInt() + (hasFraction ? 1 : 0);
        return v == 0 ? OptionalInt.empty() : OptionalInt.of(v);
    }

    /** The ICE option tags of {@code a=ice-options} (RFC 8839 §5.6), e.g. {@code trickle}, {@code ice2}. */
    public static List<String> iceOptions(String value) {
        List<String> f = SdpText.fields(value);
        return f == null ? List.of() : f;
    }
}
