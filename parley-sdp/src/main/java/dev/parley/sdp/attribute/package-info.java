/**
 * Typed values of the SDP attributes Parley reads: one record or enum per attribute, each with a
 * {@code parse(String value)} that returns empty for malformed text (never throws) and a {@code value()} that writes
 * the text after {@code a=<name>:} back. The raw attribute stays in the session description byte for byte; these
 * types are views and the means to write new attributes.
 *
 * <p>Depends on the JDK and {@code parley-common} only; knows nothing of the session description around it.
 */
package dev.parley.sdp.attribute;
