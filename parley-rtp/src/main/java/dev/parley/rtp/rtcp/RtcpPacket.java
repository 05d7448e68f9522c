package dev.parley.rtp.rtcp;

/**
 * A reusable view of the common header of one RTCP packet inside a compound packet (RFC 3550 §6.4.1):
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |V=2|P|  count  |      PT       |             length            |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                  SSRC of sender (most types)                  |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 *
 * "count" is RC (SR, RR), SC (SDES, BYE), the subtype (APP) or FMT (RFC 4585 feedback); "length" is the packet's
 * length in 32-bit words minus one. Typed views ({@link SenderReport}, {@link ReceiverReport},
 * {@link SourceDescription}, {@link Goodbye}, {@link AppPacket}, {@link FeedbackPacket}) read the body.
 */
public final class RtcpPacket {
    public static final int SR = 200;
    public static final int RR = 201;
    public static final int SDES = 202;
    public static final int BYE = 203;
    public static final int APP = 204;
    /** RFC 4585 §6.1: transport-layer feedback (generic NACK is FMT 1). */
    public static final int RTPFB = 205;
    /** RFC 4585 §6.1: payload-specific feedback (PLI FMT 1, FIR FMT 4, application layer FMT 15). */
    public static final int PSFB = 206;

    byte[] array = new byte[0];
    int offset;
    int length;

    /**
     * Views the first RTCP packet of {@code array[offset .. offset + available)}: version 2, a length field that
     * fits, and if the P bit is set a pad count that fits. On {@link RtcpStatus#OK}, {@link #length()} is the
     * packet's size in octets.
     */
    public RtcpStatus wrap(byte[] array, int offset, int available) {
        this.array = array;
        this.offset = offset;
        this.length = 0;
        if (available < 4) {
            return RtcpStatus.TOO_SHORT;
        }
        if ((array[offset] & 0xC0) != 0x80) {
            return RtcpStatus.BAD_VERSION;
        }
        int size = 4 * (((array[offset + 2] & 0xFF) << 8 | (array[offset + 3] & 0xFF)) + 1);
        if (size > available) {
            return RtcpStatus.BAD_LENGTH;
        }
        if ((array[offset] & 0x20) != 0) {
            int pad = array[offset + size - 1] & 0xFF;
            if (pad == 0 || pad > size - 4) {
                return RtcpStatus.BAD_PADDING;
            }
        }
        this.length = size;
        return RtcpStatus.OK;
    }

    public byte[] array() {
        return array;
    }

    public int offset() {
        return offset;
    }

    /** The packet's size in octets, padding included. */
    public int length() {
        return length;
    }

    /** The offset just past this packet: where the next one of the compound starts. */
    public int end() {
        return offset + length;
    }

    public boolean padding() {
        return (array[offset] & 0x20) != 0;
    }

    /** Octets of padding at the end (the count octet included), 0 without the P bit. */
    public int paddingLength() {
        return padding() ? array[offset + length - 1] & 0xFF : 0;
    }

    /** RC, SC, APP subtype or feedback FMT: the 5-bit field after the P bit. */
    public int count() {
        return array[offset] & 0x1F;
    }

    public int packetType() {
        return array[offset + 1] & 0xFF;
    }

    /** The first SSRC after the header (sender SSRC of SR/RR/APP/feedback, first chunk or source of SDES/BYE). */
    public int ssrc() {
        return length >= 8 ? readInt(array, offset + 4) : 0;
    }

    static int readInt(byte[] a, int at) {
        return ((a[at] & 0xFF) << 24) | ((a[at + 1] & 0xFF) << 16) | ((a[at + 2] & 0xFF) << 8) | (a[at + 3] & 0xFF);
    }

    static void writeInt(byte[] a, int at, int value) {
        a[at] = (byte) (value >>> 24);
        a[at + 1] = (byte) (value >>> 16);
        a[at + 2] = (byte) (value >>> 8);
        a[at + 3] = (byte) value;
    }

    @Override
    public String toString() {
        return length == 0 ? "RtcpPacket[unwrapped]"
                : "RtcpPacket[pt=" + packetType() + ", count=" + count() + ", length=" + length + "]";
    }
}
