/**
 * Immutable SIP messages (RFC 3261 §7): requests and responses, their ordered header fields with typed access, a
 * body, and builders. Typed values of the headers a transaction needs are read (and so checked) by the parser;
 * the others are read on first access and cached.
 *
 * <p>Depends on {@code header}, {@code uri} and {@code text}; knows nothing of bytes on a wire (see {@code codec}).
 */
package dev.parley.sip.message;
