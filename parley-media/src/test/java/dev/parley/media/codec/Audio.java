package dev.parley.media.codec;

import io.github.jaredmdobson.concentus.OpusApplication;
import io.github.jaredmdobson.concentus.OpusDecoder;
import io.github.jaredmdobson.concentus.OpusEncoder;
import io.github.jaredmdobson.concentus.OpusException;
import java.util.Arrays;

/**
 * Test audio: tones, measurements (Goertzel power, RMS level, onset), and Opus as a peer would run it (Concentus
 * at 48 kHz, the way a softphone or browser encodes), independent of the code under test.
 */
public final class Audio {
    private Audio() {
    }

    /** {@code seconds} of a sine at {@code hz}, {@code amplitude} of full scale, after {@code silence} seconds. */
    public static short[] tone(int rate, double hz, double amplitude, double silence, double seconds) {
        int start = (int) Math.round(silence * rate);
        short[] pcm = new short[start + (int) Math.round(seconds * rate)];
        for (int i = start; i < pcm.length; i++) {
            pcm[i] = (short) Math.round(amplitude * 32767 * Math.sin(2 * Math.PI * hz * (i - start) / rate));
        }
        return pcm;
    }

    /** Interleaves a mono signal into two identical channels. */
    public static short[] stereo(short[] mono) {
        short[] both = new short[mono.length * 2];
        for (int i = 0; i < mono.length; i++) {
            both[2 * i] = mono[i];
            both[2 * i + 1] = mono[i];
        }
        return both;
    }

    /** Goertzel: the power of {@code hz} in {@code pcm[from..to)}, normalised so a full-scale sine gives about 0.25. */
    public static double power(short[] pcm, int from, int to, int rate, double hz) {
        double coefficient = 2 * Math.cos(2 * Math.PI * hz / rate);
        double s1 = 0;
        double s2 = 0;
        for (int i = from; i < to; i++) {
            double s = pcm[i] / 32768.0 + coefficient * s1 - s2;
            s2 = s1;
            s1 = s;
        }
        double n = to - from;
        return (s1 * s1 + s2 * s2 - coefficient * s1 * s2) / (n * n);
    }

    /** The frequency among {@code candidates} with the most power. */
    public static double dominant(short[] pcm, int from, int to, int rate, double... candidates) {
        double best = candidates[0];
        double bestPower = -1;
        for (double hz : candidates) {
            double p = power(pcm, from, to, rate, hz);
            if (p > bestPower) {
                bestPower = p;
                best = hz;
            }
        }
        return best;
    }

    public static double rms(short[] pcm, int from, int to) {
        double sum = 0;
        for (int i = from; i < to; i++) {
            sum += (double) pcm[i] * pcm[i];
        }
        return Math.sqrt(sum / Math.max(1, to - from));
    }

    public static double decibels(double ratio) {
        return 20 * Math.log10(ratio);
    }

    /** The first sample where a 1 ms moving RMS reaches half of {@code steadyRms}, or -1. */
    public static int onset(short[] pcm, int rate, double steadyRms) {
        int window = rate / 1000;
        for (int i = 0; i + window <= pcm.length; i++) {
            if (rms(pcm, i, i + window) >= steadyRms / 2) {
                return i;
            }
        }
        return -1;
    }

    /**
     * Signal-to-residual ratio in dB of a tone at {@code hz} in {@code pcm[from..to)}: the tone's power (Goertzel)
     * against everything else (total power minus the tone's).
     */
    public static double toneToRest(short[] pcm, int from, int to, int rate, double hz) {
        double total = 0;
        for (int i = from; i < to; i++) {
            double x = pcm[i] / 32768.0;
            total += x * x;
        }
        total /= to - from;
        // A sine of amplitude A has mean power A²/2 and a Goertzel power of A²/4 with this normalisation.
        double tone = 2 * power(pcm, from, to, rate, hz);
        return 10 * Math.log10(tone / Math.max(1e-12, total - tone));
    }

    /** A peer's Opus encoder: 48 kHz, 20 ms frames, as a softphone sends. */
    public static OpusEncoder peerEncoder(int channels, boolean fec) {
        try {
            OpusEncoder encoder = new OpusEncoder(48000, channels, OpusApplication.OPUS_APPLICATION_VOIP);
            encoder.setBitrate(32000);
            encoder.setUseInbandFEC(fec);
            encoder.setPacketLossPercent(fec ? 10 : 0);
            return encoder;
        } catch (OpusException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Encodes {@code pcm} (interleaved, 48 kHz) into 20 ms Opus packets. */
    public static byte[][] encode48k(OpusEncoder encoder, short[] pcm, int channels) {
        int frame = 960;
        int count = pcm.length / channels / frame;
        byte[][] packets = new byte[count][];
        byte[] out = new byte[1275];
        for (int f = 0; f < count; f++) {
            try {
                int n = encoder.encode(pcm, f * frame * channels, frame, out, 0, out.length);
                packets[f] = Arrays.copyOf(out, n);
            } catch (OpusException e) {
                throw new IllegalStateException(e);
            }
        }
        return packets;
    }

    /** A peer's Opus decoder at 48 kHz mono. */
    public static OpusDecoder peerDecoder() {
        try {
            return new OpusDecoder(48000, 1);
        } catch (OpusException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Decodes packets one after another at 48 kHz mono. */
    public static short[] decode48k(OpusDecoder decoder, Iterable<byte[]> packets) {
        short[] all = new short[0];
        short[] frame = new short[5760];
        for (byte[] p : packets) {
            try {
                int n = decoder.decode(p, 0, p.length, frame, 0, frame.length, false);
                int was = all.length;
                all = Arrays.copyOf(all, was + n);
                System.arraycopy(frame, 0, all, was, n);
            } catch (OpusException e) {
                throw new IllegalStateException(e);
            }
        }
        return all;
    }
}
