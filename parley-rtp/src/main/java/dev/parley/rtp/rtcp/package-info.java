/**
 * RTCP (RFC 3550 §6): a cursor over compound packets, allocation-free typed views (SR, RR with report blocks,
 * SDES, BYE, APP, RFC 4585 transport and payload-specific feedback with generic NACK, PLI, RFC 5104 FIR, REMB
 * kept opaque) and a writer for the reports the media plane regenerates. Depends on {@code dev.parley.rtp} and the
 * JDK only; malformed input is an {@link dev.parley.rtp.rtcp.RtcpStatus}, never an exception.
 */
package dev.parley.rtp.rtcp;
