/**
 * SIP transports on Netty (RFC 3261 §18): UDP, TCP and TLS listeners, outbound connections with reuse
 * (§18.1.1), the {@code received}/{@code rport} stamping of arriving requests (§18.2.1, RFC 3581) and the
 * connection protections a public SIP port needs (per-address and total caps, idle timeouts for connections that
 * have not authenticated). Handlers here only frame, decode and adapt: parsing is {@code parley-sip}'s, transaction
 * matching is {@code dev.parley.sipstack.transaction}'s. Everything above sees a connection or a UDP peer only as a
 * {@link dev.parley.sipstack.flow.Flow}.
 *
 * <p>Depends on {@code parley-sip}, {@code parley-common}, the flow SPI, Netty and the JDK's TLS.
 */
package dev.parley.sipstack.transport;
