/**
 * SIP, SIPS and tel URIs (RFC 3261 §19.1, RFC 3966) and any other absolute URI (RFC 3986 §3.1): strict parsing,
 * canonical serialization, and the equivalence rules each scheme defines (RFC 3261 §19.1.4, RFC 3966 §4,
 * RFC 5118 for IPv6 hosts).
 *
 * <p>Everything here is immutable and does no I/O: a host name is never resolved, so {@code sip:bob@example.com}
 * and {@code sip:bob@192.0.2.4} stay different even if one resolves to the other, as §19.1.4 requires. Malformed
 * input raises {@link dev.parley.sip.text.SipSyntaxException} and nothing else.
 *
 * <p>Depends on {@code dev.parley.sip.text} (character classes, parameters, the syntax error),
 * {@code dev.parley.common} and the JDK only.
 */
package dev.parley.sip.uri;
