package dev.parley.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.sipstack.flow.Transport;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The 49 RFC 4475 torture messages (and {@code test.dat}), each sent as one UDP datagram to the running server, as
 * {@code EXPECTATIONS.csv} says: a request gets a final answer whose status is in {@code pbx_pass_codes}, a message
 * marked {@code NO_REPLY} gets nothing, and after every message the server still answers an OPTIONS with 200.
 *
 * <h2>Where the answers go</h2>
 * The messages' top Vias have no {@code rport}, so RFC 3261 §18.2.2 sends the answer to the packet's source address
 * (127.0.0.1) but to the <em>sent-by port</em> (5060 when none is written; 5050 for {@code quotbal.dat}), not to our
 * socket. To keep the messages byte-exact, the test also listens on 127.0.0.1 at every such port. Where one of these
 * ports is taken on this machine, and only for the messages whose answer goes there, the top Via's sent-by
 * {@code host:port} is rewritten to {@code 127.0.0.1:<our socket>} (nothing else, the body and Content-Length are
 * untouched); the test prints which messages were sent rewritten.
 */
@Timeout(value = 90)
class Rfc4475OverUdpIT {
    private static final Duration ANSWER_WAIT = Duration.ofSeconds(2);
    private static final Duration SILENCE_WAIT = Duration.ofMillis(300);
    /** The top Via header field: name, colon, value with its continuation lines. */
    private static final Pattern TOP_VIA = Pattern.compile("(?im)^(?:via|v)[ \\t]*:((?:[^\\r\\n]|\\r?\\n[ \\t])*)");
    /** Its sent-by, after the sent-protocol (linear white space allowed around the slashes, RFC 3261 §25.1). */
    private static final Pattern SENT_BY = Pattern.compile("^\\s*SIP\\s*/\\s*[0-9.]+\\s*/\\s*[A-Za-z0-9]+\\s+([^;,\\s]+)");
    private static final Pattern CALL_ID = Pattern.compile("(?im)^(?:call-id|i)[ \\t]*:[ \\t]*([^\\r\\n]*)");
    private static final Pattern BRANCH = Pattern.compile("(?i);\\s*branch\\s*=\\s*(z9hG4bK[^;,\\s]*)");

    @TempDir
    static Path dir;
    static ParleyUnderTest parley;
    static DatagramSocket client;
    static final Map<Integer, DatagramSocket> listeners = new HashMap<>();
    static final BlockingQueue<Received> inbox = new LinkedBlockingQueue<>();
    static final List<String> rewritten = new ArrayList<>();
    /** RFC 3261 §17.2.3 keys (branch, sent-by, method) of the messages sent so far, with their Call-IDs. */
    static final Map<String, Set<String>> sentKeys = new HashMap<>();
    static final List<DatagramSocket> extraSockets = new ArrayList<>();
    static int server;
    static int health;

    record Received(int atPort, String text) {
        int status() {
            return text.startsWith("SIP/2.0 ") ? Integer.parseInt(text.substring(8, 11)) : -1;
        }

        String callId() {
            Matcher m = CALL_ID.matcher(text);
            return m.find() ? m.group(1).strip() : null;
        }
    }

    @BeforeAll
    static void start() throws Exception {
        parley = ParleyUnderTest.start(dir, Map.of());
        server = parley.port(Transport.UDP);
        client = listen(0);
        for (int port : new int[] {5060, 5050}) {
            try {
                listeners.put(port, listen(port));
            } catch (SocketException taken) {
                System.out.println("Rfc4475OverUdpIT: 127.0.0.1:" + port + " is taken (" + taken.getMessage()
                        + "); messages answered there are sent with their top Via's sent-by rewritten");
            }
        }
    }

    @AfterAll
    static void stop() {
        if (!rewritten.isEmpty()) {
            System.out.println("Rfc4475OverUdpIT: sent with the top Via's sent-by rewritten: " + rewritten);
        }
        if (client != null) {
            client.close();
        }
        listeners.values().forEach(DatagramSocket::close);
        extraSockets.forEach(DatagramSocket::close);
        if (parley != null) {
            parley.close();
        }
    }

    private static DatagramSocket listen(int port) throws SocketException {
        DatagramSocket s = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
        Thread.ofPlatform().daemon().name("rfc4475-listen-" + s.getLocalPort()).start(() -> {
            byte[] buf = new byte[65_535];
            while (!s.isClosed()) {
                DatagramPacket p = new DatagramPacket(buf, buf.length);
                try {
                    s.receive(p);
                    inbox.add(new Received(s.getLocalPort(),
                            new String(p.getData(), 0, p.getLength(), StandardCharsets.ISO_8859_1)));
                } catch (IOException closed) {
                    return;
                }
            }
        });
        return s;
    }

    @TestFactory
    Stream<DynamicTest> everyTortureMessage() {
        Path corpus = corpora().resolve("rfc4475");
        List<String[]> rows = csv(corpus.resolve("EXPECTATIONS.csv"));
        assertThat(rows).hasSize(50); // 49 from RFC 4475 plus test.dat
        return rows.stream().map(row -> DynamicTest.dynamicTest(row[0] + " (§" + row[1] + " " + row[2] + ")",
                () -> check(corpus.resolve(row[0]), row[3], Set.of(row[5].split("\\|")))));
    }

    private void check(Path file, String kind, Set<String> pass) throws Exception {
        byte[] message = Files.readAllBytes(file);
        String text = new String(message, StandardCharsets.ISO_8859_1);
        Set<String> callIds = callIds(text);
        Sending sending = routable(file.getFileName().toString(), message, text);
        // the corpus reuses branches: cparam01/cparam02, escnull/regescrt and novelsc/unkscm have the same branch,
        // sent-by and method, so RFC 3261 §17.2.3 makes the second a retransmission of the first if both land on
        // the same lane (by Call-ID hash): then the first one's response, retransmitted, is the right answer
        Set<String> answeredBy = new LinkedHashSet<>(callIds);
        if (sending.key() != null) {
            answeredBy.addAll(sentKeys.getOrDefault(sending.key(), Set.of()));
            sentKeys.computeIfAbsent(sending.key(), k -> new LinkedHashSet<>()).addAll(callIds);
        }
        inbox.clear();
        sending.from().send(new DatagramPacket(sending.bytes(), sending.bytes().length,
                InetAddress.getLoopbackAddress(), server));

        boolean mayBeSilent = pass.contains("NO_REPLY");
        boolean request = !kind.endsWith("response");
        if (request) {
            Received answer = awaitFinal(answeredBy, ANSWER_WAIT);
            if (answer == null) {
                assertThat(mayBeSilent).as("%s: no final answer within %s; expected one of %s", file.getFileName(),
                        ANSWER_WAIT, pass).isTrue();
            } else {
                assertThat(Integer.toString(answer.status())).as("%s answered:\n%s", file.getFileName(),
                        answer.text()).isIn(pass);
            }
        } else {
            assertThat(pass).containsExactly("NO_REPLY");
            Received anything = awaitAny(callIds, SILENCE_WAIT);
            assertThat(anything).as("%s is a response: Parley must not answer it", file.getFileName()).isNull();
        }
        assertStillServing(file.getFileName().toString(), sending.from());
    }

    /** A well-formed OPTIONS from the same socket gets 200: the message broke nothing. */
    private void assertStillServing(String after, DatagramSocket from) throws Exception {
        int n = ++health;
        String callId = "health-" + n + "@127.0.0.1";
        String options = "OPTIONS sip:127.0.0.1:" + server + " SIP/2.0\r\n"
                + "Via: SIP/2.0/UDP 127.0.0.1:" + from.getLocalPort() + ";branch=z9hG4bK-health-" + n + ";rport\r\n"
                + "Max-Forwards: 70\r\n"
                + "From: <sip:health@127.0.0.1>;tag=health" + n + "\r\n"
                + "To: <sip:127.0.0.1>\r\n"
                + "Call-ID: " + callId + "\r\n"
                + "CSeq: 1 OPTIONS\r\n"
                + "Content-Length: 0\r\n\r\n";
        byte[] b = options.getBytes(StandardCharsets.US_ASCII);
        from.send(new DatagramPacket(b, b.length, InetAddress.getLoopbackAddress(), server));
        Received ok = awaitFinal(Set.of(callId), ANSWER_WAIT);
        assertThat(ok).as("OPTIONS after %s: no answer", after).isNotNull();
        assertThat(ok.status()).as("OPTIONS after %s:\n%s", after, ok.text()).isEqualTo(200);
        assertThat(ok.atPort()).as("rport: the answer comes to the socket that asked").isEqualTo(from.getLocalPort());
    }

    /** The first final response whose Call-ID is one of {@code callIds} (any, when the message has none). */
    private static Received awaitFinal(Set<String> callIds, Duration wait) throws InterruptedException {
        long end = System.nanoTime() + wait.toNanos();
        for (long left = wait.toNanos(); left > 0; left = end - System.nanoTime()) {
            Received r = inbox.poll(left, TimeUnit.NANOSECONDS);
            if (r != null && r.status() >= 200 && matches(r, callIds)) {
                return r;
            }
        }
        return null;
    }

    private static Received awaitAny(Set<String> callIds, Duration wait) throws InterruptedException {
        long end = System.nanoTime() + wait.toNanos();
        for (long left = wait.toNanos(); left > 0; left = end - System.nanoTime()) {
            Received r = inbox.poll(left, TimeUnit.NANOSECONDS);
            if (r != null && matches(r, callIds)) {
                return r;
            }
        }
        return null;
    }

    private static boolean matches(Received r, Set<String> callIds) {
        if (r.text().contains("Call-ID: health-") && !callIds.stream().anyMatch(c -> c.startsWith("health-"))) {
            return false; // a late answer to an earlier health check
        }
        return callIds.isEmpty() || callIds.contains(r.callId());
    }

    private static Set<String> callIds(String text) {
        Set<String> ids = new LinkedHashSet<>();
        int headerEnd = text.indexOf("\r\n\r\n");
        Matcher m = CALL_ID.matcher(headerEnd < 0 ? text : text.substring(0, headerEnd));
        while (m.find()) {
            ids.add(m.group(1).strip());
        }
        return ids;
    }

    /** What to send, from which socket, and its RFC 3261 §17.2.3 key (null when it has none or was rewritten). */
    private record Sending(DatagramSocket from, byte[] bytes, String key) {
    }

    /**
     * The message itself, from our socket, when the answer's §18.2.2 destination (127.0.0.1 at the sent-by port, or
     * the source with {@code rport}) is a socket we hold; otherwise the message with only its top Via's sent-by
     * replaced by the address of a fresh socket that sends it (fresh, so that rewritten messages that share a
     * branch do not become one transaction).
     */
    private static Sending routable(String name, byte[] message, String text) throws SocketException {
        Matcher via = TOP_VIA.matcher(text);
        if (!via.find()) {
            return new Sending(client, message, null); // no Via: nothing can be answered anyway
        }
        String value = via.group(1);
        Matcher sentBy = SENT_BY.matcher(value);
        if (!sentBy.find() || Pattern.compile("(?i);\\s*rport").matcher(value).find()) {
            return new Sending(client, message, null); // unparsable (answered to the source, if at all), or rport
        }
        String hostPort = sentBy.group(1);
        int colon = hostPort.lastIndexOf(':');
        int port = colon > 0 && !hostPort.endsWith("]") ? Integer.parseInt(hostPort.substring(colon + 1)) : 5060;
        if (listeners.containsKey(port)) {
            Matcher branch = BRANCH.matcher(value);
            String method = text.substring(0, Math.max(0, text.indexOf(' ')));
            String key = branch.find() ? branch.group(1) + " " + hostPort.toLowerCase(Locale.ROOT) + " "
                    + (method.equals("ACK") ? "INVITE" : method) : null;
            return new Sending(client, message, key);
        }
        DatagramSocket own = listen(0);
        extraSockets.add(own);
        int start = via.start(1) + sentBy.start(1);
        int end = via.start(1) + sentBy.end(1);
        rewritten.add(name);
        String replaced = text.substring(0, start) + "127.0.0.1:" + own.getLocalPort() + text.substring(end);
        return new Sending(own, replaced.getBytes(StandardCharsets.ISO_8859_1), null);
    }

    // ---- the shared corpora beside the checkout (as dev.parley.sip.corpus.Corpora finds them) ----

    static Path corpora() {
        String configured = System.getProperty("parley.corpora");
        List<Path> candidates = new ArrayList<>();
        if (configured != null) {
            candidates.add(Path.of(configured));
        }
        candidates.add(Path.of("../../shared/corpora"));
        candidates.add(Path.of("../shared/corpora"));
        for (Path p : candidates) {
            if (Files.isDirectory(p)) {
                return p.toAbsolutePath().normalize();
            }
        }
        throw new IllegalStateException("test corpora not found at " + candidates
                + ": the checkout needs ../shared/corpora beside it, or -Dparley.corpora=<dir>");
    }

    static List<String[]> csv(Path file) {
        try {
            List<String> lines = Files.readAllLines(file);
            return lines.subList(1, lines.size()).stream().filter(l -> !l.isBlank()).map(l -> l.split(",", -1))
                    .peek(r -> {
                        if (r.length != 6) {
                            throw new IllegalStateException(file + ": expected 6 columns in " + Arrays.toString(r));
                        }
                    }).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
