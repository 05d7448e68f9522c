/**
 * Browser-leg benchmarks: the server side's cost of DTLS-SRTP handshakes ({@link
 * dev.parley.bench.webrtc.DtlsServerCost}, the clients in a process of their own) and browser ↔ SIP calls through
 * Parley's media plane ({@link dev.parley.bench.webrtc.BrowserCallLoad}: ICE, DTLS, SRTP and consent played by
 * the generator with parley-rtp's own engines).
 */
package dev.parley.bench.webrtc;
