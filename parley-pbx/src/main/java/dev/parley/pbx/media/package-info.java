/**
 * Media anchoring as the control plane sees it: the per-leg encryption policy, SDES keys per leg, and the policy
 * glue that runs {@code parley-sdp}'s offer/answer engine ({@link dev.parley.sdp.offeranswer.OfferAnswer}, the only
 * one) for each leg so that its peer talks to Parley's media endpoint instead of the other peer.
 * {@link dev.parley.pbx.media.MediaLeg} holds one leg's state (its endpoint, its SDP origin and version, the offer in
 * flight, the keys Parley sends with), maps the leg's {@link dev.parley.pbx.media.LegPolicy} to the engine's
 * {@code AnswerPolicy}, the media plane's convertible codecs to the codecs offered across
 * ({@link dev.parley.sdp.offeranswer.RelayCodecs}), and a negotiated stream to the
 * {@link dev.parley.mediaapi.MediaService}'s {@code EndpointParameters}.
 *
 * <p>Security rules, in one place: SDES keys (RFC 4568) travel in the SDP, so they are offered and accepted only on
 * legs whose signalling is TLS ({@link dev.parley.pbx.media.LegPolicy#maySendKeys()}); keys Parley sends with are
 * fresh {@link java.security.SecureRandom} bytes per leg and suite ({@link dev.parley.pbx.media.LegKeys}); nothing
 * here ever prints a key (the {@code parley-sdp} and {@code parley-media-api} types redact themselves).
 *
 * <p>Depends on {@code parley-sdp}, {@code parley-media-api}, the directory's {@code MediaPolicy} and the stack's
 * {@code Transport}; never on a media implementation, Netty or the call package.
 */
package dev.parley.pbx.media;
