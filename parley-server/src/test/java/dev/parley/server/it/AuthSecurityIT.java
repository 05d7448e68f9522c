package dev.parley.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.parley.sip.auth.Digest;
import dev.parley.sip.auth.DigestAlgorithm;
import dev.parley.sipstack.flow.Transport;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;
import org.slf4j.LoggerFactory;

/**
 * Digest authentication and bans of the running server, seen from raw UDP sockets: a known and an unknown user get
 * byte-identical challenges (no user enumeration), five wrong passwords from one address ban it (the sixth request
 * gets no answer at all) while another address still registers, and the security log says so. Every test runs on
 * each {@link TestDatabase}, against a new server on a new database.
 */
@ParameterizedClass(name = "on {0}")
@EnumSource(TestDatabase.class)
@Timeout(value = 60)
class AuthSecurityIT {
    private static final String SECRET = "alice-secret-1234";
    private static final Pattern NONCE = Pattern.compile("nonce=\"([^\"]+)\"");
    private static final Pattern REALM = Pattern.compile("realm=\"([^\"]+)\"");
    private static final AtomicInteger SEQ = new AtomicInteger();

    @Parameter
    TestDatabase database;
    @TempDir
    Path dir;
    ParleyUnderTest parley;
    int port;
    ListAppender<ILoggingEvent> security;
    Logger securityLogger;

    @BeforeEach
    void start() {
        securityLogger = (Logger) LoggerFactory.getLogger("parley.security");
        security = new ListAppender<>();
        security.start();
        securityLogger.addAppender(security);
        parley = ParleyUnderTest.start(dir, database.settings());
        port = parley.port(Transport.UDP);
        parley.addPhone("alice", "101", "alice-desk", SECRET);
    }

    @AfterEach
    void stop() {
        securityLogger.detachAppender(security);
        if (parley != null) {
            parley.close();
        }
    }

    @Test
    void aKnownAndAnUnknownUserGetTheSameChallengeBytes() throws Exception {
        try (Phone phone = new Phone("127.0.0.1")) {
            // no credentials: the first challenge every phone gets
            String known = phone.register("alice-desk", null);
            String unknown = phone.register("nobody-here", null);
            assertThat(status(known)).isEqualTo(401);
            assertThat(masked(unknown, "nobody-here")).isEqualTo(masked(known, "alice-desk"));

            // credentials that fail: a wrong password for a real device, any password for a user nobody has
            String wrongPassword = phone.register("alice-desk", new Answer(known, "alice-desk", "wrong-password"));
            String unknownUser = phone.register("nobody-here", new Answer(unknown, "nobody-here", "wrong-password"));
            assertThat(status(wrongPassword)).isEqualTo(401);
            assertThat(masked(unknownUser, "nobody-here")).isEqualTo(masked(wrongPassword, "alice-desk"));
            // and a failed attempt looks exactly like the first challenge: nothing says "this user exists"
            assertThat(masked(wrongPassword, "alice-desk")).isEqualTo(masked(known, "alice-desk"));

            // the control: the right password is accepted, so the two failures above were real failures
            String ok = phone.register("alice-desk", new Answer(wrongPassword, "alice-desk", SECRET));
            assertThat(status(ok)).as(ok).isEqualTo(200);
        }
    }

    @Test
    void fiveFailuresBanTheSourceAndOnlyIt() throws Exception {
        try (Phone attacker = new Phone("127.0.0.1"); Phone other = new Phone("127.0.0.2")) {
            String challenge = attacker.register("alice-desk", null); // not a failure: every phone starts so
            for (int i = 1; i <= 5; i++) {
                challenge = attacker.register("alice-desk", new Answer(challenge, "alice-desk", "guess-" + i));
                assertThat(status(challenge)).as("wrong password %d of 5 is still answered", i).isEqualTo(401);
            }
            // the sixth request, even with the right password, and even an OPTIONS: no answer at all
            attacker.send(attacker.registerRequest("alice-desk", new Answer(challenge, "alice-desk", SECRET)));
            assertThat(attacker.receive(Duration.ofSeconds(2))).as("answer to a banned source").isNull();
            attacker.send(attacker.options());
            assertThat(attacker.receive(Duration.ofMillis(500))).as("OPTIONS from a banned source").isNull();

            // another address is not affected (bans are per IP: 127.0.0.2 is a different source on lo)
            String first = other.register("alice-desk", null);
            assertThat(status(first)).isEqualTo(401);
            String ok = other.register("alice-desk", new Answer(first, "alice-desk", SECRET));
            assertThat(status(ok)).as(ok).isEqualTo(200);
        }

        List<String> lines = security.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
        assertThat(lines.stream().filter(l -> l.startsWith("event=auth_failure src=127.0.0.1 ")))
                .hasSize(5)
                .allSatisfy(l -> assertThat(l).contains("transport=UDP", "user=\"alice-desk\"", "method=REGISTER"));
        assertThat(lines.stream().filter(l -> l.startsWith("event=ban src=127.0.0.1 ")))
                .singleElement().asString().contains("failures=5", "window=60s");
        assertThat(lines).noneMatch(l -> l.contains("src=127.0.0.2"));
        assertThat(lines).noneMatch(l -> l.contains(SECRET) || l.contains("guess-") || l.contains("nonce"));
    }

    /**
     * An INVITE with credentials is authenticated on its lane from the directory in memory: there too a wrong
     * password and a user nobody has get the same 407 as the first challenge, and a change the CLI makes next to
     * the running server (another process, as another node would be) reaches INVITEs within about the directory's
     * check interval (500 ms): the old secret stops working, the new one works, a deleted device is refused.
     */
    @Test
    void invitesGetTheSameChallengeForKnownAndUnknownUsers_andCliChangesReachThem() throws Exception {
        try (Phone phone = new Phone("127.0.0.1")) {
            String first = phone.invite("alice-desk", null, null);
            assertThat(status(first)).isEqualTo(407);
            String wrongPassword = phone.invite("alice-desk", first, "wrong-password");
            String unknownUser = phone.invite("nobody-here", first, "wrong-password");
            assertThat(status(wrongPassword)).isEqualTo(407);
            assertThat(masked(unknownUser, "nobody-here")).isEqualTo(masked(wrongPassword, "alice-desk"))
                    .isEqualTo(masked(first, "alice-desk"));
            // the control: authenticated, then routed (199 is nobody's extension)
            assertThat(status(phone.invite("alice-desk", wrongPassword, SECRET))).isEqualTo(404);

            String renewed = "alice-renewed-5678";
            assertThat(parley.cli("device", "set-password", "alice-desk", "--secret", renewed))
                    .as(parley.cliOutput()).isZero();
            assertThat(statusWithin(phone, "alice-desk", SECRET, 407)).as("the old secret, refused").isTrue();
            assertThat(status(phone.invite("alice-desk", phone.invite("alice-desk", null, null), renewed)))
                    .as("the new secret").isEqualTo(404);
            assertThat(parley.cli("device", "delete", "alice-desk")).as(parley.cliOutput()).isZero();
            assertThat(statusWithin(phone, "alice-desk", renewed, 407)).as("a deleted device, refused").isTrue();
        }
    }

    /** Whether an INVITE with {@code password} gets {@code status} within 3 s (tried every 100 ms). */
    private static boolean statusWithin(Phone phone, String username, String password, int status) throws Exception {
        long end = System.nanoTime() + Duration.ofSeconds(3).toNanos();
        while (System.nanoTime() - end < 0) {
            if (status(phone.invite(username, phone.invite(username, null, null), password)) == status) {
                return true;
            }
            Thread.sleep(100);
        }
        return false;
    }

    // ---- helpers ----

    private static int status(String response) {
        assertThat(response).as("an answer").isNotNull().startsWith("SIP/2.0 ");
        return Integer.parseInt(response.substring(8, 11));
    }

    /**
     * The response with what legitimately differs between two requests masked: the nonce (fresh per challenge),
     * the To tag (fresh per response), the username (it is in the request's From and To), and the Call-ID, branch
     * and CSeq this test made different per request.
     */
    private static String masked(String response, String username) {
        return response.replaceAll("nonce=\"[^\"]+\"", "nonce=\"NONCE\"")
                .replaceAll("(?m)^(To: [^\\r\\n]*;tag=)[^;\\r\\n]+", "$1TOTAG")
                .replace(username, "USER")
                .replaceAll("z9hG4bK-auth-\\d+", "BRANCH")
                .replaceAll("auth-call-\\d+", "CALLID")
                .replaceAll("(?m)^CSeq: \\d+", "CSeq: N");
    }

    /** What to answer a challenge with. */
    private record Answer(String challenge, String username, String password) {
    }

    /** A raw UDP phone on {@code address} (any 127/8 address: Linux routes them all to lo). */
    private final class Phone implements AutoCloseable {
        final DatagramSocket socket;
        final String address;

        Phone(String address) throws IOException {
            this.address = address;
            this.socket = new DatagramSocket(new InetSocketAddress(InetAddress.getByName(address), 0));
        }

        String register(String username, Answer answer) throws IOException {
            send(registerRequest(username, answer));
            return receive(Duration.ofSeconds(2));
        }

        String registerRequest(String username, Answer answer) {
            int n = SEQ.incrementAndGet();
            String uri = "sip:127.0.0.1:" + port;
            StringBuilder sb = new StringBuilder()
                    .append("REGISTER ").append(uri).append(" SIP/2.0\r\n")
                    .append("Via: SIP/2.0/UDP ").append(address).append(':').append(socket.getLocalPort())
                    .append(";branch=z9hG4bK-auth-").append(n).append(";rport\r\n")
                    .append("Max-Forwards: 70\r\n")
                    .append("From: <sip:").append(username).append("@127.0.0.1>;tag=fromtag\r\n")
                    .append("To: <sip:").append(username).append("@127.0.0.1>\r\n")
                    .append("Call-ID: auth-call-").append(n).append("\r\n")
                    .append("CSeq: ").append(n).append(" REGISTER\r\n")
                    .append("Contact: <sip:").append(username).append('@').append(address).append(':')
                    .append(socket.getLocalPort()).append(">\r\n")
                    .append("Expires: 300\r\n");
            if (answer != null) {
                sb.append("Authorization: ").append(authorization(answer, uri)).append("\r\n");
            }
            return sb.append("Content-Length: 0\r\n\r\n").toString();
        }

        /**
         * An INVITE to 199 (no SDP), answering {@code challenge}'s Proxy-Authenticate with {@code password} when
         * given; returns the final response after ACKing it (RFC 3261 §17.1.1.3).
         */
        String invite(String username, String challenge, String password) throws IOException {
            int n = SEQ.incrementAndGet();
            String uri = "sip:199@127.0.0.1:" + port;
            String common = "Via: SIP/2.0/UDP " + address + ":" + socket.getLocalPort() + ";branch=z9hG4bK-auth-" + n
                    + ";rport\r\nMax-Forwards: 70\r\nFrom: <sip:" + username + "@127.0.0.1>;tag=fromtag\r\n";
            StringBuilder sb = new StringBuilder().append("INVITE ").append(uri).append(" SIP/2.0\r\n").append(common)
                    .append("To: <sip:199@127.0.0.1>\r\nCall-ID: auth-call-").append(n).append("\r\nCSeq: ").append(n)
                    .append(" INVITE\r\nContact: <sip:").append(username).append('@').append(address).append(':')
                    .append(socket.getLocalPort()).append(">\r\n");
            if (password != null) {
                sb.append("Proxy-Authorization: ")
                        .append(authorization(new Answer(challenge, username, password), uri, "INVITE"))
                        .append("\r\n");
            }
            send(sb.append("Content-Length: 0\r\n\r\n").toString());
            String response;
            do {
                response = receive(Duration.ofSeconds(2));
            } while (response != null && response.startsWith("SIP/2.0 1"));
            assertThat(response).as("a final answer to INVITE %s", n).isNotNull();
            Matcher to = Pattern.compile("(?m)^To: ([^\r\n]*)").matcher(response);
            assertThat(to.find()).isTrue();
            send("ACK " + uri + " SIP/2.0\r\n" + common + "To: " + to.group(1) + "\r\nCall-ID: auth-call-" + n
                    + "\r\nCSeq: " + n + " ACK\r\nContent-Length: 0\r\n\r\n");
            return response;
        }

        String options() {
            int n = SEQ.incrementAndGet();
            return "OPTIONS sip:127.0.0.1:" + port + " SIP/2.0\r\n"
                    + "Via: SIP/2.0/UDP " + address + ":" + socket.getLocalPort() + ";branch=z9hG4bK-auth-" + n
                    + ";rport\r\n"
                    + "Max-Forwards: 70\r\nFrom: <sip:probe@127.0.0.1>;tag=p\r\nTo: <sip:127.0.0.1>\r\n"
                    + "Call-ID: auth-call-" + n + "\r\nCSeq: 1 OPTIONS\r\nContent-Length: 0\r\n\r\n";
        }

        void send(String message) throws IOException {
            byte[] b = message.getBytes(StandardCharsets.US_ASCII);
            socket.send(new DatagramPacket(b, b.length, InetAddress.getLoopbackAddress(), port));
        }

        /** The next datagram, or null if none comes within {@code wait}. */
        String receive(Duration wait) throws IOException {
            byte[] buf = new byte[65_535];
            DatagramPacket p = new DatagramPacket(buf, buf.length);
            socket.setSoTimeout((int) wait.toMillis());
            try {
                socket.receive(p);
            } catch (SocketTimeoutException e) {
                return null;
            }
            return new String(p.getData(), 0, p.getLength(), StandardCharsets.ISO_8859_1);
        }

        @Override
        public void close() {
            socket.close();
        }
    }

    /** An RFC 7616 answer (qop=auth) to the challenge's first algorithm, computed with Parley's Digest arithmetic. */
    private static String authorization(Answer a, String uri) {
        return authorization(a, uri, "REGISTER");
    }

    private static String authorization(Answer a, String uri, String method) {
        String name = method.equals("REGISTER") ? "WWW-Authenticate" : "Proxy-Authenticate";
        Matcher header = Pattern.compile("(?m)^" + name + ": (.*)$").matcher(a.challenge());
        assertThat(header.find()).as("a %s in\n%s", name, a.challenge()).isTrue();
        String challenge = header.group(1);
        DigestAlgorithm alg = challenge.contains("algorithm=SHA-256") ? DigestAlgorithm.SHA_256 : DigestAlgorithm.MD5;
        Matcher nonce = NONCE.matcher(challenge);
        Matcher realm = REALM.matcher(challenge);
        assertThat(nonce.find() && realm.find()).isTrue();
        String nc = "00000001";
        String cnonce = "cn" + SEQ.incrementAndGet();
        String ha1 = Digest.ha1(alg, a.username(), realm.group(1), a.password());
        String response = Digest.response(alg, ha1, nonce.group(1), nc, cnonce, "auth",
                Digest.ha2(alg, method, uri));
        return "Digest username=\"" + a.username() + "\", realm=\"" + realm.group(1) + "\", nonce=\""
                + nonce.group(1) + "\", uri=\"" + uri + "\", response=\"" + response + "\", algorithm="
                + alg.token() + ", qop=auth, nc=" + nc + ", cnonce=\"" + cnonce + "\"";
    }
}
