package dev.parley.server.it.webphone;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.parley.pbx.account.PasswordHashing;
import dev.parley.server.it.ParleyUnderTest;
import dev.parley.server.it.TestDatabase;
import dev.parley.store.Store;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * What every browser-phone IT sets up: a running Parley (SQLite under {@code dir/parley}), users with an extension
 * and a web password, the SPKI hash Chromium is told to trust, tones as fake microphones, an HTTPS client that
 * trusts the test certificate (and signs in like the page does), and the node drivers in {@code src/test/browser}
 * and {@code src/test/firefox} started with {@link #driver} and read through their "RESULT &lt;json&gt;" line
 * (see {@code webphone-page.mjs}). Closing it stops the driver still running and the server.
 */
final class WebphoneFixture implements AutoCloseable {
    static final Path BROWSER_DIR = Path.of("src/test/browser").toAbsolutePath();
    static final Path FIREFOX_DIR = Path.of("src/test/firefox").toAbsolutePath();
    static final Path SHOTS = Path.of("target/webphone-screenshots").toAbsolutePath();
    static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern COOKIE = Pattern.compile("__Host-parley=([A-Za-z0-9_-]{43});");

    /** A Parley user with an extension and a web password, as a driver's A_/B_/C_ environment names them. */
    record WebUser(String name, String displayName, String extension, String password) {
    }

    private final Path dir;
    private final ParleyUnderTest parley;
    private final List<NodeDriver> drivers = new ArrayList<>();
    private HttpClient https;

    private WebphoneFixture(Path dir, ParleyUnderTest parley) {
        this.dir = dir;
        this.parley = parley;
    }

    /** Starts Parley on SQLite in {@code dir/parley} with these {@code PARLEY_*} settings. */
    static WebphoneFixture start(Path dir, Map<String, String> settings) throws IOException {
        return new WebphoneFixture(dir, ParleyUnderTest.start(Files.createDirectories(dir.resolve("parley")),
                TestDatabase.SQLITE.settings(settings)));
    }

    /** Parley for JsSIP phones: MD5 alone (JsSIP 3.13 knows no other and keeps one challenge header). */
    static WebphoneFixture startForJsSip(Path dir) throws IOException {
        return start(dir, Map.of("PARLEY_PBX_DIGEST_ALGORITHMS", "MD5"));
    }

    /** Alice (101), Bob (102) and Carol (103): the three users of the call-waiting and video tests. */
    record ThreeUsers(WebUser alice, WebUser bob, WebUser carol) {
    }

    ThreeUsers addAliceBobCarol() {
        return new ThreeUsers(addUser("alice", "Alice Martin", "101", "alice-long-password-1"),
                addUser("bob", "Bob Stone", "102", "bob-long-password-22"),
                addUser("carol", "Carol Diaz", "103", "carol-long-password-3"));
    }

    /**
     * A driver for phones A, B and C signed in as alice, bob and carol, each sending a tone of its own (1000, 440 and
     * 660 Hz: A_WAV, B_WAV, C_WAV), with A's and B's extensions (A_EXTENSION, B_EXTENSION).
     */
    NodeDriver threePhones(String script, ThreeUsers u) throws IOException, InterruptedException {
        return browserDriver(script)
                .user("A", u.alice()).env("A_WAV", tone(1000).toString()).env("A_EXTENSION", u.alice().extension())
                .user("B", u.bob()).env("B_WAV", tone(440).toString()).env("B_EXTENSION", u.bob().extension())
                .user("C", u.carol()).env("C_WAV", tone(660).toString());
    }

    ParleyUnderTest parley() {
        return parley;
    }

    /** {@code https://127.0.0.1:<port>}: the phone's page, {@code /api} and {@code /ws}. */
    String base() {
        return "https://127.0.0.1:" + parley.httpsPort();
    }

    /** A user and extension through the management CLI, and a web password (Argon2id) in the store. */
    WebUser addUser(String name, String displayName, String extension, String password) {
        assertThat(parley.cli("user", "add", name, "--display-name", displayName)).as(parley.cliOutput()).isZero();
        assertThat(parley.cli("extension", "add", extension, "--user", name)).as(parley.cliOutput()).isZero();
        try (Store store = Store.open(parley.databaseUrl(), null, null)) {
            store.webPasswords().set(store.users().findByName(name).orElseThrow().id(),
                    PasswordHashing.argon2id(password.toCharArray()));
        }
        return new WebUser(name, displayName, extension, password);
    }

    /** Base64 of the SHA-256 of the certificate's SubjectPublicKeyInfo, as Chromium's SPKI allow-list takes it. */
    String spki() {
        try (InputStream in = Files.newInputStream(parley.server().config().certificatePath())) {
            X509Certificate cert = (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(cert.getPublicKey().getEncoded());
            return Base64.getEncoder().encodeToString(hash);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** 30 s of a sine at half scale, 48 kHz mono 16-bit (Chromium loops its fake microphone's file). */
    Path tone(int hertz) throws IOException, InterruptedException {
        return tone(hertz, 48_000);
    }

    /** 30 s of a sine at half scale, mono 16-bit at {@code rate} (8000 for baresip). */
    Path tone(int hertz, int rate) throws IOException, InterruptedException {
        Path wav = dir.resolve("tone-" + hertz + "-" + rate + ".wav");
        if (Files.exists(wav)) {
            return wav;
        }
        Process sox = new ProcessBuilder("sox", "-n", "-r", Integer.toString(rate), "-c", "1", "-b", "16",
                wav.toString(), "synth", "30", "sine", Integer.toString(hertz), "vol", "0.5")
                .redirectErrorStream(true).start();
        String out = new String(sox.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(sox.waitFor(30, TimeUnit.SECONDS)).as("sox finished").isTrue();
        assertThat(sox.exitValue()).as("sox: %s", out).isZero();
        return wav;
    }

    /** An HTTP client that trusts this server's certificate (and no other self-signed one). */
    HttpClient https() throws IOException {
        if (https == null) {
            try (InputStream in = Files.newInputStream(parley.server().config().certificatePath())) {
                KeyStore trust = KeyStore.getInstance("PKCS12");
                trust.load(null, null);
                trust.setCertificateEntry("parley", CertificateFactory.getInstance("X.509").generateCertificate(in));
                TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
                tmf.init(trust);
                SSLContext ctx = SSLContext.getInstance("TLS");
                ctx.init(null, tmf.getTrustManagers(), null);
                https = HttpClient.newBuilder().sslContext(ctx).connectTimeout(Duration.ofSeconds(3)).build();
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException(e);
            }
        }
        return https;
    }

    /** Signs in over {@code POST /api/session} as the page does; returns the session cookie's value. */
    String signIn(WebUser user) throws IOException, InterruptedException {
        return signIn(user.name(), user.password());
    }

    String signIn(String user, String password) throws IOException, InterruptedException {
        HttpResponse<String> r = https().send(HttpRequest.newBuilder(URI.create(base() + "/api/session"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(
                        JSON.writeValueAsString(Map.of("username", user, "password", password)))).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        Matcher c = COOKIE.matcher(r.headers().firstValue("Set-Cookie").orElseThrow());
        assertThat(c.find()).isTrue();
        return c.group(1);
    }

    /** {@code GET path} with the session cookie: 200 and its JSON body. */
    JsonNode getJson(String session, String path) throws IOException, InterruptedException {
        HttpResponse<String> r = https().send(HttpRequest.newBuilder(URI.create(base() + path))
                .header("Cookie", "__Host-parley=" + session).GET().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(path + ": " + r.body()).isEqualTo(200);
        return JSON.readTree(r.body());
    }

    /**
     * A node driver: {@code node SCRIPT BASE_URL [args...]} with PARLEY_SPKI set; add its environment with
     * {@link NodeDriver#env}/{@link NodeDriver#user} and {@link NodeDriver#start()} it.
     */
    NodeDriver driver(Path script, String... args) {
        List<String> command = new ArrayList<>(List.of("node", script.toString(), base()));
        command.addAll(List.of(args));
        NodeDriver d = new NodeDriver(script.getFileName().toString(), command);
        d.env("PARLEY_SPKI", spki());
        drivers.add(d);
        return d;
    }

    /** A driver in {@code src/test/browser} that saves its screenshots to {@link #SHOTS}. */
    NodeDriver browserDriver(String script) {
        return driver(BROWSER_DIR.resolve(script), SHOTS.toString());
    }

    @Override
    public void close() {
        try {
            drivers.forEach(NodeDriver::close);
        } finally {
            parley.close();
        }
    }

    /**
     * One run of a node driver: its output read line by line ({@link #readLine}, {@link #awaitLine}), commands
     * written to its stdin ({@link #send}), and at the end {@link #finish} parses its RESULT line.
     */
    static final class NodeDriver implements AutoCloseable {
        private final String name;
        private final List<String> command;
        private final Map<String, String> env = new LinkedHashMap<>();
        private final StringBuilder said = new StringBuilder();
        private Process process;
        private BufferedReader out;
        private Writer in;
        private String resultLine;

        private NodeDriver(String name, List<String> command) {
            this.name = name;
            this.command = command;
        }

        NodeDriver env(String key, String value) {
            env.put(key, value);
            return this;
        }

        /** {@code <prefix>_USER} and {@code <prefix>_PASSWORD} of the user (A, B, C...). */
        NodeDriver user(String prefix, WebUser user) {
            return env(prefix + "_USER", user.name()).env(prefix + "_PASSWORD", user.password());
        }

        NodeDriver start() throws IOException {
            ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
            pb.environment().putAll(env);
            process = pb.start();
            out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
            in = process.outputWriter(StandardCharsets.UTF_8);
            return this;
        }

        /** The driver's next output line, or null once it has ended. */
        String readLine() throws IOException {
            String line = out.readLine();
            if (line != null) {
                said.append(line).append('\n');
                if (line.startsWith("RESULT ")) {
                    resultLine = line;
                }
            }
            return line;
        }

        /** Reads until the driver prints {@code wanted} on a line of its own; fails if it ends first. */
        void awaitLine(String wanted) throws IOException {
            for (String l = readLine(); l != null; l = readLine()) {
                if (l.equals(wanted)) {
                    return;
                }
                if (l.startsWith("RESULT ")) {
                    break;
                }
            }
            throw new AssertionError("the driver ended before " + wanted + "; it said:\n" + said);
        }

        /** One line to the driver's stdin (a command, or the answer to its CHECK). */
        void send(String line) throws IOException {
            in.write(line + "\n");
            in.flush();
        }

        /** What the driver printed so far. */
        String output() {
            return said.toString();
        }

        /**
         * Reads the rest of the output, waits for the driver to end, prints what it said, and returns its RESULT
         * after asserting that the flow ran to its end (no error, exit code 0).
         */
        JsonNode finish(Duration timeout) throws IOException, InterruptedException {
            while (readLine() != null) {
                // all of it, into said
            }
            assertThat(process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)).as("the driver finished").isTrue();
            System.out.println("==== " + name + " ====\n" + said);
            assertThat(resultLine).as("the driver's result; it said:\n%s", said).isNotNull();
            JsonNode r = JSON.readTree(resultLine.substring("RESULT ".length()));
            assertThat(r.path("error").isMissingNode()).as("the flow ran to its end: %s", r.path("error")).isTrue();
            assertThat(process.exitValue()).isZero();
            return r;
        }

        /** Starts the driver, lets it run to its end and returns its RESULT (see {@link #finish}). */
        JsonNode run(Duration timeout) throws IOException, InterruptedException {
            start();
            return finish(timeout);
        }

        @Override
        public void close() {
            if (process != null && process.isAlive()) {
                process.destroyForcibly();
            }
        }
    }

    /**
     * Audio arrived, was decrypted (DTLS-SRTP) and decoded above {@code minLevel} with energy, and (when
     * {@code hertz} is not 0) the FFT of what the page played peaks at the other side's tone.
     */
    static void heard(String name, JsonNode before, JsonNode after, JsonNode peaks, int hertz, double minLevel) {
        System.out.println(name + " getStats after 4 s: " + after + "; FFT peaks " + peaks);
        assertThat(after.path("transport").path("dtlsState").asText()).as("%s DTLS", name).isEqualTo("connected");
        assertThat(after.path("transport").path("srtpCipher").asText()).as("%s SRTP", name).isNotEmpty();
        int received = after.path("inbound").path("packetsReceived").asInt()
                - before.path("inbound").path("packetsReceived").asInt();
        int sent = after.path("outbound").path("packetsSent").asInt()
                - before.path("outbound").path("packetsSent").asInt();
        assertThat(received).as("packets %s received in 4 s", name).isGreaterThan(150);
        assertThat(sent).as("packets %s sent in 4 s", name).isGreaterThan(150);
        assertThat(after.path("inbound").path("audioLevel").asDouble()).as("%s's audio level", name)
                .isGreaterThan(minLevel);
        // totalAudioEnergy adds level² × seconds: a tone at level ~0.05 gives ~0.01 in 4 s, silence ~1e-9
        double energy = after.path("inbound").path("totalAudioEnergy").asDouble()
                - before.path("inbound").path("totalAudioEnergy").asDouble();
        assertThat(energy).as("%s's decoded audio energy in 4 s", name).isGreaterThan(0.001);
        if (hertz == 0) {
            return;
        }
        List<Integer> hz = new ArrayList<>();
        peaks.forEach(p -> hz.add(p.asInt()));
        // FFT bins are 48000 / 8192 = 5.9 Hz wide
        long at = hz.stream().filter(h -> Math.abs(h - hertz) <= 6).count();
        assertThat(at).as("%s's FFT peaks at %d Hz: %s", name, hertz, hz).isGreaterThanOrEqualTo(hz.size() / 2)
                .isGreaterThanOrEqualTo(10);
    }
}
