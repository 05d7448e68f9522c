package dev.parley.media.codec;

import java.util.Locale;

/**
 * What a leg's Opus {@code a=fmtp} (RFC 7587 §6.1) asks of the stream Parley encodes for it. Only the parameters
 * that change what Parley sends are kept; the rest are accepted and ignored:
 *
 * <table>
 *   <caption>RFC 7587 §6.1 parameters and what Parley does with them</caption>
 *   <tr><th>parameter</th><th>effect here</th></tr>
 *   <tr><td>{@code maxaveragebitrate}</td><td>caps the encoder's bitrate (6000..510000; other values ignored)</td></tr>
 *   <tr><td>{@code cbr=1}</td><td>constant bitrate</td></tr>
 *   <tr><td>{@code stereo}, {@code sprop-stereo}</td><td>none: Parley sends mono, which a receiver that merely
 *       prefers stereo still plays (§6.1: {@code stereo} states a preference), and decodes any packet to mono</td></tr>
 *   <tr><td>{@code useinbandfec}, {@code usedtx}</td><td>none: Parley sends neither FEC nor DTX (the audio comes
 *       from a G.711 leg whose own losses FEC cannot recover, and DTX would starve the peer's jitter buffer of
 *       timing)</td></tr>
 *   <tr><td>{@code maxplaybackrate}, {@code ptime}, {@code maxptime}</td><td>none: the audio is narrowband from
 *       G.711 and Parley sends 20 ms frames, within every allowed value</td></tr>
 * </table>
 *
 * @param maxAverageBitrate the receiver's cap in bits per second, or 0 for none
 * @param constantBitrate   whether the receiver asked for CBR
 */
public record OpusFormat(int maxAverageBitrate, boolean constantBitrate) {
    /** An fmtp with nothing to say: no cap, variable bitrate. */
    public static final OpusFormat DEFAULT = new OpusFormat(0, false);

    /** Reads an fmtp value such as {@code "minptime=10;useinbandfec=1;maxaveragebitrate=20000"}; never throws. */
    public static OpusFormat parse(String fmtp) {
        int maxAverageBitrate = 0;
        boolean cbr = false;
        for (String part : fmtp.split(";")) {
            int eq = part.indexOf('=');
            if (eq < 0) {
                continue;
            }
            String name = part.substring(0, eq).trim().toLowerCase(Locale.ROOT);
            String value = part.substring(eq + 1).trim();
            switch (name) {
                case "maxaveragebitrate" -> {
                    int bitrate = parseInt(value);
                    // RFC 7587 §6.1: "an integer value in the range 6000..510000"; anything else says nothing.
                    if (bitrate >= 6000 && bitrate <= 510_000) {
                        maxAverageBitrate = bitrate;
                    }
                }
                case "cbr" -> cbr = value.equals("1");
                default -> { }
            }
        }
        return new OpusFormat(maxAverageBitrate, cbr);
    }

    /** The bitrate to encode at: {@code preferred}, lowered to the receiver's cap when it set one. */
    public int bitrate(int preferred) {
        return maxAverageBitrate == 0 ? preferred : Math.min(preferred, maxAverageBitrate);
    }

    private static int parseInt(String value) {
        try {
            return Integer.parseInt(value);
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
