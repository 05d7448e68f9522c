/**
 * Parley's HTTPS server: one TLS port on Jetty 12 (through Javalin 7) for the static assets, the REST API under
 * {@code /api} and SIP over WebSocket at {@code /ws}, and an optional plain-HTTP port that only redirects.
 *
 * <p>May import {@code parley-common}, {@code parley-pbx}, and of {@code parley-sip-stack} only the flow SPI
 * ({@code dev.parley.sipstack.flow}) and the TLS profile ({@code dev.parley.sipstack.tls}); never Netty, the stack's engines, the store or the media
 * plane. {@code LayeringTest} enforces it.
 */
package dev.parley.web;
