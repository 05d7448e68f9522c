/**
 * SIP over WebSocket (RFC 7118): the {@code /ws} endpoint that requires the {@code sip} subprotocol, and
 * {@link dev.parley.web.ws.WebSocketSipFlow}, one connection as a flow of the SIP stack's flow SPI.
 */
package dev.parley.web.ws;
