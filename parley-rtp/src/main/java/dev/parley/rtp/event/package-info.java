/**
 * RFC 4733 telephone events (DTMF and friends) carried in RTP: the payload view and writer, and a sans-I/O
 * detector that turns a stream of event packets into one "ended" per event. Depends on {@code dev.parley.rtp}
 * and the JDK only.
 */
package dev.parley.rtp.event;
