package dev.parley.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

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
import dev.parley.web.http.LingeringClose;
import dev.parley.web.http.UnreadBody;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Refusals on a kept-alive connection, over real HTTPS: an answer given before the request's body was read (401
 * without a session, 403 cross-origin or without the CSRF token, 415 for a body that is not JSON, 429 for an API
 * token from a throttled source, 404 for no such route) leaves the connection usable for the next request when the
 * body was small, and says {@code Connection: close} when it was large or chunked, then lingers (RFC 9112 §9.6:
 * half-close, read and drop the rest of the body, bounded in time, bytes and connections) so the client reads the
 * answer instead of a reset. A raw TLS socket shows it is the same connection; the JDK client, which does not retry
 * a POST on a connection the server closed, sends refused POSTs and GETs in a row.
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
        web = new WebServer(WebConfig.of(InetAddress.getLoopbackAddress(), 0, TestCerts.get().keyManagers())
                .withRedirectPort(0), null,
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
        return connect(null);
    }

    /** A TLS connection to the HTTPS port, with {@code protocol} only when not null. */
    private static SSLSocket connect(String protocol) throws IOException {
        SSLSocket s = (SSLSocket) TestCerts.get().trustingClient().getSocketFactory().createSocket();
        if (protocol != null) {
            s.setEnabledProtocols(new String[] {protocol});
        }
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

    /**
     * A body over the drain limit, or chunked, sent whole as a client does that writes its request before it reads
     * the answer: the refusal says {@code Connection: close}, and the lingering close (RFC 9112 §9.6) reads and drops
     * the rest, so the client always gets to read the 401 and then an orderly end — never a reset or a broken pipe
     * first. Twenty rounds, over TLS 1.3 and TLS 1.2, with 64 KiB+1, 3 MiB and a chunked 3 MiB.
     */
    @Test
    void aLargeOrChunkedUnreadBodySentWholeIsAnsweredWithConnectionCloseEveryTime() throws Exception {
        String host = "127.0.0.1:" + web.httpsPort();
        String origin = "Origin: https://" + host + "\r\n";
        byte[] justOver = post("/api/me/tokens", host, origin, json(UnreadBody.DRAIN_LIMIT + 1))
                .getBytes(StandardCharsets.UTF_8);
        byte[] large = post("/api/me/tokens", host, origin, json(THREE_MIB)).getBytes(StandardCharsets.UTF_8);
        byte[] chunked = chunked("/api/me/tokens", host, origin, THREE_MIB);
        for (int round = 0; round < 20; round++) {
            String tls = round % 2 == 0 ? "TLSv1.3" : "TLSv1.2";
            for (byte[] request : List.of(justOver, large, chunked)) {
                try (SSLSocket s = connect(tls)) {
                    s.getOutputStream().write(request);
                    s.getOutputStream().flush();
                    InputStream in = new BufferedInputStream(s.getInputStream());
                    Answer a = read(in);
                    String what = round + " " + tls + " " + request.length + " bytes";
                    assertThat(a.status()).as(what).isEqualTo(401);
                    assertThat(a.header("Connection")).as(what).isEqualToIgnoringCase("close");
                    assertThat(in.read()).as(what + ": the end of the connection after the answer").isEqualTo(-1);
                }
            }
        }
        await().atMost(Duration.ofSeconds(5)).until(() -> web.lingeringConnections() == 0);
    }

    @Test
    void aChunkedBodyTheClientStillSendsIsAnsweredWithConnectionClose() throws Exception {
        String host = "127.0.0.1:" + web.httpsPort();
        try (SSLSocket s = connect("TLSv1.3")) {
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
        try (SSLSocket s = connect("TLSv1.3")) {
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

    /** The plain-HTTP port answers every request 308 without reading it: a large POST still reads its answer. */
    @Test
    void thePlainHttpRedirectLingersToo() throws Exception {
        byte[] request = ("POST /api/me/tokens HTTP/1.1\r\nHost: 127.0.0.1:" + web.redirectPort()
                + "\r\nContent-Type: application/json\r\nContent-Length: " + THREE_MIB + "\r\n\r\n"
                + json(THREE_MIB)).getBytes(StandardCharsets.UTF_8);
        for (int round = 0; round < 20; round++) {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), web.redirectPort()), 3000);
                s.setSoTimeout(10_000);
                s.getOutputStream().write(request);
                s.getOutputStream().flush();
                InputStream in = new BufferedInputStream(s.getInputStream());
                Answer a = read(in);
                assertThat(a.status()).as("round " + round).isEqualTo(308);
                assertThat(a.header("Location")).startsWith("https://127.0.0.1:" + web.httpsPort() + "/api/me/tokens");
                assertThat(a.header("Connection")).isEqualToIgnoringCase("close");
                assertThat(in.read()).as("round " + round + ": the end after the answer").isEqualTo(-1);
            }
        }
    }

    /**
     * Lingering is bounded in time: a client that declares a huge body and trickles it reads the 401 and the end
     * at once (the server half-closed), and the connection is closed about {@link LingeringClose#WINDOW} later.
     */
    @Test
    void aClientThatKeepsSendingIsCutOffAfterTheWindow() throws Exception {
        String host = "127.0.0.1:" + web.httpsPort();
        try (SSLSocket s = connect("TLSv1.3")) {
            OutputStream out = s.getOutputStream();
            out.write(("POST /api/me/tokens HTTP/1.1\r\nHost: " + host + "\r\nOrigin: https://" + host
                    + "\r\nContent-Type: application/json\r\nContent-Length: 1073741824\r\n\r\n{\"name\":\"")
                    .getBytes(StandardCharsets.UTF_8));
            out.flush();
            InputStream in = new BufferedInputStream(s.getInputStream());
            Answer a = read(in);
            long answered = System.nanoTime();
            assertThat(a.status()).isEqualTo(401);
            assertThat(a.header("Connection")).isEqualToIgnoringCase("close");
            assertThat(in.read()).as("half-closed after the answer").isEqualTo(-1);
            byte[] kib = "x".repeat(1024).getBytes(StandardCharsets.UTF_8);
            long cut = 0;
            while (System.nanoTime() - answered < Duration.ofSeconds(10).toNanos()) {
                try {
                    out.write(kib);
                    out.flush();
                } catch (IOException e) {
                    cut = System.nanoTime() - answered;
                    break;
                }
                Thread.sleep(50);
            }
            assertThat(cut).as("the write that fails once the server closed, ns after the answer")
                    .isBetween(LingeringClose.WINDOW.toNanos() / 2, LingeringClose.WINDOW.toNanos() * 3);
        }
        await().atMost(Duration.ofSeconds(5)).until(() -> web.lingeringConnections() == 0);
    }

    /**
     * Lingering is bounded in bytes: past {@link LingeringClose#MAX_DISCARDED} the connection is closed at once, so a
     * client that writes a huge body fast meets the close; one that reads while it writes, as browsers do, has its
     * answer.
     */
    @Test
    void aBodyPastTheByteBoundIsCutAndAClientReadingWhileWritingHasItsAnswer() throws Exception {
        String host = "127.0.0.1:" + web.httpsPort();
        long declared = 64L * 1024 * 1024;
        try (SSLSocket s = connect("TLSv1.3")) {
            OutputStream out = s.getOutputStream();
            InputStream in = new BufferedInputStream(s.getInputStream());
            CompletableFuture<Answer> answer = CompletableFuture.supplyAsync(() -> {
                try {
                    return read(in);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
            out.write(("POST /api/me/tokens HTTP/1.1\r\nHost: " + host + "\r\nOrigin: https://" + host
                    + "\r\nContent-Type: application/json\r\nContent-Length: " + declared + "\r\n\r\n")
                    .getBytes(StandardCharsets.UTF_8));
            byte[] block = "x".repeat(64 * 1024).getBytes(StandardCharsets.UTF_8);
            long sent = 0;
            try {
                while (sent < declared) {
                    out.write(block);
                    sent += block.length;
                }
            } catch (IOException expected) {
                // the server closed past its bound
            }
            assertThat(sent).as("bytes written before the cut").isLessThan(declared);
            Answer a = answer.get(10, TimeUnit.SECONDS);
            assertThat(a.status()).isEqualTo(401);
            assertThat(a.header("Connection")).isEqualToIgnoringCase("close");
        }
        await().atMost(Duration.ofSeconds(5)).until(() -> web.lingeringConnections() == 0);
    }

    /** At most {@code MAX_PER_SOURCE} connections from one source linger at once; the others close at once. */
    @Test
    void oneSourceLingersOnABoundedNumberOfConnections() throws Exception {
        String host = "127.0.0.1:" + web.httpsPort();
        byte[] start = ("POST /api/me/tokens HTTP/1.1\r\nHost: " + host + "\r\nOrigin: https://" + host
                + "\r\nContent-Type: application/json\r\nContent-Length: 1073741824\r\n\r\n{\"name\":\"")
                .getBytes(StandardCharsets.UTF_8);
        List<SSLSocket> open = new java.util.ArrayList<>();
        try {
            for (int i = 0; i < 10; i++) {
                SSLSocket s = connect("TLSv1.3");
                open.add(s);
                s.getOutputStream().write(start);
                s.getOutputStream().flush();
                assertThat(read(new BufferedInputStream(s.getInputStream())).status()).isEqualTo(401);
            }
            // the ninth and tenth were answered and closed without lingering; the first eight linger for 2 s
            await().atMost(Duration.ofSeconds(1)).until(() -> web.lingeringConnections() == 8);
        } finally {
            for (SSLSocket s : open) {
                s.close();
            }
        }
        await().atMost(Duration.ofSeconds(5)).until(() -> web.lingeringConnections() == 0);
    }

    private static final int THREE_MIB = 3 * 1024 * 1024;

    /** A chunked POST of {@code size} bytes of JSON in 16 KiB chunks, with its last chunk. */
    private static byte[] chunked(String path, String host, String headers, int size) {
        StringBuilder b = new StringBuilder("POST " + path + " HTTP/1.1\r\nHost: " + host + "\r\n" + headers
                + "Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n");
        String body = json(size);
        for (int at = 0; at < body.length(); at += 16 * 1024) {
            String chunk = body.substring(at, Math.min(body.length(), at + 16 * 1024));
            b.append(Integer.toHexString(chunk.length())).append("\r\n").append(chunk).append("\r\n");
        }
        return b.append("0\r\n\r\n").toString().getBytes(StandardCharsets.UTF_8);
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
