/**
 * HTTP Digest arithmetic for SIP (RFC 2617, RFC 7616, RFC 3261 §22.4, RFC 8760): the {@code algorithm} values and
 * the hashes that make {@code H(A1)}, {@code H(A2)}, {@code response} and {@code userhash}, plus the constant-time
 * comparison a server verifies a response with. Pure functions: no I/O, no header parsing, no nonce or password
 * policy — those belong to the header parser and to the registrar.
 *
 * <p>A leaf package: it depends on {@code dev.parley.common} and the JDK only, and no other
 * {@code dev.parley.sip} package.
 */
package dev.parley.sip.auth;
