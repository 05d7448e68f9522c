/**
 * STUN (RFC 8489) as ICE uses it: a reusable, allocation-free message view ({@link dev.parley.rtp.stun.StunMessage})
 * whose {@code wrap} returns a {@link dev.parley.rtp.stun.StunStatus} instead of throwing on bad bytes, a writer
 * that builds messages into a caller's buffer ({@link dev.parley.rtp.stun.StunWriter}), MESSAGE-INTEGRITY and
 * MESSAGE-INTEGRITY-SHA256 with short- or long-term keys ({@link dev.parley.rtp.stun.StunKey}), FINGERPRINT, and
 * the attributes ICE needs (XOR-MAPPED-ADDRESS, USERNAME, ERROR-CODE, PRIORITY, USE-CANDIDATE, ICE-CONTROLLING,
 * ICE-CONTROLLED). Checked against RFC 5769's sample messages.
 *
 * <p>Depends on {@code dev.parley.rtp} and the JDK only ({@code javax.crypto} for HMAC, {@code java.security}
 * for MD5, {@code java.util.zip} for CRC-32). No I/O, no threads: addresses are {@link
 * dev.parley.rtp.stun.TransportAddress} values, never {@code java.net} objects.
 */
package dev.parley.rtp.stun;
