/**
 * Parley's one TLS profile (TLS 1.3/1.2, Mozilla intermediate suites in the server's order), shared by SIP over TLS
 * in {@code transport} and HTTPS/WSS in the web module, so the two can never drift apart.
 *
 * <p>Depends on the JDK ({@code javax.net.ssl}) only.
 */
package dev.parley.sipstack.tls;
