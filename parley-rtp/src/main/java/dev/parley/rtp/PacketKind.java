package dev.parley.rtp;

/**
 * What one datagram on a shared media port is, from its first octet (RFC 7983 §7, updating RFC 5764 §5.1.2) and,
 * for RTP/RTCP, its second (RFC 5761 §4). A pure function so the media plane can route before parsing anything:
 *
 * <pre>
 *                  +----------------+
 *                  |        [0..3] -+--&gt; STUN
 *                  |      [16..19] -+--&gt; ZRTP
 *  packet --&gt;      |      [20..63] -+--&gt; DTLS
 *                  |      [64..79] -+--&gt; TURN channel
 *                  |    [128..191] -+--&gt; RTP/RTCP (second octet 192..223: RTCP)
 *                  |          else -+--&gt; drop
 *                  +----------------+
 * </pre>
 */
public enum PacketKind {
    STUN,
    ZRTP,
    DTLS,
    TURN_CHANNEL,
    RTP,
    RTCP,
    /** Empty, or a first octet no protocol on a media port starts with: drop it. */
    UNKNOWN;

    /** The kind of {@code array[offset .. offset + length)}; never throws for a length within the array. */
    public static PacketKind of(byte[] array, int offset, int length) {
        if (length < 1) {
            return UNKNOWN;
        }
        int first = array[offset] & 0xFF;
        if (first <= 3) {
            return STUN;
        }
        if (first >= 16 && first <= 19) {
            return ZRTP;
        }
        if (first >= 20 && first <= 63) {
            return DTLS;
        }
        if (first >= 64 && first <= 79) {
            return TURN_CHANNEL;
        }
        if (first >= 128 && first <= 191) {
            return RtpPacket.isRtcp(array, offset, length) ? RTCP : RTP;
        }
        return UNKNOWN;
    }
}
