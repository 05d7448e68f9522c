package dev.parley.mediaapi;

/**
 * The negotiated direction of a leg as written in the SDP Parley sent to that leg's peer (RFC 3264 §5.1, §6.1):
 * {@code SENDONLY} means Parley sends to the peer and expects nothing back (the peer is held and hears music or
 * the other party), {@code RECVONLY} means the peer sends and Parley does not.
 */
public enum Direction {
    SENDRECV, SENDONLY, RECVONLY, INACTIVE;

    /** Whether Parley forwards media to this leg's peer. */
    public boolean parleySends() {
        return this == SENDRECV || this == SENDONLY;
    }

    /** Whether this leg's peer is expected to send media to Parley (and so whether silence means trouble). */
    public boolean peerSends() {
        return this == SENDRECV || this == RECVONLY;
    }
}
