package dev.parley.sdp.offeranswer;

import dev.parley.common.Ascii;
import dev.parley.sdp.MediaDescription;
import dev.parley.sdp.attribute.Fmtp;
import dev.parley.sdp.attribute.RtpMap;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One RTP payload format as negotiated: the payload type number and what it means. Maps one to one to
 * {@code dev.parley.mediaapi.PayloadFormat(payloadType, encodingName, clockRate, channels, fmtp)}.
 *
 * @param fmtp the format parameters ({@code a=fmtp} without the payload type), or empty
 */
public record Codec(int payloadType, String encodingName, int clockRate, int channels, String fmtp) {
    public Codec {
        if (payloadType < 0 || payloadType > 127 || clockRate <= 0 || channels <= 0) {
            throw new IllegalArgumentException("payload type 0..127, positive clock rate and channels");
        }
        Objects.requireNonNull(encodingName, "encodingName");
        Objects.requireNonNull(fmtp, "fmtp");
    }

    public static Codec of(int payloadType, String encodingName, int clockRate) {
        return new Codec(payloadType, encodingName, clockRate, 1, "");
    }

    /**
     * The codecs of a media description in its order of preference: each payload type's rtpmap (or RFC 3551
     * static meaning) and fmtp. Payload types that mean nothing (a dynamic type without rtpmap) are skipped.
     */
    public static List<Codec> listOf(MediaDescription m) {
        List<Codec> out = new ArrayList<>();
        for (int pt : m.payloadTypes()) {
            of(m, pt).ifPresent(out::add);
        }
        return out;
    }

    /** The codec one payload type of a media description means, if it means one. */
    public static Optional<Codec> of(MediaDescription m, int payloadType) {
        return m.rtpMap(payloadType).map(r -> new Codec(payloadType, r.encodingName(), r.clockRate(), r.channels(),
                m.fmtp(payloadType).map(Fmtp::parameters).orElse("")));
    }

    /** Same codec regardless of number and fmtp: name (ASCII case-insensitive), clock rate, channels. */
    public boolean sameCodec(Codec other) {
        return clockRate == other.clockRate && channels == other.channels
                && Ascii.equalsIgnoreCase(encodingName, other.encodingName);
    }

    /** RFC 4733 named telephone events (DTMF). */
    public boolean isTelephoneEvent() {
        return Ascii.equalsIgnoreCase(encodingName, "telephone-event");
    }

    /** The same codec under another payload type number. */
    public Codec withPayloadType(int pt) {
        return new Codec(pt, encodingName, clockRate, channels, fmtp);
    }

    public RtpMap rtpMap() {
        return RtpMap.of(payloadType, encodingName, clockRate, channels);
    }

    public Optional<Fmtp> fmtpAttribute() {
        return fmtp.isEmpty() ? Optional.empty() : Optional.of(new Fmtp(Integer.toString(payloadType), fmtp));
    }
}
