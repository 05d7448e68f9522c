package dev.parley.media.codec;

import io.github.jaredmdobson.concentus.OpusDecoder;
import io.github.jaredmdobson.concentus.OpusException;
import io.github.jaredmdobson.concentus.OpusPacketInfo;

/**
 * Decodes one Opus stream (RFC 6716) to 8 kHz mono 16-bit PCM, the rate G.711 needs: Concentus decodes at 48 kHz
 * and a {@link Decimator} low-passes and takes every sixth sample. A stereo packet is downmixed by the decoder.
 *
 * <p>Why not let the decoder render 8 kHz itself, as libopus can: Concentus 1.0.2 renders hybrid packets (SILK +
 * CELT, RFC 6716 §3.1 configurations 12–15, what softphones and browsers send at 24–40 kb/s) as silence at any
 * rate below 48 kHz — measured here: a 1 kHz tone at 32 kb/s comes out with RMS 0 at 8 and 16 kHz, intact at 48.
 * {@code OpusDecodingTest} keeps that finding honest.
 *
 * <p>Not thread-safe: one instance per stream, used by one thread. Malformed packets are answered with
 * {@link #MALFORMED}, never an exception.
 */
public final class OpusDecoding {
    /** The rate PCM comes out at. */
    public static final int SAMPLE_RATE = 8000;
    /** RFC 6716 §3.2.1: one packet carries at most 120 ms. */
    public static final int MAX_SAMPLES = SAMPLE_RATE * 120 / 1000;
    /** The answer for a packet the decoder refused. */
    public static final int MALFORMED = -1;

    private static final int DECODER_RATE = 48000;
    private static final int RATIO = DECODER_RATE / SAMPLE_RATE;

    private final OpusDecoder decoder;
    private final short[] wide = new short[MAX_SAMPLES * RATIO];
    private final Decimator decimator = new Decimator(MAX_SAMPLES * RATIO);

    public OpusDecoding() {
        try {
            decoder = new OpusDecoder(DECODER_RATE, 1);
        } catch (OpusException e) {
            throw new IllegalStateException("Concentus refused a mono 48 kHz decoder", e);
        }
    }

    /**
     * Decodes a packet into {@code pcm[at..]}, which must have room for {@link #MAX_SAMPLES}; returns the number of
     * samples or {@link #MALFORMED}.
     */
    public int decode(byte[] packet, int offset, int length, short[] pcm, int at) {
        if (length <= 0) {
            return MALFORMED;
        }
        return run(packet, offset, length, pcm, at, MAX_SAMPLES, false);
    }

    /**
     * Packet loss concealment (RFC 6716 §4.4): {@code samples} of audio extrapolated from what came before, for a
     * packet that never arrived. {@code samples} must be a multiple of 2.5 ms (20 at 8 kHz).
     */
    public int conceal(short[] pcm, int at, int samples) {
        return run(null, 0, 0, pcm, at, samples, false);
    }

    /**
     * Recovers the packet before {@code packet} from the low-bitrate redundancy (LBRR) the sender put into
     * {@code packet} (RFC 6716 §2.1.7, in-band FEC); when it put none, the decoder conceals instead. Returns
     * {@code samples} or {@link #MALFORMED}.
     */
    public int recover(byte[] packet, int offset, int length, short[] pcm, int at, int samples) {
        if (length <= 0) {
            return conceal(pcm, at, samples);
        }
        return run(packet, offset, length, pcm, at, samples, true);
    }

    /** Forgets the stream (a new SSRC is a new encoder on the other side). */
    public void reset() {
        decoder.resetState();
        decimator.reset();
    }

    /** How many samples at 8 kHz a packet holds, or {@link #MALFORMED}; cheap: it reads the TOC and frame count. */
    public static int samplesIn(byte[] packet, int offset, int length) {
        if (length <= 0) {
            return MALFORMED;
        }
        try {
            int samples = OpusPacketInfo.getNumSamples(packet, offset, length, SAMPLE_RATE);
            return samples > 0 && samples <= MAX_SAMPLES ? samples : MALFORMED;
        } catch (RuntimeException e) {
            return MALFORMED;
        }
    }

    private int run(byte[] packet, int offset, int length, short[] pcm, int at, int samples, boolean fec) {
        if (samples <= 0 || samples > MAX_SAMPLES) {
            return MALFORMED;
        }
        int decoded;
        try {
            decoded = decoder.decode(packet, offset, length, wide, 0, samples * RATIO, fec);
        } catch (OpusException | RuntimeException e) {
            // Concentus reports a corrupt packet with OpusException or IllegalArgumentException, and a port of C
            // may still index out of bounds on hostile input: every one of them means "not decodable".
            return MALFORMED;
        }
        if (decoded <= 0 || decoded % Decimator.FACTOR != 0) {
            return MALFORMED;
        }
        return decimator.process(wide, 0, decoded, pcm, at);
    }
}
