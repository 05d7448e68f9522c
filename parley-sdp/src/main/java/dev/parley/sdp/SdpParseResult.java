package dev.parley.sdp;

import java.util.Objects;

/** What {@link SdpParser} made of a body: a session description, or where and why it is not one. */
public sealed interface SdpParseResult {

    /** A session description, well formed as far as this parser checks. */
    record Parsed(SessionDescription description) implements SdpParseResult {
        public Parsed {
            Objects.requireNonNull(description, "description");
        }
    }

    /**
     * Not a session description Parley accepts. A SIP server answers an offer like this with
     * {@code 488 Not Acceptable Here} or {@code 400}.
     *
     * @param line the 1-based line number where the problem is, 0 for the body as a whole
     * @param reason what was wrong, for a debug log line; never contains key material (it names the field and
     *     never quotes a value)
     */
    record Malformed(int line, String reason) implements SdpParseResult {
        public Malformed {
            Objects.requireNonNull(reason, "reason");
        }

        @Override
        public String toString() {
            return "malformed SDP at line " + line + ": " + reason;
        }
    }

    /** Whether this is {@link Parsed}. */
    default boolean isParsed() {
        return this instanceof Parsed;
    }

    /** The description, or an {@link IllegalStateException} naming the error: for tests and trusted input. */
    default SessionDescription orElseThrow() {
        if (this instanceof Parsed p) {
            return p.description();
        }
        throw new IllegalStateException(toString());
    }
}
