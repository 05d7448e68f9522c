/**
 * Sans-I/O media protocols: the RTP packet view (RFC 3550 §5.1, RFC 8285 header extensions), the
 * {@link dev.parley.rtp.PacketBuffer} every hot path transforms in place, and the RFC 5761 RTP/RTCP demux rule.
 * Sub-packages: {@code rtcp} (RFC 3550 §6, RFC 4585, RFC 5104), {@code event} (RFC 4733), {@code srtp}
 * (RFC 3711, RFC 7714). No I/O, no threads, no Netty: byte arrays in, byte arrays and status values out. Depends on
 * the JDK (and {@code javax.crypto} for SRTP) only.
 */
package dev.parley.rtp;
