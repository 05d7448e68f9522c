package dev.parley.rtp.rtcp;

/**
 * The reception report blocks shared by SR and RR (RFC 3550 §6.4.1):
 *
 * <pre>
 * +=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+
 * |                 SSRC_1 (SSRC of first source)                 |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * | fraction lost |       cumulative number of packets lost       |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |           extended highest sequence number received           |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                      interarrival jitter                      |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                         last SR (LSR)                         |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                   delay since last SR (DLSR)                  |
 * +=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+
 * </pre>
 */
abstract sealed class ReportBlocks permits SenderReport, ReceiverReport {
    static final int BLOCK_LENGTH = 24;

    byte[] array = new byte[0];
    int offset;
    int blocksAt;
    int count;
    int packetLength;

    RtcpStatus wrapReport(RtcpPacket packet, int type, int fixedLength) {
        count = 0;
        if (packet.length() == 0) {
            return RtcpStatus.TOO_SHORT;
        }
        if (packet.packetType() != type) {
            return RtcpStatus.WRONG_TYPE;
        }
        int body = packet.length() - packet.paddingLength();
        if (body < fixedLength) {
            return RtcpStatus.TOO_SHORT;
        }
        int reports = packet.count();
        if (fixedLength + reports * BLOCK_LENGTH > body) {
            return RtcpStatus.BAD_COUNT;
        }
        array = packet.array();
        offset = packet.offset();
        blocksAt = offset + fixedLength;
        count = reports;
        packetLength = packet.length();
        return RtcpStatus.OK;
    }

    /** The reporter's SSRC. */
    public int ssrc() {
        return RtcpPacket.readInt(array, offset + 4);
    }

    /** The number of report blocks (RC). */
    public int reportCount() {
        return count;
    }

    public int reportSsrc(int block) {
        return RtcpPacket.readInt(array, at(block));
    }

    /** Fraction lost since the previous report, in 1/256 units (0..255). */
    public int fractionLost(int block) {
        return array[at(block) + 4] & 0xFF;
    }

    /** Cumulative packets lost: a signed 24-bit value (duplicates can make it negative). */
    public int cumulativeLost(int block) {
        return RtcpPacket.readInt(array, at(block) + 4) << 8 >> 8;
    }

    public int extendedHighestSequence(int block) {
        return RtcpPacket.readInt(array, at(block) + 8);
    }

    public int jitter(int block) {
        return RtcpPacket.readInt(array, at(block) + 12);
    }

    /** The middle 32 bits of the NTP timestamp of the last SR received from the source, 0 if none. */
    public int lastSenderReport(int block) {
        return RtcpPacket.readInt(array, at(block) + 16);
    }

    /** Delay since that SR, in 1/65536 s. */
    public int delaySinceLastSenderReport(int block) {
        return RtcpPacket.readInt(array, at(block) + 20);
    }

    /** Octets after the report blocks and before padding: the profile-specific extension (RFC 3550 §6.4.1). */
    public int extensionLength() {
        return packetLength - (blocksAt - offset) - count * BLOCK_LENGTH - paddingLength();
    }

    private int paddingLength() {
        return (array[offset] & 0x20) != 0 ? array[offset + packetLength - 1] & 0xFF : 0;
    }

    private int at(int block) {
        if (block < 0 || block >= count) {
            throw new IndexOutOfBoundsException("report block " + block + " of " + count);
        }
        return blocksAt + block * BLOCK_LENGTH;
    }
}
