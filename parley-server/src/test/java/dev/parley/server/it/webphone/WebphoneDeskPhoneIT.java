package dev.parley.server.it.webphone;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.pbx.registrar.Binding;
import dev.parley.server.it.ParleyUnderTest;
import dev.parley.server.it.baresip.Baresip;
import dev.parley.server.it.sipp.Sipp;
import dev.parley.server.it.webphone.WebphoneFixture.NodeDriver;
import dev.parley.server.it.webphone.WebphoneFixture.WebUser;
import dev.parley.sipstack.flow.Transport;
import dev.parley.store.Store;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * The browser phone against desk phones (issues 6 and 7): alice, signed in to the production page in Chromium
 * (driven by {@code src/test/browser/webphone-deskphone.mjs}), registers over WSS with her session's credentials
 * and is online in {@code /api/directory}. She dials 102, bob's baresip desk phone over TLS with SDES-SRTP
 * ({@code srtp-mand}, {@code answermode=auto}); while they talk her {@code GET /api/me/calls/live} says encrypted
 * with legs wss/dtls-srtp and tls/srtp-sdes, she presses 1 5 9 # on the in-call key pad and baresip logs each
 * digit as received (RFC 4733 through Parley's relay). Then she dials 103, carol's sipp over UDP with plain RTP
 * (echoing what it gets): the live view says not encrypted, naming the plain leg udp/rtp.
 *
 * <p>Digest: {@code pbx.digest-algorithms: [MD5]} because baresip 1.0.0 (libre 1.1.0) fails on any challenge whose
 * algorithm is not MD5, whatever the order (see BaresipTlsCallIT); the browser would do with the defaults (MD5 first
 * over WSS; WebphoneIT runs that way). The page's padlock is asserted when the served build has one.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class WebphoneDeskPhoneIT {
    private static final Duration SIGNALLING = Duration.ofSeconds(10);
    private static final String DIGITS = "159#";

    @TempDir
    Path dir;

    @AutoClose
    private WebphoneFixture fixture;
    private Baresip bob;
    private Sipp.Running carol;
    /** Parley's call path at DEBUG, shown only when the first call fails (seen once in 5 loaded runs: 480). */
    private final CallPathLog callPath = new CallPathLog();

    @AfterEach
    void stop() {
        callPath.close();
        if (carol != null) {
            carol.kill();
        }
        if (bob != null) {
            bob.close();
        }
    }

    @Test
    void aBrowserCallsAnSdesDeskPhoneWithDtmfAndTheApiTellsEncryptedFromPlain() throws Exception {
        callPath.open();
        fixture = WebphoneFixture.start(dir, Map.of("PARLEY_PBX_DIGEST_ALGORITHMS", "MD5"));
        ParleyUnderTest parley = fixture.parley();
        WebUser alice = fixture.addUser("alice", "Alice Martin", "101", "alice-long-password-1");
        parley.addPhone("bob", "102", "bob-desk", "bob-secret-1234");
        assertThat(parley.cli("device", "set", "bob-desk", "--media-policy", "required")).as(parley.cliOutput())
                .isZero();
        parley.addPhone("carol", "103", "carol-desk", "carol-secret-1234");
        // a plain phone: no SRTP offered to it (as SrtpToPlainIT and MediaSippIT set theirs)
        assertThat(parley.cli("device", "set", "carol-desk", "--media-policy", "off")).as(parley.cliOutput())
                .isZero();

        bob = Baresip.start("bob", dir.resolve("bob"), "<sip:bob-desk@127.0.0.1:" + parley.port(Transport.TLS)
                + ";transport=tls>;auth_pass=bob-secret-1234;regint=60;audio_codecs=PCMU;answermode=auto"
                + ";mediaenc=srtp-mand", fixture.tone(440, 8000));
        bob.awaitRegisteredOverTls("bob-desk", SIGNALLING);
        Path logs = Files.createDirectories(dir.resolve("sipp"));
        int udp = parley.port(Transport.UDP);
        int carolPort = Sipp.freePort(false);
        Sipp.Result reg = Sipp.scenario("register", logs).remote(udp).localPort(carolPort).service("103")
                .credentials("carol-desk", "carol-secret-1234").run();
        assertThat(reg.exitCode()).as(reg.describe()).isZero();
        // sipp's default -timeout (20 s) ends carol before the browser's second call when the machine is loaded
        // (the server alone took 15-20 s to start at load 17-25): she waits up to 120 s, within the test's bound
        carol = Sipp.scenario("uas-echo", logs).remote(udp).localPort(carolPort).rtpEcho()
                .timeout(Duration.ofSeconds(120)).start().awaitListening(carolPort, false);

        String session = fixture.signIn(alice);
        // the presence engine re-reads the directory every 3 s: wait for the users added after the start
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(250)).untilAsserted(() -> assertThat(
                presenceOf(fixture.getJson(session, "/api/directory"), "103")).isEqualTo("online"));
        assertThat(presenceOf(fixture.getJson(session, "/api/directory"), "101"))
                .as("alice has no stored device and no browser yet").isEqualTo("offline");

        NodeDriver driver = fixture.driver(WebphoneFixture.BROWSER_DIR.resolve("webphone-deskphone.mjs"))
                .user("A", alice).env("A_WAV", fixture.tone(1000).toString()).env("TARGETS", "102,103")
                .env("DIGITS", DIGITS).start();

        driver.awaitLine("REGISTERED");
        // presence maps the session-bound browser credentials to alice (issue 6: it used to say offline)
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(250)).untilAsserted(() -> assertThat(
                presenceOf(fixture.getJson(session, "/api/directory"), "101")).isEqualTo("online"));

        // call 1: bob's desk phone over TLS + SDES
        driver.send("call");
        try {
            driver.awaitLine("INCALL");
        } catch (AssertionError e) {
            // seen once in 5 loaded runs: 480 'Not reachable' although bob had registered; say what bob saw, what
            // Parley's store holds for him and what Parley's call path logged
            throw new AssertionError(e.getMessage() + "\nbob's baresip log:\n" + bob.log() + "\nbob's bindings: "
                    + bindingsOf(parley, "bob-desk") + "\nalice's call log: " + fixture.getJson(session,
                    "/api/me/calls") + "\nParley's call path (DEBUG, last lines):\n" + callPath.text(), e);
        }
        JsonNode secure = liveCall(fixture, session);
        assertThat(secure.get("to").asText()).isEqualTo("102");
        assertThat(secure.get("encrypted").asBoolean()).as("%s", secure).isTrue();
        assertThat(leg(secure, "caller")).isEqualTo(List.of("wss", "dtls-srtp", "true"));
        assertThat(leg(secure, "callee")).isEqualTo(List.of("tls", "srtp-sdes", "true"));
        assertThat(presenceOf(fixture.getJson(session, "/api/directory"), "101")).isEqualTo("busy");
        driver.awaitLine("DTMF_SENT");
        // baresip 1.0 logs "received event: '<key>' (end=0)" and "(end=1)" for each RFC 4733 event it gets
        await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(200)).untilAsserted(() -> assertThat(
                receivedDtmf(bob.log())).as("digits baresip received; its log:\n%s", bob.log()).isEqualTo(DIGITS));
        driver.send("hangup");

        // call 2: carol's sipp over UDP with plain RTP
        driver.send("call");
        driver.awaitLine("INCALL");
        JsonNode plain = liveCall(fixture, session);
        assertThat(plain.get("to").asText()).isEqualTo("103");
        assertThat(plain.get("encrypted").asBoolean()).as("%s", plain).isFalse();
        assertThat(leg(plain, "caller")).isEqualTo(List.of("wss", "dtls-srtp", "true"));
        assertThat(leg(plain, "callee")).as("the plain leg is named").isEqualTo(List.of("udp", "rtp", "false"));
        driver.send("hangup");

        JsonNode r = driver.finish(Duration.ofSeconds(60));

        JsonNode toBob = r.path("calls").get(0);
        assertThat(toBob.path("dtmfShown").asText()).isEqualTo(DIGITS);
        // audio both ways on the browser's side: DTLS-SRTP up, packets from bob's tone received and decoded
        assertThat(toBob.path("last").path("transport").path("dtlsState").asText()).isEqualTo("connected");
        int received = toBob.path("last").path("inbound").path("packetsReceived").asInt()
                - toBob.path("first").path("inbound").path("packetsReceived").asInt();
        assertThat(received).as("packets the browser got from bob during the call").isGreaterThan(50);
        assertThat(toBob.path("last").path("inbound").path("totalAudioEnergy").asDouble()).isGreaterThan(0.0);
        // and baresip's side of the call was SDES-SRTP
        assertThat(bob.log()).contains("SRTP is Enabled (cryptosuite=AES_CM_128_HMAC_SHA1_");
        // the page's padlock, if this build shows one
        String padlockBob = toBob.path("padlock").isNull() ? null : toBob.path("padlock").asText(null);
        String padlockCarol = r.path("calls").get(1).path("padlock").isNull() ? null
                : r.path("calls").get(1).path("padlock").asText(null);
        System.out.println("padlock shown by the page: bob " + padlockBob + ", carol " + padlockCarol);
        if (padlockBob != null) {
            assertThat(padlockBob).isEqualTo("true");
            assertThat(padlockCarol).isEqualTo("false");
        }
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(
                presenceOf(fixture.getJson(session, "/api/directory"), "101")).isNotEqualTo("busy"));
    }

    /** The AOR's bindings in Parley's store: contact, transport, flow and seconds left. */
    private static List<String> bindingsOf(ParleyUnderTest parley, String aor) {
        Instant now = Instant.now();
        try (Store store = Store.open(parley.databaseUrl(), null, null)) {
            return store.bindings().find(aor).stream().map((Binding b) -> b.contact() + " via "
                    + b.receivedFrom().transport() + " " + b.receivedFrom().flowId() + ", "
                    + (b.expiresAt().getEpochSecond() - now.getEpochSecond()) + " s left").toList();
        } catch (RuntimeException e) {
            return List.of("(not readable: " + e + ")");
        }
    }

    /**
     * The PBX's and the SIP stack's log at DEBUG, kept in memory (the last {@value #KEPT} events) rather than
     * printed: the console stays at INFO, and WARN and above still go to it as they happen.
     */
    private static final class CallPathLog extends AppenderBase<ILoggingEvent> implements AutoCloseable {
        private static final int KEPT = 600;
        private static final List<String> LOGGERS = List.of("dev.parley.pbx", "dev.parley.sipstack");
        private final ArrayDeque<String> lines = new ArrayDeque<>();
        private final Map<String, Level> previous = new HashMap<>();

        void open() {
            Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
            setContext(root.getLoggerContext());
            setName("deskphone-call-path");
            start();
            for (String name : LOGGERS) {
                Logger l = (Logger) LoggerFactory.getLogger(name);
                previous.put(name, l.getLevel());
                l.setAdditive(false);
                l.addAppender(this);
                l.setLevel(Level.DEBUG);
            }
        }

        @Override
        protected void append(ILoggingEvent event) {
            String line = Instant.ofEpochMilli(event.getTimeStamp()) + " " + event.getLevel() + " "
                    + event.getLoggerName() + " - " + event.getFormattedMessage();
            if (event.getLevel().isGreaterOrEqual(Level.WARN)) {
                System.out.println(line);
            }
            synchronized (lines) {
                lines.addLast(line);
                if (lines.size() > KEPT) {
                    lines.removeFirst();
                }
            }
        }

        String text() {
            synchronized (lines) {
                return String.join("\n", lines);
            }
        }

        @Override
        public void close() {
            for (Map.Entry<String, Level> e : previous.entrySet()) {
                Logger l = (Logger) LoggerFactory.getLogger(e.getKey());
                l.detachAppender(this);
                l.setAdditive(true);
                l.setLevel(e.getValue());
            }
            previous.clear();
            stop();
        }
    }

    /** The keys of baresip's "received event" lines that end a digit, in order. */
    private static String receivedDtmf(String log) {
        Matcher m = Pattern.compile("received event: '(.)' \\(end=1\\)").matcher(log);
        StringBuilder keys = new StringBuilder();
        while (m.find()) {
            keys.append(m.group(1));
        }
        return keys.toString();
    }

    /** The one live call as alice sees it, once answered. */
    private static JsonNode liveCall(WebphoneFixture fixture, String session) {
        JsonNode[] call = new JsonNode[1];
        await().atMost(SIGNALLING).pollInterval(Duration.ofMillis(200)).untilAsserted(() -> {
            JsonNode calls = fixture.getJson(session, "/api/me/calls/live").get("calls");
            assertThat(calls).hasSize(1);
            assertThat(calls.get(0).get("state").asText()).isEqualTo("answered");
            assertThat(calls.get(0).get("legs")).hasSize(2);
            call[0] = calls.get(0);
        });
        return call[0];
    }

    private static List<String> leg(JsonNode call, String party) {
        for (JsonNode l : call.get("legs")) {
            if (l.get("party").asText().equals(party)) {
                return List.of(l.get("transport").asText(), l.get("media").asText(), l.get("encrypted").asText());
            }
        }
        throw new AssertionError("no " + party + " leg in " + call);
    }

    private static String presenceOf(JsonNode directory, String extension) {
        for (JsonNode e : directory.get("entries")) {
            if (e.get("extension").asText().equals(extension)) {
                return e.get("presence").asText();
            }
        }
        return "absent";
    }
}
