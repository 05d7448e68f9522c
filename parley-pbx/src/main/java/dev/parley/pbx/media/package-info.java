/**
 * Media anchoring as the control plane sees it: the per-leg encryption policy, SDES keys, and the rewriting of SDP
 * so that each leg's peer talks to Parley's media endpoint instead of the other peer. Offer/answer here is a set of
 * pure functions over {@code parley-sdp} models ({@link dev.parley.pbx.media.Negotiation}); {@link
 * dev.parley.pbx.media.MediaLeg} holds one leg's state (its endpoint, its SDP origin and version, the keys Parley
 * sends with) and drives the {@link dev.parley.mediaapi.MediaService} port.
 *
 * <p>Security rules, in one place: SDES keys (RFC 4568) travel in the SDP, so they are offered and accepted only on
 * legs whose signalling is TLS ({@link dev.parley.pbx.media.LegPolicy#maySendKeys()}); keys Parley sends with are
 * fresh {@link java.security.SecureRandom} bytes per leg and direction; nothing here ever prints a key (the
 * {@code parley-sdp} and {@code parley-media-api} types redact themselves).
 *
 * <p>Depends on {@code parley-sdp}, {@code parley-media-api}, the directory's {@code MediaPolicy} and the stack's
 * {@code Transport}; never on a media implementation, Netty or the call package.
 */
package dev.parley.pbx.media;
