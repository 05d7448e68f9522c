package dev.parley.rtp.rtcp;

import java.nio.charset.StandardCharsets;

/**
 * BYE (RFC 3550 §6.6): SC SSRC/CSRCs that leave, then optionally a length-prefixed reason.
 *
 * <pre>
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |V=2|P|    SC   |   PT=BYE=203  |             length            |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                           SSRC/CSRC                           |
 * :                              ...                              :
 * +=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+
 * |     length    |               reason for leaving            ... (opt)
 * </pre>
 */
public final class Goodbye {
    private byte[] array = new byte[0];
    private int offset;
    private int count;
    private int reasonOffset = -1;
    private int reasonLength;

    public RtcpStatus wrap(RtcpPacket packet) {
        count = 0;
        reasonOffset = -1;
        if (packet.length() == 0) {
            return RtcpStatus.TOO_SHORT;
        }
        if (packet.packetType() != RtcpPacket.BYE) {
            return RtcpStatus.WRONG_TYPE;
        }
        int body = packet.length() - packet.paddingLength();
        int sources = packet.count();
        if (4 + 4 * sources > body) {
            return RtcpStatus.BAD_COUNT;
        }
        array = packet.array();
        offset = packet.offset();
        count = sources;
        int reasonAt = offset + 4 + 4 * sources;
        if (reasonAt < offset + body) {
            int len = array[reasonAt] & 0xFF;
            if (reasonAt + 1 + len > offset + body) {
                count = 0;
                return RtcpStatus.TOO_SHORT;
            }
            reasonOffset = reasonAt + 1;
            reasonLength = len;
        }
        return RtcpStatus.OK;
    }

    public int sourceCount() {
        return count;
    }

    public int source(int index) {
        if (index < 0 || index >= count) {
            throw new IndexOutOfBoundsException("source " + index + " of " + count);
        }
        return RtcpPacket.readInt(array, offset + 4 + 4 * index);
    }

    public boolean hasReason() {
        return reasonOffset >= 0;
    }

    /** The reason text, or "" without one (allocates: control plane and logs). */
    public String reason() {
        return reasonOffset < 0 ? "" : new String(array, reasonOffset, reasonLength, StandardCharsets.UTF_8);
    }
}
