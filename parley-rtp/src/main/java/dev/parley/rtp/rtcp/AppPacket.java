package dev.parley.rtp.rtcp;

/**
 * APP (RFC 3550 §6.7): subtype in the count field, SSRC, a 4-character ASCII name, application data.
 *
 * <pre>
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |V=2|P| subtype |   PT=APP=204  |             length            |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                           SSRC/CSRC                           |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                          name (ASCII)                         |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                   application-dependent data                ...
 * </pre>
 */
public final class AppPacket {
    private byte[] array = new byte[0];
    private int offset;
    private int dataLength;
    private int subtype;

    public RtcpStatus wrap(RtcpPacket packet) {
        if (packet.length() == 0) {
            return RtcpStatus.TOO_SHORT;
        }
        if (packet.packetType() != RtcpPacket.APP) {
            return RtcpStatus.WRONG_TYPE;
        }
        int body = packet.length() - packet.paddingLength();
        if (body < 12) {
            return RtcpStatus.TOO_SHORT;
        }
        array = packet.array();
        offset = packet.offset();
        subtype = packet.count();
        dataLength = body - 12;
        return RtcpStatus.OK;
    }

    public int subtype() {
        return subtype;
    }

    public int ssrc() {
        return RtcpPacket.readInt(array, offset + 4);
    }

    /** The name as its 32-bit big-endian value (compare with e.g. {@code 0x51535450} for "QSTP"). */
    public int name() {
        return RtcpPacket.readInt(array, offset + 8);
    }

    public int dataOffset() {
        return offset + 12;
    }

    public int dataLength() {
        return dataLength;
    }
}
