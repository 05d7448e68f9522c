package dev.parley.server.it;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * What crossed the loopback: {@code tcpdump -i lo} (Debian package {@code tcpdump}) writing UDP to or from a port
 * range into a pcap file, read back here without any library. The test sees the wire as an eavesdropper would.
 *
 * <p>pcap (libpcap's file format): a 24-byte global header whose magic says the byte order and the time unit, then
 * for each packet a 16-byte record header and the captured bytes. Linux captures the loopback as Ethernet
 * (link type 1, 14-byte header); the cooked link types 113 and 276 are read too.
 */
public final class LoopbackCapture implements AutoCloseable {
    private static final Path TCPDUMP = Path.of("/usr/bin/tcpdump");
    /** The largest capture read back: 100 calls of 30 s in both directions make about 150 MB. */
    private static final long MAX_CAPTURE = 1L << 30;

    /** One UDP datagram: ports, payload, and when tcpdump saw it (microseconds since the epoch). */
    public record Datagram(int sourcePort, int destinationPort, byte[] payload, long micros) {
        /** The port of the pair that lies in {@code [min, max]}, or -1. */
        public int portIn(int min, int max) {
            if (sourcePort >= min && sourcePort <= max) {
                return sourcePort;
            }
            return destinationPort >= min && destinationPort <= max ? destinationPort : -1;
        }
    }

    private final Path file;
    private final Process process;
    private final Path log;

    private LoopbackCapture(Path file, Process process, Path log) {
        this.file = file;
        this.process = process;
        this.log = log;
    }

    /** Starts capturing UDP whose source or destination port is in {@code [min, max]}; returns once it listens. */
    public static LoopbackCapture udpPorts(Path dir, int min, int max) throws IOException, InterruptedException {
        return udpPorts(dir, min, max, 0);
    }

    /**
     * As {@link #udpPorts(Path, int, int)}, keeping only the first {@code snapLength} bytes of each frame (0: all),
     * for captures that count packets rather than read payloads; with a 32 MiB kernel buffer so a burst is not lost.
     */
    public static LoopbackCapture udpPorts(Path dir, int min, int max, int snapLength)
            throws IOException, InterruptedException {
        return udp(dir, "portrange " + min + "-" + max, snapLength);
    }

    /**
     * Captures UDP matching the pcap-filter expression {@code filter} (e.g. {@code "portrange 40000-40999 or port
     * 5062"}): one file, so the order of the datagrams read back is the order they crossed the loopback, SIP and
     * RTP together.
     */
    public static LoopbackCapture udp(Path dir, String filter, int snapLength)
            throws IOException, InterruptedException {
        if (!Files.isExecutable(TCPDUMP)) {
            throw new IllegalStateException("this test captures the loopback with tcpdump: install the Debian"
                    + " package 'tcpdump'");
        }
        Path file = dir.resolve("loopback.pcap");
        Path log = dir.resolve("tcpdump.log");
        Process p = new ProcessBuilder(TCPDUMP.toString(), "-i", "lo", "-n", "-U", "-B", "32768",
                "-s", Integer.toString(snapLength), "-w", file.toString(), "udp and (" + filter + ")")
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        long end = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!Files.readString(log, UTF_8).contains("listening on")) {
            if (!p.isAlive() || System.nanoTime() - end > 0) {
                p.destroyForcibly();
                throw new IllegalStateException("tcpdump did not start capturing: " + Files.readString(log, UTF_8));
            }
            Thread.sleep(20);
        }
        return new LoopbackCapture(file, p, log);
    }

    /** Stops tcpdump (SIGTERM: it flushes and closes the file) and reads what it captured. */
    public List<Datagram> stop() throws IOException, InterruptedException {
        close();
        return read(file);
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            process.destroy();
            try {
                if (!process.waitFor(10, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** The UDP datagrams over IPv4 in a pcap file. */
    public static List<Datagram> read(Path pcap) throws IOException {
        long size = Files.size(pcap);
        if (size > MAX_CAPTURE) {
            // a failed assertion, not an OutOfMemoryError that takes the test JVM down with every later test
            throw new IOException(pcap + " holds " + size + " bytes, more than any test here sends: packets"
                    + " looping between two peers through the server, or another process sending to these ports");
        }
        ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(pcap));
        if (b.remaining() < 24) {
            throw new IOException(pcap + " is too short for a pcap file");
        }
        int magic = b.order(ByteOrder.LITTLE_ENDIAN).getInt(0);
        boolean nanos;
        if (magic != 0xa1b2c3d4 && magic != 0xa1b23c4d) {
            b.order(ByteOrder.BIG_ENDIAN);
            magic = b.getInt(0);
            if (magic != 0xa1b2c3d4 && magic != 0xa1b23c4d) {
                throw new IOException(pcap + " is not a pcap file");
            }
        }
        nanos = magic == 0xa1b23c4d;
        int linkType = b.getInt(20);
        int linkHeader = switch (linkType) {
            case 1 -> 14; // Ethernet: Linux's loopback
            case 113 -> 16; // Linux cooked (SLL)
            case 276 -> 20; // SLL2
            case 0 -> 4; // BSD loopback
            default -> throw new IOException(pcap + ": link type " + linkType + " is not read here");
        };
        List<Datagram> out = new ArrayList<>();
        int pos = 24;
        while (pos + 16 <= b.limit()) {
            long micros = (b.getInt(pos) & 0xffffffffL) * 1_000_000
                    + (b.getInt(pos + 4) & 0xffffffffL) / (nanos ? 1_000 : 1);
            int captured = b.getInt(pos + 8);
            int start = pos + 16;
            pos = start + captured;
            if (pos > b.limit() || captured < linkHeader + 28) {
                break; // a record cut short when tcpdump stopped
            }
            int ip = start + linkHeader;
            if ((b.get(ip) & 0xf0) != 0x40 || b.get(ip + 9) != 17) {
                continue; // IPv4 and UDP only
            }
            int udp = ip + (b.get(ip) & 0x0f) * 4;
            ByteBuffer be = b.duplicate().order(ByteOrder.BIG_ENDIAN);
            int sourcePort = be.getShort(udp) & 0xffff;
            int destinationPort = be.getShort(udp + 2) & 0xffff;
            int length = (be.getShort(udp + 4) & 0xffff) - 8;
            int available = Math.min(length, start + captured - udp - 8);
            if (available < 0) {
                continue;
            }
            byte[] payload = Arrays.copyOfRange(b.array(), udp + 8, udp + 8 + available);
            out.add(new Datagram(sourcePort, destinationPort, payload, micros));
        }
        return out;
    }

    /** tcpdump's own output (its packet count at the end), for a failure message. */
    public String log() {
        try {
            return Files.readString(log, UTF_8);
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }
}
