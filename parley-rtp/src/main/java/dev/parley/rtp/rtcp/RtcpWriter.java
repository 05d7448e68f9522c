package dev.parley.rtp.rtcp;

import dev.parley.rtp.PacketBuffer;

/**
 * Writes RTCP compound packets into a {@link PacketBuffer}, so the media plane can regenerate reports for the leg
 * it terminates: SR or RR with report blocks, SDES CNAME, BYE, and the PLI and generic NACK it relays.
 *
 * <pre>{@code
 * writer.start(buffer)
 *       .senderReport(ssrc, ntp, rtpTimestamp, packets, octets)
 *       .reportBlock(sourceSsrc, fractionLost, cumulativeLost, highestSeq, jitter, lsr, dlsr)
 *       .sdesCname(ssrc, cname);
 * RtcpStatus status = writer.finish(); // OK, or NO_SPACE if anything did not fit
 * }</pre>
 *
 * Writing starts at the buffer's offset and {@link #finish()} sets its length. Running out of room is a status,
 * not an exception, and nothing is written past the buffer's capacity. Reuse one writer; it allocates nothing.
 */
public final class RtcpWriter {
    private PacketBuffer buffer;
    private byte[] array;
    private int start;
    private int limit;
    private int position;
    private int reportAt = -1;
    private boolean overflow;

    /** Starts a new compound packet at {@code buffer.offset()} (the buffer's current content is overwritten). */
    public RtcpWriter start(PacketBuffer buffer) {
        this.buffer = buffer;
        this.array = buffer.array();
        this.start = buffer.offset();
        this.limit = buffer.offset() + buffer.capacity();
        this.position = start;
        this.reportAt = -1;
        this.overflow = false;
        return this;
    }

    private boolean room(int octets) {
        if (overflow || position + octets > limit) {
            overflow = true;
            return false;
        }
        return true;
    }

    private void header(int count, int type, int octets) {
        array[position] = (byte) (0x80 | count);
        array[position + 1] = (byte) type;
        int words = octets / 4 - 1;
        array[position + 2] = (byte) (words >>> 8);
        array[position + 3] = (byte) words;
    }

    /** An SR (RFC 3550 §6.4.1); follow with up to 31 {@link #reportBlock}s. */
    public RtcpWriter senderReport(int ssrc, long ntpTimestamp, int rtpTimestamp, long packetCount,
            long octetCount) {
        reportAt = -1;
        if (!room(SenderReport.FIXED_LENGTH)) {
            return this;
        }
        header(0, RtcpPacket.SR, SenderReport.FIXED_LENGTH);
        RtcpPacket.writeInt(array, position + 4, ssrc);
        RtcpPacket.writeInt(array, position + 8, (int) (ntpTimestamp >>> 32));
        RtcpPacket.writeInt(array, position + 12, (int) ntpTimestamp);
        RtcpPacket.writeInt(array, position + 16, rtpTimestamp);
        RtcpPacket.writeInt(array, position + 20, (int) packetCount);
        RtcpPacket.writeInt(array, position + 24, (int) octetCount);
        reportAt = position;
        position += SenderReport.FIXED_LENGTH;
        return this;
    }

    /** An RR (RFC 3550 §6.4.2); follow with up to 31 {@link #reportBlock}s. */
    public RtcpWriter receiverReport(int ssrc) {
        reportAt = -1;
        if (!room(ReceiverReport.FIXED_LENGTH)) {
            return this;
        }
        header(0, RtcpPacket.RR, ReceiverReport.FIXED_LENGTH);
        RtcpPacket.writeInt(array, position + 4, ssrc);
        reportAt = position;
        position += ReceiverReport.FIXED_LENGTH;
        return this;
    }

    /**
     * Appends a report block to the SR or RR just written, raising its RC and length. Cumulative lost is clamped
     * to the signed 24-bit range as RFC 3550 §6.4.1 asks.
     */
    public RtcpWriter reportBlock(int sourceSsrc, int fractionLost, int cumulativeLost, int extendedHighestSequence,
            int jitter, int lastSenderReport, int delaySinceLastSenderReport) {
        if (reportAt < 0) {
            throw new IllegalStateException("a report block must follow senderReport or receiverReport");
        }
        int count = array[reportAt] & 0x1F;
        if (count == 31) {
            overflow = true; // RFC 3550 §6.4: RC is 5 bits; a 32nd block needs another RR
            return this;
        }
        if (!room(ReportBlocks.BLOCK_LENGTH)) {
            return this;
        }
        int lost = Math.max(-0x800000, Math.min(0x7FFFFF, cumulativeLost));
        RtcpPacket.writeInt(array, position, sourceSsrc);
        RtcpPacket.writeInt(array, position + 4, (fractionLost & 0xFF) << 24 | (lost & 0xFFFFFF));
        RtcpPacket.writeInt(array, position + 8, extendedHighestSequence);
        RtcpPacket.writeInt(array, position + 12, jitter);
        RtcpPacket.writeInt(array, position + 16, lastSenderReport);
        RtcpPacket.writeInt(array, position + 20, delaySinceLastSenderReport);
        position += ReportBlocks.BLOCK_LENGTH;
        array[reportAt] = (byte) (0x80 | (count + 1));
        int words = (position - reportAt) / 4 - 1;
        array[reportAt + 2] = (byte) (words >>> 8);
        array[reportAt + 3] = (byte) words;
        return this;
    }

    /** An SDES packet with one chunk carrying the CNAME item (RFC 3550 §6.5.1); {@code cname} is 1..255 octets. */
    public RtcpWriter sdesCname(int ssrc, byte[] cname) {
        reportAt = -1;
        if (cname.length == 0 || cname.length > 255) {
            throw new IllegalArgumentException("CNAME must be 1..255 octets, got " + cname.length);
        }
        // header + SSRC + type + length + text + END, padded to 32 bits
        int octets = (8 + 2 + cname.length + 1 + 3) & ~3;
        if (!room(octets)) {
            return this;
        }
        header(1, RtcpPacket.SDES, octets);
        RtcpPacket.writeInt(array, position + 4, ssrc);
        array[position + 8] = (byte) SourceDescription.CNAME;
        array[position + 9] = (byte) cname.length;
        System.arraycopy(cname, 0, array, position + 10, cname.length);
        for (int at = position + 10 + cname.length; at < position + octets; at++) {
            array[at] = 0; // END item and padding to the 32-bit boundary
        }
        position += octets;
        return this;
    }

    /** A BYE for one source, without a reason (RFC 3550 §6.6). */
    public RtcpWriter bye(int ssrc) {
        reportAt = -1;
        if (!room(8)) {
            return this;
        }
        header(1, RtcpPacket.BYE, 8);
        RtcpPacket.writeInt(array, position + 4, ssrc);
        position += 8;
        return this;
    }

    /** A picture loss indication (RFC 4585 §6.3.1). */
    public RtcpWriter pli(int senderSsrc, int mediaSsrc) {
        reportAt = -1;
        if (!room(12)) {
            return this;
        }
        header(FeedbackPacket.FMT_PLI, RtcpPacket.PSFB, 12);
        RtcpPacket.writeInt(array, position + 4, senderSsrc);
        RtcpPacket.writeInt(array, position + 8, mediaSsrc);
        position += 12;
        return this;
    }

    /** A generic NACK with one (PID, BLP) entry (RFC 4585 §6.2.1). */
    public RtcpWriter nack(int senderSsrc, int mediaSsrc, int packetId, int lostBitmask) {
        reportAt = -1;
        if (!room(16)) {
            return this;
        }
        header(FeedbackPacket.FMT_GENERIC_NACK, RtcpPacket.RTPFB, 16);
        RtcpPacket.writeInt(array, position + 4, senderSsrc);
        RtcpPacket.writeInt(array, position + 8, mediaSsrc);
        RtcpPacket.writeInt(array, position + 12, (packetId & 0xFFFF) << 16 | (lostBitmask & 0xFFFF));
        position += 16;
        return this;
    }

    /** Sets the buffer's length to what was written; {@link RtcpStatus#NO_SPACE} if anything did not fit. */
    public RtcpStatus finish() {
        reportAt = -1;
        if (overflow) {
            buffer.length(0);
            return RtcpStatus.NO_SPACE;
        }
        buffer.length(position - start);
        return RtcpStatus.OK;
    }
}
