/**
 * Bytes and text helpers that every Parley layer shares.
 *
 * <p>Depends on the JDK only. Nothing here knows SIP, SDP, RTP or any I/O.
 */
package dev.parley.common;
