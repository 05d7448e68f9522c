/**
 * ICE-lite (RFC 8445 §2.5) as the always-controlled agent a browser talks to: {@link
 * dev.parley.rtp.ice.IceLiteAgent} answers the browser's connectivity checks, records the nominated pair as the
 * selected 5-tuple and watches consent freshness (RFC 7675); {@link dev.parley.rtp.ice.IceCredentials} makes the
 * local ufrag and password; {@link dev.parley.rtp.ice.IceDemuxTable} lets many agents share one UDP port.
 * Sans-I/O: bytes, a source address and the {@link dev.parley.common.Scheduler}'s time in; response bytes, a
 * {@link dev.parley.rtp.ice.IceCheckOutcome} and listener events out. Depends on {@code dev.parley.rtp},
 * {@code dev.parley.rtp.stun}, {@code parley-common} and the JDK.
 */
package dev.parley.rtp.ice;
