/**
 * The UDP port pool: even RTP / odd RTCP pairs, reused last; pairs parked bound in an idle cache count as available.
 * Bookkeeping only; depends on the JDK alone.
 */
package dev.parley.media.port;
