package dev.parley.media.browser;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The one harness of parley-media's WebRTC ITs: Debian's Chromium, driven by Playwright
 * ({@code src/test/browser/open-page.mjs}), opens a page this class serves on 127.0.0.1. The page posts its SDP offer
 * to {@code /offer} and gets the test's answer back, may post a JSON result to {@code /result}, and waits on
 * {@code /stop} until {@link #stop()}; Playwright then closes Chromium. The fake microphone plays Chromium's beeps,
 * or a wav file.
 *
 * <p>Needs {@code /usr/bin/chromium} and {@code src/test/browser/node_modules} (playwright-core), which
 * {@code ./parley test} installs.
 */
public final class ChromiumPage implements AutoCloseable {
    public static final Path BROWSER_DIR = Path.of("src/test/browser");
    private static final SecureRandom RANDOM = new SecureRandom();

    private final HttpServer http;
    private final Process node;
    private final CompletableFuture<String> offer = new CompletableFuture<>();
    private final CompletableFuture<String> result = new CompletableFuture<>();
    private final CompletableFuture<Void> stop = new CompletableFuture<>();

    private ChromiumPage(String html, UnaryOperator<String> answerer, Path log, Path fakeAudio, int seconds)
            throws IOException {
        assertThat(Path.of("/usr/bin/chromium")).as("Debian's chromium (./parley test installs it)").exists();
        assertThat(BROWSER_DIR.resolve("node_modules/playwright-core"))
                .as("playwright-core in %s (./parley test runs npm ci there)", BROWSER_DIR).exists();
        http = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        http.createContext("/", exchange -> respond(exchange, "text/html", html));
        http.createContext("/offer", exchange -> {
            String sdp = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            offer.complete(sdp);
            String answer;
            try {
                answer = answerer.apply(sdp);
            } catch (RuntimeException | AssertionError e) {
                offer.obtrudeException(e);
                respond(exchange, "text/plain", "no answer: " + e);
                return;
            }
            respond(exchange, "application/sdp", answer);
        });
        http.createContext("/result", exchange -> {
            result.complete(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            respond(exchange, "text/plain", "ok");
        });
        http.createContext("/stop", exchange -> {
            stop.join();
            respond(exchange, "text/plain", "stop");
        });
        http.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        http.start();
        Files.createDirectories(log.getParent());
        ProcessBuilder builder = new ProcessBuilder("node", BROWSER_DIR.resolve("open-page.mjs").toString(),
                "http://localhost:" + http.getAddress().getPort() + "/", Integer.toString(seconds))
                .redirectErrorStream(true).redirectOutput(log.toFile());
        if (fakeAudio != null) {
            builder.environment().put("PARLEY_FAKE_AUDIO", fakeAudio.toAbsolutePath().toString());
        }
        node = builder.start();
    }

    /**
     * Serves {@code html} and opens it in Chromium.
     *
     * @param answerer  the answer to the page's offer (runs on an HTTP thread)
     * @param log       where Playwright's output and the page's console lines go
     * @param fakeAudio a wav for the fake microphone, or null for Chromium's beeps
     * @param seconds   how long the page may take to post a result and to be told to stop
     */
    public static ChromiumPage open(String html, UnaryOperator<String> answerer, Path log, Path fakeAudio,
            int seconds) throws IOException {
        return new ChromiumPage(html, answerer, log, fakeAudio, seconds);
    }

    /** The offer the page posted. */
    public String offer(Duration within) throws Exception {
        return offer.get(within.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** What the page posted to {@code /result}. */
    public String result(Duration within) throws Exception {
        return result.get(within.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Lets the page finish: Playwright closes Chromium (and with it the page's peer connection). */
    public void stop() {
        stop.complete(null);
    }

    /** Waits for Playwright to have closed Chromium and exited. */
    public boolean awaitExit(Duration within) throws InterruptedException {
        return node.waitFor(within.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public void close() throws InterruptedException {
        stop();
        if (!node.waitFor(5, TimeUnit.SECONDS)) {
            node.destroy();
            if (!node.waitFor(10, TimeUnit.SECONDS)) {
                node.destroyForcibly();
            }
        }
        http.stop(0);
    }

    /** The first group of {@code pattern} in an SDP; fails the test naming the SDP when it is absent. */
    public static String group(Pattern pattern, String sdp) {
        Matcher matcher = pattern.matcher(sdp);
        if (!matcher.find()) {
            throw new AssertionError("no " + pattern + " in:\n" + sdp);
        }
        return matcher.group(1);
    }

    /** Random ice-chars (RFC 8839 §5.4), for ufrags and passwords. */
    public static String token(int length) {
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
        StringBuilder token = new StringBuilder();
        for (int i = 0; i < length; i++) {
            token.append(alphabet.charAt(RANDOM.nextInt(alphabet.length())));
        }
        return token.toString();
    }

    /** Writes a 16-bit mono PCM wav of {@code pcm} at {@code rate}: a microphone for {@code fakeAudio}. */
    public static Path writeWav(Path file, short[] pcm, int rate) throws IOException {
        ByteBuffer header = ByteBuffer.allocate(44).order(ByteOrder.LITTLE_ENDIAN);
        int data = pcm.length * 2;
        header.put("RIFF".getBytes(StandardCharsets.US_ASCII)).putInt(36 + data)
                .put("WAVE".getBytes(StandardCharsets.US_ASCII))
                .put("fmt ".getBytes(StandardCharsets.US_ASCII)).putInt(16).putShort((short) 1).putShort((short) 1)
                .putInt(rate).putInt(rate * 2).putShort((short) 2).putShort((short) 16)
                .put("data".getBytes(StandardCharsets.US_ASCII)).putInt(data);
        ByteBuffer samples = ByteBuffer.allocate(data).order(ByteOrder.LITTLE_ENDIAN);
        for (short s : pcm) {
            samples.putShort(s);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(header.array());
        out.write(samples.array());
        Files.createDirectories(file.toAbsolutePath().getParent());
        Files.write(file, out.toByteArray());
        return file;
    }

    private static void respond(HttpExchange exchange, String type, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", type);
        exchange.sendResponseHeaders(200, bytes.length);
        try (var out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }
}
