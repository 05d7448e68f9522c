package dev.parley.sdp.offeranswer;

/**
 * How one leg's media must be protected: the per-device media policy ({@code required} / {@code preferred} /
 * {@code off}) as offer/answer applies it to SDES (RFC 4568).
 */
public enum SrtpPolicy {
    /** SRTP or no call: an offer without an acceptable {@code a=crypto} is refused ({@code 488}). */
    REQUIRED,
    /** SRTP when the peer offers an acceptable key, plain RTP otherwise. */
    PREFERRED,
    /** Plain RTP only; an offer that makes SRTP mandatory ({@code RTP/SAVP}) is refused. */
    OFF
}
