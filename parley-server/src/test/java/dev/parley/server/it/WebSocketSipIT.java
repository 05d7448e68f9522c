package dev.parley.server.it;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.parley.pbx.registrar.Binding;
import dev.parley.server.it.sipp.Sipp;
import dev.parley.sip.auth.Digest;
import dev.parley.sip.auth.DigestAlgorithm;
import dev.parley.sip.codec.ParseResult;
import dev.parley.sip.codec.SipParser;
import dev.parley.sip.codec.SipSerializer;
import dev.parley.sip.header.Address;
import dev.parley.sip.header.Challenge;
import dev.parley.sip.header.Credentials;
import dev.parley.sip.header.HeaderType;
import dev.parley.sip.header.MediaType;
import dev.parley.sip.message.Body;
import dev.parley.sip.message.SipMessage;
import dev.parley.sip.message.SipRequest;
import dev.parley.sip.message.SipResponse;
import dev.parley.sipstack.flow.Transport;
import dev.parley.store.Store;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Predicate;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * SIP over WebSocket through the running server (RFC 7118), with real peers: a WebSocket client written on the
 * JDK's {@link java.net.http.WebSocket} (subprotocol {@code sip}, trusting exactly the certificate Parley generated)
 * registers with Digest, a sipp UDP caller calls it, the INVITE arrives down the WebSocket, the client answers, and
 * ACK and BYE follow the same way. Closing the WebSocket removes the binding from the store at once, and the next
 * call to that extension fails fast with 480; a TCP or TLS connection's close does the same.
 */
@Timeout(90)
class WebSocketSipIT {
    private static final String CALLER_SECRET = "alice-secret-1234";
    private static final String WEB_SECRET = "bob-web-secret-5678";
    private static final String TCP_SECRET = "carol-tcp-secret-9012";

    @TempDir
    static Path tmp;
    static ParleyUnderTest parley;

    @BeforeAll
    static void start() throws Exception {
        // sipp 3.6.1 answers only MD5 and takes the first challenge
        parley = ParleyUnderTest.start(Files.createDirectories(tmp.resolve("server")),
                Map.of("PARLEY_PBX_DIGEST_ALGORITHMS", "MD5,SHA-256"));
        parley.addPhone("alice", "101", "alice-desk", CALLER_SECRET);
        cli("user", "add", "bob");
        cli("extension", "add", "201", "--user", "bob");
        // plain RTP for the browser stand-in: this test is about signalling (DTLS-SRTP for browsers comes later)
        cli("device", "add", "bob-web", "--user", "bob", "--secret", WEB_SECRET, "--media-policy", "off");
        cli("user", "add", "carol");
        cli("extension", "add", "202", "--user", "carol");
        cli("device", "add", "carol-tcp", "--user", "carol", "--secret", TCP_SECRET);
    }

    private static void cli(String... args) {
        assertThat(parley.cli(args)).as(String.join(" ", args) + ": " + parley.cliOutput()).isZero();
    }

    @AfterAll
    static void stop() {
        if (parley != null) {
            parley.close();
        }
    }

    @Test
    void aWebSocketPhoneRegistersIsCalledFromUdpAndItsBindingGoesWithTheConnection() throws Exception {
        assertThat(parley.httpsPort()).isPositive();
        assertThat(parley.console()).contains("wss://127.0.0.1:" + parley.httpsPort() + "/ws");
        Path logs = Files.createDirectories(tmp.resolve("ws-call"));
        try (WsPhone phone = WsPhone.connect(parley, "bob-web", WEB_SECRET)) {
            SipResponse ok = phone.register("201");
            assertThat(ok.status()).isEqualTo(200);
            List<Binding> bound = bindings("201");
            assertThat(bound).singleElement().satisfies(b -> {
                assertThat(b.receivedFrom().transport()).isEqualTo(Transport.WSS);
                assertThat(b.contact().uri().toString()).contains(".invalid").contains("transport=ws");
            });

            Sipp.Running caller = Sipp.scenario("uac-call", logs).remote(parley.port(Transport.UDP))
                    .localPort(Sipp.freePort(false)).service("101").credentials("alice-desk", CALLER_SECRET)
                    .field0("201").start();
            try {
                SipRequest invite = phone.nextRequest("INVITE");
                assertThat(invite.topVia().transport()).as("Parley's own Via on the WebSocket leg").isEqualTo("WSS");
                assertThat(invite.topVia().port()).isEqualTo(parley.httpsPort());
                assertThat(invite.requestUri().toString()).contains(".invalid");
                phone.send(SipResponse.to(invite, 180).to(invite.to().withTag("ws1")).build());
                phone.send(SipResponse.to(invite, 200).to(invite.to().withTag("ws1"))
                        .contact(Address.parse("<sip:w1x2@df7jal23ls0d.invalid;transport=ws>"))
                        .body(MediaType.APPLICATION_SDP, Body.of(answer(invite))).build());
                SipRequest ack = phone.nextRequest("ACK");
                assertThat(ack.callId()).isEqualTo(invite.callId());
                SipRequest bye = phone.nextRequest("BYE");
                assertThat(bye.callId()).isEqualTo(invite.callId());
                phone.send(SipResponse.to(bye, 200).build());
            } finally {
                Sipp.Result r = caller.await();
                assertThat(r.exitCode()).as(r.describe()).isZero();
                assertThat(r.successfulCalls()).isEqualTo(1);
            }
        }
        // the WebSocket is closed: its binding goes from the store too
        await().atMost(Duration.ofSeconds(5)).until(() -> bindings("201").isEmpty());

        long start = System.nanoTime();
        Sipp.Result unavailable = Sipp.scenario("uac-unavailable", logs).remote(parley.port(Transport.UDP))
                .localPort(Sipp.freePort(false)).service("101").credentials("alice-desk", CALLER_SECRET)
                .field0("201").timeout(Duration.ofSeconds(10)).run();
        assertThat(unavailable.exitCode()).as(unavailable.describe()).isZero();
        assertThat(Duration.ofNanos(System.nanoTime() - start)).as("480 at once, no ringing into a dead connection")
                .isLessThan(Duration.ofSeconds(5));
    }

    @Test
    void aWebSocketThatClosesWhileRingingFailsTheCallAtOnce() throws Exception {
        Path logs = Files.createDirectories(tmp.resolve("ws-close-ringing"));
        WsPhone phone = WsPhone.connect(parley, "bob-web", WEB_SECRET);
        assertThat(phone.register("201").status()).isEqualTo(200);
        long start = System.nanoTime();
        Sipp.Running caller = Sipp.scenario("uac-unavailable", logs).remote(parley.port(Transport.UDP))
                .localPort(Sipp.freePort(false)).service("101").credentials("alice-desk", CALLER_SECRET)
                .field0("201").timeout(Duration.ofSeconds(20)).start();
        try {
            SipRequest invite = phone.nextRequest("INVITE");
            phone.send(SipResponse.to(invite, 180).to(invite.to().withTag("ws2")).build());
            phone.close(); // the browser tab goes away while its phone rings
        } finally {
            Sipp.Result r = caller.await();
            // the caller hears 480 when the connection drops, not after the 30 s no-answer timeout
            assertThat(r.exitCode()).as(r.describe()).isZero();
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
        }
        await().atMost(Duration.ofSeconds(5)).until(() -> bindings("201").isEmpty());
    }

    @Test
    void aWebSocketThatClosesDuringAnAnsweredCallEndsItForTheOtherPartyAtOnce() throws Exception {
        Path logs = Files.createDirectories(tmp.resolve("ws-close-answered"));
        WsPhone phone = WsPhone.connect(parley, "bob-web", WEB_SECRET);
        assertThat(phone.register("201").status()).isEqualTo(200);
        Sipp.Running caller = Sipp.scenario("uac-wait-bye", logs).remote(parley.port(Transport.UDP))
                .localPort(Sipp.freePort(false)).service("101").credentials("alice-desk", CALLER_SECRET)
                .field0("201").timeout(Duration.ofSeconds(25)).start();
        long closed;
        try {
            SipRequest invite = phone.nextRequest("INVITE");
            phone.send(SipResponse.to(invite, 200).to(invite.to().withTag("ws3"))
                    .contact(Address.parse("<sip:w1x2@df7jal23ls0d.invalid;transport=ws>"))
                    .body(MediaType.APPLICATION_SDP, Body.of(answer(invite))).build());
            phone.nextRequest("ACK");
            closed = System.nanoTime();
            phone.close(); // the tab goes away in the middle of the call
        } finally {
            Sipp.Result r = caller.await();
            assertThat(r.exitCode()).as(r.describe()).isZero();
            // Parley hangs up the caller's leg and says why (RFC 3326)
            assertThat(r.messages()).contains("Reason: SIP;cause=480;text=\"Connection lost\"");
        }
        assertThat(Duration.ofNanos(System.nanoTime() - closed)).as("BYE at once, not after ICE consent or the"
                + " media timeout").isLessThan(Duration.ofSeconds(5));
        await().atMost(Duration.ofSeconds(5)).until(() -> bindings("201").isEmpty());
    }

    @Test
    void aTcpConnectionsCloseRemovesItsBinding() throws Exception {
        registerAndClose(new Socket(InetAddress.getLoopbackAddress(), parley.port(Transport.TCP)), Transport.TCP);
    }

    @Test
    void aTlsConnectionsCloseRemovesItsBinding() throws Exception {
        SSLSocket tls = (SSLSocket) WsPhone.trusting(parley.dir().resolve("data/tls/cert.pem")).getSocketFactory()
                .createSocket(InetAddress.getLoopbackAddress(), parley.port(Transport.TLS));
        tls.startHandshake();
        registerAndClose(tls, Transport.TLS);
    }

    /** Registers 202 over {@code connection} with Digest, checks the binding, closes, and awaits its removal. */
    private static void registerAndClose(Socket connection, Transport transport) throws Exception {
        try (Socket s = connection) {
            s.setSoTimeout(5000);
            Function<SipRequest, SipResponse> exchange = request -> {
                try {
                    OutputStream out = s.getOutputStream();
                    out.write(SipSerializer.serialize(request));
                    out.flush();
                    return (SipResponse) readStream(s.getInputStream());
                } catch (Exception e) {
                    throw new AssertionError(e);
                }
            };
            String token = transport.name();
            String via = "SIP/2.0/" + token + " 127.0.0.1:" + s.getLocalPort() + ";branch=z9hG4bK";
            String contact = "<sip:202@127.0.0.1:" + s.getLocalPort() + ";transport=" + token.toLowerCase() + ">";
            String callId = token + "-reg-" + random();
            SipResponse challenge = exchange.apply(parse(registerText("202", callId, 1, via + random(), contact)));
            assertThat(challenge.status()).isEqualTo(401);
            SipRequest second = withCredentials(parse(registerText("202", callId, 2, via + random(), contact)),
                    challenge, "carol-tcp", TCP_SECRET);
            assertThat(exchange.apply(second).status()).isEqualTo(200);
            assertThat(bindings("202")).singleElement()
                    .satisfies(b -> assertThat(b.receivedFrom().transport()).isEqualTo(transport));
        }
        await().atMost(Duration.ofSeconds(5)).until(() -> bindings("202").isEmpty());
    }

    // ---- helpers ----

    private static List<Binding> bindings(String aor) {
        return store(s -> s.bindings().find(aor));
    }

    private static <T> T store(Function<Store, T> f) {
        try (Store s = Store.open(parley.databaseUrl(), null, null)) {
            return f.apply(s);
        }
    }

    /**
     * An SDP answer to Parley's offer: the first payload type of its audio line. A WebSocket leg is a browser's, so
     * Parley offers ICE-lite + DTLS-SRTP and takes only an answer shaped like a browser's (ICE credentials, a
     * fingerprint, a=setup, rtcp-mux); no media flows in this test.
     */
    private static String answer(SipRequest invite) {
        String offer = new String(invite.body().toByteArray(), UTF_8);
        String audio = offer.lines().filter(l -> l.startsWith("m=audio ")).findFirst().orElseThrow();
        String[] m = audio.split(" ");
        return "v=0\r\no=ws 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\n"
                + "m=audio 40000 " + m[2] + " " + m[3] + "\r\n"
                + "a=ice-ufrag:wsph\r\na=ice-pwd:websocketphonepassword1\r\n"
                + "a=fingerprint:sha-256 E8:A4:62:AA:4C:B6:8D:CE:34:82:5A:7B:7F:30:87:B5:AB:29:5A:4B:73:D8:F7:72:FC:1F:39"
                + ":02:BB:49:6C:76\r\na=setup:active\r\na=mid:0\r\na=rtcp-mux\r\n";
    }

    static String random() {
        byte[] b = new byte[6];
        new SecureRandom().nextBytes(b);
        return HexFormat.of().formatHex(b);
    }

    static String registerText(String aor, String callId, int cseq, String via, String contact) {
        return "REGISTER sip:127.0.0.1 SIP/2.0\r\n"
                + "Via: " + via + ";rport\r\n"
                + "Max-Forwards: 70\r\n"
                + "To: <sip:" + aor + "@127.0.0.1>\r\n"
                + "From: <sip:" + aor + "@127.0.0.1>;tag=f" + callId + "\r\n"
                + "Call-ID: " + callId + "\r\n"
                + "CSeq: " + cseq + " REGISTER\r\n"
                + "Contact: " + contact + ";expires=600\r\n"
                + "Content-Length: 0\r\n\r\n";
    }

    static SipRequest parse(String text) {
        return (SipRequest) ((ParseResult.Parsed) SipParser.standard().parseDatagram(text.getBytes(UTF_8)))
                .message();
    }

    static SipRequest withCredentials(SipRequest request, SipResponse challenge, String username, String secret) {
        Challenge c = challenge.wwwAuthenticates().getFirst();
        DigestAlgorithm alg = DigestAlgorithm.fromTokenOrDefault(c.algorithm()).orElseThrow();
        String uri = request.requestUri().toString();
        String cnonce = random();
        String nc = "00000001";
        String response = Digest.response(alg, Digest.ha1(alg, username, c.realm(), secret), c.nonce(), nc, cnonce,
                "auth", Digest.ha2(alg, request.method(), uri));
        return request.toBuilder().add(HeaderType.AUTHORIZATION, Credentials.digest(username, c.realm(), c.nonce(),
                uri, response, alg.token(), cnonce, "auth", nc, c.opaque())).build();
    }

    /** One SIP message off a TCP stream (headers, then Content-Length bytes). */
    static SipMessage readStream(InputStream in) throws Exception {
        StringBuilder head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                throw new AssertionError("connection closed after: " + head);
            }
            if (head.isEmpty() && (b == '\r' || b == '\n')) {
                continue; // keep-alive CRLFs between messages
            }
            head.append((char) b);
        }
        int length = head.toString().lines().filter(l -> l.toLowerCase().startsWith("content-length:"))
                .map(l -> Integer.parseInt(l.substring(15).strip())).findFirst().orElse(0);
        byte[] body = in.readNBytes(length);
        byte[] all = (head + new String(body, UTF_8)).getBytes(UTF_8);
        return ((ParseResult.Parsed) SipParser.standard().parseDatagram(all)).message();
    }

    /**
     * A SIP WebSocket client as RFC 7118 describes one: it connects to {@code wss://host:port/ws} with the
     * {@code sip} subprotocol, puts a made-up {@code .invalid} host in its Via and Contact, and sends and receives
     * one SIP message per WebSocket message.
     */
    static final class WsPhone implements AutoCloseable, WebSocket.Listener {
        private final BlockingQueue<SipMessage> inbox = new LinkedBlockingQueue<>();
        private final StringBuilder partial = new StringBuilder();
        private final String username;
        private final String secret;
        private final String host = random() + ".invalid";
        private WebSocket ws;

        private WsPhone(String username, String secret) {
            this.username = username;
            this.secret = secret;
        }

        static WsPhone connect(ParleyUnderTest parley, String username, String secret) throws Exception {
            WsPhone phone = new WsPhone(username, secret);
            HttpClient client = HttpClient.newBuilder().sslContext(trusting(parley.dir().resolve("data/tls/cert.pem")))
                    .connectTimeout(Duration.ofSeconds(3)).build();
            phone.ws = client.newWebSocketBuilder().subprotocols("sip")
                    .buildAsync(URI.create("wss://127.0.0.1:" + parley.httpsPort() + "/ws"), phone)
                    .get(5, TimeUnit.SECONDS);
            assertThat(phone.ws.getSubprotocol()).isEqualTo("sip");
            return phone;
        }

        /** Trusts exactly the certificate Parley generated in its data directory. */
        static SSLContext trusting(Path pem) throws Exception {
            KeyStore trust = KeyStore.getInstance("PKCS12");
            trust.load(null, null);
            try (InputStream in = Files.newInputStream(pem)) {
                trust.setCertificateEntry("parley", CertificateFactory.getInstance("X.509").generateCertificate(in));
            }
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(trust);
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(null, tmf.getTrustManagers(), null);
            return ctx;
        }

        SipResponse register(String aor) throws Exception {
            String callId = "ws-" + random();
            String via = "SIP/2.0/WSS " + host + ";branch=z9hG4bK";
            String contact = "<sip:w1x2@" + host + ";transport=ws>";
            send(parse(registerText(aor, callId, 1, via + random(), contact)));
            SipResponse challenge = nextResponse();
            assertThat(challenge.status()).isEqualTo(401);
            send(withCredentials(parse(registerText(aor, callId, 2, via + random(), contact)), challenge, username,
                    secret));
            return nextResponse();
        }

        void send(SipMessage message) throws Exception {
            ws.sendText(new String(SipSerializer.serialize(message), UTF_8), true).get(3, TimeUnit.SECONDS);
        }

        SipResponse nextResponse() throws InterruptedException {
            return (SipResponse) next(m -> m instanceof SipResponse, "a response");
        }

        SipRequest nextRequest(String method) throws InterruptedException {
            return (SipRequest) next(m -> m instanceof SipRequest r && r.isMethod(method), method);
        }

        private SipMessage next(Predicate<SipMessage> wanted, String what) throws InterruptedException {
            long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
            while (System.nanoTime() < end) {
                SipMessage m = inbox.poll(100, TimeUnit.MILLISECONDS);
                if (m != null && wanted.test(m)) {
                    return m;
                }
            }
            throw new AssertionError("no " + what + " over the WebSocket within 15 s");
        }

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                String text = partial.toString();
                partial.setLength(0);
                if (SipParser.standard().parseDatagram(text.getBytes(UTF_8)) instanceof ParseResult.Parsed p) {
                    inbox.add(p.message());
                }
            }
            webSocket.request(1);
            return null;
        }

        @Override
        public void close() throws Exception {
            ws.sendClose(WebSocket.NORMAL_CLOSURE, "bye").get(3, TimeUnit.SECONDS);
        }
    }
}
