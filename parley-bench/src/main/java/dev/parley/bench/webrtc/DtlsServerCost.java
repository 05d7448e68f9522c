package dev.parley.bench.webrtc;

import dev.parley.rtp.dtls.DtlsCertificate;
import dev.parley.rtp.dtls.DtlsConnection;
import dev.parley.rtp.dtls.DtlsFailure;
import dev.parley.rtp.dtls.DtlsFingerprint;
import dev.parley.rtp.dtls.DtlsRole;
import dev.parley.rtp.dtls.DtlsSettings;
import dev.parley.rtp.dtls.DtlsSrtpSession;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The server side's CPU cost of a DTLS-SRTP handshake (what Parley pays for each browser leg: ECDHE X25519, ECDSA
 * P-256 signature, verification of the browser's certificate against its {@code a=fingerprint}, SRTP key export),
 * with the client in another process so that this process's CPU time is the server's alone.
 *
 * <p>This process is the server: one UDP socket on 127.0.0.1, a {@link DtlsSrtpSession} per client address, as on
 * Parley's shared WebRTC port. It starts a second JVM (same class path, on another core when {@code taskset} is
 * there) that runs {@code CONCURRENCY} clients at a time, each a fresh UDP socket and a fresh handshake. The CPU
 * time of this process (every thread: receive loop, handshake threads, GC, JIT) is read when the warm-up
 * handshakes have completed and again after the measured ones.
 *
 * <p>Run: {@code taskset -c 0 java -cp benchmarks.jar dev.parley.bench.webrtc.DtlsServerCost [SECONDS]
 * [CONCURRENCY]} (scripts/dtls-handshakes.sh). Prints CPU per handshake and handshakes per CPU-second: per core.
 */
public final class DtlsServerCost {
    /** Server-side handshakes before the measurement starts (JIT); {@code -Dwarmup=N}. */
    private static final int WARM_UP = Integer.getInteger("warmup", 400);

    private DtlsServerCost() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length > 0 && args[0].equals("client")) {
            Client.run(args);
            return;
        }
        int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 20;
        int concurrency = args.length > 1 ? Integer.parseInt(args[1]) : 16;
        new DtlsServerCost().serve(seconds, concurrency);
    }

    private final DtlsCertificate certificate = DtlsCertificate.generate();
    private final Map<SocketAddress, DtlsSrtpSession> sessions = new ConcurrentHashMap<>();
    private final AtomicInteger connected = new AtomicInteger();
    private final AtomicInteger failed = new AtomicInteger();
    private final ScheduledExecutorService closer = Executors.newSingleThreadScheduledExecutor();
    private final AtomicLong cpuAtWarm = new AtomicLong(-1);
    private final AtomicLong wallAtWarm = new AtomicLong(-1);

    private void serve(int seconds, int concurrency) throws Exception {
        var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        try (DatagramSocket socket = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
            socket.setReceiveBufferSize(4 << 20);
            Process client = startClient(socket.getLocalPort(), concurrency, seconds);
            BufferedReader fromClient = new BufferedReader(new InputStreamReader(client.getInputStream(),
                    StandardCharsets.US_ASCII));
            DtlsFingerprint clientFingerprint = DtlsFingerprint.parse(fromClient.readLine()).orElseThrow();
            Thread receiver = Thread.ofPlatform().name("udp-receive").start(() -> receive(socket,
                    clientFingerprint, os));
            String line;
            String clientSummary = "";
            while ((line = fromClient.readLine()) != null) {
                clientSummary = line;
            }
            client.waitFor(30, TimeUnit.SECONDS);
            long cpu = os.getProcessCpuTime();
            long wall = System.nanoTime();
            int measured = connected.get() - WARM_UP;
            receiver.interrupt();
            socket.close();
            closer.shutdownNow();
            if (cpuAtWarm.get() < 0 || measured <= 0) {
                System.out.println("too few handshakes to measure (" + connected.get() + "); client: " + clientSummary);
                return;
            }
            double cpuSeconds = (cpu - cpuAtWarm.get()) / 1e9;
            double wallSeconds = (wall - wallAtWarm.get()) / 1e9;
            System.out.printf("client: %s%n", clientSummary);
            System.out.printf("server: %d handshakes measured after %d warm-up, %d failed; %.2f s CPU in %.2f s"
                    + " wall (%d CPUs visible)%n", measured, WARM_UP, failed.get(), cpuSeconds, wallSeconds,
                    Runtime.getRuntime().availableProcessors());
            System.out.printf("server CPU per handshake: %.2f ms -> %.0f handshakes per CPU-second (one core);"
                    + " wall rate %.0f/s%n", cpuSeconds * 1000 / measured, measured / cpuSeconds,
                    measured / wallSeconds);
        }
    }

    private Process startClient(int serverPort, int concurrency, int seconds) throws IOException {
        List<String> command = new ArrayList<>();
        // CLIENT_CPUS (e.g. 1): the cores the client may use, so that it does not take the server's
        if (System.getenv("CLIENT_CPUS") != null && Path.of("/usr/bin/taskset").toFile().canExecute()) {
            command.addAll(List.of("/usr/bin/taskset", "-c", System.getenv("CLIENT_CPUS")));
        }
        command.addAll(List.of(ProcessHandle.current().info().command().orElse("java"), "-cp",
                System.getProperty("java.class.path"), DtlsServerCost.class.getName(), "client",
                Integer.toString(serverPort), certificate.fingerprint().toSdpValue(), Integer.toString(concurrency),
                Integer.toString(seconds)));
        return new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
    }

    /** The shared port: a session per client address, created on its first datagram. */
    private void receive(DatagramSocket socket, DtlsFingerprint clientFingerprint,
            com.sun.management.OperatingSystemMXBean os) {
        byte[] buffer = new byte[2048];
        DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
        while (!socket.isClosed()) {
            try {
                socket.receive(packet);
            } catch (IOException e) {
                return;
            }
            SocketAddress from = packet.getSocketAddress();
            if (!sessions.containsKey(from) && !isClientHello(buffer, packet.getLength())) {
                continue; // a late datagram of a finished handshake: no session for it
            }
            DtlsSrtpSession session = sessions.computeIfAbsent(from, peer -> DtlsSrtpSession.start(DtlsRole.SERVER,
                    certificate, List.of(clientFingerprint), DtlsSettings.defaults(), new DtlsSrtpSession.Listener() {
                        @Override
                        public void onSend(byte[] datagram) {
                            try {
                                socket.send(new DatagramPacket(datagram, datagram.length, peer));
                            } catch (IOException e) {
                                // socket closed at the end of the run
                            }
                        }

                        @Override
                        public void onConnected(DtlsConnection connection) {
                            if (connected.incrementAndGet() == WARM_UP) {
                                cpuAtWarm.set(os.getProcessCpuTime());
                                wallAtWarm.set(System.nanoTime());
                            }
                            closer.schedule(() -> {
                                DtlsSrtpSession s = sessions.remove(peer);
                                if (s != null) {
                                    s.close();
                                }
                            }, 500, TimeUnit.MILLISECONDS);
                        }

                        @Override
                        public void onFailed(DtlsFailure failure) {
                            failed.incrementAndGet();
                            sessions.remove(peer);
                        }
                    }, Runnable::run));
            session.receive(buffer, packet.getOffset(), packet.getLength());
        }
    }

    /** A DTLS handshake record (content type 22, RFC 6347 §4.1) holding a ClientHello (type 1, §4.2.2). */
    private static boolean isClientHello(byte[] datagram, int length) {
        return length > 13 && datagram[0] == 22 && datagram[13] == 1;
    }

    /** The other process: browsers' side, CONCURRENCY handshakes at a time until SECONDS have passed. */
    private static final class Client {
        static void run(String[] args) throws Exception {
            InetSocketAddress server = new InetSocketAddress(InetAddress.getLoopbackAddress(),
                    Integer.parseInt(args[1]));
            DtlsFingerprint serverFingerprint = DtlsFingerprint.parse(args[2]).orElseThrow();
            int concurrency = Integer.parseInt(args[3]);
            long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(Integer.parseInt(args[4]));
            DtlsCertificate certificate = DtlsCertificate.generate();
            System.out.println(certificate.fingerprint().toSdpValue());
            System.out.flush();
            AtomicInteger done = new AtomicInteger();
            AtomicInteger failures = new AtomicInteger();
            CountDownLatch workers = new CountDownLatch(concurrency);
            for (int w = 0; w < concurrency; w++) {
                Thread.ofPlatform().start(() -> {
                    try {
                        while (System.nanoTime() < end) {
                            if (handshake(server, certificate, serverFingerprint)) {
                                done.incrementAndGet();
                            } else {
                                failures.incrementAndGet();
                            }
                        }
                    } finally {
                        workers.countDown();
                    }
                });
            }
            workers.await();
            System.out.println(done.get() + " handshakes completed, " + failures.get() + " failed");
            System.exit(0);
        }

        private static boolean handshake(InetSocketAddress server, DtlsCertificate certificate,
                DtlsFingerprint serverFingerprint) {
            try (DatagramSocket socket = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(),
                    0))) {
                socket.setSoTimeout(200);
                CompletableFuture<DtlsConnection> result = new CompletableFuture<>();
                DtlsSrtpSession session = DtlsSrtpSession.start(DtlsRole.CLIENT, certificate,
                        List.of(serverFingerprint), DtlsSettings.defaults(), new DtlsSrtpSession.Listener() {
                            @Override
                            public void onSend(byte[] datagram) {
                                try {
                                    socket.send(new DatagramPacket(datagram, datagram.length, server));
                                } catch (IOException e) {
                                    result.completeExceptionally(e);
                                }
                            }

                            @Override
                            public void onConnected(DtlsConnection connection) {
                                result.complete(connection);
                            }

                            @Override
                            public void onFailed(DtlsFailure failure) {
                                result.completeExceptionally(new IllegalStateException(failure.toString()));
                            }
                        }, Runnable::run);
                byte[] buffer = new byte[2048];
                DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
                while (!result.isDone() && System.nanoTime() < deadline) {
                    try {
                        socket.receive(packet);
                        session.receive(buffer, packet.getOffset(), packet.getLength());
                    } catch (SocketTimeoutException e) {
                        // the session retransmits by itself; look at the result again
                    }
                }
                session.close();
                return result.isDone() && !result.isCompletedExceptionally();
            } catch (IOException e) {
                return false;
            }
        }
    }
}
