package dev.parley.media.codec;

/**
 * ITU-T G.711 μ-law and A-law: decoding to 16-bit linear, encoding from it, and the direct μ↔A conversion the
 * relay uses when one leg speaks only PCMU and the other only PCMA.
 *
 * <p>The direct tables are computed once from the G.711 quantisation itself: decode the code to its
 * reconstruction value (the middle of its interval), then encode that value with the other law's decision
 * levels. No linear intermediate is kept at run time, so conversion costs one table lookup per sample and, unlike a
 * decode/re-encode through a codec, never drifts.
 */
public final class G711 {
    private static final byte[] ULAW_TO_ALAW = new byte[256];
    private static final byte[] ALAW_TO_ULAW = new byte[256];

    static {
        // Both laws put the sign in bit 7 (set = positive once the line inversion is undone). Converting the
        // magnitude and keeping the sign keeps μ-law's negative zero negative, as G.711's conversion tables do.
        for (int code = 0; code < 256; code++) {
            int sign = code & 0x80;
            ULAW_TO_ALAW[code] = (byte) (encodeAlaw(Math.abs(decodeUlaw(code))) & 0x7F | sign);
            ALAW_TO_ULAW[code] = (byte) (encodeUlaw(Math.abs(decodeAlaw(code))) & 0x7F | sign);
        }
    }

    private G711() {
    }

    /** μ-law code (0..255) to linear 16-bit (G.711 Table 2a, scaled by 4). */
    public static int decodeUlaw(int code) {
        int u = ~code & 0xFF;
        int t = (((u & 0x0F) << 3) + 0x84) << ((u & 0x70) >> 4);
        return (u & 0x80) != 0 ? 0x84 - t : t - 0x84;
    }

    /** A-law code (0..255) to linear 16-bit (G.711 Table 1a, scaled by 8); even bits are inverted on the wire. */
    public static int decodeAlaw(int code) {
        int a = (code ^ 0x55) & 0xFF;
        int t = (a & 0x0F) << 4;
        int segment = (a & 0x70) >> 4;
        if (segment == 0) {
            t += 8;
        } else {
            t = (t + 0x108) << (segment - 1);
        }
        return (a & 0x80) != 0 ? t : -t;
    }

    /** Linear 16-bit to μ-law: bias by 33, find the segment, keep four mantissa bits. */
    public static int encodeUlaw(int pcm) {
        int mask;
        int v = pcm >> 2;
        if (v < 0) {
            v = -v;
            mask = 0x7F;
        } else {
            mask = 0xFF;
        }
        v = Math.min(v, 8159) + (0x84 >> 2);
        int segment = segment(v >> 6);
        if (segment >= 8) {
            return 0x7F ^ mask;
        }
        return ((segment << 4) | ((v >> (segment + 1)) & 0x0F)) ^ mask;
    }

    /** Linear 16-bit to A-law: 13-bit magnitude, segment, four mantissa bits, even bits inverted. */
    public static int encodeAlaw(int pcm) {
        int mask;
        int v = pcm >> 3;
        if (v >= 0) {
            mask = 0xD5;
        } else {
            mask = 0x55;
            v = -v - 1;
        }
        int segment = segment(v >> 5);
        if (segment >= 8) {
            return 0x7F ^ mask;
        }
        int mantissa = segment < 2 ? (v >> 1) & 0x0F : (v >> segment) & 0x0F;
        return ((segment << 4) | mantissa) ^ mask;
    }

    /** Segment number for a magnitude already divided by the first segment's size: 0 → 0, 1 → 1, 2..3 → 2, ... */
    private static int segment(int scaled) {
        return 32 - Integer.numberOfLeadingZeros(scaled);
    }

    /** Decodes μ-law ({@code ulaw}) or A-law samples to 16-bit linear PCM. */
    public static void decode(boolean ulaw, byte[] in, int from, int count, short[] out, int at) {
        for (int i = 0; i < count; i++) {
            int code = in[from + i] & 0xFF;
            out[at + i] = (short) (ulaw ? decodeUlaw(code) : decodeAlaw(code));
        }
    }

    /** Encodes 16-bit linear PCM to μ-law ({@code ulaw}) or A-law samples. */
    public static void encode(boolean ulaw, short[] in, int from, int count, byte[] out, int at) {
        for (int i = 0; i < count; i++) {
            int pcm = in[from + i];
            out[at + i] = (byte) (ulaw ? encodeUlaw(pcm) : encodeAlaw(pcm));
        }
    }

    /** Converts μ-law samples to A-law in place. */
    public static void ulawToAlaw(byte[] b, int from, int to) {
        for (int i = from; i < to; i++) {
            b[i] = ULAW_TO_ALAW[b[i] & 0xFF];
        }
    }

    /** Converts A-law samples to μ-law in place. */
    public static void alawToUlaw(byte[] b, int from, int to) {
        for (int i = from; i < to; i++) {
            b[i] = ALAW_TO_ULAW[b[i] & 0xFF];
        }
    }
}
