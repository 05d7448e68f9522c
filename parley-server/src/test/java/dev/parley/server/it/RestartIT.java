package dev.parley.server.it;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.server.cli.CliEnvironment;
import dev.parley.server.cli.ParleyCommand;
import dev.parley.server.config.ConfigLoader;
import dev.parley.server.runtime.PbxWiring;
import dev.parley.server.store.Stores;
import dev.parley.sip.auth.Digest;
import dev.parley.sip.auth.DigestAlgorithm;
import dev.parley.sip.codec.ParseResult;
import dev.parley.sip.codec.SipParser;
import dev.parley.sip.codec.SipSerializer;
import dev.parley.sip.header.Address;
import dev.parley.sip.header.CSeq;
import dev.parley.sip.header.Challenge;
import dev.parley.sip.header.Credentials;
import dev.parley.sip.header.HeaderType;
import dev.parley.sip.header.MediaType;
import dev.parley.sip.header.Via;
import dev.parley.sip.message.Body;
import dev.parley.sip.message.SipMessage;
import dev.parley.sip.message.SipMethod;
import dev.parley.sip.message.SipRequest;
import dev.parley.sip.message.SipResponse;
import dev.parley.sip.uri.SipUri;
import dev.parley.store.PostgresServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.AfterTestExecutionCallback;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Registrations survive {@code kill -9}: the server runs as its own process ({@code java -jar target/parley.jar
 * run}, as an operator runs it), two UDP phones register with {@code Expires: 300}, the process gets SIGKILL (no
 * drain, no shutdown hook, no checkpoint), and a new process on the same ports, data and database routes a call to
 * the first phone at once — neither phone registers again — and answers a registration query (RFC 3261 §10.2.3)
 * with the binding and the time it had left. Once on SQLite (the default) and once on PostgreSQL.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class RestartIT {
    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();
    private static final Duration START_TIMEOUT = Duration.ofSeconds(40);
    private static final Duration WAIT = Duration.ofSeconds(5);
    private static final int EXPIRES = 300;

    @RegisterExtension
    static final PostgresServer POSTGRES = new PostgresServer();

    @TempDir
    Path dir;

    private final List<Process> servers = new ArrayList<>();
    private final List<AutoCloseable> phones = new ArrayList<>();

    @RegisterExtension
    final AfterTestExecutionCallback logsOnFailure = context -> context.getExecutionException().ifPresent(e -> {
        for (int run = 1; run <= servers.size(); run++) {
            System.out.println("==== server run " + run + " ====\n" + serverLog(run));
        }
    });

    @AfterEach
    void stop() throws Exception {
        for (AutoCloseable phone : phones) {
            phone.close();
        }
        for (Process server : servers) {
            server.destroyForcibly();
            server.waitFor(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void registrationsSurviveSigkillOnSqlite() throws Exception {
        survivesSigkill(Map.of());
    }

    @Test
    void registrationsSurviveSigkillOnPostgresql() throws Exception {
        survivesSigkill(Map.of("PARLEY_DATABASE_URL", POSTGRES.url()));
    }

    private void survivesSigkill(Map<String, String> database) throws Exception {
        Map<String, String> env = new HashMap<>(database);
        env.put("PARLEY_SIP_BIND_ADDRESS", "127.0.0.1");
        env.put("PARLEY_SIP_ADVERTISED_HOST", "127.0.0.1");
        // fixed ports: the restarted server must be where the phones registered
        int udp = freeUdpPort();
        env.put("PARLEY_SIP_UDP_PORT", Integer.toString(udp));
        env.put("PARLEY_SIP_TCP_PORT", Integer.toString(freeTcpPort()));
        env.put("PARLEY_SIP_TLS_PORT", Integer.toString(freeTcpPort()));
        env.put("PARLEY_WEB_HTTPS_PORT", Integer.toString(freeTcpPort()));
        env.put("PARLEY_DATA_DIRECTORY", dir.resolve("data").toString());
        // no shared WebRTC port: by default media.port-min (20000), bound at start, which another test JVM may hold
        env.put("PARLEY_MEDIA_WEBRTC_PORT", "-1");

        Process first = startServer(env);
        cli(env, "user", "add", "alice");
        cli(env, "extension", "add", "101", "--user", "alice");
        cli(env, "device", "add", "alice-desk", "--user", "alice", "--secret", "alice-secret-1234");
        cli(env, "user", "add", "bob");
        cli(env, "extension", "add", "102", "--user", "bob");
        cli(env, "device", "add", "bob-desk", "--user", "bob", "--secret", "bob-secret-1234");

        UdpPhone alice = phone("alice-desk", "alice-secret-1234", udp);
        UdpPhone bob = phone("bob-desk", "bob-secret-1234", udp);
        for (UdpPhone phone : List.of(alice, bob)) {
            SipResponse ok = phone.register(EXPIRES);
            assertThat(ok.status()).as("%s REGISTER", phone.username).isEqualTo(200);
            assertThat(expiresOf(ok, phone.contact())).as("%s's binding", phone.username).isEqualTo(EXPIRES);
        }

        // SIGKILL, and make sure of it: 128 + 9 is how the JDK reports death by signal 9
        ProcessHandle handle = first.toHandle();
        first.destroyForcibly();
        assertThat(first.waitFor(10, TimeUnit.SECONDS)).as("the server died").isTrue();
        assertThat(first.exitValue()).as("exit status of a process killed by SIGKILL").isEqualTo(137);
        assertThat(handle.isAlive()).isFalse();
        assertThat(serverLog(1)).as("the first server never began a graceful stop").doesNotContain("stopping");

        startServer(env);

        // at once, without either phone registering again: bob calls alice's extension and alice's socket rings
        bob.invite("101");
        SipRequest invite = alice.awaitRequest(r -> r.isMethod(SipMethod.INVITE) && r.to().tag() == null);
        assertThat(invite.requestUri()).as("the INVITE goes to the contact alice registered before the kill")
                .isEqualTo(alice.contact());
        alice.respond(invite, 486);
        SipResponse busy = bob.awaitFinalToInvite();
        assertThat(busy.status()).as("alice's answer, relayed to bob").isEqualTo(486);

        // RFC 3261 §10.2.3: a REGISTER without Contact lists the current bindings, each with the time it has left
        SipResponse query = alice.register(null);
        assertThat(query.status()).as("registration query").isEqualTo(200);
        assertThat(query.contacts()).hasSize(1);
        assertThat(expiresOf(query, alice.contact())).as("seconds left on alice's binding after the restart")
                .isLessThanOrEqualTo(EXPIRES).isGreaterThan(250);
    }

    private static long expiresOf(SipResponse ok, SipUri contact) {
        Address binding = ok.contacts().stream().filter(c -> c.uri().equals(contact)).findFirst()
                .orElseThrow(() -> new AssertionError("no binding of " + contact + " in " + ok));
        return Long.parseLong(binding.parameters().value("expires"));
    }

    // ---- the server process ----

    /** {@code java -jar target/parley.jar run} with {@code env}; returns once it logs that it is running. */
    private Process startServer(Map<String, String> env) throws IOException, InterruptedException {
        Path jar = Path.of("target", "parley.jar").toAbsolutePath();
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar + " is missing: it is built in the package phase; run this test"
                    + " with mvn verify (or ./parley test), not alone from the IDE");
        }
        int run = servers.size() + 1;
        ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-jar", jar.toString(), "run")
                .directory(dir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("server-" + run + ".log").toFile());
        pb.environment().keySet().removeIf(k -> k.startsWith("PARLEY_"));
        pb.environment().putAll(env);
        Process server = pb.start();
        servers.add(server);
        long end = System.nanoTime() + START_TIMEOUT.toNanos();
        while (!serverLog(run).contains("Parley is running")) {
            if (!server.isAlive()) {
                throw new AssertionError("server run " + run + " exited (" + server.exitValue() + "):\n"
                        + serverLog(run));
            }
            if (System.nanoTime() - end > 0) {
                throw new AssertionError("server run " + run + " not running within " + START_TIMEOUT + ":\n"
                        + serverLog(run));
            }
            Thread.sleep(50);
        }
        return server;
    }

    private String serverLog(int run) {
        try {
            return Files.readString(dir.resolve("server-" + run + ".log"), UTF_8);
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    /** {@code parley <args>} in this JVM, against the running server's database, as an operator would. */
    private void cli(Map<String, String> env, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrintStream ps = new PrintStream(out, true, UTF_8);
        CliEnvironment cliEnv = new CliEnvironment(new ConfigLoader(env, dir), Stores.production(),
                PbxWiring.standard(), ps, ps, Clock.systemUTC(), CliEnvironment.Lifecycle.JVM);
        int status = ParleyCommand.execute(cliEnv, args);
        assertThat(status).as("parley %s: %s", String.join(" ", args), out.toString(UTF_8)).isZero();
    }

    private UdpPhone phone(String username, String secret, int pbxPort) throws IOException {
        UdpPhone phone = new UdpPhone(username, secret, new InetSocketAddress(LOOPBACK, pbxPort));
        phones.add(phone);
        return phone;
    }

    private static int freeUdpPort() throws IOException {
        try (DatagramSocket s = new DatagramSocket(new InetSocketAddress(LOOPBACK, 0))) {
            return s.getLocalPort();
        }
    }

    private static int freeTcpPort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, LOOPBACK)) {
            return s.getLocalPort();
        }
    }

    // ---- a UDP phone ----

    /**
     * A phone on a UDP socket that stays open across the server's restart: REGISTER and INVITE answering the digest
     * challenge (with its first, preferred, algorithm), ACK for a non-2xx final response, and a final response to
     * an INVITE it receives. No retransmissions: 127.0.0.1 does not lose datagrams.
     */
    private static final class UdpPhone implements AutoCloseable {
        private static final String SDP = "v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\n"
                + "m=audio 40000 RTP/AVP 0\r\na=rtpmap:0 PCMU/8000\r\n";

        final String username;
        private final String secret;
        private final InetSocketAddress pbx;
        private final DatagramSocket socket;
        private final BlockingQueue<SipMessage> inbox = new LinkedBlockingQueue<>();
        private final List<SipMessage> skipped = new ArrayList<>();
        private int nonceCount;
        private SipRequest invite;

        UdpPhone(String username, String secret, InetSocketAddress pbx) throws IOException {
            this.username = username;
            this.secret = secret;
            this.pbx = pbx;
            this.socket = new DatagramSocket(new InetSocketAddress(LOOPBACK, 0));
            Thread.ofPlatform().daemon().name("phone-" + username).start(this::read);
        }

        private void read() {
            byte[] buf = new byte[65536];
            while (!socket.isClosed()) {
                DatagramPacket p = new DatagramPacket(buf, buf.length);
                try {
                    socket.receive(p);
                } catch (IOException e) {
                    return;
                }
                if (SipParser.standard().parseDatagram(buf, 0, p.getLength()) instanceof ParseResult.Parsed m) {
                    inbox.add(m.message());
                }
            }
        }

        SipUri contact() {
            return SipUri.builder().user(username).host("127.0.0.1").port(socket.getLocalPort()).build();
        }

        /** REGISTER with this contact for {@code expires} seconds, or without Contact (a query) when null. */
        SipResponse register(Integer expires) {
            String callId = random();
            String tag = random();
            SipRequest first = registerRequest(callId, tag, 1, expires);
            send(first);
            SipResponse r = awaitFinal(first);
            if (r.status() == 401) {
                SipRequest second = withCredentials(registerRequest(callId, tag, 2, expires), r);
                send(second);
                r = awaitFinal(second);
            }
            return r;
        }

        private SipRequest registerRequest(String callId, String tag, long cseq, Integer expires) {
            SipUri aor = SipUri.builder().user(username).host("127.0.0.1").build();
            SipRequest.Builder b = SipRequest.builder(SipMethod.REGISTER,
                            SipUri.builder().host("127.0.0.1").port(pbx.getPort()).build())
                    .via(newVia()).maxForwards(70).from(Address.of(aor).withTag(tag)).to(Address.of(aor))
                    .callId(callId).cseq(new CSeq(cseq, SipMethod.REGISTER));
            if (expires != null) {
                b.contact(Address.of(contact())).add(HeaderType.EXPIRES, (long) expires);
            }
            return b.build();
        }

        /** Sends an INVITE with an SDP offer to {@code extension}, answering the 407; see {@link #awaitFinalToInvite}. */
        void invite(String extension) {
            String callId = random();
            String tag = random();
            invite = inviteRequest(extension, callId, tag, 1);
            send(invite);
            SipResponse challenge = awaitFinal(invite);
            assertThat(challenge.status()).as("first answer to %s's INVITE", username).isEqualTo(407);
            invite = withCredentials(inviteRequest(extension, callId, tag, 2), challenge);
            send(invite);
        }

        SipResponse awaitFinalToInvite() {
            return awaitFinal(invite);
        }

        private SipRequest inviteRequest(String extension, String callId, String tag, long cseq) {
            return SipRequest.builder(SipMethod.INVITE,
                            SipUri.builder().user(extension).host("127.0.0.1").port(pbx.getPort()).build())
                    .via(newVia()).maxForwards(70)
                    .from(Address.of(SipUri.builder().user(username).host("127.0.0.1").build()).withTag(tag))
                    .to(Address.of(SipUri.builder().user(extension).host("127.0.0.1").build()))
                    .callId(callId).cseq(new CSeq(cseq, SipMethod.INVITE)).contact(Address.of(contact()))
                    .body(MediaType.APPLICATION_SDP, Body.of(SDP)).build();
        }

        /** The final response to {@code request}; RFC 3261 §17.1.1.3: a non-2xx one to an INVITE is ACKed. */
        private SipResponse awaitFinal(SipRequest request) {
            SipResponse r = (SipResponse) await(m -> m instanceof SipResponse resp && resp.status() >= 200
                    && resp.callId().equals(request.callId()) && resp.cseq().equals(request.cseq()), "final response"
                    + " to " + request.method());
            if (request.isMethod(SipMethod.INVITE) && r.status() >= 300) {
                send(SipRequest.builder(SipMethod.ACK, request.requestUri()).via(request.topVia()).maxForwards(70)
                        .from(request.from()).to(r.to()).callId(request.callId())
                        .cseq(new CSeq(request.cseq().sequence(), SipMethod.ACK)).build());
            }
            return r;
        }

        SipRequest awaitRequest(Predicate<SipRequest> p) {
            return (SipRequest) await(m -> m instanceof SipRequest r && p.test(r), "request");
        }

        void respond(SipRequest request, int status) {
            send(SipResponse.to(request, status).to(request.to().withTag(random())).build());
        }

        private SipMessage await(Predicate<SipMessage> p, String what) {
            long end = System.nanoTime() + WAIT.toNanos();
            try {
                while (true) {
                    SipMessage m = inbox.poll(Math.max(0, end - System.nanoTime()), TimeUnit.NANOSECONDS);
                    if (m == null) {
                        throw new AssertionError(username + ": no " + what + " within " + WAIT + "; other messages: "
                                + skipped);
                    }
                    if (p.test(m)) {
                        return m;
                    }
                    skipped.add(m); // 100 Trying, 180 Ringing
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }

        private SipRequest withCredentials(SipRequest request, SipResponse challenge) {
            boolean proxy = challenge.status() == 407;
            Challenge c = proxy ? challenge.proxyAuthenticates().getFirst() : challenge.wwwAuthenticates().getFirst();
            DigestAlgorithm alg = DigestAlgorithm.fromTokenOrDefault(c.algorithm()).orElseThrow();
            String uri = request.requestUri().toString();
            String cnonce = random();
            String nc = String.format("%08x", ++nonceCount);
            String response = Digest.response(alg, Digest.ha1(alg, username, c.realm(), secret), c.nonce(), nc,
                    cnonce, "auth", Digest.ha2(alg, request.method(), uri));
            Credentials credentials = Credentials.digest(username, c.realm(), c.nonce(), uri, response, alg.token(),
                    cnonce, "auth", nc, c.opaque());
            return request.toBuilder()
                    .add(proxy ? HeaderType.PROXY_AUTHORIZATION : HeaderType.AUTHORIZATION, credentials).build();
        }

        private Via newVia() {
            return Via.of("UDP", "127.0.0.1", socket.getLocalPort(), "z9hG4bK" + random()).withParameter("rport",
                    null);
        }

        private void send(SipMessage m) {
            byte[] bytes = SipSerializer.serialize(m);
            try {
                socket.send(new DatagramPacket(bytes, bytes.length, pbx));
            } catch (IOException e) {
                throw new AssertionError(username + " could not send", e);
            }
        }

        private static String random() {
            return Long.toHexString(ThreadLocalRandom.current().nextLong() & Long.MAX_VALUE);
        }

        @Override
        public void close() {
            socket.close();
        }
    }
}
