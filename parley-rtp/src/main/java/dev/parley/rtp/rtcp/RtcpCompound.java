package dev.parley.rtp.rtcp;

import dev.parley.rtp.PacketBuffer;

/**
 * A reusable cursor over the packets of an RTCP compound packet (RFC 3550 §6.1):
 *
 * <pre>{@code
 * compound.reset(buffer);
 * while (compound.next()) {
 *     RtcpPacket packet = compound.packet();
 *     switch (packet.packetType()) { case RtcpPacket.SR -> senderReport.wrap(packet) ... }
 * }
 * if (compound.status() != RtcpStatus.OK) { ... the rest was malformed ... }
 * }</pre>
 *
 * Iteration stops at the first malformed packet, with the reason in {@link #status()}; the packets before it were
 * sound and may be used. Only the last packet may carry padding (RFC 3550 §6.4.1).
 */
public final class RtcpCompound {
    private final RtcpPacket packet = new RtcpPacket();
    private byte[] array = new byte[0];
    private int position;
    private int end;
    private RtcpStatus status = RtcpStatus.OK;
    private int index;

    public RtcpCompound reset(PacketBuffer buffer) {
        return reset(buffer.array(), buffer.offset(), buffer.length());
    }

    public RtcpCompound reset(byte[] array, int offset, int length) {
        this.array = array;
        this.position = offset;
        this.end = offset + length;
        this.status = length == 0 ? RtcpStatus.TOO_SHORT : RtcpStatus.OK;
        this.index = 0;
        return this;
    }

    /** Moves to the next packet; false at the end or at a malformed packet (see {@link #status()}). */
    public boolean next() {
        if (status != RtcpStatus.OK || position >= end) {
            return false;
        }
        RtcpStatus read = packet.wrap(array, position, end - position);
        if (read == RtcpStatus.OK && packet.padding() && packet.end() != end) {
            read = RtcpStatus.BAD_PADDING;
        }
        if (read != RtcpStatus.OK) {
            status = read;
            return false;
        }
        position = packet.end();
        index++;
        return true;
    }

    /** The current packet (valid after {@link #next()} returned true). */
    public RtcpPacket packet() {
        return packet;
    }

    /** {@link RtcpStatus#OK} while (and after) every packet read was sound. */
    public RtcpStatus status() {
        return status;
    }

    /**
     * Validates a whole compound packet as RFC 3550 Appendix A.2 does: every packet sound, the lengths adding up
     * exactly, and the first packet an SR or RR (use {@link #validateReducedSize} for RFC 5506 compounds).
     */
    public static RtcpStatus validate(byte[] array, int offset, int length) {
        RtcpCompound compound = new RtcpCompound().reset(array, offset, length);
        int first = -1;
        while (compound.next()) {
            if (first < 0) {
                first = compound.packet().packetType();
            }
        }
        if (compound.status() != RtcpStatus.OK) {
            return compound.status();
        }
        return first == RtcpPacket.SR || first == RtcpPacket.RR ? RtcpStatus.OK : RtcpStatus.WRONG_TYPE;
    }

    /** As {@link #validate} but without the SR/RR-first rule (RFC 5506 reduced-size RTCP, e.g. a lone PLI). */
    public static RtcpStatus validateReducedSize(byte[] array, int offset, int length) {
        RtcpCompound compound = new RtcpCompound().reset(array, offset, length);
        while (compound.next()) {
            // only the framing is checked
        }
        return compound.status();
    }
}
