/**
 * Browser-leg benchmarks: the server side's cost of DTLS-SRTP handshakes ({@link
 * dev.parley.bench.webrtc.DtlsServerCost}), the client in a process of its own.
 */
package dev.parley.bench.webrtc;
