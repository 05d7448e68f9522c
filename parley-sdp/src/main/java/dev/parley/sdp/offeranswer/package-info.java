/**
 * Offer/answer (RFC 3264) as pure functions for a B2BUA media anchor: {@link dev.parley.sdp.offeranswer.OfferAnswer}
 * answers an offer under an {@link dev.parley.sdp.offeranswer.AnswerPolicy}, writes Parley's own offers, and checks
 * an answer against the offer it answers; each yields one {@link dev.parley.sdp.offeranswer.NegotiatedMedia} per
 * m-line, which the PBX turns into media-API records. No randomness and no I/O inside: keys and ports come in
 * through {@link dev.parley.sdp.offeranswer.KeySupplier} and {@link dev.parley.sdp.offeranswer.LocalPorts}.
 *
 * <p>May import {@code dev.parley.sdp}, {@code dev.parley.sdp.attribute}, {@code parley-common} and the JDK.
 */
package dev.parley.sdp.offeranswer;
