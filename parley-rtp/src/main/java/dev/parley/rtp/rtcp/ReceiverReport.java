package dev.parley.rtp.rtcp;

/**
 * A receiver report (RFC 3550 §6.4.2): header with RC, the reporter's SSRC, then {@link #reportCount()} report
 * blocks ({@link ReportBlocks}).
 *
 * <pre>
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |V=2|P|    RC   |   PT=RR=201   |             length            |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                     SSRC of packet sender                     |
 * +=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+
 * |                  report blocks (see ReportBlocks)             |
 * </pre>
 */
public final class ReceiverReport extends ReportBlocks {
    static final int FIXED_LENGTH = 8;

    public RtcpStatus wrap(RtcpPacket packet) {
        return wrapReport(packet, RtcpPacket.RR, FIXED_LENGTH);
    }
}
