package dev.parley.server.it.sipp;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.SocketException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs Debian's sipp 3.6.1 ({@code /usr/bin/sipp}) against Parley: one process per scenario, on 127.0.0.1 with a
 * local port the test chose, bounded by sipp's own {@code -timeout} (an error) and by a process timeout, with its
 * error log, message trace and statistics written into the test's directory.
 *
 * <pre>
 *   Sipp.Result r = Sipp.scenario("register", dir).remote(parleyPort).localPort(x)
 *           .service("101").credentials("alice-desk", "secret").run();
 *   assertThat(r.exitCode()).as(r.describe()).isZero();
 * </pre>
 *
 * <p>sipp's exit codes: 0 every call succeeded, 1 at least one failed, 97 stopped by command, 99 no call processed,
 * 255/254 fatal error (e.g. the port was taken).
 */
public final class Sipp {
    static final Path BINARY = Path.of("/usr/bin/sipp");
    private static final String LOCALHOST = "127.0.0.1";
    private static final AtomicInteger RUNS = new AtomicInteger();

    private final String scenario;
    private final Path dir;
    private int remotePort;
    private int localPort;
    private String transport = "u1";
    private int calls = 1;
    private Integer rate;
    private Integer limit;
    private Duration timeout = Duration.ofSeconds(20);
    private String service;
    private String authUser;
    private String authPassword;
    private List<String> fields = List.of();
    private boolean rtpEcho;

    private Sipp(String scenario, Path dir) {
        this.scenario = scenario;
        this.dir = dir;
    }

    /** The scenario {@code src/test/resources/sipp/<name>.xml}; logs go to {@code dir}. */
    public static Sipp scenario(String name, Path dir) {
        return new Sipp(name, dir);
    }

    /** Parley's SIP port on 127.0.0.1. */
    public Sipp remote(int port) {
        this.remotePort = port;
        return this;
    }

    /** sipp's own port ({@code -p}). */
    public Sipp localPort(int port) {
        this.localPort = port;
        return this;
    }

    /** {@code -t t1}: one TCP connection for all calls. */
    public Sipp tcp() {
        this.transport = "t1";
        return this;
    }

    /** {@code -m}: stop after this many calls. */
    public Sipp calls(int n) {
        this.calls = n;
        return this;
    }

    /** {@code -r}: new calls per second. */
    public Sipp rate(int callsPerSecond) {
        this.rate = callsPerSecond;
        return this;
    }

    /** {@code -l}: at most this many calls at once. */
    public Sipp limit(int concurrentCalls) {
        this.limit = concurrentCalls;
        return this;
    }

    /** sipp's {@code -timeout} (an error, with {@code -timeout_error}); the process gets 10 s more. */
    public Sipp timeout(Duration d) {
        this.timeout = d;
        return this;
    }

    /** {@code -s}: {@code [service]}, the user part sipp puts in its From and REGISTER To. */
    public Sipp service(String user) {
        this.service = user;
        return this;
    }

    /** {@code -au}/{@code -ap}: what sipp answers Digest challenges with. */
    public Sipp credentials(String user, String password) {
        this.authUser = user;
        this.authPassword = password;
        return this;
    }

    /** {@code -inf}: one line per call, its value is {@code [field0]} (the dialled extension). */
    public Sipp field0(String... values) {
        this.fields = List.of(values);
        return this;
    }

    /** {@code -rtp_echo}: sends every RTP packet that reaches its media port back to where it came from. */
    public Sipp rtpEcho() {
        this.rtpEcho = true;
        return this;
    }

    /** Starts sipp; {@link Running#await()} waits for it. */
    public Running start() {
        if (remotePort <= 0 || localPort <= 0) {
            throw new IllegalStateException("set remote(port) and localPort(port) first");
        }
        int run = RUNS.incrementAndGet();
        String stem = String.format("%02d-%s-%d", run, scenario, localPort);
        Path errors = dir.resolve(stem + "-errors.log");
        Path messages = dir.resolve(stem + "-messages.log");
        Path stats = dir.resolve(stem + "-stats.csv");
        Path screen = dir.resolve(stem + "-screen.log");
        Path output = dir.resolve(stem + "-stdout.log");
        List<String> cmd = new ArrayList<>(List.of(BINARY.toString(), LOCALHOST + ":" + remotePort,
                "-sf", scenarioFile().toString(),
                "-i", LOCALHOST, "-p", Integer.toString(localPort), "-t", transport,
                "-m", Integer.toString(calls),
                "-nostdin",
                "-timeout", timeout.toSeconds() + "s", "-timeout_error",
                "-trace_err", "-error_file", errors.toString(),
                "-trace_msg", "-message_file", messages.toString(),
                "-trace_stat", "-stf", stats.toString(), "-fd", "1",
                "-trace_screen", "-screen_file", screen.toString(),
                // sipp binds RTP sockets at -mp (default 6000) and the next ports: give each run free ones
                "-mp", Integer.toString(freeMediaPorts(mediaPortsUsed(calls)))));
        if (rate != null) {
            cmd.addAll(List.of("-r", rate.toString()));
        }
        if (rtpEcho) {
            cmd.add("-rtp_echo");
        }
        if (limit != null) {
            cmd.addAll(List.of("-l", limit.toString()));
        }
        if (service != null) {
            cmd.addAll(List.of("-s", service));
        }
        if (authUser != null) {
            cmd.addAll(List.of("-au", authUser, "-ap", authPassword));
        }
        if (!fields.isEmpty()) {
            Path csv = dir.resolve(stem + "-fields.csv");
            StringBuilder sb = new StringBuilder("SEQUENTIAL\n");
            fields.forEach(f -> sb.append(f).append(";\n"));
            write(csv, sb.toString());
            cmd.addAll(List.of("-inf", csv.toString()));
        }
        try {
            Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true)
                    .redirectOutput(output.toFile()).start();
            return new Running(stem, cmd, p, errors, messages, stats, screen, output,
                    timeout.plusSeconds(10));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + BINARY + ": is sip-tester installed?", e);
        }
    }

    /** Starts sipp and waits for it. */
    public Result run() {
        return start().await();
    }

    private Path scenarioFile() {
        URL url = Sipp.class.getResource("/sipp/" + scenario + ".xml");
        if (url == null) {
            throw new IllegalArgumentException("no scenario src/test/resources/sipp/" + scenario + ".xml");
        }
        try {
            return Path.of(url.toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A sipp process that was started. */
    public static final class Running {
        private final String name;
        private final List<String> command;
        private final Process process;
        private final Path errors;
        private final Path messages;
        private final Path stats;
        private final Path screen;
        private final Path output;
        private final Duration processTimeout;

        private Running(String name, List<String> command, Process process, Path errors, Path messages, Path stats,
                Path screen, Path output, Duration processTimeout) {
            this.name = name;
            this.command = command;
            this.process = process;
            this.errors = errors;
            this.messages = messages;
            this.stats = stats;
            this.screen = screen;
            this.output = output;
            this.processTimeout = processTimeout;
        }

        /**
         * Waits until sipp listens on its port (a UAS must be ready before Parley rings it): the port cannot be
         * bound any more, or sipp has already exited.
         */
        public Running awaitListening(int port, boolean tcp) {
            long end = System.nanoTime() + Duration.ofSeconds(5).toNanos();
            while (System.nanoTime() - end < 0 && process.isAlive()) {
                if (!isFree(port, tcp)) {
                    return this;
                }
                sleep(20);
            }
            if (!process.isAlive()) {
                throw new IllegalStateException(name + " exited before listening: " + read(output));
            }
            throw new IllegalStateException(name + " did not bind port " + port + " within 5 s");
        }

        /** Waits for the exit (killing sipp past its process timeout) and collects its logs. */
        public Result await() {
            int code;
            try {
                if (!process.waitFor(processTimeout.toMillis(), TimeUnit.MILLISECONDS)) {
                    process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
                    code = -1000;
                } else {
                    code = process.exitValue();
                }
            } catch (InterruptedException e) {
                process.destroyForcibly();
                Thread.currentThread().interrupt();
                code = -1001;
            }
            return new Result(name, String.join(" ", command), code, read(errors), read(messages), read(stats),
                    read(screen), read(output));
        }

        /** Stops sipp if it is still running (cleanup after a failed test). */
        public void kill() {
            if (process.isAlive()) {
                process.destroyForcibly();
            }
        }
    }

    /**
     * What one sipp run did.
     *
     * @param exitCode sipp's exit status; -1000 when it had to be killed at the process timeout
     */
    public record Result(String name, String command, int exitCode, String errors, String messages, String stats,
            String screen, String output) {

        /** The final {@code SuccessfulCall(C)} of the statistics file. */
        public long successfulCalls() {
            return cumulative("SuccessfulCall(C)");
        }

        /** The final {@code FailedCall(C)} of the statistics file. */
        public long failedCalls() {
            return cumulative("FailedCall(C)");
        }

        /** The final value of a cumulative column of {@code -trace_stat}'s CSV (';'-separated, header first). */
        long cumulative(String column) {
            List<String> lines = stats.lines().filter(l -> !l.isBlank()).toList();
            if (lines.size() < 2) {
                throw new AssertionError("no statistics from " + name + "\n" + describe());
            }
            List<String> header = Arrays.asList(lines.getFirst().split(";"));
            int i = header.indexOf(column);
            if (i < 0) {
                throw new AssertionError("no column " + column + " in " + header);
            }
            return Long.parseLong(lines.getLast().split(";")[i].strip());
        }

        /** For assertion messages: the command, exit code, error log and the end of the screen and output. */
        public String describe() {
            return name + " exited " + exitCode + "\n$ " + command + "\n--- errors:\n" + tail(errors, 6000)
                    + "\n--- screen:\n" + tail(screen, 3000) + "\n--- output:\n" + tail(output, 2000)
                    + "\n--- messages:\n" + tail(messages, 6000);
        }
    }

    /**
     * Registers the desk phone {@code device} (password {@code secret}) under {@code extension} at the registrar on
     * UDP port {@code registrar}, with {@code register.xml} from a fresh UDP port, which it returns for the phone's
     * UAS scenario to bind; the test fails here, with sipp's logs, if the registration did.
     */
    public static int registerFromFreshPort(Path logs, int registrar, String extension, String device, String secret) {
        int port = freePort(false);
        Result r = scenario("register", logs).remote(registrar).localPort(port).service(extension)
                .credentials(device, secret).run();
        if (r.exitCode() != 0) {
            throw new AssertionError("registering " + device + " as " + extension + " failed: " + r.describe());
        }
        return port;
    }

    /** A port on 127.0.0.1 that is free for UDP (and TCP when asked) right now. */
    public static int freePort(boolean tcpToo) {
        for (int attempt = 0; attempt < 50; attempt++) {
            int port = ephemeralPort();
            if (isFree(port, tcpToo) && claim(port, 1)) {
                return port;
            }
        }
        throw new IllegalStateException("no free port on 127.0.0.1");
    }

    /**
     * How many ports from {@code -mp} a run of {@code calls} calls may bind: four (audio and video, RTP and RTCP),
     * and for a scenario with {@code [auto_media_port]} four more per call, since sipp gives call {@code n} the ports
     * from {@code -mp + 4n}. CI once saw a caller's per-call port land on the echoing callee's video port (both
     * sockets bind with SO_REUSEADDR): Parley relayed to an echo that answered into the other leg, and the packets
     * looped through Parley until the capture outgrew 2 GiB.
     */
    static int mediaPortsUsed(int calls) {
        return 4 * (calls + 1);
    }

    /** An even UDP port on 127.0.0.1 that is free with the {@code count - 1} after it, none handed out lately. */
    static int freeMediaPorts(int count) {
        for (int attempt = 0; attempt < 200; attempt++) {
            int p = ephemeralPort() & ~1;
            if (p > 1024 && p + count <= 65536 && allFree(p, count) && claim(p, count)) {
                return p;
            }
        }
        throw new IllegalStateException("no " + count + " free UDP ports in a row on 127.0.0.1");
    }

    private static boolean allFree(int first, int count) {
        for (int p = first; p < first + count; p++) {
            if (!isFree(p, false)) {
                return false;
            }
        }
        return true;
    }

    /** A port the kernel gave a UDP socket a moment ago. */
    private static int ephemeralPort() {
        try (DatagramSocket s = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
            return s.getLocalPort();
        } catch (SocketException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Ports handed out in the last five minutes (longer than any sipp run here), with when. A port is only free until its user binds it: without this, a
     * sipp's media ports could be the SIP port just chosen for it or for a sipp started next (CI once saw sipp fail
     * with "Unable to bind audio RTP socket ... Address already in use").
     */
    private static final Map<Integer, Long> CLAIMED = new HashMap<>();

    /** Claims {@code count} ports from {@code first} unless one of them was handed out in the last five minutes. */
    private static synchronized boolean claim(int first, int count) {
        long now = System.nanoTime();
        CLAIMED.values().removeIf(at -> now - at > TimeUnit.MINUTES.toNanos(5));
        for (int p = first; p < first + count; p++) {
            if (CLAIMED.containsKey(p)) {
                return false;
            }
        }
        for (int p = first; p < first + count; p++) {
            CLAIMED.put(p, now);
        }
        return true;
    }

    static boolean isFree(int port, boolean tcpToo) {
        InetSocketAddress a = new InetSocketAddress(InetAddress.getLoopbackAddress(), port);
        try (DatagramSocket s = new DatagramSocket(a)) {
            s.getLocalPort();
        } catch (IOException e) {
            return false;
        }
        if (tcpToo) {
            try (ServerSocket t = new ServerSocket()) {
                t.bind(a);
            } catch (IOException e) {
                return false;
            }
        }
        return true;
    }

    private static String read(Path p) {
        try {
            return Files.exists(p) ? Files.readString(p, StandardCharsets.ISO_8859_1) : "";
        } catch (IOException e) {
            return "(unreadable: " + e + ")";
        }
    }

    private static void write(Path p, String s) {
        try {
            Files.writeString(p, s, StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String tail(String s, int max) {
        return s.length() <= max ? s : "..." + s.substring(s.length() - max);
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
