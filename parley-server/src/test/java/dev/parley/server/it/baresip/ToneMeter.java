package dev.parley.server.it.baresip;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Measures how much of a recording is a given pure tone: the 16-bit mono PCM of a WAV file cut into 50 ms frames,
 * each frame's energy at a frequency found with the Goertzel filter and divided by the frame's total energy.
 *
 * <p>For a frame of {@code N} samples holding only a sine at the filter's frequency, Goertzel's power is
 * {@code (A·N/2)²} and the energy {@code A²·N/2}, so {@code power / (N/2 · energy)} is 1; a sine at another
 * frequency that falls on a whole bin gives 0. At 8 kHz a frame of 400 samples puts 440 Hz and 1000 Hz exactly on
 * bins 22 and 50, so the two test tones do not leak into each other.
 */
final class ToneMeter {
    static final int FRAME = 400;
    /** A frame quieter than this RMS (in 16-bit units, about −30 dBFS) is silence: no audio arrived. */
    private static final double SILENCE_RMS = 1000;

    /** How a recording splits up: frames that are {@code tone}, frames that are another sound, silent frames. */
    record Result(double seconds, int toneFrames, int otherFrames, int silentFrames) {
        double toneSeconds() {
            return toneFrames * (double) FRAME / 8000;
        }
    }

    private ToneMeter() {
    }

    /**
     * Counts the frames of {@code wav} (8 kHz, mono, 16-bit) where {@code tone} carries at least 80 % of the energy
     * and {@code rival} (the tone that must not be there) less than 5 %.
     */
    static Result measure(Path wav, double tone, double rival) throws IOException {
        short[] samples = pcm16Mono8k(wav);
        int toneFrames = 0;
        int otherFrames = 0;
        int silentFrames = 0;
        for (int start = 0; start + FRAME <= samples.length; start += FRAME) {
            double energy = 0;
            for (int i = start; i < start + FRAME; i++) {
                energy += (double) samples[i] * samples[i];
            }
            if (Math.sqrt(energy / FRAME) < SILENCE_RMS) {
                silentFrames++;
            } else if (share(samples, start, tone, energy) >= 0.8 && share(samples, start, rival, energy) < 0.05) {
                toneFrames++;
            } else {
                otherFrames++;
            }
        }
        return new Result(samples.length / 8000.0, toneFrames, otherFrames, silentFrames);
    }

    /** The RMS level (16-bit units) of the frames that are not silent, and how many seconds they cover. */
    static double[] level(Path wav) throws IOException {
        short[] samples = pcm16Mono8k(wav);
        double sum = 0;
        int frames = 0;
        for (int start = 0; start + FRAME <= samples.length; start += FRAME) {
            double energy = 0;
            for (int i = start; i < start + FRAME; i++) {
                energy += (double) samples[i] * samples[i];
            }
            if (Math.sqrt(energy / FRAME) >= SILENCE_RMS) {
                sum += energy;
                frames++;
            }
        }
        return new double[] {frames == 0 ? 0 : Math.sqrt(sum / (frames * (double) FRAME)),
                frames * (double) FRAME / 8000};
    }

    /** The share of a frame's energy at {@code frequency}. */
    private static double share(short[] x, int start, double frequency, double energy) {
        double coeff = 2 * Math.cos(2 * Math.PI * frequency / 8000);
        double s1 = 0;
        double s2 = 0;
        for (int i = start; i < start + FRAME; i++) {
            double s0 = x[i] + coeff * s1 - s2;
            s2 = s1;
            s1 = s0;
        }
        double power = s1 * s1 + s2 * s2 - coeff * s1 * s2;
        return power / (FRAME / 2.0 * energy);
    }

    /**
     * The samples of a canonical PCM WAV file. A {@code data} chunk whose size was never filled in (a writer killed
     * before closing) counts as running to the end of the file.
     */
    static short[] pcm16Mono8k(Path wav) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(wav)).order(ByteOrder.LITTLE_ENDIAN);
        if (b.remaining() < 12 || b.getInt(0) != 0x46464952 || b.getInt(8) != 0x45564157) { // "RIFF" ... "WAVE"
            throw new IOException(wav + " is not a WAV file");
        }
        int pos = 12;
        boolean formatChecked = false;
        while (pos + 8 <= b.limit()) {
            int id = b.getInt(pos);
            long size = Integer.toUnsignedLong(b.getInt(pos + 4));
            int body = pos + 8;
            if (id == 0x20746d66) { // "fmt "
                int format = b.getShort(body) & 0xffff;
                int channels = b.getShort(body + 2);
                int rate = b.getInt(body + 4);
                int bits = b.getShort(body + 14);
                if (format != 1 || channels != 1 || rate != 8000 || bits != 16) {
                    throw new IOException(wav + ": expected 16-bit PCM, mono, 8000 Hz; found format " + format
                            + ", " + channels + " channel(s), " + rate + " Hz, " + bits + " bits");
                }
                formatChecked = true;
            } else if (id == 0x61746164) { // "data"
                if (!formatChecked) {
                    throw new IOException(wav + ": data before fmt");
                }
                int end = size == 0 || body + size > b.limit() ? b.limit() : (int) (body + size);
                short[] out = new short[(end - body) / 2];
                for (int i = 0; i < out.length; i++) {
                    out[i] = b.getShort(body + 2 * i);
                }
                return out;
            }
            pos = body + (int) size + (int) (size & 1);
        }
        throw new IOException(wav + " has no data chunk");
    }
}
