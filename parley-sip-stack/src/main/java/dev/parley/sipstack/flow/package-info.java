/**
 * The flow SPI: one path for SIP messages between Parley and a peer (a UDP socket and a remote address, or one
 * TCP/TLS/WebSocket connection). Transports implement it; transactions, dialogs and the PBX only see flows. The web
 * module plugs WebSocket in by implementing {@link dev.parley.sipstack.flow.Flow} for its connections.
 *
 * <p>Depends on {@code parley-sip} and the JDK only.
 */
package dev.parley.sipstack.flow;
