package dev.parley.sdp.offeranswer;

import dev.parley.sdp.SessionDescription;
import java.util.List;
import java.util.Objects;

/** The outcome of answering an offer: an answer to send, or why the offer cannot be taken. */
public sealed interface AnswerResult {

    /** The answer SDP and the negotiated media per m-line (same count and order as the offer, RFC 3264 §6). */
    record Answered(SessionDescription answer, List<NegotiatedMedia> media) implements AnswerResult {
        public Answered {
            Objects.requireNonNull(answer, "answer");
            media = List.copyOf(media);
        }
    }

    /**
     * No acceptable stream: the PBX answers {@code 488 Not Acceptable Here} (RFC 3261 §21.4.26), e.g. with a
     * {@code Warning: 399} carrying {@link #reason()}.
     *
     * @param reason for a log line and the Warning text: names what was missing, never a key
     */
    record NotAcceptable(String reason) implements AnswerResult {
        public NotAcceptable {
            Objects.requireNonNull(reason, "reason");
        }
    }
}
