package dev.parley.sdp.attribute;

import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * {@code a=rtpmap:<payload type> <encoding name>/<clock rate>[/<encoding parameters>]} (RFC 8866 §6.6).
 *
 * @param encodingParameters for audio the channel count (RFC 8866: "may be omitted if the number of channels is
 *     one"), or {@code null} when absent
 */
public record RtpMap(int payloadType, String encodingName, int clockRate, String encodingParameters) {
    public static final String NAME = "rtpmap";

    public RtpMap {
        if (payloadType < 0 || payloadType > 127) {
            throw new IllegalArgumentException("RTP payload type must be 0..127, was " + payloadType);
        }
        if (!SdpText.isToken(encodingName) || encodingName.indexOf('/') >= 0) {
            throw new IllegalArgumentException("encoding name must be a token without '/': " + encodingName);
        }
        if (clockRate <= 0) {
            throw new IllegalArgumentException("clock rate must be positive, was " + clockRate);
        }
        if (encodingParameters != null && !SdpText.isVisible(encodingParameters)) {
            throw new IllegalArgumentException("encoding parameters must be visible text");
        }
    }

    public static RtpMap of(int payloadType, String encodingName, int clockRate, int channels) {
        return new RtpMap(payloadType, encodingName, clockRate, channels == 1 ? null : Integer.toString(channels));
    }

    /** Audio channels: the encoding parameters when they are a number, else 1. */
    public int channels() {
        if (encodingParameters == null) {
            return 1;
        }
        OptionalInt n = SdpText.parseInt(encodingParameters, 1, 255);
        return n.orElse(1);
    }

    public static Optional<RtpMap> parse(String value) {
        // The constructor states what is valid; a value it refuses is malformed input, not a bug.
        return SdpText.attempt(() -> parseFields(value));
    }

    /** {@code <pt> SP <name>/<rate>[/<parameters>]}, read by index (no split: this runs per rtpmap per offer). */
    private static Optional<RtpMap> parseFields(String value) {
        int sp = value.indexOf(' ');
        if (sp <= 0 || sp == value.length() - 1) {
            return Optional.empty();
        }
        OptionalInt pt = SdpText.parseInt(value.substring(0, sp), 0, 127);
        int slash1 = value.indexOf('/', sp + 1);
        if (pt.isEmpty() || slash1 < 0) {
            return Optional.empty(); // fewer than two '/'-separated parts
        }
        int slash2 = value.indexOf('/', slash1 + 1);
        if (slash2 >= 0 && value.indexOf('/', slash2 + 1) >= 0) {
            return Optional.empty(); // more than three
        }
        String name = value.substring(sp + 1, slash1);
        OptionalInt rate = SdpText.parseInt(slash2 < 0 ? value.substring(slash1 + 1)
                : value.substring(slash1 + 1, slash2), 1, Integer.MAX_VALUE);
        String parameters = slash2 < 0 ? null : value.substring(slash2 + 1);
        if (rate.isEmpty() || !SdpText.isToken(name) || (parameters != null && !SdpText.isVisible(parameters))) {
            return Optional.empty();
        }
        return Optional.of(new RtpMap(pt.getAsInt(), name, rate.getAsInt(), parameters));
    }

    public String value() {
        return payloadType + " " + encodingName + "/" + clockRate
                + (encodingParameters == null ? "" : "/" + encodingParameters);
    }

    public Attribute toAttribute() {
        return new Attribute(NAME, value());
    }

    /** Same codec regardless of payload type: name (ASCII case-insensitive, RFC 8866 §6.6), rate, channels. */
    public boolean sameCodec(RtpMap other) {
        return clockRate == other.clockRate && channels() == other.channels()
                && dev.parley.common.Ascii.equalsIgnoreCase(encodingName, other.encodingName);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RtpMap r && r.payloadType == payloadType && r.encodingName.equals(encodingName)
                && r.clockRate == clockRate && Objects.equals(r.encodingParameters, encodingParameters);
    }

    @Override
    public int hashCode() {
        return Objects.hash(payloadType, encodingName, clockRate, encodingParameters);
    }
}
