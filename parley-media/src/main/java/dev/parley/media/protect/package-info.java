/**
 * Per-leg, per-direction protection of RTP and RTCP: plain, or SRTP keyed by SDES (RFC 4568) through parley-rtp's
 * {@code SrtpSender}/{@code SrtpReceiver}. The relay sees two small interfaces returning {@code SrtpStatus}; key
 * material stays inside the contexts and is never logged. DTLS-SRTP legs get their contexts from the keys their
 * handshake exported, and refuse everything until then. Depends on parley-rtp and parley-media-api.
 */
package dev.parley.media.protect;
