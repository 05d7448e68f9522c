/**
 * SDP (RFC 8866): the immutable model ({@link dev.parley.sdp.SessionDescription},
 * {@link dev.parley.sdp.MediaDescription}), {@link dev.parley.sdp.SdpParser} (malformed input is a value, limits
 * in {@link dev.parley.sdp.SdpLimits}), {@link dev.parley.sdp.SdpSerializer} (round-trips byte for byte) and
 * {@link dev.parley.sdp.SdpRedaction} for logging. Typed attribute values live in {@code attribute}; offer/answer
 * (RFC 3264) in {@code offeranswer}.
 *
 * <p>May import {@code dev.parley.sdp.attribute}, {@code parley-common} and the JDK; no I/O, no DNS.
 */
package dev.parley.sdp;
