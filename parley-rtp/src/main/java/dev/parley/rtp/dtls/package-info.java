/**
 * DTLS-SRTP (RFC 5763, RFC 5764): the DTLS 1.2 handshake that keys SRTP for browsers, on Bouncy Castle's
 * {@code bctls}.
 *
 * <p>One responsibility: turn datagrams from a peer into datagrams for the peer and, once the peer's certificate
 * matched the {@code a=fingerprint} of its SDP, into {@link dev.parley.rtp.dtls.DtlsSrtpKeys} for
 * {@link dev.parley.rtp.srtp.SrtpSender} and {@link dev.parley.rtp.srtp.SrtpReceiver}. It opens no socket: the
 * media plane demultiplexes DTLS from RTP and STUN (RFC 7983) and sends what the session hands out.
 *
 * <p>Why a thread here, when the rest of {@code parley-rtp} runs on its caller's thread: Bouncy Castle's DTLS
 * protocols ({@code DTLSServerProtocol.accept}, {@code DTLSClientProtocol.connect}) block in
 * {@code DatagramTransport.receive} and have no non-blocking form. {@link dev.parley.rtp.dtls.DtlsSrtpSession} runs
 * each one on its own virtual thread behind a queue, so the caller (a Netty event loop) only enqueues and never
 * waits; what the handshake produces is handed to an {@link java.util.concurrent.Executor} the caller chooses (its
 * event loop), so the caller's state stays single-threaded. The layering test allows threads in this package only.
 *
 * <p>May depend on: {@code dev.parley.rtp.srtp}, the JDK, Bouncy Castle ({@code bctls}, {@code bcpkix},
 * {@code bcprov}). Nothing here logs; failures are events whose text names the TLS alert, never key material.
 */
package dev.parley.rtp.dtls;
