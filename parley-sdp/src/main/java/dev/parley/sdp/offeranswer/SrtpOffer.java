package dev.parley.sdp.offeranswer;

/** How Parley offers SDES SRTP in one m-line it writes. */
public enum SrtpOffer {
    /** {@code RTP/AVP}, no {@code a=crypto}. */
    NONE,
    /**
     * {@code RTP/AVP} with {@code a=crypto} ("best effort" SDES, as baresip's {@code mediaenc=srtp} and many phones
     * do): a peer that knows SDES answers with a key, one that does not ignores the attribute and answers plain.
     */
    BEST_EFFORT,
    /** {@code RTP/SAVP} with {@code a=crypto}: the peer must answer with a key or reject (RFC 4568 §7.1.2). */
    MANDATORY
}
