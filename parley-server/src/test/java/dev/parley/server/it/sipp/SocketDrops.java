package dev.parley.server.it.sipp;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What the kernel dropped at UDP sockets bound to a port range because their receive queue was full: the
 * {@code drops} column of {@code /proc/net/udp}, sampled every 50 ms while a test runs (a socket's row goes when it
 * closes, so the last value seen for each socket is kept), and the fullest receive queue seen. tcpdump on the
 * loopback sees such a datagram, the application never does. Also which of those sockets were seen connected, and
 * to which port: a connected UDP socket's row has state 01 (TCP_ESTABLISHED) and its peer in {@code rem_address}.
 * Only IPv4 sockets are listed there (a dual-stack socket is in {@code /proc/net/udp6}).
 */
final class SocketDrops implements AutoCloseable {
    private static final Path PROC = Path.of("/proc/net/udp");

    private final int min;
    private final int max;
    private final Thread sampler;
    /** By socket inode: the drops last seen. */
    private final Map<Long, Long> drops = new HashMap<>();
    private long fullestQueue;
    /** "localPort>remotePort" of the sockets seen connected, with the local address 127.0.0.1. */
    private final Set<String> connectedOnLoopback = new HashSet<>();
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
            // addresses are hex ADDR:PORT, the address in host byte order: 0100007F is 127.0.0.1
            if ("01".equals(f[3]) && f[1].startsWith("0100007F:")) {
                connectedOnLoopback.add(port + ">" + Integer.parseInt(f[2].substring(f[2].indexOf(':') + 1), 16));
            }
        }
    }

    /** Datagrams dropped at full receive queues so far. */
    synchronized long dropped() {
        return drops.values().stream().mapToLong(Long::longValue).sum();
    }

    /**
     * "localPort>remotePort" of every IPv4 socket of the range seen connected with the local address 127.0.0.1 (the
     * one a wildcard-bound socket's connect fixes for a peer on the loopback).
     */
    synchronized Set<String> connectedOnLoopback() {
        return Set.copyOf(connectedOnLoopback);
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
