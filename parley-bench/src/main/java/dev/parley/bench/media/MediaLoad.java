package dev.parley.bench.media;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The media relay benchmark (issue 4): ramps the number of concurrent 20 ms G.711 calls through each relay, the
 * relays taking turns step by step so that both meet the same machine load, and stops a relay at its first step
 * with any loss (after {@code --retries} repeats of that step, which rule out a burst of other work on this shared
 * machine). Before the ramp of each mode every relay gets one unrecorded warm-up step ({@code --warm-calls} for
 * {@code --warm-seconds}), so that a JVM relay is measured compiled. The highest loss-free step is the number of
 * concurrent calls the relay's one core sustains.
 *
 * <pre>
 * java -cp benchmarks.jar dev.parley.bench.media.MediaLoad --relays parley,rtpengine --modes rtp,srtp
 *     --parley-control 127.0.0.1:PORT --rtpengine-ng 127.0.0.1:PORT --rtpengine-pid PID
 *     [--calls 100,250,500,1000] [--seconds 20] [--warmup 3] [--drain-ms 1000] [--tick-us 100] [--retries 1]
 *     [--verify-every 16]
 *     [--warm-calls 200] [--warm-seconds 10] [--out DIR] [--parley-gc-log FILE]
 * </pre>
 *
 * A loss-free step where the generator used over 0.9 of its core, or left more than 1 % of its sends over 1 ms late
 * or skipped them in the window, is marked {@code pass-generator-limited}: the relay kept up with what was offered,
 * but the offer was not the smooth train intended (the generator, or the machine's other work, set the pace).
 */
public final class MediaLoad {
    private static final String HEADER = "mode,relay,calls,attempt,verdict,sent,received,lost,unknown,rtcp,misrouted,"
            + "srtp_failures,relayed_pps,relay_cpu_cores,pps_per_core,generator_cpu_cores,p50_us,p99_us,p999_us,"
            + "max_us,latency_samples,late_sends,skipped,max_lateness_us,generator_socket_drops,udp_rcvbuf_errors,"
            + "loadavg";
    /** After the GC columns: where a step's loss was (kernel drops over the whole step, the relay's own counts). */
    private static final String LOSS_HEADER = "step_socket_drops,step_udp_rcvbuf_errors,lossy_streams,"
            + "lost_at_start,relay_counters";
    /**
     * After the loss columns: the SRTP packets the generator authenticated and decrypted with jitsi-srtp (its
     * sample, {@code --verify-every}), and datagrams the kernel refused to send (a full send buffer; neither sent
     * nor lost), and the CPU other processes took in the window (cores; the machine's busy time less the relay's and
     * the generator's).
     */
    private static final String CHECK_HEADER = "verified,send_refused,window_skipped,other_cpu_cores";
    /**
     * Last: the send-to-socket latency (µs), from a CLOCK_REALTIME stamp just before a sampled packet's own sendmmsg
     * to the kernel's receive stamp (SO_TIMESTAMPNS) at the generator's socket: the relay's queueing, processing
     * and send without the generator's own delays, which the make-to-read {@code p50_us...} columns include (see
     * {@link LoadGenerator}); its samples, and stamped packets that arrived without the kernel's stamp.
     */
    private static final String SEND_TO_SOCKET_HEADER = "send_to_sock_p50_us,send_to_sock_p99_us,"
            + "send_to_sock_p999_us,send_to_sock_max_us,send_to_sock_samples,send_to_sock_unstamped";

    private MediaLoad() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> o = options(args);
        List<String> relayNames = List.of(o.getOrDefault("relays", "parley,rtpengine").split(","));
        List<String> modes = List.of(o.getOrDefault("modes", "rtp,srtp").split(","));
        List<Integer> steps = new ArrayList<>();
        for (String c : o.getOrDefault("calls", "100,250,500,1000,1500,2000,3000,4000").split(",")) {
            steps.add(Integer.parseInt(c.trim()));
        }
        int seconds = Integer.parseInt(o.getOrDefault("seconds", "20"));
        int warmup = Integer.parseInt(o.getOrDefault("warmup", "3"));
        int drainMillis = Integer.parseInt(o.getOrDefault("drain-ms", "1000"));
        long tickMicros = Long.parseLong(o.getOrDefault("tick-us", "100"));
        int verifyEvery = Integer.parseInt(o.getOrDefault("verify-every",
                Integer.toString(LoadGenerator.DEFAULT_VERIFY_EVERY)));
        int retries = Integer.parseInt(o.getOrDefault("retries", "1"));
        int warmCalls = Integer.parseInt(o.getOrDefault("warm-calls", "200"));
        int warmSeconds = Integer.parseInt(o.getOrDefault("warm-seconds", "10"));
        Path out = Path.of(o.getOrDefault("out", "."));
        Files.createDirectories(out);
        Path stepsCsv = out.resolve("steps.csv");
        // the measured steps' slow 10 ms slots, with UTC times to lay beside the relay's logs
        Path timelineCsv = out.resolve("latency-timeline.csv");
        Files.writeString(timelineCsv, LatencyTimeline.HEADER + "\n");
        Files.writeString(stepsCsv, HEADER + "," + GcPauses.HEADER + "," + LOSS_HEADER + "," + CHECK_HEADER + ","
                + SEND_TO_SOCKET_HEADER + "\n");
        // the Parley relay's GC log (GC_LOG=1): its pauses per step go into the step's row and log line
        GcPauses parleyGc = o.containsKey("parley-gc-log") ? new GcPauses(Path.of(o.get("parley-gc-log"))) : null;

        List<Relay> relays = new ArrayList<>();
        for (String name : relayNames) {
            relays.add(switch (name) {
                case "parley" -> new ParleyRelay(address(o.get("parley-control"), "--parley-control"));
                case "rtpengine" -> new RtpengineRelay(address(o.get("rtpengine-ng"), "--rtpengine-ng"),
                        Long.parseLong(o.getOrDefault("rtpengine-pid", "-1")));
                case "direct" -> new DirectRelay();
                case "echo" -> new EchoRelay();
                default -> throw new IllegalArgumentException("unknown relay " + name
                        + " (parley, rtpengine, direct, echo)");
            });
        }
        List<String> summary = new ArrayList<>();
        summary.add("mode,relay,calls_sustained,stopped_at,stop_reason,relayed_pps,relay_cpu_cores,pps_per_core,"
                + "p50_us,p99_us,generator_cpu_cores,verdict_at_sustained,send_to_sock_p50_us,send_to_sock_p99_us");
        int stepNumber = 0;
        try (LoadGenerator generator = new LoadGenerator(tickMicros, verifyEvery)) {
            log("generator sockets " + generator.addressA() + " and " + generator.addressB() + ", pid "
                    + ProcessHandle.current().pid() + "; SRTP received checked with jitsi-srtp: each stream's first "
                    + "packet and 1 in " + verifyEvery + " after");
            for (String mode : modes) {
                boolean srtp = switch (mode) {
                    case "rtp" -> false;
                    case "srtp" -> true;
                    default -> throw new IllegalArgumentException("mode must be rtp or srtp, was " + mode);
                };
                Relay.Side a = new Relay.Side(generator.addressA(), srtp ? SdesKey.random() : null);
                Relay.Side b = new Relay.Side(generator.addressB(), srtp ? SdesKey.random() : null);
                // one unrecorded step per relay first: a JVM relay compiles its hot path in the first seconds
                for (Relay relay : relays) {
                    if (warmCalls > 0) {
                        stepNumber++;
                        long setupFrom = System.currentTimeMillis();
                        List<Relay.RelayedCall> set = LoadGenerator.setUpCalls(relay, warmCalls, a, b, srtp);
                        long windowFrom = System.currentTimeMillis() + 50;
                        LoadGenerator.StepResult r = generator.run(stepNumber, set, a, b, srtp, relay.pid(), 0,
                                warmSeconds, drainMillis);
                        for (Relay.RelayedCall call : set) {
                            relay.tearDown(call);
                        }
                        String counters = relay.counters();
                        String gc = gcColumns(parleyGc, relay, setupFrom, windowFrom, warmSeconds);
                        Files.writeString(stepsCsv, String.join(",", row(mode, relay.name(), warmCalls, 0, "warm-up",
                                r)) + "," + gc + "," + lossColumns(r, counters) + "," + checkColumns(r) + "\n",
                                StandardCharsets.UTF_8, StandardOpenOption.APPEND);
                        log(describe(mode, relay.name(), 0, "warm-up", r) + gcLine(parleyGc, relay, setupFrom,
                                windowFrom, warmSeconds) + lossLine(r, counters));
                    }
                }
                Map<String, String[]> best = new HashMap<>();
                Map<String, String> bestSendToSocket = new HashMap<>();
                Map<String, String> stopped = new LinkedHashMap<>();
                for (int calls : steps) {
                    for (Relay relay : relays) {
                        if (stopped.containsKey(relay.name())) {
                            continue;
                        }
                        String verdict = "fail";
                        for (int attempt = 1; attempt <= 1 + retries; attempt++) {
                            stepNumber++;
                            String[] row;
                            List<Relay.RelayedCall> set;
                            long setupFrom = System.currentTimeMillis();
                            try {
                                set = LoadGenerator.setUpCalls(relay, calls, a, b, srtp);
                            } catch (IOException e) {
                                log(mode + " " + relay.name() + " " + calls + " calls: set-up failed: "
                                        + e.getMessage());
                                verdict = "setup-failed";
                                break;
                            }
                            // the generator starts 50 ms after run() is called, then warms up before its window
                            long windowFrom = System.currentTimeMillis() + 50 + warmup * 1000L;
                            LoadGenerator.StepResult r = generator.run(stepNumber, set, a, b, srtp, relay.pid(),
                                    warmup, seconds, drainMillis);
                            for (Relay.RelayedCall call : set) {
                                relay.tearDown(call);
                            }
                            String counters = relay.counters();
                            boolean clean = r.lost() == 0 && r.misrouted() == 0 && r.srtpFailures() == 0;
                            verdict = !clean ? "loss" : r.generatorLimited() ? "pass-generator-limited" : "pass";
                            row = row(mode, relay.name(), calls, attempt, verdict, r);
                            Files.writeString(stepsCsv, String.join(",", row) + ","
                                    + gcColumns(parleyGc, relay, setupFrom, windowFrom, seconds) + ","
                                    + lossColumns(r, counters) + "," + checkColumns(r) + "\n",
                                    StandardCharsets.UTF_8, StandardOpenOption.APPEND);
                            Files.write(timelineCsv, r.timeline().rowsOver(String.join(",",
                                    Integer.toString(stepNumber), mode, relay.name(), Integer.toString(calls),
                                    Integer.toString(attempt)), 1000), StandardOpenOption.APPEND);
                            log(describe(mode, relay.name(), attempt, verdict, r)
                                    + gcLine(parleyGc, relay, setupFrom, windowFrom, seconds) + lossLine(r, counters));
                            if (verdict.startsWith("pass")) {
                                best.put(relay.name(), row);
                                bestSendToSocket.put(relay.name(), r.sendToSocketP50() + "," + r.sendToSocketP99());
                                break;
                            }
                        }
                        if (!verdict.startsWith("pass")) {
                            stopped.put(relay.name(), calls + "," + verdict);
                        }
                    }
                }
                for (Relay relay : relays) {
                    String[] row = best.get(relay.name());
                    String stop = stopped.getOrDefault(relay.name(), "-,not reached");
                    summary.add(row == null
                            ? mode + "," + relay.name() + ",0," + stop + ",,,,,,,,,"
                            : String.join(",", mode, relay.name(), row[2], stop, row[12], row[13], row[14], row[16],
                                    row[17], row[15], row[4], bestSendToSocket.get(relay.name())));
                }
            }
        } finally {
            for (Relay relay : relays) {
                relay.close();
            }
        }
        Files.write(out.resolve("summary.csv"), summary);
        summary.forEach(System.out::println);
    }

    private static String[] row(String mode, String relay, int calls, int attempt, String verdict,
            LoadGenerator.StepResult r) throws IOException {
        return new String[] {mode, relay, Integer.toString(calls), Integer.toString(attempt), verdict,
            Long.toString(r.sent()), Long.toString(r.received()), Long.toString(r.lost()), Long.toString(r.unknown()),
            Long.toString(r.rtcp()), Long.toString(r.misrouted()), Long.toString(r.srtpFailures()),
            fmt(r.relayedPerSecond(), 0), fmt(r.relayCpuCores(), 3), fmt(r.perCore(), 0),
            fmt(r.generatorCpuCores(), 3), Long.toString(r.latencyP50()), Long.toString(r.latencyP99()),
            Long.toString(r.latencyP999()), Long.toString(r.latencyMax()), Long.toString(r.latencySamples()),
            Long.toString(r.lateSends()), Long.toString(r.skipped()), Long.toString(r.maxLatenessMicros()),
            Long.toString(r.generatorSocketDrops()), Long.toString(r.allUdpBufferDrops()),
            Files.readString(Path.of("/proc/loadavg")).split(" ")[0]};
    }

    /** The Parley relay's pauses in a step as CSV columns (empty for another relay or without its GC log). */
    private static String gcColumns(GcPauses gc, Relay relay, long setupFrom, long windowFrom, int seconds) {
        return gc == null || !relay.name().equals("parley") ? ",,,,,"
                : gc.columns(setupFrom, windowFrom, windowFrom + seconds * 1000L);
    }

    private static String gcLine(GcPauses gc, Relay relay, long setupFrom, long windowFrom, int seconds) {
        return gc == null || !relay.name().equals("parley") ? ""
                : gc.describe(setupFrom, windowFrom, windowFrom + seconds * 1000L);
    }

    private static String lossColumns(LoadGenerator.StepResult r, String relayCounters) {
        return r.stepSocketDrops() + "," + r.stepUdpBufferDrops() + "," + r.lossShape().lossyStreams() + ","
                + r.lossShape().lostAtStart() + "," + relayCounters;
    }

    private static String checkColumns(LoadGenerator.StepResult r) {
        return r.verified() + "," + r.sendRefused() + "," + r.windowSkipped() + "," + fmt(r.otherCpuCores(), 3) + ","
                + r.sendToSocketP50() + "," + r.sendToSocketP99() + "," + r.sendToSocketP999() + ","
                + r.sendToSocketMax() + "," + r.sendToSocketSamples() + "," + r.sendToSocketUnstamped();
    }

    /** For a step that lost packets: where (kernel drops over the whole step, per stream, the relay's counts). */
    private static String lossLine(LoadGenerator.StepResult r, String relayCounters) {
        return r.lost() == 0 ? "" : " | loss: step socket drops " + r.stepSocketDrops() + ", udp "
                + r.stepUdpBufferDrops() + "; " + r.lossShape() + (relayCounters.isEmpty() ? "" : "; relay "
                + relayCounters);
    }

    private static String describe(String mode, String relay, int attempt, String verdict,
            LoadGenerator.StepResult r) {
        return String.format(Locale.ROOT,
                "%-4s %-9s %5d calls #%d %-17s sent %d lost %d (gen drops %d, udp drops %d) misrouted %d srtp-fail %d"
                        + " of %d checked"
                        + " | %.0f pps, relay %.2f cores = %.0f pps/core"
                        + " | gen %.2f cores, late %d skipped %d (max %d µs), others %.2f cores"
                        + " | make-to-read p50 %d µs p99 %d µs p99.9 %d µs max %d µs,"
                        + " %d of %d 10 ms slots over 1 ms"
                        + " | send-to-socket p50 %d µs p99 %d µs p99.9 %d µs max %d µs (%d samples, %d unstamped)",
                mode, relay, r.calls(), attempt, verdict, r.sent(), r.lost(), r.generatorSocketDrops(),
                r.allUdpBufferDrops(), r.misrouted(), r.srtpFailures(), r.srtpFailures() + r.verified(),
                r.relayedPerSecond(), r.relayCpuCores(),
                r.perCore(), r.generatorCpuCores(), r.lateSends(), r.skipped(), r.maxLatenessMicros(),
                r.otherCpuCores(), r.latencyP50(),
                r.latencyP99(), r.latencyP999(), r.latencyMax(), r.timeline().slotsOver(1000),
                r.timeline().slots(), r.sendToSocketP50(), r.sendToSocketP99(), r.sendToSocketP999(),
                r.sendToSocketMax(), r.sendToSocketSamples(), r.sendToSocketUnstamped());
    }

    private static String fmt(double v, int decimals) {
        return Double.isNaN(v) ? "" : String.format(Locale.ROOT, "%." + decimals + "f", v);
    }

    private static InetSocketAddress address(String hostPort, String option) {
        if (hostPort == null) {
            throw new IllegalArgumentException(option + " HOST:PORT is required for this relay");
        }
        int colon = hostPort.lastIndexOf(':');
        return new InetSocketAddress(hostPort.substring(0, colon), Integer.parseInt(hostPort.substring(colon + 1)));
    }

    private static Map<String, String> options(String[] args) {
        Map<String, String> o = new HashMap<>();
        for (int i = 0; i < args.length; i++) {
            if (!args[i].startsWith("--") || i + 1 >= args.length) {
                throw new IllegalArgumentException("expected --name value pairs, got " + args[i]);
            }
            o.put(args[i].substring(2), args[++i]);
        }
        return o;
    }

    static void log(String message) {
        System.err.printf(Locale.ROOT, "[media-load %tT] %s%n", System.currentTimeMillis(), message);
    }
}
