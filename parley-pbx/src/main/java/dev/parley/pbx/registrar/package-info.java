/**
 * The registrar (RFC 3261 §10.3, RFC 3327 Path): bindings from addresses of record to contacts, kept through the
 * {@link dev.parley.pbx.registrar.BindingRepository} port with absolute expiry times so that a restart restores
 * them; and {@link dev.parley.pbx.registrar.RegistrarService}, the pure front door that combines bans,
 * authentication and registration into "respond with this" or "drop".
 *
 * <p>Depends on {@code parley-sip}, the flow SPI of {@code parley-sip-stack}, {@code dev.parley.pbx.directory},
 * {@code dev.parley.pbx.auth} and {@code dev.parley.pbx.security}. No sockets, no threads of its own.
 */
package dev.parley.pbx.registrar;
