package dev.parley.media.relay;

import dev.parley.mediaapi.PayloadFormat;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Where a browser's video goes in its partner browser's numbering: video between two WebRTC legs is relayed
 * without decoding (issue 5), so a packet keeps its SSRC, sequence number, timestamp and payload, and only its
 * payload type is renumbered. Within the one bundled transport (RFC 8843) a packet is video when its payload type
 * is one of the leg's video formats: the offerer's payload types are unique across its bundled m-lines (RFC 8843
 * §9.1 lets a receiver demultiplex by payload type then), so no {@code sdes:mid} header extension is needed.
 *
 * <p>A video format maps to the partner's format of the same encoding and clock rate, preferring the same payload
 * type (Parley offers the far browser the near one's numbers, so it is the same format there) and, for H.264, the
 * same {@code packetization-mode} (RFC 6184 §8.1: a stream in one mode is not decodable under the other). Immutable.
 */
final class VideoRoute {
    static final int NOT_VIDEO = -2;
    static final int DROP = PayloadRoute.DROP;
    static final VideoRoute NONE = new VideoRoute(new int[0]);

    /** Indexed by input payload type: the output one, {@link #DROP} or {@link #NOT_VIDEO}. */
    private final int[] output;

    private VideoRoute(int[] output) {
        this.output = output;
    }

    static VideoRoute between(List<PayloadFormat> from, List<PayloadFormat> to) {
        if (from.isEmpty()) {
            return NONE;
        }
        int[] output = new int[128];
        Arrays.fill(output, NOT_VIDEO);
        for (PayloadFormat in : from) {
            output[in.payloadType()] = match(in, to);
        }
        return new VideoRoute(output);
    }

    private static int match(PayloadFormat in, List<PayloadFormat> to) {
        int best = DROP;
        for (PayloadFormat out : to) {
            if (!out.sameCodec(in) || !samePacketization(in, out)) {
                continue;
            }
            if (out.payloadType() == in.payloadType()) {
                return out.payloadType();
            }
            if (best == DROP) {
                best = out.payloadType();
            }
        }
        return best;
    }

    /** RFC 6184 §8.1: packetization-mode absent means 0. Other codecs have no such parameter. */
    private static boolean samePacketization(PayloadFormat a, PayloadFormat b) {
        return !a.encodingName().equalsIgnoreCase("H264") || packetizationMode(a) == packetizationMode(b);
    }

    static int packetizationMode(PayloadFormat f) {
        for (String parameter : f.fmtp().split(";")) {
            String[] kv = parameter.trim().split("=", 2);
            if (kv.length == 2 && kv[0].trim().toLowerCase(Locale.ROOT).equals("packetization-mode")) {
                return kv[1].trim().equals("1") ? 1 : kv[1].trim().equals("2") ? 2 : 0;
            }
        }
        return 0;
    }

    /** Whether {@code payloadType} is one of this leg's video formats. */
    boolean isVideo(int payloadType) {
        return payloadType < output.length && output[payloadType] != NOT_VIDEO;
    }

    /** The partner's payload type for a video packet of {@code payloadType}, or {@link #DROP}. */
    int outputType(int payloadType) {
        return isVideo(payloadType) ? output[payloadType] : DROP;
    }
}
