package dev.parley.rtp;

/** What {@link RtpPacket#wrap} found: {@link #OK} or why the bytes are not an RTP packet (RFC 3550 §5.1, A.1). */
public enum RtpStatus {
    OK,
    /** Fewer than the 12 octets of the fixed header. */
    TOO_SHORT,
    /** The version field is not 2. */
    BAD_VERSION,
    /** The CSRC list runs past the end of the packet. */
    CSRC_OVERRUN,
    /** The header extension (its 4-octet header or the length it announces) runs past the end of the packet. */
    EXTENSION_OVERRUN,
    /** The P bit is set but the last octet's pad count is 0 or larger than what follows the header. */
    BAD_PADDING
}
