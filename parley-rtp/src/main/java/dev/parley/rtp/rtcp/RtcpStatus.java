package dev.parley.rtp.rtcp;

/** What an RTCP view or the writer found: {@link #OK} or why not (RFC 3550 §6.4–6.6, Appendix A.2). */
public enum RtcpStatus {
    OK,
    /** Fewer octets than the header (or the packet type's fixed part) needs. */
    TOO_SHORT,
    /** The version field is not 2. */
    BAD_VERSION,
    /** The length field points past the end of the compound packet. */
    BAD_LENGTH,
    /** Padding on a packet that is not the last of the compound, or a pad count that does not fit. */
    BAD_PADDING,
    /** The count field (reports, sources, chunks) announces more than the packet holds. */
    BAD_COUNT,
    /** The view was asked to read a packet of another type. */
    WRONG_TYPE,
    /** {@link RtcpWriter}: the buffer has no room for what was written (or a count field would overflow). */
    NO_SPACE
}
