package dev.parley.rtp.rtcp;

import java.nio.charset.StandardCharsets;

/**
 * A cursor over an SDES packet (RFC 3550 §6.5): SC chunks, each an SSRC followed by items (type, length, UTF-8
 * text) and ended by a null octet padded to a 32-bit boundary.
 *
 * <pre>{@code
 * if (sdes.wrap(packet) == RtcpStatus.OK) {
 *     while (sdes.nextChunk()) {
 *         while (sdes.nextItem()) { if (sdes.itemType() == SourceDescription.CNAME) ... }
 *     }
 * }
 * }</pre>
 *
 * {@link #status()} tells whether the cursor stopped at the end or at a malformed chunk.
 */
public final class SourceDescription {
    public static final int END = 0;
    public static final int CNAME = 1;
    public static final int NAME = 2;
    public static final int EMAIL = 3;
    public static final int PHONE = 4;
    public static final int LOC = 5;
    public static final int TOOL = 6;
    public static final int NOTE = 7;
    public static final int PRIV = 8;

    private byte[] array = new byte[0];
    private int position;
    private int end;
    private int chunksLeft;
    private int chunkSsrc;
    private boolean inChunk;
    private int itemType;
    private int itemOffset;
    private int itemLength;
    private RtcpStatus status = RtcpStatus.OK;

    public RtcpStatus wrap(RtcpPacket packet) {
        chunksLeft = 0;
        inChunk = false;
        if (packet.length() == 0) {
            return status = RtcpStatus.TOO_SHORT;
        }
        if (packet.packetType() != RtcpPacket.SDES) {
            return status = RtcpStatus.WRONG_TYPE;
        }
        array = packet.array();
        position = packet.offset() + 4;
        end = packet.end() - packet.paddingLength();
        chunksLeft = packet.count();
        return status = RtcpStatus.OK;
    }

    /** Moves to the next chunk; false when none is left or the chunk is malformed. */
    public boolean nextChunk() {
        while (inChunk && nextItem()) {
            // skip the items the caller did not read
        }
        if (status != RtcpStatus.OK || chunksLeft == 0) {
            return false;
        }
        if (position + 4 > end) {
            status = RtcpStatus.BAD_COUNT;
            return false;
        }
        chunkSsrc = RtcpPacket.readInt(array, position);
        position += 4;
        chunksLeft--;
        inChunk = true;
        return true;
    }

    public int chunkSsrc() {
        return chunkSsrc;
    }

    /** Moves to the next item of the current chunk; false at its END item (or if malformed). */
    public boolean nextItem() {
        if (!inChunk || status != RtcpStatus.OK) {
            return false;
        }
        if (position >= end) {
            status = RtcpStatus.TOO_SHORT;
            inChunk = false;
            return false;
        }
        int type = array[position] & 0xFF;
        if (type == END) {
            // RFC 3550 §6.5: the list ends with a null octet, then nulls up to the next 32-bit boundary
            int chunkEnd = (position + 1 + 3) & ~3;
            position = Math.min(chunkEnd, end);
            inChunk = false;
            return false;
        }
        if (position + 2 > end || position + 2 + (array[position + 1] & 0xFF) > end) {
            status = RtcpStatus.TOO_SHORT;
            inChunk = false;
            return false;
        }
        itemType = type;
        itemLength = array[position + 1] & 0xFF;
        itemOffset = position + 2;
        position = itemOffset + itemLength;
        return true;
    }

    public int itemType() {
        return itemType;
    }

    public int itemOffset() {
        return itemOffset;
    }

    public int itemLength() {
        return itemLength;
    }

    /** The item's text (allocates: for the control plane and logs, not the packet path). */
    public String itemText() {
        return new String(array, itemOffset, itemLength, StandardCharsets.UTF_8);
    }

    public RtcpStatus status() {
        return status;
    }
}
