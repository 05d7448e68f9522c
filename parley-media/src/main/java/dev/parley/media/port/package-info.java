/** The UDP port pool: even RTP / odd RTCP pairs, reused last. Bookkeeping only; depends on the JDK alone. */
package dev.parley.media.port;
