package dev.parley.media.codec;

import java.util.Arrays;

/**
 * 48 kHz → 8 kHz for one stream: a linear-phase low-pass FIR (Kaiser window, β = {@value #BETA}) evaluated only at
 * every sixth input sample (polyphase in effect), so nothing above the new Nyquist frequency folds back into the
 * telephone band. Dropping five samples of six would alias 4–24 kHz onto 0–4 kHz.
 *
 * <table>
 *   <caption>Filter</caption>
 *   <tr><td>passband</td><td>0–3.5 kHz (G.711's channel is 300–3400 Hz), ripple well under 0.1 dB</td></tr>
 *   <tr><td>stopband</td><td>from 4.5 kHz, about 70 dB down (Kaiser's estimate for this length and β); 4–4.5 kHz
 *       folds to 3.5–4 kHz, above the telephone band</td></tr>
 *   <tr><td>length, delay</td><td>{@value #TAPS} taps: 2.1 ms group delay at 48 kHz</td></tr>
 *   <tr><td>cost</td><td>103 multiplies and {@value #TAPS} additions per output sample (the taps are symmetric),
 *       160 outputs per 20 ms: about 10 µs of CPU per 20 ms measured here (25 µs as a plain loop)</td></tr>
 * </table>
 *
 * <p>Input must come in multiples of {@value #FACTOR} samples (Opus frames are multiples of 2.5 ms, 120 samples);
 * state carries across calls so consecutive frames filter as one signal. Not thread-safe.
 */
final class Decimator {
    static final int FACTOR = 6;
    static final int TAPS = 205;
    static final double BETA = 6.76;
    /** The centre tap; taps before it mirror those after it. */
    private static final int HALF = (TAPS - 1) / 2;
    private static final double CUTOFF_HZ = 4000;
    private static final float[] COEFFICIENTS = design();

    private final float[] line;
    private final int capacity;

    /** A decimator for calls of at most {@code maxInput} samples. */
    Decimator(int maxInput) {
        this.capacity = maxInput;
        this.line = new float[TAPS - 1 + maxInput];
    }

    /** Filters {@code count} samples of {@code in[from..]} and writes {@code count / 6} to {@code out[at..]}. */
    int process(short[] in, int from, int count, short[] out, int at) {
        if (count % FACTOR != 0 || count > capacity) {
            throw new IllegalArgumentException("48 kHz input must be a multiple of 6 samples, at most " + capacity);
        }
        int keep = TAPS - 1;
        for (int i = 0; i < count; i++) {
            line[keep + i] = in[from + i];
        }
        int outputs = count / FACTOR;
        for (int j = 0; j < outputs; j++) {
            // The filter's output at the first of each six new samples: the taps over line[6j .. 6j + TAPS). The
            // taps are symmetric, so sample pairs share a multiply; four partial sums let the additions overlap
            // (the JIT may not reorder float additions itself).
            int start = j * FACTOR;
            int last = start + TAPS - 1;
            float s0 = COEFFICIENTS[HALF] * line[start + HALF];
            float s1 = 0;
            float s2 = 0;
            float s3 = 0;
            int t = 0;
            for (; t + 3 < HALF; t += 4) {
                s0 += COEFFICIENTS[t] * (line[start + t] + line[last - t]);
                s1 += COEFFICIENTS[t + 1] * (line[start + t + 1] + line[last - t - 1]);
                s2 += COEFFICIENTS[t + 2] * (line[start + t + 2] + line[last - t - 2]);
                s3 += COEFFICIENTS[t + 3] * (line[start + t + 3] + line[last - t - 3]);
            }
            for (; t < HALF; t++) {
                s0 += COEFFICIENTS[t] * (line[start + t] + line[last - t]);
            }
            int v = Math.round((s0 + s1) + (s2 + s3));
            out[at + j] = (short) Math.max(Short.MIN_VALUE, Math.min(Short.MAX_VALUE, v));
        }
        System.arraycopy(line, count, line, 0, keep);
        return outputs;
    }

    /** Forgets the past signal. */
    void reset() {
        Arrays.fill(line, 0f);
    }

    /** Windowed sinc: h[n] = 2fc/fs · sinc(2fc/fs · (n − M/2)) · w_Kaiser[n], normalised to unit gain at DC. */
    private static float[] design() {
        double[] h = new double[TAPS];
        double fc = CUTOFF_HZ / 48000;
        int m = TAPS - 1;
        double sum = 0;
        for (int n = 0; n < TAPS; n++) {
            double x = n - m / 2.0;
            double sinc = x == 0 ? 2 * fc : Math.sin(2 * Math.PI * fc * x) / (Math.PI * x);
            double r = 2.0 * n / m - 1;
            double window = besselI0(BETA * Math.sqrt(1 - r * r)) / besselI0(BETA);
            h[n] = sinc * window;
            sum += h[n];
        }
        float[] taps = new float[TAPS];
        for (int n = 0; n < TAPS; n++) {
            taps[n] = (float) (h[n] / sum);
        }
        return taps;
    }

    /** The modified Bessel function of the first kind, order 0, by its power series. */
    private static double besselI0(double x) {
        double sum = 1;
        double term = 1;
        for (int k = 1; k < 50; k++) {
            term *= (x / (2 * k)) * (x / (2 * k));
            sum += term;
        }
        return sum;
    }
}
