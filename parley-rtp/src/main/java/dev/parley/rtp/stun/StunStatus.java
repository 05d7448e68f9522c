package dev.parley.rtp.stun;

/**
 * The outcome of {@link StunMessage#wrap}. Only {@link #OK} means the view may be read; any other value means the
 * datagram is not a STUN message Parley will act on and is dropped silently (RFC 8489 §6.3: a message that fails
 * these checks is discarded without an answer, which also keeps Parley from reflecting garbage).
 */
public enum StunStatus {
    OK,
    /** Fewer than the 20 octets of a header, or a header that promises more than the datagram holds. */
    TOO_SHORT,
    /** The two leading bits are not zero or the magic cookie is missing (RFC 8489 §5, RFC 7983 demux). */
    NOT_STUN,
    /** The length field is not a multiple of 4 or does not match the datagram (RFC 8489 §5). */
    BAD_LENGTH,
    /** An attribute runs past the message, or a known attribute has an impossible length or value. */
    MALFORMED_ATTRIBUTE,
    /** FINGERPRINT is present and wrong (RFC 8489 §14.7), or an attribute follows it. */
    BAD_FINGERPRINT
}
