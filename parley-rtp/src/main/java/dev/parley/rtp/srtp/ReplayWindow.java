package dev.parley.rtp.srtp;

/**
 * The replay list of RFC 3711 §3.3.2 for one SSRC: the highest index accepted and a bitmap of the
 * {@value #SIZE} indices below and including it. An index above the highest is fresh; one that falls behind the
 * window cannot be proven fresh and is refused. The same structure guards the sender, where a repeated index
 * would reuse keystream (and, with GCM, the nonce).
 *
 * <p>The window is {@value #SIZE} packets (RFC 3711 asks for at least 64; video bursts reorder more than that).
 * The bitmap is a ring indexed by {@code index mod SIZE}, so moving forward clears only the slots it passes. Its
 * four words are fields rather than an array: a relay touches thousands of windows in turn, each cold in the CPU
 * caches when its next packet comes, and an array is one more object (one more cache miss) per packet.
 */
final class ReplayWindow {
    static final int SIZE = 256;

    private long highest = -1;
    private long bits0;
    private long bits1;
    private long bits2;
    private long bits3;

    /** The highest index accepted, or -1 before the first. */
    long highest() {
        return highest;
    }

    ReplayCheck check(long index) {
        if (index > highest) {
            return ReplayCheck.FRESH;
        }
        if (highest - index >= SIZE) {
            return ReplayCheck.TOO_OLD;
        }
        return isSet(index) ? ReplayCheck.DUPLICATE : ReplayCheck.FRESH;
    }

    /** Records {@code index}, which {@link #check} found fresh, after its packet authenticated. */
    void accept(long index) {
        if (index > highest) {
            long advance = highest < 0 ? SIZE : index - highest;
            if (advance >= SIZE) {
                bits0 = 0;
                bits1 = 0;
                bits2 = 0;
                bits3 = 0;
            } else {
                for (long i = highest + 1; i < index; i++) {
                    clear(i);
                }
            }
            highest = index;
        }
        set(index);
    }

    private boolean isSet(long index) {
        int slot = (int) (index & (SIZE - 1));
        return (word(slot >>> 6) & (1L << (slot & 63))) != 0;
    }

    private void set(long index) {
        int slot = (int) (index & (SIZE - 1));
        word(slot >>> 6, word(slot >>> 6) | 1L << (slot & 63));
    }

    private void clear(long index) {
        int slot = (int) (index & (SIZE - 1));
        word(slot >>> 6, word(slot >>> 6) & ~(1L << (slot & 63)));
    }

    private long word(int i) {
        return switch (i) {
            case 0 -> bits0;
            case 1 -> bits1;
            case 2 -> bits2;
            default -> bits3;
        };
    }

    private void word(int i, long value) {
        switch (i) {
            case 0 -> bits0 = value;
            case 1 -> bits1 = value;
            case 2 -> bits2 = value;
            default -> bits3 = value;
        }
    }
}
