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

    private static Optional<RtpMap> parseFields(String value) {
        String[] ptRest = SdpText.splitFirstSpace(value);
        if (ptRest == null) {
            return Optional.empty();
        }
        OptionalInt pt = SdpText.parseInt(ptRest[0], 0, 127);
        String[] parts = ptRest[1].split("/", -1);
        if (pt.isEmpty() || parts.length < 2 || parts.length > 3) {
            return Optional.empty();
        }
        OptionalInt rate = SdpText.parseInt(parts[1], 1, Integer.MAX_VALUE);
        if (rate.isEmpty() || !SdpText.isToken(parts[0]) || (parts.length == 3 && !SdpText.isVisible(parts[2]))) {
            return Optional.empty();
        }
        return Optional.of(new RtpMap(pt.getAsInt(), parts[0], rate.getAsInt(), parts.length == 3 ? parts[2] : null));
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
