package dev.parley.server.it.sipp;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What the kernel dropped at UDP sockets bound to a port range because their receive queue was full: the
 * {@code drops} column of {@code /proc/net/udp}, sampled every 50 ms while a test runs (a socket's row goes when it
 * closes, so the last value seen for each socket is kept), and the fullest receive queue seen. tcpdump on the
 * loopback sees such a datagram, the application never does.
 */
final class SocketDrops implements AutoCloseable {
    private static final Path PROC = Path.of("/proc/net/udp");

    private final int min;
    private final int max;
    private final Thread sampler;
    /** By socket inode: the drops last seen. */
    private final Map<Long, Long> drops = new HashMap<>();
    private long fullestQueue;
    private volatile boolean running = true;

    private SocketDrops(int min, int max) {
        this.min = min;
        this.max = max;
        this.sampler = Thread.ofPlatform().daemon().name("socket-drops").start(this::sample);
    }

    /** Starts sampling the sockets bound to {@code [min, max]}. */
    static SocketDrops sample(int min, int max) {
        return new SocketDrops(min, max);
    }

    private void sample() {
        while (running) {
            read();
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private synchronized void read() {
        List<String> lines;
        try {
            lines = Files.readAllLines(PROC);
        } catch (IOException e) {
            return;
        }
        for (String line : lines.subList(Math.min(1, lines.size()), lines.size())) {
            // sl local_address rem_address st tx_queue:rx_queue tr:tm->when retrnsmt uid timeout inode ref pointer drops
            String[] f = line.trim().split("\\s+");
            if (f.length < 13) {
                continue;
            }
            int port = Integer.parseInt(f[1].substring(f[1].indexOf(':') + 1), 16);
            if (port < min || port > max) {
                continue;
            }
            long rxQueue = Long.parseLong(f[4].substring(f[4].indexOf(':') + 1), 16);
            fullestQueue = Math.max(fullestQueue, rxQueue);
            drops.put(Long.parseLong(f[9]), Long.parseLong(f[f.length - 1]));
        }
    }

    /** Datagrams dropped at full receive queues so far. */
    synchronized long dropped() {
        return drops.values().stream().mapToLong(Long::longValue).sum();
    }

    /** The most bytes seen waiting in one socket's receive queue. */
    synchronized long fullestQueue() {
        return fullestQueue;
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        sampler.interrupt();
        sampler.join(1000);
        read();
    }
}
