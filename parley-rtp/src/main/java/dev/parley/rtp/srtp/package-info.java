/**
 * SRTP and SRTCP (RFC 3711, RFC 7714 AES-GCM) on the JDK's JCE: key derivation, packet transforms, rollover
 * counter estimation, replay windows and per-SSRC state. Sans-I/O and allocation-free per packet: byte arrays in
 * {@link dev.parley.rtp.PacketBuffer}s are transformed in place and every outcome is an {@link
 * dev.parley.rtp.srtp.SrtpStatus}. Depends on {@code dev.parley.rtp} and the JDK only (no Bouncy Castle).
 */
package dev.parley.rtp.srtp;
