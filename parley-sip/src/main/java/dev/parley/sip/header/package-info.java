/**
 * SIP header fields (RFC 3261 §7.3, §20): names with their compact forms, the raw field as it travelled, and typed
 * values for the headers a B2BUA reads. Each typed value reads itself from a {@link dev.parley.sip.text.Cursor}
 * and writes its canonical form with {@code toString()}.
 *
 * <p>Depends on {@code dev.parley.sip.uri} and {@code dev.parley.sip.text}; never on messages or codecs.
 */
package dev.parley.sip.header;
