package dev.parley.rtp.ice;

/**
 * What {@link IceLiteAgent#receive} did with one datagram. The {@code *_ANSWERED} values wrote a response into
 * the caller's buffer, to be sent to the datagram's source; every other value sent nothing.
 */
public enum IceCheckOutcome {
    /** A valid Binding request: success response with XOR-MAPPED-ADDRESS written. */
    ANSWERED,
    /** RFC 8489 §9.1.3: USERNAME or MESSAGE-INTEGRITY missing → 400 (unauthenticated). */
    BAD_REQUEST_ANSWERED,
    /** RFC 8489 §9.1.3: wrong USERNAME or MESSAGE-INTEGRITY → 401 (unauthenticated). */
    UNAUTHENTICATED_ANSWERED,
    /** RFC 8489 §6.3.1: unknown comprehension-required attributes → 420 with UNKNOWN-ATTRIBUTES. */
    UNKNOWN_ATTRIBUTE_ANSWERED,
    /** RFC 8445 §7.3.1.1: the peer claims the controlled role too → 487. */
    ROLE_CONFLICT_ANSWERED,
    /** Not a well-formed STUN message (see {@link dev.parley.rtp.stun.StunStatus}): dropped. */
    MALFORMED,
    /** A Binding indication (RFC 8445 §11 keepalive): consumed, nothing to answer. */
    INDICATION,
    /** A response or a request of another method: a lite agent sends no requests and serves only Binding. */
    IGNORED,
    /** The agent was closed or lost consent: dropped. */
    CLOSED;

    public boolean hasResponse() {
        return ordinal() <= ROLE_CONFLICT_ANSWERED.ordinal();
    }
}
