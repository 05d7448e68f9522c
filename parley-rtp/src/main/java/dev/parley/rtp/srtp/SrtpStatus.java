package dev.parley.rtp.srtp;

/**
 * The outcome of protecting or unprotecting one packet. Only {@link #OK} means the buffer holds the transformed
 * packet; after any other status the packet must be dropped (its bytes may be partly transformed).
 */
public enum SrtpStatus {
    OK,
    /** Shorter than a header plus the trailer the profile needs. */
    TOO_SHORT,
    /** Not version 2, or the RTP CSRC list/extension runs past the packet. */
    MALFORMED,
    /** {@code protect*}: the buffer lacks the {@code rtpOverhead()}/{@code rtcpOverhead()} spare octets. */
    NO_SPACE,
    /** The tag did not verify: wrong key, forged or corrupted packet. */
    AUTH_FAILED,
    /** The packet index was already received (or, when sending, already used: a keystream must never repeat). */
    REPLAYED,
    /** The packet index is older than the replay window, so it cannot be proven fresh (RFC 3711 §3.3.2). */
    TOO_OLD,
    /** A new SSRC would exceed the session's cap on SSRC contexts. */
    SSRC_LIMIT,
    /** The packet index space is used up (2^48 RTP, 2^31 RTCP): the session must be re-keyed (RFC 3711 §9.2). */
    INDEX_EXHAUSTED
}
