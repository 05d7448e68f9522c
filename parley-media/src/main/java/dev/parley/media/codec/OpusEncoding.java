package dev.parley.media.codec;

import io.github.jaredmdobson.concentus.OpusApplication;
import io.github.jaredmdobson.concentus.OpusEncoder;
import io.github.jaredmdobson.concentus.OpusException;
import io.github.jaredmdobson.concentus.OpusSignal;

/**
 * Encodes 8 kHz mono 16-bit PCM (what a G.711 leg carries) into Opus (RFC 6716), one 20 ms frame per packet.
 *
 * <table>
 *   <caption>Encoder settings and why</caption>
 *   <tr><td>application</td><td>VOIP: speech-tuned, SILK for narrowband input</td></tr>
 *   <tr><td>input rate</td><td>8 kHz: the encoder band-limits to narrowband itself; up-sampling first would only
 *       spend bits on a band that holds nothing</td></tr>
 *   <tr><td>bitrate</td><td>{@value #PREFERRED_BITRATE} b/s, or the receiver's {@code maxaveragebitrate} when
 *       lower: SILK narrowband is transparent for G.711 speech well below this</td></tr>
 *   <tr><td>in-band FEC, DTX</td><td>off (see {@link OpusFormat})</td></tr>
 *   <tr><td>complexity</td><td>{@value #COMPLEXITY} of 10: the media plane runs many streams per core</td></tr>
 * </table>
 *
 * <p>Not thread-safe: one instance per stream, used by one thread.
 */
public final class OpusEncoding {
    /** 20 ms at 8 kHz. */
    public static final int FRAME_SAMPLES = 160;
    /** RFC 6716 §3.2.1: no frame is longer than 1275 octets (a 20 ms packet holds one frame). */
    public static final int MAX_PACKET = 1275;
    /** The answer for a frame the encoder refused. */
    public static final int FAILED = -1;
    static final int PREFERRED_BITRATE = 24_000;
    static final int COMPLEXITY = 5;

    private final OpusEncoder encoder;

    public OpusEncoding(OpusFormat format) {
        try {
            encoder = new OpusEncoder(OpusDecoding.SAMPLE_RATE, 1, OpusApplication.OPUS_APPLICATION_VOIP);
        } catch (OpusException e) {
            throw new IllegalStateException("Concentus refused a mono 8 kHz VOIP encoder", e);
        }
        encoder.setBitrate(format.bitrate(PREFERRED_BITRATE));
        encoder.setUseVBR(!format.constantBitrate());
        encoder.setUseInbandFEC(false);
        encoder.setUseDTX(false);
        encoder.setComplexity(COMPLEXITY);
        encoder.setSignalType(OpusSignal.OPUS_SIGNAL_VOICE);
    }

    /**
     * Encodes {@link #FRAME_SAMPLES} samples from {@code pcm[from..]} into {@code out[at..]}, which must have room
     * for {@link #MAX_PACKET} octets; returns the packet's length or {@link #FAILED}.
     */
    public int encode(short[] pcm, int from, byte[] out, int at) {
        try {
            int length = encoder.encode(pcm, from, FRAME_SAMPLES, out, at, MAX_PACKET);
            return length > 0 ? length : FAILED;
        } catch (OpusException | RuntimeException e) {
            return FAILED;
        }
    }

    /** The encoder's bitrate in bits per second. */
    public int bitrate() {
        return encoder.getBitrate();
    }

    /** The encoder's algorithmic delay in samples (at 8 kHz). */
    public int lookahead() {
        return encoder.getLookahead();
    }
}
