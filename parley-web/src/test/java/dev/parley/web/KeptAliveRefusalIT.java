package dev.parley.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.pbx.account.LoginThrottle;
import dev.parley.pbx.account.PasswordHashing;
import dev.parley.pbx.directory.Extension;
import dev.parley.pbx.directory.Role;
import dev.parley.pbx.directory.User;
import dev.parley.pbx.directory.UserId;
import dev.parley.pbx.directory.memory.InMemoryExtensionRepository;
import dev.parley.pbx.directory.memory.InMemoryUserRepository;
import dev.parley.pbx.directory.memory.InMemoryWebPasswordRepository;
import dev.parley.sipstack.transport.TestCerts;
import dev.parley.web.http.UnreadBody;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Refusals on a kept-alive connection, over real HTTPS: an answer given before the request's body was read (401
 * without a session, 403 cross-origin or without the CSRF token, 415 for a body that is not JSON, 429 for an API
 * token from a throttled source, 404 for no such route) leaves the connection usable for the next request when the
 * body was small, and says {@code Connection: close} when it was large or chunked. A raw TLS socket shows it is the same connection; the JDK
 * client, which does not retry a POST on a connection the server closed, sends refused POSTs and GETs in a row.
 */
@Timeout(120)
class KeptAliveRefusalIT {
    private static final String PASSWORD = "copper-lantern-ridge";
    private static final InMemoryUserRepository users = new InMemoryUserRepository();
    private static final InMemoryExtensionRepository extensions = new InMemoryExtensionRepository();
    private static final InMemoryWebPasswordRepository passwords = new InMemoryWebPasswordRepository();
    private static WebServer web;
    private static ApiClient api;
    private static ApiClient.Signed nina;

    @BeforeAll
    static void start() throws Exception {
        User u = new User(UserId.random(), "nina", "Nina", Role.USER, null);
        users.save(u);
        passwords.set(u.id(), PasswordHashing.argon2id(PASSWORD.toCharArray()));
        extensions.save(new Extension("301", u.id()));
        // the source may present two wrong API tokens, then gets 429 before any lookup
        LoginThrottle.Settings throttle = new LoginThrottle.Settings(
                new LoginThrottle.Limit(1000, Duration.ofMinutes(15), Duration.ofMinutes(15)),
                new LoginThrottle.Limit(2, Duration.ofMinutes(15), Duration.ofMinutes(15)), 1000);
        web = new WebServer(WebConfig.of(InetAddress.getLoopbackAddress(), 0, TestCerts.get().keyManagers()), null,
                "127.0.0.1", WebAccounts.of(users, extensions, passwords).withThrottle(throttle));
        web.start();
        api = new ApiClient(web);
        nina = api.signIn("nina", PASSWORD);
        for (int i = 0; i < 2; i++) { // two wrong API tokens: the source is throttled from now on
            assertThat(api.send(api.request("/api/me").header("Authorization", "Bearer parley_wrong"))
                    .statusCode()).isEqualTo(401);
        }
    }

    @AfterAll
    static void stop() {
        if (web != null) {
            web.close();
        }
    }

    /** One answer read off a raw connection. */
    record Answer(int status, Map<String, String> headers, String body) {
        String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }
    }

    /** A small JSON body of {@code size} bytes. */
    private static String json(int size) {
        StringBuilder b = new StringBuilder("{\"name\":\"");
        while (b.length() < size - 2) {
            b.append('x');
        }
        return b.append("\"}").toString();
    }

    /** The refusals a client meets before its body is read, each with a small body, and the status it gets. */
    private static List<Object[]> refusals() {
        String host = "127.0.0.1:" + web.httpsPort();
        String origin = "https://" + host;
        return List.of(
                new Object[] {"POST /api/me/tokens with no session", 401,
                        post("/api/me/tokens", host, "Origin: " + origin + "\r\n", json(300))},
                new Object[] {"POST /api/me/tokens from a foreign origin", 403,
                        post("/api/me/tokens", host, "Origin: https://evil.example\r\nCookie: " + nina.header()
                                + "\r\n", json(2000))},
                new Object[] {"POST /api/me/tokens without the CSRF token", 403,
                        post("/api/me/tokens", host, "Origin: " + origin + "\r\nCookie: " + nina.header() + "\r\n",
                                json(60_000))},
                new Object[] {"PUT /api/me/password with a body that is not JSON", 415,
                        ("PUT /api/me/password HTTP/1.1\r\nHost: " + host + "\r\nOrigin: " + origin
                                + "\r\nCookie: " + nina.header() + "\r\nX-CSRF-Token: " + nina.csrf()
                                + "\r\nContent-Type: text/plain\r\nContent-Length: 5000\r\n\r\n" + "y".repeat(5000))},
                new Object[] {"POST /api/me/tokens with an API token from a throttled source", 429,
                        post("/api/me/tokens", host, "Authorization: Bearer parley_wrong\r\n", json(3000))},
                new Object[] {"POST /api/no-such-route", 404,
                        post("/api/no-such-route", host, "Origin: " + origin + "\r\n", json(1000))},
                new Object[] {"GET /api/health with a body", 200,
                        ("GET /api/health HTTP/1.1\r\nHost: " + host + "\r\nContent-Length: 700\r\n\r\n"
                                + "z".repeat(700))});
    }

    private static String post(String path, String host, String headers, String body) {
        return "POST " + path + " HTTP/1.1\r\nHost: " + host + "\r\n" + headers
                + "Content-Type: application/json\r\nContent-Length: " + body.getBytes(StandardCharsets.UTF_8).length
                + "\r\n\r\n" + body;
    }

    private static String health() {
        return "GET /api/health HTTP/1.1\r\nHost: 127.0.0.1:" + web.httpsPort() + "\r\n\r\n";
    }

    private static SSLSocket connect() throws IOException {
        SSLSocket s = (SSLSocket) TestCerts.get().trustingClient().getSocketFactory().createSocket();
        s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), web.httpsPort()), 3000);
        s.setSoTimeout(10_000);
        s.startHandshake();
        return s;
    }

    @Test
    void everyRefusalOfASmallBodyLeavesTheConnectionForTheNextRequest() throws Exception {
        try (SSLSocket s = connect()) {
            OutputStream out = s.getOutputStream();
            InputStream in = new BufferedInputStream(s.getInputStream());
            for (int round = 0; round < 20; round++) {
                for (Object[] r : refusals()) {
                    out.write(((String) r[2]).getBytes(StandardCharsets.UTF_8));
                    out.flush();
                    Answer refused = read(in);
                    assertThat(refused.status()).as(round + ": " + r[0] + ": " + refused.body()).isEqualTo(r[1]);
                    assertThat(refused.header("Connection")).as(r[0] + " Connection").isNull();
                    out.write(health().getBytes(StandardCharsets.UTF_8));
                    out.flush();
                    Answer next = read(in);
                    assertThat(next.status()).as(round + ": the request after " + r[0]).isEqualTo(200);
                    assertThat(next.body()).contains("ok");
                }
            }
        }
    }

    @Test
    void aPipelinedRequestAfterARefusalIsAnsweredOnTheSameConnection() throws Exception {
        try (SSLSocket s = connect()) {
            OutputStream out = s.getOutputStream();
            InputStream in = new BufferedInputStream(s.getInputStream());
            for (Object[] r : refusals()) {
                // the next request already on the wire when the refusal is written: what a kept-alive client does
                out.write(((String) r[2] + health()).getBytes(StandardCharsets.UTF_8));
                out.flush();
                assertThat(read(in).status()).as(r[0].toString()).isEqualTo(r[1]);
                assertThat(read(in).status()).as("the request after " + r[0]).isEqualTo(200);
            }
        }
    }

    @Test
    void aLargeOrChunkedUnreadBodyIsAnsweredWithConnectionClose() throws Exception {
        String host = "127.0.0.1:" + web.httpsPort();
        String large = json(UnreadBody.DRAIN_LIMIT + 1);
        try (SSLSocket s = connect()) {
            OutputStream out = s.getOutputStream();
            // the headers and the body's first KiB, as a client still uploading when the refusal comes: the answer
            // closes the connection with the rest unread, so a client writing the whole body could meet the close
            // (a broken pipe, which JSSE makes fatal to the read too) before it reads the answer
            String request = post("/api/me/tokens", host, "Origin: https://" + host + "\r\n", large);
            out.write(request.substring(0, request.length() - large.length() + 1024).getBytes(StandardCharsets.UTF_8));
            out.flush();
            Answer a = read(new BufferedInputStream(s.getInputStream()));
            assertThat(a.status()).isEqualTo(401);
            assertThat(a.header("Connection")).isEqualToIgnoringCase("close");
        }
        try (SSLSocket s = connect()) {
            OutputStream out = s.getOutputStream();
            String chunk = json(100);
            out.write(("POST /api/me/tokens HTTP/1.1\r\nHost: " + host + "\r\nOrigin: https://" + host
                    + "\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n"
                    + Integer.toHexString(chunk.length()) + "\r\n" + chunk + "\r\n").getBytes(StandardCharsets.UTF_8));
            out.flush();
            Answer a = read(new BufferedInputStream(s.getInputStream()));
            assertThat(a.status()).isEqualTo(401);
            assertThat(a.header("Connection")).isEqualToIgnoringCase("close");
        }
        // and the largest body that is still drained keeps its connection
        try (SSLSocket s = connect()) {
            OutputStream out = s.getOutputStream();
            InputStream in = new BufferedInputStream(s.getInputStream());
            out.write((post("/api/me/tokens", host, "Origin: https://" + host + "\r\n",
                    json(UnreadBody.DRAIN_LIMIT)) + health()).getBytes(StandardCharsets.UTF_8));
            out.flush();
            Answer a = read(in);
            assertThat(a.status()).isEqualTo(401);
            assertThat(a.header("Connection")).isNull();
            assertThat(read(in).status()).isEqualTo(200);
        }
    }

    /**
     * java.net.http keeps one connection alive and, unlike a browser, does not retry a POST on a connection the
     * server closed: 300 refused POSTs with bodies of 300 B to 60 KiB (the larger ones cross several TLS records, so
     * part of the body is still on its way when the refusal is ready), each followed by a GET, must all be answered,
     * and no refusal may end its connection.
     */
    @Test
    void theJdkClientGetsAnAnswerToEveryRequestAfterRefusedPosts() throws Exception {
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .sslContext(TestCerts.get().trustingClient()).connectTimeout(Duration.ofSeconds(3)).build();
        int[] sizes = {300, 4000, 20_000, 60_000};
        for (int i = 0; i < 300; i++) {
            HttpRequest.Builder refused = api.request("/api/me/tokens").header("Origin", api.origin())
                    .header("Content-Type", "application/json");
            if (i % 3 == 1) {
                refused.header("Cookie", nina.header()); // no CSRF token: 403
            }
            HttpResponse<String> r = http.send(refused.POST(HttpRequest.BodyPublishers.ofString(
                    json(sizes[i % sizes.length]))).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).as("refusal " + i).isIn(401, 403);
            assertThat(r.headers().firstValue("Connection")).as("refusal " + i + " closes").isEmpty();
            HttpResponse<String> me = http.send(api.request("/api/me").header("Cookie", nina.header()).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(me.statusCode()).as("GET after refusal " + i).isEqualTo(200);
        }
    }

    /** Reads one HTTP/1.1 answer: status line, headers, a body by Content-Length or chunked. */
    static Answer read(InputStream in) throws IOException {
        String status = line(in);
        if (status == null) {
            throw new IOException("the server closed the connection without an answer");
        }
        Map<String, String> headers = new LinkedHashMap<>();
        for (String h = line(in); h != null && !h.isEmpty(); h = line(in)) {
            int colon = h.indexOf(':');
            headers.put(h.substring(0, colon).strip().toLowerCase(Locale.ROOT), h.substring(colon + 1).strip());
        }
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
            while (true) {
                int size = Integer.parseInt(line(in).split(";")[0].strip(), 16);
                if (size == 0) {
                    line(in);
                    break;
                }
                body.write(in.readNBytes(size));
                line(in);
            }
        } else if (headers.containsKey("content-length")) {
            body.write(in.readNBytes(Integer.parseInt(headers.get("content-length"))));
        }
        return new Answer(Integer.parseInt(status.split(" ")[1]), headers, body.toString(StandardCharsets.UTF_8));
    }

    private static String line(InputStream in) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        int c;
        while ((c = in.read()) != -1) {
            if (c == '\n') {
                String s = b.toString(StandardCharsets.ISO_8859_1);
                return s.endsWith("\r") ? s.substring(0, s.length() - 1) : s;
            }
            b.write(c);
        }
        return b.size() == 0 ? null : b.toString(StandardCharsets.ISO_8859_1);
    }
}
