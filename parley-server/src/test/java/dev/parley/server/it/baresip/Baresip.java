package dev.parley.server.it.baresip;

import static java.nio.charset.StandardCharsets.UTF_8;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * One baresip 1.0.0 phone (Debian package {@code baresip}) in its own configuration directory, listening on
 * 127.0.0.1 only, driven over {@code ctrl_tcp}. It plays a WAV file as its microphone ({@code aufile}) and the
 * {@code sndfile} module writes what it decodes from the far end to {@code rec/dump-<time>-dec.wav} — baresip 1.0.0's
 * {@code aufile} module is a source only (no {@code audio_player aufile,...}), so the decoder-side dump is the
 * recording.
 *
 * <p>What baresip 1.0.0 does that the configuration below accounts for, seen on this machine:
 * <ul>
 *   <li>{@code sip_listen 127.0.0.1:P} opens UDP and TCP on {@code P} and TLS on {@code P + 1}, so both must be free
 *       (and the {@code ctrl_tcp} port must be neither).
 *   <li>There is no {@code sip_verify_server} setting: the TLS client does not verify the server's certificate at
 *       all ({@code sip_cafile} is loaded but a certificate from an unrelated CA is accepted just the same), so this
 *       configuration does not pretend to verify. That the signalling really ran over TLS is checked from the
 *       registration line ({@code {0/TLS/v4} 200 OK}) and from the binding Parley stored.
 *   <li>Digest: it answers MD5 challenges only (see {@link BaresipTlsCallIT}).
 * </ul>
 */
public final class Baresip implements AutoCloseable {
    static final Path EXECUTABLE = Path.of("/usr/bin/baresip");
    private static final Path MODULES = Path.of("/usr/lib/baresip/modules");
    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();
    private static final Duration START_TIMEOUT = Duration.ofSeconds(10);

    private final String name;
    private final Path dir;
    private final Process process;
    private final CtrlTcpClient ctrl;

    private Baresip(String name, Path dir, Process process, CtrlTcpClient ctrl) {
        this.name = name;
        this.dir = dir;
        this.process = process;
        this.ctrl = ctrl;
    }

    /**
     * Writes {@code dir/config} and {@code dir/accounts} (the one {@code account} line) and starts baresip with
     * {@code microphone} as its audio source; returns once its {@code ctrl_tcp} port accepts a connection.
     */
    public static Baresip start(String name, Path dir, String account, Path microphone) throws IOException {
        return start(name, dir, account, microphone, List.of());
    }

    /** As {@link #start(String, Path, String, Path)}, loading {@code codecModules} (e.g. {@code opus.so}) too. */
    static Baresip start(String name, Path dir, String account, Path microphone, List<String> codecModules)
            throws IOException {
        if (!Files.isExecutable(EXECUTABLE) || !Files.isDirectory(MODULES)) {
            throw new IllegalStateException("this test needs baresip 1.0.0 (" + EXECUTABLE + " and " + MODULES
                    + "): install the Debian package 'baresip' (apt-get install baresip)");
        }
        Files.createDirectories(dir.resolve("rec"));
        int sipPort = freeSipPort();
        int ctrlPort = freeTcpPort(sipPort);
        int rtpBase = freeUdpPort();
        String config = String.join("\n",
                "poll_method epoll",
                "sip_listen 127.0.0.1:" + sipPort,
                "sip_trans_def tls",
                "audio_source aufile," + microphone.toAbsolutePath(),
                "audio_alert aufile,/dev/null",
                "audio_srate 8000",
                "audio_channels 1",
                // each phone its own range; baresip picks within it and retries a port that is taken
                "rtp_ports " + rtpBase + "-" + Math.min(rtpBase + 39, 65535),
                "module_path " + MODULES,
                "module g711.so",
                codecModules.stream().map(m -> "module " + m + "\n").collect(Collectors.joining())
                        + "module srtp.so", // SDES-SRTP for accounts with mediaenc=srtp or srtp-mand
                "module aufile.so",
                "module sndfile.so",
                "snd_path " + dir.resolve("rec").toAbsolutePath(),
                "module_app account.so",
                "module_app menu.so",
                "module_app ctrl_tcp.so",
                "ctrl_tcp_listen 127.0.0.1:" + ctrlPort,
                // without it baresip puts the machine's other address in its SDP
                "net_interface 127.0.0.1",
                "");
        Files.writeString(dir.resolve("config"), config, UTF_8);
        Files.writeString(dir.resolve("accounts"), account + "\n", UTF_8);
        Process process = new ProcessBuilder(EXECUTABLE.toString(), "-f", dir.toAbsolutePath().toString())
                .directory(dir.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("baresip.log").toFile())
                .start();
        Baresip phone = null;
        try {
            phone = new Baresip(name, dir, process, connect(name, process, ctrlPort, dir));
            return phone;
        } finally {
            if (phone == null) {
                process.destroyForcibly();
            }
        }
    }

    private static CtrlTcpClient connect(String name, Process process, int port, Path dir) throws IOException {
        long end = System.nanoTime() + START_TIMEOUT.toNanos();
        while (true) {
            if (!process.isAlive()) {
                throw new IllegalStateException(name + ": baresip exited (" + process.exitValue() + ") at start:\n"
                        + readLog(dir));
            }
            try {
                return new CtrlTcpClient(name, new Socket(LOOPBACK, port));
            } catch (IOException notYet) {
                if (System.nanoTime() - end > 0) {
                    throw new IllegalStateException(name + ": baresip's ctrl_tcp port " + port + " did not open"
                            + " within " + START_TIMEOUT + ":\n" + readLog(dir), notYet);
                }
            }
            sleep(50);
        }
    }

    /** Waits for baresip's log line that its account {@code user} got a 200 OK to REGISTER over TLS. */
    public void awaitRegisteredOverTls(String user, Duration timeout) {
        String line = user + "@127.0.0.1: {0/TLS/v4} 200 OK";
        long end = System.nanoTime() + timeout.toNanos();
        while (!log().contains(line)) {
            if (!process.isAlive() || System.nanoTime() - end > 0) {
                throw new AssertionError(name + ": no \"" + line + "\" in baresip's log within " + timeout
                        + (process.isAlive() ? "" : " (baresip exited)") + ":\n" + log());
            }
            sleep(50);
        }
    }

    JsonNode command(String command, String params) {
        return ctrl.command(command, params, Duration.ofSeconds(5));
    }

    /** The first call event of this type ({@code CALL_ESTABLISHED}, {@code CALL_CLOSED}, ...). */
    JsonNode awaitCallEvent(String type, Duration timeout) {
        return ctrl.awaitEvent(e -> type.equals(e.path("type").asText()), type, timeout);
    }

    List<JsonNode> events(String type) {
        return ctrl.events().stream().filter(e -> type.equals(e.path("type").asText())).toList();
    }

    /** The audio it decoded from the far end: the one {@code rec/dump-*-dec.wav} the sndfile module wrote. */
    Path recording() throws IOException {
        List<Path> found = new ArrayList<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir.resolve("rec"), "dump-*-dec.wav")) {
            files.forEach(found::add);
        }
        if (found.size() != 1) {
            throw new AssertionError(name + ": expected one decoded-audio dump in " + dir.resolve("rec")
                    + ", found " + found);
        }
        return found.getFirst();
    }

    String name() {
        return name;
    }

    public String log() {
        return readLog(dir);
    }

    private static String readLog(Path dir) {
        try {
            // baresip colours its log with ANSI escapes
            return Files.readString(dir.resolve("baresip.log"), UTF_8).replaceAll("\u001B\\[[0-9;]*m", "");
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    @Override
    public void close() {
        ctrl.close();
        process.destroyForcibly();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                throw new IllegalStateException(name + ": baresip (pid " + process.pid() + ") survived SIGKILL");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** A port {@code P} free on UDP and TCP whose {@code P + 1} is free on TCP: baresip's TLS listens there. */
    private static int freeSipPort() throws IOException {
        for (int attempt = 0; attempt < 100; attempt++) {
            int p = freeTcpPort(-1);
            if (p >= 65535) {
                continue;
            }
            try (ServerSocket tcp = new ServerSocket(p, 1, LOOPBACK);
                    ServerSocket tls = new ServerSocket(p + 1, 1, LOOPBACK);
                    DatagramSocket udp = new DatagramSocket(new InetSocketAddress(LOOPBACK, p))) {
                return p;
            } catch (IOException taken) {
                // try another
            }
        }
        throw new IOException("no free port pair for baresip's SIP listeners on 127.0.0.1");
    }

    /** A free TCP port of 127.0.0.1 other than {@code sipPort} and {@code sipPort + 1}. */
    private static int freeTcpPort(int sipPort) throws IOException {
        while (true) {
            try (ServerSocket s = new ServerSocket(0, 1, LOOPBACK)) {
                int p = s.getLocalPort();
                if (p != sipPort && p != sipPort + 1) {
                    return p;
                }
            }
        }
    }

    private static int freeUdpPort() {
        try (DatagramSocket s = new DatagramSocket(new InetSocketAddress(LOOPBACK, 0))) {
            return s.getLocalPort() & ~1; // RTP on even ports
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
