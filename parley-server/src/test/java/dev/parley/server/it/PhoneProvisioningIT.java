package dev.parley.server.it;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.parley.pbx.account.PasswordHashing;
import dev.parley.pbx.registrar.Binding;
import dev.parley.server.it.WebSocketSipIT.WsPhone;
import dev.parley.sip.message.SipRequest;
import dev.parley.sip.message.SipResponse;
import dev.parley.sipstack.flow.Transport;
import dev.parley.store.Store;
import java.io.OutputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import dev.parley.sip.codec.ParseResult;
import dev.parley.sip.codec.SipParser;
import dev.parley.sip.codec.SipSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Browser phone provisioning through the whole server, on SQLite and PostgreSQL, with real HTTPS (JDK
 * {@link HttpClient}) and real SIP: a user signs in, {@code POST /api/me/phone} gives SIP credentials (the same ones
 * again for the same session), a JDK WebSocket client registers 101 over WSS with them; the same credentials over
 * UDP and TCP get 403 for REGISTER and INVITE; sign-out removes the binding from the store and the credentials stop
 * working over WSS (401); nothing of them is in the database or in the TRACE log. After a restart the session still
 * signs in but the old credentials are gone and new ones are issued.
 */
@ParameterizedClass(name = "on {0}")
@EnumSource(TestDatabase.class)
@Timeout(180)
class PhoneProvisioningIT {
    private static final Pattern COOKIE = Pattern.compile("__Host-parley=([A-Za-z0-9_-]{43});");
    private static final Pattern CSRF = Pattern.compile("\"csrfToken\":\"([A-Za-z0-9_-]{43})\"");
    private static final String WEB_PASSWORD = "alice-long-web-password";
    private static final ObjectMapper JSON = new ObjectMapper();

    @Parameter
    TestDatabase database;
    @TempDir
    Path tmp;

    private ParleyUnderTest parley;
    private HttpClient http;

    private void start(Path dir, Map<String, String> settings) throws Exception {
        parley = ParleyUnderTest.start(dir, settings);
        http = HttpClient.newBuilder().sslContext(WsPhone.trusting(dir.resolve("data/tls/cert.pem")))
                .connectTimeout(Duration.ofSeconds(3)).build();
    }

    private String origin() {
        return "https://127.0.0.1:" + parley.httpsPort();
    }

    private HttpResponse<String> send(HttpRequest.Builder b) throws Exception {
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(URI.create(origin() + path)).timeout(Duration.ofSeconds(10));
    }

    /** Signs in; the cookie header and the CSRF token. */
    private String[] signIn() throws Exception {
        HttpResponse<String> r = send(request("/api/session").header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"username\":\"alice\",\"password\":\"" + WEB_PASSWORD
                        + "\"}")));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        Matcher c = COOKIE.matcher(r.headers().firstValue("Set-Cookie").orElseThrow());
        Matcher t = CSRF.matcher(r.body());
        assertThat(c.find() && t.find()).isTrue();
        return new String[] {"__Host-parley=" + c.group(1), t.group(1)};
    }

    private HttpResponse<String> phone(String[] s) throws Exception {
        return send(request("/api/me/phone").header("Cookie", s[0]).header("X-CSRF-Token", s[1])
                .header("Origin", origin()).POST(HttpRequest.BodyPublishers.noBody()));
    }

    private List<Binding> bindings(String aor) {
        try (Store s = Store.open(parley.databaseUrl(), null, null)) {
            return s.bindings().find(aor);
        }
    }

    @Test
    void provisionedCredentialsRegisterOverWssOnlyAndEndWithTheSession() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve(database.name().toLowerCase(Locale.ROOT)));
        Map<String, String> settings = database.settings(Map.of("PARLEY_PBX_DIGEST_ALGORITHMS", "MD5,SHA-256"));
        try (LogCapture log = LogCapture.trace()) {
            start(dir, settings);
            parley.addPhone("alice", "101", "alice-desk", "alice-desk-secret-1");
            try (Store store = Store.open(parley.databaseUrl(), null, null)) {
                store.webPasswords().set(store.users().findByName("alice").orElseThrow().id(),
                        PasswordHashing.argon2id(WEB_PASSWORD.toCharArray()));
            }
            String[] session = signIn();
            HttpResponse<String> r = phone(session);
            assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
            assertThat(r.headers().firstValue("Strict-Transport-Security")).isPresent();
            JsonNode c = JSON.readTree(r.body());
            String user = c.path("authorizationUser").asText();
            String password = c.path("password").asText();
            System.out.println("provisioned: uri " + c.path("uri") + ", wsUri " + c.path("wsUri") + ", expiresAt "
                    + c.path("expiresAt"));
            assertThat(c.path("uri").asText()).isEqualTo("sip:101@127.0.0.1");
            assertThat(c.path("wsUri").asText()).isEqualTo("wss://127.0.0.1:" + parley.httpsPort() + "/ws");
            assertThat(JSON.readTree(phone(session).body())).as("same session, same credentials").isEqualTo(c);

            try (WsPhone ws = WsPhone.connect(parley, user, password)) {
                assertThat(ws.register("101").status()).isEqualTo(200);
                assertThat(bindings("101")).singleElement()
                        .satisfies(b -> assertThat(b.receivedFrom().transport()).isEqualTo(Transport.WSS));

                // the same credentials off WSS: refused after a correct Digest answer
                assertThat(registerOverUdp(user, password)).isEqualTo(403);
                assertThat(registerOverTcp(user, password)).isEqualTo(403);
                assertThat(inviteOverUdp(user, password)).isEqualTo(403);
                // a stored device still registers over UDP
                assertThat(registerOverUdp("alice-desk", "alice-desk-secret-1")).isEqualTo(200);
                assertThat(bindings("101")).hasSize(2);
                // the owner's live registrations list the browser phone's binding beside the desk phone's
                HttpResponse<String> mine = send(request("/api/me/registrations").header("Cookie", session[0]));
                assertThat(mine.statusCode()).as(mine.body()).isEqualTo(200);
                assertThat(JSON.readTree(mine.body()).path("registrations")).extracting(
                                j -> j.path("username").asText() + " " + j.path("transport").asText())
                        .containsExactlyInAnyOrder(user + " wss", "alice-desk udp");

                // never in the database
                try (Store store = Store.open(parley.databaseUrl(), null, null)) {
                    var devices = store.devices(dev.parley.server.store.SecretKeyFile.openOrCreate(
                            parley.server().config().secretKeyPath()));
                    assertThat(devices.findBySipUsername(user)).isEmpty();
                    assertThat(devices.findAll()).extracting(d -> d.sipUsername()).containsExactly("alice-desk");
                }
                if (database == TestDatabase.SQLITE) {
                    assertThat(databaseFilesContain(dir.resolve("data"), password)).isFalse();
                }

                HttpResponse<String> out = send(request("/api/session").header("Cookie", session[0])
                        .header("X-CSRF-Token", session[1]).header("Origin", origin()).DELETE());
                assertThat(out.statusCode()).isEqualTo(204);
                await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(bindings("101"))
                        .as("only the desk phone's binding is left").singleElement()
                        .satisfies(b -> assertThat(b.receivedFrom().transport()).isEqualTo(Transport.UDP)));
                // the same WebSocket, the old credentials: refused like any wrong password
                assertThat(ws.register("101").status()).isEqualTo(401);
            }
            assertThat(log.text()).as("the SIP password in the log").doesNotContain(password);
        }
    }

    @Test
    void aRestartForgetsTheCredentialsButNotTheSession() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve(database.name().toLowerCase(Locale.ROOT) + "-restart"));
        Map<String, String> settings = database.settings(Map.of("PARLEY_PBX_DIGEST_ALGORITHMS", "MD5,SHA-256"));
        start(dir, settings);
        parley.addPhone("alice", "101", "alice-desk", "alice-desk-secret-1");
        try (Store store = Store.open(parley.databaseUrl(), null, null)) {
            store.webPasswords().set(store.users().findByName("alice").orElseThrow().id(),
                    PasswordHashing.argon2id(WEB_PASSWORD.toCharArray()));
        }
        String[] session = signIn();
        JsonNode before = JSON.readTree(phone(session).body());
        parley.close();
        start(dir, settings);
        try (WsPhone ws = WsPhone.connect(parley, before.path("authorizationUser").asText(),
                before.path("password").asText())) {
            assertThat(ws.register("101").status()).as("old credentials after a restart").isEqualTo(401);
        }
        HttpResponse<String> again = phone(session);
        assertThat(again.statusCode()).as("the session survived: " + again.body()).isEqualTo(200);
        JsonNode after = JSON.readTree(again.body());
        assertThat(after.path("authorizationUser").asText()).isNotEqualTo(before.path("authorizationUser").asText());
        try (WsPhone ws = WsPhone.connect(parley, after.path("authorizationUser").asText(),
                after.path("password").asText())) {
            assertThat(ws.register("101").status()).isEqualTo(200);
        }
        parley.close();
    }

    @org.junit.jupiter.api.AfterEach
    void stop() {
        if (parley != null) {
            parley.close();
        }
    }

    // ---- SIP off WSS ----

    private int registerOverUdp(String user, String password) throws Exception {
        try (DatagramSocket udp = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            udp.setSoTimeout(5000);
            String callId = "udp-" + WebSocketSipIT.random();
            String via = "SIP/2.0/UDP 127.0.0.1:" + udp.getLocalPort() + ";branch=z9hG4bK";
            String contact = "<sip:101@127.0.0.1:" + udp.getLocalPort() + ">";
            SipResponse challenge = exchange(udp, WebSocketSipIT.parse(WebSocketSipIT.registerText("101", callId, 1,
                    via + WebSocketSipIT.random(), contact)));
            assertThat(challenge.status()).isEqualTo(401);
            return exchange(udp, WebSocketSipIT.withCredentials(WebSocketSipIT.parse(WebSocketSipIT.registerText(
                    "101", callId, 2, via + WebSocketSipIT.random(), contact)), challenge, user, password)).status();
        }
    }

    private int registerOverTcp(String user, String password) throws Exception {
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), parley.port(Transport.TCP))) {
            s.setSoTimeout(5000);
            String callId = "tcp-" + WebSocketSipIT.random();
            String via = "SIP/2.0/TCP 127.0.0.1:" + s.getLocalPort() + ";branch=z9hG4bK";
            String contact = "<sip:101@127.0.0.1:" + s.getLocalPort() + ";transport=tcp>";
            OutputStream out = s.getOutputStream();
            out.write(SipSerializer.serialize(WebSocketSipIT.parse(WebSocketSipIT.registerText("101", callId, 1,
                    via + WebSocketSipIT.random(), contact))));
            SipResponse challenge = (SipResponse) WebSocketSipIT.readStream(s.getInputStream());
            assertThat(challenge.status()).isEqualTo(401);
            out.write(SipSerializer.serialize(WebSocketSipIT.withCredentials(WebSocketSipIT.parse(
                    WebSocketSipIT.registerText("101", callId, 2, via + WebSocketSipIT.random(), contact)),
                    challenge, user, password)));
            return ((SipResponse) WebSocketSipIT.readStream(s.getInputStream())).status();
        }
    }

    /** An INVITE to the desk phone's extension, answered 407, then with Proxy-Authorization: the final status. */
    private int inviteOverUdp(String user, String password) throws Exception {
        try (DatagramSocket udp = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            udp.setSoTimeout(5000);
            String callId = "inv-" + WebSocketSipIT.random();
            // (no ACKs: the final answers' retransmissions stop at Timer H and hit a closed socket)
            SipResponse challenge = exchange(udp, invite(udp, callId, 1, null));
            assertThat(challenge.status()).isEqualTo(407);
            return exchange(udp, invite(udp, callId, 2,
                    proxyCredentials(invite(udp, callId, 2, null), challenge, user, password))).status();
        }
    }

    private SipRequest invite(DatagramSocket udp, String callId, int cseq, String authorization) {
        String sdp = "v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\n"
                + "m=audio 40000 RTP/AVP 0\r\na=rtpmap:0 PCMU/8000\r\n";
        String text = "INVITE sip:101@127.0.0.1 SIP/2.0\r\n"
                + "Via: SIP/2.0/UDP 127.0.0.1:" + udp.getLocalPort() + ";rport;branch=z9hG4bK-" + callId + "-" + cseq
                + "\r\n"
                + "Max-Forwards: 70\r\n"
                + "To: <sip:101@127.0.0.1>\r\n"
                + "From: <sip:101@127.0.0.1>;tag=f" + callId + "\r\n"
                + "Call-ID: " + callId + "\r\n"
                + "CSeq: " + cseq + " INVITE\r\n"
                + "Contact: <sip:101@127.0.0.1:" + udp.getLocalPort() + ">\r\n"
                + (authorization == null ? "" : "Proxy-Authorization: " + authorization + "\r\n")
                + "Content-Type: application/sdp\r\n"
                + "Content-Length: " + sdp.length() + "\r\n\r\n" + sdp;
        return WebSocketSipIT.parse(text);
    }

    /** The Proxy-Authorization value answering {@code challenge} for {@code invite}. */
    private static String proxyCredentials(SipRequest invite, SipResponse challenge, String user, String password) {
        dev.parley.sip.header.Challenge ch = challenge.proxyAuthenticates().getFirst();
        dev.parley.sip.auth.DigestAlgorithm alg = dev.parley.sip.auth.DigestAlgorithm
                .fromTokenOrDefault(ch.algorithm()).orElseThrow();
        String uri = invite.requestUri().toString();
        String cnonce = WebSocketSipIT.random();
        String response = dev.parley.sip.auth.Digest.response(alg,
                dev.parley.sip.auth.Digest.ha1(alg, user, ch.realm(), password), ch.nonce(), "00000001", cnonce,
                "auth", dev.parley.sip.auth.Digest.ha2(alg, "INVITE", uri));
        return "Digest username=\"" + user + "\", realm=\"" + ch.realm() + "\", nonce=\"" + ch.nonce() + "\", uri=\""
                + uri + "\", response=\"" + response + "\", algorithm=" + alg.token() + ", cnonce=\"" + cnonce
                + "\", qop=auth, nc=00000001";
    }

    private void send(DatagramSocket udp, SipRequest request) throws Exception {
        byte[] bytes = SipSerializer.serialize(request);
        udp.send(new DatagramPacket(bytes, bytes.length, InetAddress.getLoopbackAddress(),
                parley.port(Transport.UDP)));
    }

    private SipResponse exchange(DatagramSocket udp, SipRequest request) throws Exception {
        send(udp, request);
        return finalResponse(udp);
    }

    /** The next final response (provisional ones skipped). */
    private static SipResponse finalResponse(DatagramSocket udp) throws Exception {
        while (true) {
            DatagramPacket p = new DatagramPacket(new byte[65535], 65535);
            udp.receive(p);
            if (SipParser.standard().parseDatagram(java.util.Arrays.copyOf(p.getData(), p.getLength()))
                    instanceof ParseResult.Parsed parsed && parsed.message() instanceof SipResponse r
                    && r.status() >= 200) {
                return r;
            }
        }
    }

    private static boolean databaseFilesContain(Path data, String secret) throws Exception {
        byte[] needle = secret.getBytes(UTF_8);
        try (Stream<Path> files = Files.list(data)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                if (new String(Files.readAllBytes(f), java.nio.charset.StandardCharsets.ISO_8859_1)
                        .contains(new String(needle, java.nio.charset.StandardCharsets.ISO_8859_1))) {
                    return true;
                }
            }
        }
        return false;
    }
}
