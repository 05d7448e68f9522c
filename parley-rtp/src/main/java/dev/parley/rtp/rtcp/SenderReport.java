package dev.parley.rtp.rtcp;

/**
 * A sender report (RFC 3550 §6.4.1): header, sender SSRC, sender info, then {@link #reportCount()} report blocks.
 *
 * <pre>
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |V=2|P|    RC   |   PT=SR=200   |             length            |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                         SSRC of sender                        |
 * +=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+
 * |              NTP timestamp, most significant word             |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |             NTP timestamp, least significant word             |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                         RTP timestamp                         |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                     sender's packet count                     |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                      sender's octet count                     |
 * +=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+
 * |                  report blocks (see ReportBlocks)             |
 * </pre>
 */
public final class SenderReport extends ReportBlocks {
    static final int FIXED_LENGTH = 28;

    public RtcpStatus wrap(RtcpPacket packet) {
        return wrapReport(packet, RtcpPacket.SR, FIXED_LENGTH);
    }

    /** The 64-bit NTP timestamp (seconds since 1900 in the high word, fraction in the low word). */
    public long ntpTimestamp() {
        return (long) RtcpPacket.readInt(array, offset + 8) << 32 | (RtcpPacket.readInt(array, offset + 12) & 0xFFFFFFFFL);
    }

    /** The middle 32 bits of the NTP timestamp: what a receiver echoes as LSR. */
    public int compactNtp() {
        return (int) (ntpTimestamp() >>> 16);
    }

    public int rtpTimestamp() {
        return RtcpPacket.readInt(array, offset + 16);
    }

    public long packetCount() {
        return RtcpPacket.readInt(array, offset + 20) & 0xFFFFFFFFL;
    }

    public long octetCount() {
        return RtcpPacket.readInt(array, offset + 24) & 0xFFFFFFFFL;
    }
}
