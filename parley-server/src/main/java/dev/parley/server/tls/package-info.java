/**
 * The server's TLS certificate and key: loaded from PEM files, or generated self-signed on first start
 * ({@link dev.parley.server.tls.TlsMaterial}). Uses Bouncy Castle for PEM and X.509, the JDK for keys and
 * key managers.
 */
package dev.parley.server.tls;
