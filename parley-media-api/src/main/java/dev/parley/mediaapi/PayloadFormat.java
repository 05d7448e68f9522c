package dev.parley.mediaapi;

import java.util.Locale;
import java.util.Objects;

/**
 * One RTP payload format a leg uses: the payload type number on that leg and what it means (RFC 3551 static
 * types or an {@code a=rtpmap}). Two legs may number the same codec differently; the relay maps by
 * {@link #sameCodec(PayloadFormat)}.
 *
 * @param encodingName as in the rtpmap, e.g. {@code PCMU}, {@code PCMA}, {@code opus}, {@code telephone-event}
 * @param fmtp         the format parameters, or empty
 */
public record PayloadFormat(int payloadType, String encodingName, int clockRate, int channels, String fmtp) {
    public PayloadFormat {
        if (payloadType < 0 || payloadType > 127) {
            throw new IllegalArgumentException("RTP payload type must be 0..127, was " + payloadType);
        }
        Objects.requireNonNull(encodingName, "encodingName");
        Objects.requireNonNull(fmtp, "fmtp");
        if (clockRate <= 0 || channels <= 0) {
            throw new IllegalArgumentException("clock rate and channels must be positive");
        }
    }

    public static PayloadFormat of(int payloadType, String encodingName, int clockRate) {
        return new PayloadFormat(payloadType, encodingName, clockRate, 1, "");
    }

    /** Same codec regardless of payload type number: encoding name (case-insensitive), clock rate, channels. */
    public boolean sameCodec(PayloadFormat other) {
        return clockRate == other.clockRate && channels == other.channels
                && encodingName.toLowerCase(Locale.ROOT).equals(other.encodingName.toLowerCase(Locale.ROOT));
    }

    /** RFC 4733 named telephone events (DTMF). */
    public boolean isTelephoneEvent() {
        return encodingName.equalsIgnoreCase("telephone-event");
    }
}
