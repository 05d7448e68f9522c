/**
 * Payload conversions the relay applies when two legs share no codec: G.711 μ-law/A-law (tables, JDK alone) and
 * Opus (RFC 6716) to and from 8 kHz linear PCM on Concentus, a pure-Java port of libopus. Sans-I/O: byte and sample
 * arrays in, byte and sample arrays out; RTP framing, timestamps and loss handling live in the relay.
 */
package dev.parley.media.codec;
