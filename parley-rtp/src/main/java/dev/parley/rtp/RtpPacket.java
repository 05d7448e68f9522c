package dev.parley.rtp;

/**
 * A reusable view of one RTP packet (RFC 3550 §5.1) over a byte array: it reads and rewrites fields in place and
 * copies nothing. {@link #wrap} validates the packet and returns a status instead of throwing, so one instance per
 * event loop serves every packet.
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |V=2|P|X|  CC   |M|     PT      |       sequence number         |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                           timestamp                           |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |           synchronization source (SSRC) identifier            |
 * +=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+
 * |            contributing source (CSRC) identifiers             |
 * |                             ....                              |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |      defined by profile       |           length              |   if X (RFC 3550 §5.3.1;
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+   length in 32-bit words)
 * |                        header extension                       |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                            payload              ...  | padding | count |   if P
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 *
 * <p>Header extensions follow RFC 8285: profile {@code 0xBEDE} holds one-byte headers (4-bit ID, 4-bit length
 * minus one; ID 0 is padding, ID 15 stops parsing), profile {@code 0x100x} holds two-byte headers (8-bit ID, 8-bit
 * length; ID 0 is padding). SSRC and timestamp are unsigned 32-bit values carried in an {@code int}: compare and
 * add them with {@code int} arithmetic (it wraps exactly as RTP does) and widen with
 * {@link Integer#toUnsignedLong} to print.
 *
 * <table>
 * <caption>Limits</caption>
 * <tr><th>what</th><th>limit</th></tr>
 * <tr><td>fixed header</td><td>12 octets</td></tr>
 * <tr><td>CSRCs</td><td>0..15 (4-bit count)</td></tr>
 * <tr><td>extension data</td><td>0..262140 octets (16-bit word count)</td></tr>
 * </table>
 */
public final class RtpPacket {
    /** The length of the fixed header. */
    public static final int FIXED_HEADER_LENGTH = 12;
    /** RFC 8285 §4.2: the "defined by profile" value of one-byte header extensions. */
    public static final int ONE_BYTE_EXTENSION_PROFILE = 0xBEDE;

    private static final RtpStatus[] STATUSES = RtpStatus.values();

    private byte[] array = new byte[0];
    private int offset;
    private int length;
    private int headerLength;
    private int paddingLength;

    /**
     * Views {@code buffer}'s packet and validates it completely (RFC 3550 Appendix A.1 minus the payload-type
     * check, which needs the session): version 2, CSRCs and extension inside the packet, a sane pad count.
     * The view is usable only when this returns {@link RtpStatus#OK}.
     */
    public RtpStatus wrap(PacketBuffer buffer) {
        return wrap(buffer.array(), buffer.offset(), buffer.length());
    }

    /** As {@link #wrap(PacketBuffer)}, over {@code array[offset .. offset + length)}. */
    public RtpStatus wrap(byte[] array, int offset, int length) {
        RtpStatus status = wrapHeader(array, offset, length);
        if (status != RtpStatus.OK) {
            return status;
        }
        if ((array[offset] & 0x20) != 0) {
            // RFC 3550 §5.1: the last octet counts the padding octets, itself included
            int count = array[offset + length - 1] & 0xFF;
            if (count == 0 || count > length - headerLength) {
                this.length = 0;
                return RtpStatus.BAD_PADDING;
            }
            paddingLength = count;
        }
        return RtpStatus.OK;
    }

    /**
     * Views the packet checking the header only (version, CSRCs, extension) and ignoring the P bit: for SRTP
     * packets, whose padding is encrypted with the payload (RFC 3711 §3.1). {@link #paddingLength()} is then 0.
     */
    public RtpStatus wrapHeader(byte[] array, int offset, int length) {
        this.array = array;
        this.offset = offset;
        this.length = 0;
        this.paddingLength = 0;
        int header = headerLength(array, offset, length);
        if (header < 0) {
            return STATUSES[-header];
        }
        this.length = length;
        this.headerLength = header;
        return RtpStatus.OK;
    }

    /**
     * The length of the header (fixed part, CSRCs and extension) of the packet at {@code array[offset..]}, or the
     * negated ordinal of the {@link RtpStatus} that says why there is none. Allocation-free; SRTP uses it to find
     * where encryption starts.
     */
    public static int headerLength(byte[] array, int offset, int length) {
        if (length < FIXED_HEADER_LENGTH) {
            return -RtpStatus.TOO_SHORT.ordinal();
        }
        int first = array[offset] & 0xFF;
        if (first >>> 6 != 2) {
            return -RtpStatus.BAD_VERSION.ordinal();
        }
        int header = FIXED_HEADER_LENGTH + 4 * (first & 0x0F);
        if (header > length) {
            return -RtpStatus.CSRC_OVERRUN.ordinal();
        }
        if ((first & 0x10) != 0) {
            // RFC 3550 §5.3.1: 16 bits profile, 16 bits length in 32-bit words, not counting these 4 octets
            if (header + 4 > length) {
                return -RtpStatus.EXTENSION_OVERRUN.ordinal();
            }
            int words = ((array[offset + header + 2] & 0xFF) << 8) | (array[offset + header + 3] & 0xFF);
            header += 4 + 4 * words;
            if (header > length) {
                return -RtpStatus.EXTENSION_OVERRUN.ordinal();
            }
        }
        return header;
    }

    /** RFC 5761 §4: with RTP and RTCP multiplexed, a second octet of 192..223 (M bit and PT together) is RTCP. */
    public static boolean isRtcp(byte[] array, int offset, int length) {
        if (length < 2) {
            return false;
        }
        int second = array[offset + 1] & 0xFF;
        return second >= 192 && second <= 223;
    }

    public byte[] array() {
        return array;
    }

    public int offset() {
        return offset;
    }

    public int length() {
        return length;
    }

    public int version() {
        return (array[offset] & 0xFF) >>> 6;
    }

    public boolean padding() {
        return (array[offset] & 0x20) != 0;
    }

    public boolean extension() {
        return (array[offset] & 0x10) != 0;
    }

    public int csrcCount() {
        return array[offset] & 0x0F;
    }

    public boolean marker() {
        return (array[offset + 1] & 0x80) != 0;
    }

    public int payloadType() {
        return array[offset + 1] & 0x7F;
    }

    public int sequenceNumber() {
        return ((array[offset + 2] & 0xFF) << 8) | (array[offset + 3] & 0xFF);
    }

    public int timestamp() {
        return readInt(array, offset + 4);
    }

    public int ssrc() {
        return readInt(array, offset + 8);
    }

    /** The {@code index}-th CSRC, {@code 0 <= index < csrcCount()}. */
    public int csrc(int index) {
        if (index < 0 || index >= csrcCount()) {
            throw new IndexOutOfBoundsException("CSRC " + index + " of " + csrcCount());
        }
        return readInt(array, offset + FIXED_HEADER_LENGTH + 4 * index);
    }

    /** Header length: fixed header, CSRCs and header extension. */
    public int headerLength() {
        return headerLength;
    }

    /** Where the payload starts in {@link #array()}. */
    public int payloadOffset() {
        return offset + headerLength;
    }

    /** The payload's length, padding excluded. */
    public int payloadLength() {
        return length - headerLength - paddingLength;
    }

    /** The number of padding octets (the pad count itself included), 0 without the P bit. */
    public int paddingLength() {
        return paddingLength;
    }

    /** The header extension's "defined by profile" field, or -1 without the X bit. */
    public int extensionProfile() {
        if (!extension()) {
            return -1;
        }
        int at = offset + FIXED_HEADER_LENGTH + 4 * csrcCount();
        return ((array[at] & 0xFF) << 8) | (array[at + 1] & 0xFF);
    }

    /** Where the header extension's data starts (after its 4-octet header); meaningful with the X bit only. */
    public int extensionDataOffset() {
        return offset + FIXED_HEADER_LENGTH + 4 * csrcCount() + 4;
    }

    /** The header extension's data length in octets, 0 without the X bit. */
    public int extensionDataLength() {
        return extension() ? headerLength - (FIXED_HEADER_LENGTH + 4 * csrcCount() + 4) : 0;
    }

    /** Receives the elements of an RFC 8285 header extension. */
    @FunctionalInterface
    public interface ExtensionVisitor {
        void visit(int id, byte[] array, int offset, int length);
    }

    /**
     * Visits every RFC 8285 element of the header extension (one-byte or two-byte form) and returns true, or
     * returns false when there is no RFC 8285 extension or an element runs past the extension's data (the
     * elements before it have been visited).
     */
    public boolean forEachExtension(ExtensionVisitor visitor) {
        int profile = extensionProfile();
        boolean oneByte = profile == ONE_BYTE_EXTENSION_PROFILE;
        // RFC 8285 §4.3: 0x100 in the top 12 bits, 4 "appbits" below
        boolean twoByte = (profile & 0xFFF0) == 0x1000;
        if (!oneByte && !twoByte) {
            return false;
        }
        int at = extensionDataOffset();
        int end = at + extensionDataLength();
        while (at < end) {
            int first = array[at] & 0xFF;
            if (first == 0) {
                at++; // RFC 8285 §4.2/§4.3: padding octet between elements
                continue;
            }
            int id;
            int elementLength;
            if (oneByte) {
                id = first >>> 4;
                if (id == 15) {
                    return true; // RFC 8285 §4.2: ID 15 is reserved; stop processing
                }
                elementLength = (first & 0x0F) + 1;
                at += 1;
            } else {
                if (at + 2 > end) {
                    return false;
                }
                id = first;
                elementLength = array[at + 1] & 0xFF;
                at += 2;
            }
            if (at + elementLength > end) {
                return false;
            }
            visitor.visit(id, array, at, elementLength);
            at += elementLength;
        }
        return true;
    }

    /**
     * Where the data of the RFC 8285 element {@code id} starts in {@link #array()}, or -1 if the packet has no
     * such element. Its length is {@link #extensionElementLength(int)}.
     */
    public int extensionElementOffset(int id) {
        long found = findElement(id);
        return found < 0 ? -1 : (int) (found >>> 32);
    }

    /** The data length of the RFC 8285 element {@code id}, or -1 if the packet has no such element. */
    public int extensionElementLength(int id) {
        long found = findElement(id);
        return found < 0 ? -1 : (int) found;
    }

    private long findElement(int wanted) {
        int profile = extensionProfile();
        boolean oneByte = profile == ONE_BYTE_EXTENSION_PROFILE;
        if (!oneByte && (profile & 0xFFF0) != 0x1000) {
            return -1;
        }
        int at = extensionDataOffset();
        int end = at + extensionDataLength();
        while (at < end) {
            int first = array[at] & 0xFF;
            if (first == 0) {
                at++;
                continue;
            }
            int id;
            int elementLength;
            if (oneByte) {
                id = first >>> 4;
                if (id == 15) {
                    return -1;
                }
                elementLength = (first & 0x0F) + 1;
                at += 1;
            } else {
                if (at + 2 > end) {
                    return -1;
                }
                id = first;
                elementLength = array[at + 1] & 0xFF;
                at += 2;
            }
            if (at + elementLength > end) {
                return -1;
            }
            if (id == wanted) {
                return ((long) at << 32) | elementLength;
            }
            at += elementLength;
        }
        return -1;
    }

    // Setters rewrite the header in place: the relay maps payload types, sequence numbers, timestamps and SSRCs
    // from one leg's numbering to the other's.

    public RtpPacket marker(boolean marker) {
        array[offset + 1] = (byte) (marker ? array[offset + 1] | 0x80 : array[offset + 1] & 0x7F);
        return this;
    }

    /** Sets the 7-bit payload type (the marker bit is kept). */
    public RtpPacket payloadType(int payloadType) {
        if (payloadType < 0 || payloadType > 127) {
            throw new IllegalArgumentException("payload type " + payloadType + " outside 0..127");
        }
        array[offset + 1] = (byte) ((array[offset + 1] & 0x80) | payloadType);
        return this;
    }

    /** Sets the sequence number; only its low 16 bits are written (so {@code seq + delta} wraps as RTP does). */
    public RtpPacket sequenceNumber(int sequenceNumber) {
        array[offset + 2] = (byte) (sequenceNumber >>> 8);
        array[offset + 3] = (byte) sequenceNumber;
        return this;
    }

    public RtpPacket timestamp(int timestamp) {
        writeInt(array, offset + 4, timestamp);
        return this;
    }

    public RtpPacket ssrc(int ssrc) {
        writeInt(array, offset + 8, ssrc);
        return this;
    }

    /**
     * Writes a 12-octet fixed header (V=2, no padding, no extension, no CSRC) at {@code array[offset..]} and
     * returns its length; the caller appends the payload after it.
     */
    public static int writeHeader(byte[] array, int offset, boolean marker, int payloadType, int sequenceNumber,
            int timestamp, int ssrc) {
        array[offset] = (byte) 0x80;
        array[offset + 1] = (byte) ((marker ? 0x80 : 0) | (payloadType & 0x7F));
        array[offset + 2] = (byte) (sequenceNumber >>> 8);
        array[offset + 3] = (byte) sequenceNumber;
        writeInt(array, offset + 4, timestamp);
        writeInt(array, offset + 8, ssrc);
        return FIXED_HEADER_LENGTH;
    }

    static int readInt(byte[] array, int at) {
        return ((array[at] & 0xFF) << 24) | ((array[at + 1] & 0xFF) << 16) | ((array[at + 2] & 0xFF) << 8)
                | (array[at + 3] & 0xFF);
    }

    static void writeInt(byte[] array, int at, int value) {
        array[at] = (byte) (value >>> 24);
        array[at + 1] = (byte) (value >>> 16);
        array[at + 2] = (byte) (value >>> 8);
        array[at + 3] = (byte) value;
    }

    @Override
    public String toString() {
        if (length == 0) {
            return "RtpPacket[unwrapped]";
        }
        return "RtpPacket[pt=" + payloadType() + ", seq=" + sequenceNumber() + ", ts="
                + Integer.toUnsignedString(timestamp()) + ", ssrc=" + Integer.toUnsignedString(ssrc())
                + (marker() ? ", marker" : "") + ", payload=" + payloadLength() + "]";
    }
}
