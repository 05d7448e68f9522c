package dev.parley.sipstack;

import dev.parley.sipstack.transaction.TimerSettings;
import dev.parley.sipstack.transport.TransportConfig;
import java.util.Objects;

/**
 * How the stack is set up.
 *
 * @param transports listeners, TLS material, limits and connection protection
 * @param timers RFC 3261 T1/T2/T4
 * @param lanes how many serial lanes carry calls (default: twice the cores: lanes only run short tasks)
 * @param advertisedHost the host Parley writes in Via sent-by and Contact (an IP or a name peers can reach); when
 *     null, the bind address, or 127.0.0.1 when bound to the wildcard address
 */
public record StackConfig(TransportConfig transports, TimerSettings timers, int lanes, String advertisedHost) {
    public StackConfig {
        Objects.requireNonNull(transports, "transports");
        Objects.requireNonNull(timers, "timers");
        if (lanes < 1) {
            throw new IllegalArgumentException("lanes must be at least 1, not " + lanes);
        }
    }

    public static StackConfig of(TransportConfig transports) {
        return new StackConfig(transports, TimerSettings.DEFAULT, 2 * Runtime.getRuntime().availableProcessors(),
                null);
    }

    public StackConfig withAdvertisedHost(String host) {
        return new StackConfig(transports, timers, lanes, host);
    }

    public StackConfig withLanes(int count) {
        return new StackConfig(transports, timers, count, advertisedHost);
    }
}
