package dev.parley.bench.media;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

/** CPU time of a process and UDP drop counters, read from {@code /proc} (Linux). */
final class ProcStats {
    /** USER_HZ: clock ticks per second of utime/stime in /proc/PID/stat (100 on every Linux build in use). */
    private static final long TICKS_PER_SECOND = 100;

    private ProcStats() {
    }

    /** utime + stime of all the process's threads, in nanoseconds; -1 when unreadable. */
    static long cpuNanos(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", pid < 0 ? "self" : Long.toString(pid), "stat"));
            // fields after "(comm) " start at field 3; utime is field 14, stime 15 (proc(5))
            String[] f = stat.substring(stat.lastIndexOf(") ") + 2).split(" ");
            long ticks = Long.parseLong(f[11]) + Long.parseLong(f[12]);
            return ticks * 1_000_000_000L / TICKS_PER_SECOND;
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /**
     * CPU time the whole machine spent busy (user, nice, system, irq, softirq, steal of /proc/stat's {@code cpu}
     * line, all cores), in nanoseconds; -1 when unreadable. Less the relay's and the generator's own, it is what
     * other processes took during a step: a tail in a step where they took a tenth of a core says little of the relay.
     */
    static long machineBusyNanos() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/stat"))) {
                if (line.startsWith("cpu ")) {
                    String[] f = line.trim().split("\\s+");
                    long ticks = 0;
                    for (int i : new int[] {1, 2, 3, 6, 7, 8}) {
                        ticks += Long.parseLong(f[i]);
                    }
                    return ticks * 1_000_000_000L / TICKS_PER_SECOND;
                }
            }
        } catch (IOException | RuntimeException e) {
            return -1;
        }
        return -1;
    }

    /**
     * The sum of the {@code drops} column of /proc/net/udp and /proc/net/udp6 for sockets bound to these local
     * ports (Netty's native sockets are IPv6 dual-stack even when bound to 127.0.0.1: they are listed in udp6).
     */
    static long socketDrops(Set<Integer> localPorts) {
        long drops = 0;
        try {
            for (String table : List.of("/proc/net/udp", "/proc/net/udp6")) {
                List<String> lines = Files.readAllLines(Path.of(table));
                for (String line : lines.subList(1, lines.size())) {
                    String[] f = line.trim().split("\\s+");
                    int port = Integer.parseInt(f[1].substring(f[1].lastIndexOf(':') + 1), 16);
                    if (localPorts.contains(port)) {
                        drops += Long.parseLong(f[f.length - 1]);
                    }
                }
            }
        } catch (IOException | RuntimeException e) {
            return -1;
        }
        return drops;
    }

    /** UDP RcvbufErrors of the whole machine (/proc/net/snmp): datagrams dropped at a full socket buffer. */
    static long udpReceiveBufferErrors() {
        try {
            List<String> lines = Files.readAllLines(Path.of("/proc/net/snmp"));
            for (int i = 0; i + 1 < lines.size(); i++) {
                if (lines.get(i).startsWith("Udp: ") && lines.get(i + 1).startsWith("Udp: ")) {
                    List<String> names = List.of(lines.get(i).split(" "));
                    String[] values = lines.get(i + 1).split(" ");
                    return Long.parseLong(values[names.indexOf("RcvbufErrors")]);
                }
            }
        } catch (IOException | RuntimeException e) {
            return -1;
        }
        return -1;
    }
}
