package dev.parley.mediaapi;

import java.net.InetSocketAddress;

/**
 * Counters of one endpoint, read at any time (values are a consistent-enough snapshot, not atomic as a whole).
 *
 * @param latchedSource the source address media is actually coming from, or {@code null} before the first packet
 */
public record EndpointStats(
        long packetsReceived,
        long packetsSent,
        long bytesReceived,
        long bytesSent,
        long packetsDropped,
        long srtpFailures,
        InetSocketAddress latchedSource) {
}
