package dev.parley.web;

import dev.parley.sipstack.transport.TestCerts;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.parley.sip.codec.ParseResult;
import dev.parley.sip.codec.SipParser;
import dev.parley.sip.message.SipRequest;
import dev.parley.sip.message.SipResponse;
import dev.parley.sipstack.SipStack;
import dev.parley.sipstack.StackConfig;
import dev.parley.sipstack.flow.Flow;
import dev.parley.sipstack.flow.Transport;
import dev.parley.sipstack.transaction.ServerTransaction;
import dev.parley.sipstack.transport.TransportConfig;
import dev.parley.web.http.SecurityHeaders;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The web server on real sockets: HTTPS with Parley's TLS profile and security headers, the redirect port, and SIP
 * over WebSocket into a real {@link SipStack} whose transaction user answers OPTIONS.
 */
@Timeout(30)
class WebServerIT {
    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();
    static SipStack stack;
    static WebServer web;
    static final List<Flow> closedFlows = new CopyOnWriteArrayList<>();
    static final BlockingQueue<SipRequest> requests = new LinkedBlockingQueue<>();

    /** Answers OPTIONS 200; records requests and closed flows. */
    static final class Answering implements SipStack.Handler {
        @Override
        public void onRequest(ServerTransaction tx, SipRequest request) {
            requests.add(request);
            tx.respond(SipResponse.to(request, 200).build());
        }

        @Override
        public void onCancel(ServerTransaction cancel, ServerTransaction invite) {
        }

        @Override
        public void onAckFor2xx(SipRequest ack, Flow flow) {
        }

        @Override
        public void onStrayResponse(SipResponse response, Flow flow) {
        }

        @Override
        public void onTimeout(ServerTransaction transaction) {
        }

        @Override
        public void onTransportError(ServerTransaction transaction) {
        }

        @Override
        public void onFlowClosed(Flow flow) {
            closedFlows.add(flow);
        }
    }

    @BeforeAll
    static void start() {
        stack = new SipStack(StackConfig.of(TransportConfig.builder().bindAddress(LOOPBACK).udpPort(-1).tcpPort(-1)
                .tlsPort(-1).ioThreads(1).build()).withLanes(2).withAdvertisedHost("127.0.0.1"), new Answering());
        stack.start();
        web = new WebServer(WebConfig.of(LOOPBACK, 0, TestCerts.get().keyManagers()).withRedirectPort(0)
                .withUnauthenticatedIdleTimeout(Duration.ofSeconds(2))
                .withKeepAlive(Duration.ofMillis(500), Duration.ofSeconds(10)), stack::attachTransport, "127.0.0.1");
        web.start();
    }

    @AfterAll
    static void stop() {
        if (web != null) {
            web.close();
        }
        if (stack != null) {
            stack.close();
        }
    }

    private static URI https(String path) {
        return URI.create("https://127.0.0.1:" + web.httpsPort() + path);
    }

    private static HttpClient client(String protocol) {
        SSLParameters p = new SSLParameters();
        p.setProtocols(new String[] {protocol});
        return HttpClient.newBuilder().sslContext(TestCerts.get().trustingClient()).sslParameters(p)
                .connectTimeout(Duration.ofSeconds(3)).build();
    }

    private static HttpResponse<String> get(HttpClient client, String path) throws Exception {
        return client.send(HttpRequest.newBuilder(https(path)).timeout(Duration.ofSeconds(5)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static void assertSecurityHeaders(HttpResponse<?> r) {
        assertThat(r.headers().firstValue("Strict-Transport-Security")).hasValue(SecurityHeaders.HSTS);
        assertThat(r.headers().firstValue("Content-Security-Policy")).get().asString()
                .contains("frame-ancestors 'none'").contains("default-src 'self'").contains("object-src 'none'");
        assertThat(r.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
        assertThat(r.headers().firstValue("Referrer-Policy")).hasValue("no-referrer");
        assertThat(r.headers().firstValue("X-Frame-Options")).hasValue("DENY");
        assertThat(r.headers().firstValue("Server")).as("no version advertised").isEmpty();
    }

    // ---- HTTPS ----

    @Test
    void healthOverTls13CarriesEverySecurityHeader() throws Exception {
        HttpResponse<String> r = get(client("TLSv1.3"), "/api/health");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).isEqualTo("{\"status\":\"ok\"}");
        assertThat(r.headers().firstValue("Content-Type")).get().asString().startsWith("application/json");
        assertThat(r.sslSession()).get().extracting(s -> s.getProtocol()).isEqualTo("TLSv1.3");
        assertSecurityHeaders(r);
    }

    @Test
    void staticIndexOverTls12WithAProfileSuite() throws Exception {
        HttpResponse<String> r = get(client("TLSv1.2"), "/");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).contains("<title>Parley</title>");
        assertThat(r.sslSession()).get().satisfies(s -> {
            assertThat(s.getProtocol()).isEqualTo("TLSv1.2");
            assertThat(dev.parley.sipstack.tls.TlsProfile.MOZILLA_INTERMEDIATE_SUITES)
                    .contains(s.getCipherSuite());
        });
        assertSecurityHeaders(r);
    }

    @Test
    void notFoundAndRefusedWebSocketUpgradesCarryTheHeadersToo() throws Exception {
        HttpResponse<String> r = get(client("TLSv1.3"), "/no/such/page");
        assertThat(r.statusCode()).isEqualTo(404);
        assertSecurityHeaders(r);
        // a plain GET to the WebSocket endpoint, without an upgrade
        HttpResponse<String> ws = get(client("TLSv1.3"), "/ws");
        assertThat(ws.statusCode()).isBetween(400, 499);
        assertSecurityHeaders(ws);
    }

    @Test
    void rfc8996_aTls11ClientHelloIsRefused() throws Exception {
        // the JDK client will not offer TLS 1.1 any more, so the ClientHello is written by hand
        try (Socket s = new Socket(LOOPBACK, web.httpsPort())) {
            s.setSoTimeout(3000);
            OutputStream out = s.getOutputStream();
            out.write(tls11ClientHello());
            out.flush();
            InputStream in = s.getInputStream();
            byte[] answer = in.readNBytes(7);
            // a fatal alert (protocol_version or handshake_failure), or the connection closed without a ServerHello
            if (answer.length > 0) {
                assertThat(answer).hasSize(7);
                assertThat(answer[0]).as("record type alert, not a ServerHello").isEqualTo((byte) 21);
                assertThat(answer[5]).as("level fatal").isEqualTo((byte) 2);
                assertThat(answer[6]).as("protocol_version or handshake_failure").isIn((byte) 70, (byte) 40);
            }
        }
    }

    @Test
    void aClientOfferingOnlyCbcSuitesIsRefused() {
        SSLParameters p = new SSLParameters();
        p.setProtocols(new String[] {"TLSv1.2"});
        p.setCipherSuites(new String[] {"TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256"});
        HttpClient cbc = HttpClient.newBuilder().sslContext(TestCerts.get().trustingClient()).sslParameters(p).build();
        assertThatThrownBy(() -> get(cbc, "/api/health")).isInstanceOf(javax.net.ssl.SSLHandshakeException.class);
    }

    @Test
    void plainHttpPortOnlyRedirectsWith308ToTheSamePathOnHttps() throws Exception {
        HttpClient plain = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();
        for (String method : new String[] {"GET", "POST"}) {
            HttpResponse<String> r = plain.send(HttpRequest.newBuilder(
                            URI.create("http://127.0.0.1:" + web.redirectPort() + "/api/health?x=1"))
                    .method(method, HttpRequest.BodyPublishers.ofString("a=b")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).isEqualTo(308);
            assertThat(r.headers().firstValue("Location"))
                    .hasValue("https://127.0.0.1:" + web.httpsPort() + "/api/health?x=1");
            assertThat(r.body()).isEmpty();
            assertThat(r.headers().firstValue("Strict-Transport-Security")).as("RFC 6797 §7.2").isEmpty();
        }
    }

    // ---- SIP over WebSocket ----

    /** Collects whole text messages. */
    static final class Collector implements WebSocket.Listener {
        final BlockingQueue<String> messages = new LinkedBlockingQueue<>();
        final CompletableFuture<Integer> closed = new CompletableFuture<>();
        private final StringBuilder partial = new StringBuilder();

        @Override
        public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                messages.add(partial.toString());
                partial.setLength(0);
            }
            ws.request(1);
            return null;
        }

        final BlockingQueue<ByteBuffer> pongs = new LinkedBlockingQueue<>();
        final java.util.concurrent.atomic.AtomicInteger pings = new java.util.concurrent.atomic.AtomicInteger();

        @Override
        public CompletionStage<?> onPing(WebSocket ws, ByteBuffer message) {
            pings.incrementAndGet(); // the JDK answers with the pong itself
            ws.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onPong(WebSocket ws, ByteBuffer message) {
            pongs.add(message);
            ws.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket ws, int statusCode, String reason) {
            closed.complete(statusCode);
            return null;
        }

        @Override
        public void onError(WebSocket ws, Throwable error) {
            closed.completeExceptionally(error);
        }

        String next() throws InterruptedException {
            String m = messages.poll(5, TimeUnit.SECONDS);
            assertThat(m).as("a message within 5 s").isNotNull();
            return m;
        }
    }

    private static WebSocket connect(Collector c, String... subprotocols) throws Exception {
        WebSocket.Builder b = client("TLSv1.3").newWebSocketBuilder().connectTimeout(Duration.ofSeconds(3));
        if (subprotocols.length > 0) {
            b.subprotocols(subprotocols[0], java.util.Arrays.copyOfRange(subprotocols, 1, subprotocols.length));
        }
        return b.buildAsync(URI.create("wss://127.0.0.1:" + web.httpsPort() + "/ws"), c).get(5, TimeUnit.SECONDS);
    }

    private static String options(String callId) {
        return "OPTIONS sip:127.0.0.1 SIP/2.0\r\n"
                + "Via: SIP/2.0/WSS a1b2c3.invalid;branch=z9hG4bK" + callId + ";rport\r\n"
                + "Max-Forwards: 70\r\n"
                + "From: <sip:101@127.0.0.1>;tag=f1\r\n"
                + "To: <sip:127.0.0.1>\r\n"
                + "Call-ID: " + callId + "\r\n"
                + "CSeq: 1 OPTIONS\r\n"
                + "\r\n";
    }

    @Test
    void rfc7118_withoutTheSipSubprotocolTheUpgradeIsRefused() {
        for (String[] offered : new String[][] {{}, {"chat"}}) {
            assertThatThrownBy(() -> connect(new Collector(), offered)).isInstanceOf(ExecutionException.class)
                    .cause().isInstanceOf(WebSocketHandshakeException.class)
                    .satisfies(e -> assertThat(((WebSocketHandshakeException) e).getResponse().statusCode())
                            .isEqualTo(400));
        }
    }

    @Test
    void rfc6455_aPageOfAnotherOriginCannotOpenTheSipWebSocket() throws Exception {
        String self = "https://127.0.0.1:" + web.httpsPort();
        for (String origin : new String[] {"https://evil.example", "http://127.0.0.1:" + web.httpsPort(),
                self + ".evil.example", "null"}) {
            assertThatThrownBy(() -> connectFrom(origin)).as(origin).isInstanceOf(ExecutionException.class)
                    .cause().isInstanceOf(WebSocketHandshakeException.class)
                    .satisfies(e -> assertThat(((WebSocketHandshakeException) e).getResponse().statusCode())
                            .isEqualTo(403));
        }
        // a page of this server may, and so may a client that is no browser (no Origin, as in the tests above)
        connectFrom(self).sendClose(WebSocket.NORMAL_CLOSURE, "").get(3, TimeUnit.SECONDS);
    }

    private static WebSocket connectFrom(String origin) throws Exception {
        return client("TLSv1.3").newWebSocketBuilder().header("Origin", origin).subprotocols("sip")
                .buildAsync(URI.create("wss://127.0.0.1:" + web.httpsPort() + "/ws"), new Collector())
                .get(5, TimeUnit.SECONDS);
    }

    @Test
    void rfc7118_requestAndResponseTravelOnTheConnectionWithReceivedAndRport() throws Exception {
        Collector c = new Collector();
        WebSocket ws = connect(c, "chat", "sip");
        assertThat(ws.getSubprotocol()).isEqualTo("sip");

        ws.sendText(options("ws-opt-1"), true).get(3, TimeUnit.SECONDS);

        SipResponse ok = (SipResponse) ((ParseResult.Parsed) SipParser.standard().parseDatagram(
                c.next().getBytes(StandardCharsets.UTF_8))).message();
        assertThat(ok.status()).isEqualTo(200);
        assertThat(ok.topVia().transport()).isEqualTo("WSS");
        assertThat(ok.topVia().received()).isEqualTo("127.0.0.1");
        assertThat(ok.topVia().rport()).as("the client's port on this connection").isPositive();
        SipRequest seen = requests.stream().filter(r -> r.callId().equals("ws-opt-1")).findFirst().orElseThrow();
        assertThat(seen.topVia().received()).isEqualTo("127.0.0.1");

        // RFC 5626 §4.4.1 keep-alive as a frame: CRLF CRLF is answered with CRLF
        ws.sendText("\r\n\r\n", true).get(3, TimeUnit.SECONDS);
        assertThat(c.next()).isEqualTo("\r\n");

        // a WebSocket ping (RFC 6455 §5.5.2) gets its pong with the same application data
        ws.sendPing(ByteBuffer.wrap(new byte[] {1, 2, 3})).get(3, TimeUnit.SECONDS);
        ByteBuffer pong = c.pongs.poll(5, TimeUnit.SECONDS);
        assertThat(pong).isEqualTo(ByteBuffer.wrap(new byte[] {1, 2, 3}));
        // and Parley pings every client (every 500 ms here) to keep NATs open and find dead ones
        await().atMost(Duration.ofSeconds(5)).until(() -> c.pings.get() >= 2);

        // a binary frame is one SIP message too (RFC 7118 §5.1)
        ws.sendBinary(ByteBuffer.wrap(options("ws-opt-2").getBytes(StandardCharsets.UTF_8)), true)
                .get(3, TimeUnit.SECONDS);
        assertThat(c.next()).startsWith("SIP/2.0 200 ").contains("ws-opt-2");

        // requests Parley sends to this client find the connection by its address
        Flow flow = closedFlowOrOpen(seen);
        assertThat(stack.flowTo(Transport.WSS, flow.remoteAddress()).get(1, TimeUnit.SECONDS).id())
                .isEqualTo(flow.id());

        ws.sendClose(WebSocket.NORMAL_CLOSURE, "bye").get(3, TimeUnit.SECONDS);
        await().atMost(Duration.ofSeconds(5)).until(() -> closedFlows.stream().anyMatch(f -> f.id().equals(flow.id())));
        assertThatThrownBy(() -> stack.flowTo(Transport.WSS, flow.remoteAddress()).get(1, TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class).hasMessageContaining("no open WSS connection");
    }

    /** The flow a request came on, as the stack's flowTo finds it from the request's rport. */
    private static Flow closedFlowOrOpen(SipRequest request) throws Exception {
        var remote = new java.net.InetSocketAddress(request.topVia().received(), request.topVia().rport());
        return stack.flowTo(Transport.WSS, remote).get(1, TimeUnit.SECONDS);
    }

    @Test
    void anUnauthenticatedConnectionThatSendsNoSipIsClosedAfterTheIdleTimeout() throws Exception {
        Collector c = new Collector();
        long start = System.nanoTime();
        WebSocket ws = connect(c, "sip");
        ws.sendText("\r\n\r\n", true); // keep-alives alone do not keep an unauthenticated connection
        assertThat(c.closed.get(10, TimeUnit.SECONDS)).isEqualTo(1008);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(1900));
    }

    /** A TLS 1.1 ClientHello (RFC 4346 §7.4.1.2) offering two CBC suites and no extensions. */
    private static byte[] tls11ClientHello() {
        byte[] random = new byte[32];
        new SecureRandom().nextBytes(random);
        byte[] body = new byte[2 + 32 + 1 + 2 + 4 + 2];
        int i = 0;
        body[i++] = 3;
        body[i++] = 2; // TLS 1.1
        System.arraycopy(random, 0, body, i, 32);
        i += 32;
        body[i++] = 0; // session id
        body[i++] = 0;
        body[i++] = 4;
        body[i++] = (byte) 0xC0;
        body[i++] = 0x13; // TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA
        body[i++] = 0x00;
        body[i++] = 0x2F; // TLS_RSA_WITH_AES_128_CBC_SHA
        body[i++] = 1;
        body[i] = 0; // null compression
        byte[] record = new byte[5 + 4 + body.length];
        record[0] = 22; // handshake
        record[1] = 3;
        record[2] = 1;
        record[3] = (byte) ((4 + body.length) >> 8);
        record[4] = (byte) (4 + body.length);
        record[5] = 1; // client_hello
        record[6] = 0;
        record[7] = (byte) (body.length >> 8);
        record[8] = (byte) body.length;
        System.arraycopy(body, 0, record, 9, body.length);
        return record;
    }
}
