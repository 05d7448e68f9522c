package dev.parley.sipstack.transport;

import java.net.InetAddress;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Counts inbound connections per source address and in all, so one host (or a botnet) cannot take every file
 * descriptor: a connection over either cap is closed as soon as it is accepted, before a byte of it is read.
 */
final class ConnectionLimiter {

    /** The outcome of {@link #tryAcquire}. */
    enum Admission {
        ADMITTED,
        OVER_ADDRESS_CAP,
        OVER_TOTAL_CAP
    }

    private final int perAddress;
    private final int total;
    private final ConcurrentHashMap<InetAddress, Integer> byAddress = new ConcurrentHashMap<>();
    private final AtomicInteger all = new AtomicInteger();

    ConnectionLimiter(int perAddress, int total) {
        this.perAddress = perAddress;
        this.total = total;
    }

    /** Counts a new connection from {@code address} unless that would exceed a cap. */
    Admission tryAcquire(InetAddress address) {
        if (all.incrementAndGet() > total) {
            all.decrementAndGet();
            return Admission.OVER_TOTAL_CAP;
        }
        boolean[] admitted = {false};
        byAddress.compute(address, (k, n) -> {
            int count = n == null ? 0 : n;
            if (count >= perAddress) {
                return n;
            }
            admitted[0] = true;
            return count + 1;
        });
        if (!admitted[0]) {
            all.decrementAndGet();
            return Admission.OVER_ADDRESS_CAP;
        }
        return Admission.ADMITTED;
    }

    /** Forgets one admitted connection from {@code address}. */
    void release(InetAddress address) {
        byAddress.computeIfPresent(address, (k, n) -> n <= 1 ? null : n - 1);
        all.decrementAndGet();
    }

    int count() {
        return all.get();
    }

    int count(InetAddress address) {
        return byAddress.getOrDefault(address, 0);
    }
}
