package dev.parley.sdp.offeranswer;

import java.util.List;
import java.util.Objects;

/** The outcome of checking an answer against Parley's offer. */
public sealed interface NegotiationResult {

    /** A valid answer: the negotiated media per m-line, in the offer's order. */
    record Negotiated(List<NegotiatedMedia> media) implements NegotiationResult {
        public Negotiated {
            media = List.copyOf(media);
        }
    }

    /**
     * An answer that breaks RFC 3264 / RFC 4568 for this offer. The PBX ends the call (after ACKing the 2xx) or
     * sends a new offer; it must not use any of it.
     *
     * @param mediaIndex the m-line at fault, or -1 for the description as a whole
     */
    record InvalidAnswer(int mediaIndex, String reason) implements NegotiationResult {
        public InvalidAnswer {
            Objects.requireNonNull(reason, "reason");
        }
    }
}
