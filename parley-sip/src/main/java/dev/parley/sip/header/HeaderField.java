package dev.parley.sip.header;

import java.util.Objects;

/**
 * One header field line as it travelled: its name and its value, unfolded (RFC 3261 §7.3.1: a continuation line
 * is the same as one space) and trimmed, otherwise exactly as received. Unknown headers live only in this form and
 * are written back unchanged; known ones are read into typed values on demand.
 *
 * @param name the header's name (a known constant or an unknown spelling)
 * @param value the field value; never null, may be empty
 */
public record HeaderField(HeaderName name, String value) {
    public HeaderField {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(value, "value");
    }

    public static HeaderField of(HeaderName name, Object value) {
        return new HeaderField(name, value.toString());
    }
}
