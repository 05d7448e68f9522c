package dev.parley.sdp.attribute;

import java.util.Optional;

/**
 * {@code a=rtcp-fb:<payload type or *> <feedback>} (RFC 4585 §4.2), e.g. {@code 96 nack pli}, {@code * ccm fir}.
 *
 * @param feedback the type and its parameters as written, e.g. {@code nack pli}
 */
public record RtcpFeedback(String format, String feedback) {
    public static final String NAME = "rtcp-fb";

    public RtcpFeedback {
        if (!(format.equals("*") || SdpText.parseInt(format, 0, 127).isPresent())) {
            throw new IllegalArgumentException("rtcp-fb format must be a payload type or '*'");
        }
        if (feedback.isEmpty() || !SdpText.isLineText(feedback)) {
            throw new IllegalArgumentException("rtcp-fb needs a feedback type");
        }
    }

    /** The feedback type: {@code ack}, {@code nack}, {@code trr-int}, {@code ccm}, {@code goog-remb}, ... */
    public String type() {
        int sp = feedback.indexOf(' ');
        return sp < 0 ? feedback : feedback.substring(0, sp);
    }

    public static Optional<RtcpFeedback> parse(String value) {
        // The constructor states what is valid; a value it refuses is malformed input, not a bug.
        return SdpText.attempt(() -> parseFields(value));
    }

    private static Optional<RtcpFeedback> parseFields(String value) {
        String[] p = SdpText.splitFirstSpace(value);
        if (p == null || !(p[0].equals("*") || SdpText.parseInt(p[0], 0, 127).isPresent())) {
            return Optional.empty();
        }
        int sp = p[1].indexOf(' ');
        if (!SdpText.isToken(sp < 0 ? p[1] : p[1].substring(0, sp))) {
            return Optional.empty();
        }
        return Optional.of(new RtcpFeedback(p[0], p[1]));
    }

    public String value() {
        return format + " " + feedback;
    }

    public Attribute toAttribute() {
        return new Attribute(NAME, value());
    }
}
