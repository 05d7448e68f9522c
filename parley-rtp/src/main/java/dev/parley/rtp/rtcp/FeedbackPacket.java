package dev.parley.rtp.rtcp;

/**
 * RFC 4585 feedback (§6.1): transport-layer (RTPFB, 205) and payload-specific (PSFB, 206) messages share one
 * layout, the FMT in the count field choosing the feedback control information (FCI).
 *
 * <pre>
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |V=2|P|   FMT   |       PT      |          length               |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                  SSRC of packet sender                        |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                  SSRC of media source                         |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * :            Feedback Control Information (FCI)                 :
 * </pre>
 *
 * <table>
 * <caption>Messages read here</caption>
 * <tr><th>PT</th><th>FMT</th><th>message</th><th>FCI</th></tr>
 * <tr><td>RTPFB</td><td>1</td><td>generic NACK (RFC 4585 §6.2.1)</td><td>n × (PID 16 bits, BLP 16 bits)</td></tr>
 * <tr><td>PSFB</td><td>1</td><td>PLI (RFC 4585 §6.3.1)</td><td>none</td></tr>
 * <tr><td>PSFB</td><td>4</td><td>FIR (RFC 5104 §4.3.1)</td><td>n × (SSRC, seq nr 8 bits, 24 reserved)</td></tr>
 * <tr><td>PSFB</td><td>15</td><td>application layer (REMB when the FCI starts "REMB"), kept opaque</td><td>any</td></tr>
 * </table>
 */
public final class FeedbackPacket {
    public static final int FMT_GENERIC_NACK = 1;
    public static final int FMT_PLI = 1;
    public static final int FMT_FIR = 4;
    public static final int FMT_APPLICATION_LAYER = 15;
    /** "REMB" (draft-alvestrand-rmcat-remb) as the first FCI word of an application-layer PSFB. */
    public static final int REMB_IDENTIFIER = 0x52454D42;

    private byte[] array = new byte[0];
    private int offset;
    private int type;
    private int fmt;
    private int fciLength;

    public RtcpStatus wrap(RtcpPacket packet) {
        fciLength = 0;
        type = 0;
        if (packet.length() == 0) {
            return RtcpStatus.TOO_SHORT;
        }
        int pt = packet.packetType();
        if (pt != RtcpPacket.RTPFB && pt != RtcpPacket.PSFB) {
            return RtcpStatus.WRONG_TYPE;
        }
        int body = packet.length() - packet.paddingLength();
        if (body < 12) {
            return RtcpStatus.TOO_SHORT;
        }
        array = packet.array();
        offset = packet.offset();
        type = pt;
        fmt = packet.count();
        fciLength = body - 12;
        return RtcpStatus.OK;
    }

    /** {@link RtcpPacket#RTPFB} or {@link RtcpPacket#PSFB}. */
    public int packetType() {
        return type;
    }

    public int fmt() {
        return fmt;
    }

    public int senderSsrc() {
        return RtcpPacket.readInt(array, offset + 4);
    }

    public int mediaSsrc() {
        return RtcpPacket.readInt(array, offset + 8);
    }

    public int fciOffset() {
        return offset + 12;
    }

    public int fciLength() {
        return fciLength;
    }

    public boolean isGenericNack() {
        return type == RtcpPacket.RTPFB && fmt == FMT_GENERIC_NACK;
    }

    /** Number of (PID, BLP) pairs of a generic NACK. */
    public int nackCount() {
        return isGenericNack() ? fciLength / 4 : 0;
    }

    /** The packet ID (sequence number) of NACK entry {@code i}. */
    public int nackPid(int i) {
        int at = nackEntry(i);
        return (array[at] & 0xFF) << 8 | (array[at + 1] & 0xFF);
    }

    /** Bitmask of following lost packets: bit k set means PID + k + 1 is lost too (RFC 4585 §6.2.1). */
    public int nackBlp(int i) {
        int at = nackEntry(i);
        return (array[at + 2] & 0xFF) << 8 | (array[at + 3] & 0xFF);
    }

    private int nackEntry(int i) {
        if (i < 0 || i >= nackCount()) {
            throw new IndexOutOfBoundsException("NACK entry " + i + " of " + nackCount());
        }
        return offset + 12 + 4 * i;
    }

    public boolean isPli() {
        return type == RtcpPacket.PSFB && fmt == FMT_PLI;
    }

    public boolean isFir() {
        return type == RtcpPacket.PSFB && fmt == FMT_FIR;
    }

    /** Number of FIR entries (RFC 5104 §4.3.1.1: 8 octets each). */
    public int firCount() {
        return isFir() ? fciLength / 8 : 0;
    }

    public int firSsrc(int i) {
        return RtcpPacket.readInt(array, firEntry(i));
    }

    public int firSequence(int i) {
        return array[firEntry(i) + 4] & 0xFF;
    }

    private int firEntry(int i) {
        if (i < 0 || i >= firCount()) {
            throw new IndexOutOfBoundsException("FIR entry " + i + " of " + firCount());
        }
        return offset + 12 + 8 * i;
    }

    /** An application-layer PSFB whose FCI starts with "REMB"; its content is left to whoever forwards it. */
    public boolean isRemb() {
        return type == RtcpPacket.PSFB && fmt == FMT_APPLICATION_LAYER && fciLength >= 4
                && RtcpPacket.readInt(array, offset + 12) == REMB_IDENTIFIER;
    }
}
