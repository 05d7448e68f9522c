package dev.parley.sdp.offeranswer;

import dev.parley.sdp.attribute.CryptoSuite;

/**
 * Fresh SRTP master key material for Parley's own {@code a=crypto} lines, from the caller's random source (the
 * offer/answer functions make no randomness themselves, so they stay pure and testable). RFC 4568 §6.1: a new key
 * for every offer or answer that carries one; never reuse the peer's key.
 */
@FunctionalInterface
public interface KeySupplier {

    /** {@link CryptoSuite#keySaltLength()} fresh random bytes: the master key followed by the master salt. */
    byte[] keySalt(CryptoSuite suite);
}
