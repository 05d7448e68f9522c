package dev.parley.media;

import com.sun.management.OperatingSystemMXBean;
import dev.parley.mediaapi.EndpointRequest;
import dev.parley.mediaapi.LocalMedia;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;

/**
 * Not a test: what one endpoint's open and close cost, for the idle-pair cache's A/B (docs/benchmarks.md, SIP load,
 * third session of 6 December). Opens endpoints at {@code RATE} per second on two event loops, closes each once 100
 * newer ones are open (as short calls do), and prints the process CPU time per open + close over {@code SECONDS}
 * after a 5 s warm-up (JIT; the idle pairs fill). Ports 40000-49999 of 127.0.0.1.
 *
 * <pre>java --enable-native-access=ALL-UNNAMED -cp parley-bench/target/benchmarks.jar \
 *     parley-media/src/test/java/dev/parley/media/EndpointChurn.java 1500 10</pre>
 */
public final class EndpointChurn {
    private EndpointChurn() {
    }

    public static void main(String[] args) throws Exception {
        int rate = Integer.parseInt(args[0]);
        int seconds = Integer.parseInt(args[1]);
        InetAddress loopback = InetAddress.getLoopbackAddress();
        NettyMediaService media = new NettyMediaService(MediaSettings.defaults(loopback, loopback)
                .withPortRange(40000, 49999).withEventLoops(2));
        media.start();
        OperatingSystemMXBean os = (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        ArrayDeque<LocalMedia> live = new ArrayDeque<>();
        try {
            for (int phase = 0; phase < 2; phase++) {
                long duration = (phase == 0 ? 5 : seconds) * 1_000_000_000L;
                long cpu0 = os.getProcessCpuTime();
                long t0 = System.nanoTime();
                long opened = 0;
                while (System.nanoTime() - t0 < duration) {
                    long due = (System.nanoTime() - t0) * rate / 1_000_000_000L;
                    while (opened < due) {
                        live.add(media.open(new EndpointRequest("churn")).toCompletableFuture().join());
                        opened++;
                        if (live.size() > 100) {
                            media.close(live.poll().id());
                        }
                    }
                    Thread.sleep(2);
                }
                long cpu = os.getProcessCpuTime() - cpu0;
                if (phase == 1) {
                    System.out.printf("endpoints=%d cpu_ms=%.1f cpu_us_per_open_close=%.1f loadavg=%s%n", opened,
                            cpu / 1e6, cpu / 1e3 / opened, Files.readString(Path.of("/proc/loadavg")).trim());
                }
            }
        } finally {
            media.stop();
        }
    }
}
