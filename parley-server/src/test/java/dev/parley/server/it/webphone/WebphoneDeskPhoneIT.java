package dev.parley.server.it.webphone;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.parley.pbx.account.PasswordHashing;
import dev.parley.server.it.ParleyUnderTest;
import dev.parley.server.it.TestDatabase;
import dev.parley.server.it.baresip.Baresip;
import dev.parley.server.it.sipp.Sipp;
import dev.parley.sipstack.flow.Transport;
import dev.parley.store.Store;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Writer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

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
    private static final Path BROWSER_DIR = Path.of("src/test/browser").toAbsolutePath();
    private static final Duration SIGNALLING = Duration.ofSeconds(10);
    private static final Pattern COOKIE = Pattern.compile("__Host-parley=([A-Za-z0-9_-]{43});");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String DIGITS = "159#";

    @TempDir
    Path dir;

    private ParleyUnderTest parley;
    private Baresip bob;
    private Sipp.Running carol;
    private Process driver;

    @AfterEach
    void stop() {
        if (driver != null) {
            driver.destroyForcibly();
        }
        if (carol != null) {
            carol.kill();
        }
        if (bob != null) {
            bob.close();
        }
        if (parley != null) {
            parley.close();
        }
    }

    @Test
    void aBrowserCallsAnSdesDeskPhoneWithDtmfAndTheApiTellsEncryptedFromPlain() throws Exception {
        parley = ParleyUnderTest.start(Files.createDirectories(dir.resolve("parley")),
                TestDatabase.SQLITE.settings(Map.of("PARLEY_PBX_DIGEST_ALGORITHMS", "MD5")));
        addUser("alice", "Alice Martin", "101", "alice-long-password-1");
        parley.addPhone("bob", "102", "bob-desk", "bob-secret-1234");
        assertThat(parley.cli("device", "set", "bob-desk", "--media-policy", "required")).as(parley.cliOutput())
                .isZero();
        parley.addPhone("carol", "103", "carol-desk", "carol-secret-1234");
        // a plain phone: no SRTP offered to it (as SrtpToPlainIT and MediaSippIT set theirs)
        assertThat(parley.cli("device", "set", "carol-desk", "--media-policy", "off")).as(parley.cliOutput())
                .isZero();

        bob = Baresip.start("bob", dir.resolve("bob"), "<sip:bob-desk@127.0.0.1:" + parley.port(Transport.TLS)
                + ";transport=tls>;auth_pass=bob-secret-1234;regint=60;audio_codecs=PCMU;answermode=auto"
                + ";mediaenc=srtp-mand", tone(440, 8000));
        bob.awaitRegisteredOverTls("bob-desk", SIGNALLING);
        Path logs = Files.createDirectories(dir.resolve("sipp"));
        int udp = parley.port(Transport.UDP);
        int carolPort = Sipp.freePort(false);
        Sipp.Result reg = Sipp.scenario("register", logs).remote(udp).localPort(carolPort).service("103")
                .credentials("carol-desk", "carol-secret-1234").run();
        assertThat(reg.exitCode()).as(reg.describe()).isZero();
        carol = Sipp.scenario("uas-echo", logs).remote(udp).localPort(carolPort).rtpEcho().start()
                .awaitListening(carolPort, false);

        String base = "https://127.0.0.1:" + parley.httpsPort();
        HttpClient http = https();
        String session = signIn(http, base, "alice", "alice-long-password-1");
        // the presence engine re-reads the directory every 3 s: wait for the users added after the start
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(250)).untilAsserted(() -> assertThat(
                presenceOf(getJson(http, base, session, "/api/directory"), "103")).isEqualTo("online"));
        assertThat(presenceOf(getJson(http, base, session, "/api/directory"), "101"))
                .as("alice has no stored device and no browser yet").isEqualTo("offline");

        ProcessBuilder node = new ProcessBuilder("node", BROWSER_DIR.resolve("webphone-deskphone.mjs").toString(),
                base).redirectErrorStream(true);
        node.environment().put("PARLEY_SPKI", spki(parley.server().config().certificatePath()));
        node.environment().put("A_USER", "alice");
        node.environment().put("A_PASSWORD", "alice-long-password-1");
        node.environment().put("A_WAV", tone(1000, 48_000).toString());
        node.environment().put("TARGETS", "102,103");
        node.environment().put("DIGITS", DIGITS);
        driver = node.start();
        BufferedReader out = new BufferedReader(new InputStreamReader(driver.getInputStream(), StandardCharsets.UTF_8));
        Writer in = new java.io.OutputStreamWriter(driver.getOutputStream(), StandardCharsets.UTF_8);
        StringBuilder said = new StringBuilder();

        awaitLine(out, said, "REGISTERED");
        // presence maps the session-bound browser credentials to alice (issue 6: it used to say offline)
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(250)).untilAsserted(() -> assertThat(
                presenceOf(getJson(http, base, session, "/api/directory"), "101")).isEqualTo("online"));

        // call 1: bob's desk phone over TLS + SDES
        send(in, "call");
        awaitLine(out, said, "INCALL");
        JsonNode secure = liveCall(http, base, session);
        assertThat(secure.get("to").asText()).isEqualTo("102");
        assertThat(secure.get("encrypted").asBoolean()).as("%s", secure).isTrue();
        assertThat(leg(secure, "caller")).isEqualTo(List.of("wss", "dtls-srtp", "true"));
        assertThat(leg(secure, "callee")).isEqualTo(List.of("tls", "srtp-sdes", "true"));
        assertThat(presenceOf(getJson(http, base, session, "/api/directory"), "101")).isEqualTo("busy");
        awaitLine(out, said, "DTMF_SENT");
        // baresip 1.0 logs "received event: '<key>' (end=0)" and "(end=1)" for each RFC 4733 event it gets
        await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(200)).untilAsserted(() -> assertThat(
                receivedDtmf(bob.log())).as("digits baresip received; its log:\n%s", bob.log()).isEqualTo(DIGITS));
        send(in, "hangup");

        // call 2: carol's sipp over UDP with plain RTP
        send(in, "call");
        awaitLine(out, said, "INCALL");
        JsonNode plain = liveCall(http, base, session);
        assertThat(plain.get("to").asText()).isEqualTo("103");
        assertThat(plain.get("encrypted").asBoolean()).as("%s", plain).isFalse();
        assertThat(leg(plain, "caller")).isEqualTo(List.of("wss", "dtls-srtp", "true"));
        assertThat(leg(plain, "callee")).as("the plain leg is named").isEqualTo(List.of("udp", "rtp", "false"));
        send(in, "hangup");

        String rest = drain(out, said);
        assertThat(driver.waitFor(60, TimeUnit.SECONDS)).as("the driver finished").isTrue();
        System.out.println("==== webphone-deskphone.mjs ====\n" + said);
        String line = rest.lines().filter(l -> l.startsWith("RESULT ")).findFirst().orElse(null);
        assertThat(line).as("the driver's result; it said:\n%s", said).isNotNull();
        JsonNode r = JSON.readTree(line.substring("RESULT ".length()));
        assertThat(r.path("error").isMissingNode()).as("the flow ran to its end: %s", r.path("error")).isTrue();
        assertThat(driver.exitValue()).isZero();

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
                presenceOf(getJson(http, base, session, "/api/directory"), "101")).isNotEqualTo("busy"));
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
    private static JsonNode liveCall(HttpClient http, String base, String session) {
        JsonNode[] call = new JsonNode[1];
        await().atMost(SIGNALLING).pollInterval(Duration.ofMillis(200)).untilAsserted(() -> {
            JsonNode calls = getJson(http, base, session, "/api/me/calls/live").get("calls");
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

    private static void send(Writer in, String command) throws IOException {
        in.write(command + "\n");
        in.flush();
    }

    private static void awaitLine(BufferedReader out, StringBuilder said, String wanted) throws IOException {
        for (String l = out.readLine(); l != null; l = out.readLine()) {
            said.append(l).append('\n');
            if (l.equals(wanted)) {
                return;
            }
            if (l.startsWith("RESULT ")) {
                break;
            }
        }
        throw new AssertionError("the driver ended before " + wanted + "; it said:\n" + said);
    }

    private static String drain(BufferedReader out, StringBuilder said) throws IOException {
        StringBuilder rest = new StringBuilder();
        for (String l = out.readLine(); l != null; l = out.readLine()) {
            said.append(l).append('\n');
            rest.append(l).append('\n');
        }
        return rest.toString();
    }

    private static String signIn(HttpClient http, String base, String user, String password) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(base + "/api/session"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(
                        "{\"username\":\"" + user + "\",\"password\":\"" + password + "\"}")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        Matcher c = COOKIE.matcher(r.headers().firstValue("Set-Cookie").orElseThrow());
        assertThat(c.find()).isTrue();
        return c.group(1);
    }

    private static JsonNode getJson(HttpClient http, String base, String session, String path) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(base + path))
                .header("Cookie", "__Host-parley=" + session).GET().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(path + ": " + r.body()).isEqualTo(200);
        return JSON.readTree(r.body());
    }

    private void addUser(String name, String displayName, String extension, String password) {
        assertThat(parley.cli("user", "add", name, "--display-name", displayName)).as(parley.cliOutput()).isZero();
        assertThat(parley.cli("extension", "add", extension, "--user", name)).as(parley.cliOutput()).isZero();
        try (Store store = Store.open(parley.databaseUrl(), null, null)) {
            store.webPasswords().set(store.users().findByName(name).orElseThrow().id(),
                    PasswordHashing.argon2id(password.toCharArray()));
        }
    }

    private HttpClient https() throws Exception {
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        try (InputStream in = Files.newInputStream(parley.server().config().certificatePath())) {
            trust.setCertificateEntry("parley", CertificateFactory.getInstance("X.509").generateCertificate(in));
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(null, tmf.getTrustManagers(), null);
        return HttpClient.newBuilder().sslContext(ctx).connectTimeout(Duration.ofSeconds(3)).build();
    }

    /** Base64 of the SHA-256 of the certificate's SubjectPublicKeyInfo, as Chromium's SPKI allow-list takes it. */
    private static String spki(Path certificate) throws Exception {
        try (InputStream in = Files.newInputStream(certificate)) {
            X509Certificate cert = (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(cert.getPublicKey().getEncoded());
            return Base64.getEncoder().encodeToString(hash);
        }
    }

    /** 30 s of a sine at half scale, mono 16-bit at {@code rate}. */
    private Path tone(int hertz, int rate) throws IOException, InterruptedException {
        Path wav = dir.resolve("tone-" + hertz + "-" + rate + ".wav");
        Process sox = new ProcessBuilder("sox", "-n", "-r", Integer.toString(rate), "-c", "1", "-b", "16",
                wav.toString(), "synth", "30", "sine", Integer.toString(hertz), "vol", "0.5")
                .redirectErrorStream(true).start();
        String out = new String(sox.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(sox.waitFor(30, TimeUnit.SECONDS)).as("sox finished").isTrue();
        assertThat(sox.exitValue()).as("sox: %s", out).isZero();
        return wav;
    }
}
