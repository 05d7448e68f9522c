package dev.parley.rtp.srtp;

/**
 * The packet index estimate of RFC 3711 §3.3.1 and Appendix A: from the highest index accepted so far
 * ({@code ROC * 2^16 + s_l}) and a 16-bit sequence number, the 48-bit index the sender most likely used.
 */
final class RolloverCounter {
    /** RFC 3711 §3.3.1: the index is 48 bits (a 32-bit ROC and the 16-bit SEQ). */
    static final long MAX_INDEX = (1L << 48) - 1;

    private RolloverCounter() {
    }

    /**
     * The estimated index of {@code seq}, given the highest accepted index ({@code -1}: none yet, and then the
     * stream starts with ROC 0 as RFC 3711 §3.3.1 says). Negative when the estimate is ROC - 1 with ROC 0, i.e.
     * the packet is older than the stream.
     */
    static long estimate(long highest, int seq) {
        if (highest < 0) {
            return seq;
        }
        long roc = highest >>> 16;
        int sl = (int) (highest & 0xFFFF);
        long v;
        // RFC 3711 Appendix A: pick the ROC that puts SEQ closest to s_l
        if (sl < 32768) {
            v = seq - sl > 32768 ? roc - 1 : roc;
        } else {
            v = sl - 32768 > seq ? roc + 1 : roc;
        }
        return v < 0 ? -1 : (v << 16) | seq;
    }
}
