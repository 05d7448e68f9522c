package dev.parley.sdp;

import dev.parley.sdp.attribute.RtpMap;
import java.util.Map;
import java.util.Optional;

/**
 * The static RTP payload types of RFC 3551 §6 (Tables 4 and 5), which mean their codec without an {@code a=rtpmap}
 * (RFC 8866 §6.6: rtpmap "may be omitted" for them). Types 1, 2 and 19 are reserved and have no meaning.
 */
public final class StaticPayloadTypes {
    private StaticPayloadTypes() {
    }

    private static final Map<Integer, RtpMap> TABLE = Map.ofEntries(
            entry(0, "PCMU", 8000, 1), entry(3, "GSM", 8000, 1), entry(4, "G723", 8000, 1),
            entry(5, "DVI4", 8000, 1), entry(6, "DVI4", 16000, 1), entry(7, "LPC", 8000, 1),
            entry(8, "PCMA", 8000, 1),
            // RFC 3551 §4.5.2: G.722's RTP clock rate is 8000 although it samples at 16 kHz.
            entry(9, "G722", 8000, 1),
            entry(10, "L16", 44100, 2), entry(11, "L16", 44100, 1), entry(12, "QCELP", 8000, 1),
            entry(13, "CN", 8000, 1), entry(14, "MPA", 90000, 1), entry(15, "G728", 8000, 1),
            entry(16, "DVI4", 11025, 1), entry(17, "DVI4", 22050, 1), entry(18, "G729", 8000, 1),
            entry(25, "CelB", 90000, 1), entry(26, "JPEG", 90000, 1), entry(28, "nv", 90000, 1),
            entry(31, "H261", 90000, 1), entry(32, "MPV", 90000, 1), entry(33, "MP2T", 90000, 1),
            entry(34, "H263", 90000, 1));

    private static Map.Entry<Integer, RtpMap> entry(int pt, String name, int rate, int channels) {
        return Map.entry(pt, RtpMap.of(pt, name, rate, channels));
    }

    /** The codec a static payload type means, if it is one. */
    public static Optional<RtpMap> lookup(int payloadType) {
        return Optional.ofNullable(TABLE.get(payloadType));
    }

    /** The static payload type for a codec, if RFC 3551 assigns one. */
    public static Optional<Integer> payloadTypeOf(String encodingName, int clockRate, int channels) {
        return TABLE.values().stream()
                .filter(r -> r.clockRate() == clockRate && r.channels() == channels
                        && dev.parley.common.Ascii.equalsIgnoreCase(r.encodingName(), encodingName))
                .map(RtpMap::payloadType).findFirst();
    }
}
