package dev.parley.sdp.attribute;

import java.util.Objects;
import java.util.Optional;

/**
 * One {@code a=} line as written: {@code a=<name>} (a property attribute, {@code value == null}) or
 * {@code a=<name>:<value>} (RFC 8866 §5.13). Kept byte for byte, known or not; the typed records of this package
 * read the value.
 *
 * <p>{@link #toString()} hides secrets ({@code crypto} keys, {@code ice-pwd}); {@link #line()} is the wire text.
 */
public record Attribute(String name, String value) {

    public Attribute {
        if (name.isEmpty()) {
            throw new IllegalArgumentException("attribute name must not be empty");
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c == ':' || c <= 0x20 || c == 0x7F) {
                throw new IllegalArgumentException("attribute name must not contain ':', spaces or controls");
            }
        }
        if (value != null && !SdpText.isLineText(value)) {
            throw new IllegalArgumentException("attribute value must not contain CR, LF or NUL");
        }
    }

    /** The property attributes every offer and answer writes, made once (an attribute is immutable). */
    private static final java.util.Map<String, Attribute> COMMON_PROPERTIES = java.util.stream.Stream.of(
            "sendrecv", "sendonly", "recvonly", "inactive", "rtcp-mux", "ice-lite", "end-of-candidates")
            .collect(java.util.stream.Collectors.toUnmodifiableMap(n -> n, n -> new Attribute(n, null)));

    /** A property attribute such as {@code a=rtcp-mux}. */
    public static Attribute property(String name) {
        Attribute common = COMMON_PROPERTIES.get(name);
        return common != null ? common : new Attribute(name, null);
    }

    public static Attribute of(String name, String value) {
        return new Attribute(name, Objects.requireNonNull(value, "value"));
    }

    public boolean isProperty() {
        return value == null;
    }

    public boolean is(String attributeName) {
        return name.equals(attributeName);
    }

    public Optional<String> valueIfPresent() {
        return Optional.ofNullable(value);
    }

    /** The wire text after {@code a=}. */
    public String line() {
        return value == null ? name : name + ":" + value;
    }

    /** Whether this attribute's value is a secret that must never reach a log. */
    public boolean isSecret() {
        return name.equals(Crypto.NAME) || name.equals("ice-pwd");
    }

    @Override
    public String toString() {
        if (name.equals(Crypto.NAME) && value != null) {
            return Crypto.parse(value).map(Crypto::toString).orElse("a=crypto:<redacted>");
        }
        return isSecret() ? "a=" + name + ":<redacted>" : "a=" + line();
    }
}
