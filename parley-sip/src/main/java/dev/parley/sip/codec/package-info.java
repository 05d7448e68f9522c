/**
 * SIP messages to and from bytes (RFC 3261 §7, §18): a parser for one whole datagram, an incremental framer for
 * stream transports, and a serializer that writes canonical messages. No I/O: bytes in, values out.
 *
 * <p>Malformed input is a value ({@link dev.parley.sip.codec.ParseResult.Malformed}), never an exception.
 * Depends on {@code message}, {@code header}, {@code uri} and {@code text}.
 */
package dev.parley.sip.codec;
