package dev.parley.server.it.webphone;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.parley.pbx.account.PasswordHashing;
import dev.parley.server.it.ParleyUnderTest;
import dev.parley.server.it.TestDatabase;
import dev.parley.store.Store;
import java.io.IOException;
import java.io.InputStream;
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
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The browser phone (issue 7, first slice) end to end: the production bundle served by a real Parley at {@code /},
 * two users in Debian's Chromium (one browser each, driven by {@code src/test/browser/webphone.mjs} with Playwright,
 * each with a tone as its fake microphone: alice 1000 Hz, bob 440 Hz), who sign in with their Parley passwords; each
 * phone provisions itself ({@code POST /api/me/phone}) and registers over WSS. Alice dials bob's extension on the
 * dial pad, bob's phone rings showing alice's name and number, bob answers; then hold/resume, mute/unmute, a DTMF
 * key, hang up; then what the caller is told when bob declines, when nobody is registered on 103, and for a number
 * that does not exist; do-not-disturb switched on in bob's settings makes Parley refuse alice's next call (bob's
 * history shows it missed); bob reloads the page and is registered again without signing in; carol, in a browser
 * that refuses the microphone, is told so when she calls.
 *
 * <p>Asserted from the browsers' {@code getStats()} and a Web Audio FFT of what each plays: DTLS-SRTP connected,
 * audio packets both ways and each hears the other's tone; while alice holds, she receives (almost) nothing from
 * bob (his answer is recvonly), and after resume about 50 packets a second again; while alice is muted, bob's
 * decoded audio energy stops growing and comes back after unmute; after hang-up both phones are idle and still
 * registered. Screenshots of the views (375 px wide) go to {@code target/webphone-screenshots/}.
 */
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class WebphoneIT {
    private static final Path BROWSER_DIR = Path.of("src/test/browser").toAbsolutePath();
    private static final Path SHOTS = Path.of("target/webphone-screenshots").toAbsolutePath();

    @TempDir
    Path dir;

    private ParleyUnderTest parley;

    @AfterEach
    void stop() {
        if (parley != null) {
            parley.close();
        }
    }

    @Test
    void twoUsersSignInRegisterAndCallEachOtherWithHoldMuteAndHangUp() throws Exception {
        Files.createDirectories(dir.resolve("parley"));
        // default Digest algorithms: over WSS Parley challenges with MD5 alone, which JsSIP 3.13 answers
        parley = ParleyUnderTest.start(dir.resolve("parley"), TestDatabase.SQLITE.settings(Map.of()));
        addUser("alice", "Alice Martin", "101", "alice-long-password-1");
        addUser("bob", "Bob Stone", "102", "bob-long-password-22");
        addUser("carol", "Carol Diaz", "103", "carol-long-password-3");

        String base = "https://127.0.0.1:" + parley.httpsPort();
        HttpResponse<String> page = https().send(HttpRequest.newBuilder(URI.create(base + "/")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body()).as("the phone's production build is in the jar")
                .contains("<div id=\"app\"></div>", "src=\"/assets/phone.js\"");
        assertThat(page.headers().firstValue("Content-Security-Policy")).isPresent();
        HttpResponse<String> script = https().send(HttpRequest.newBuilder(URI.create(base + "/assets/phone.js"))
                .build(), HttpResponse.BodyHandlers.ofString());
        System.out.println("/assets/phone.js: " + script.statusCode() + ", " + script.body().length() + " chars, "
                + script.headers().map());
        assertThat(script.statusCode()).isEqualTo(200);
        assertThat(script.headers().firstValue("Content-Type").orElse("")).contains("javascript");
        // a fixed name: the browser must revalidate it, or it would keep an older phone after an upgrade
        assertThat(script.headers().firstValue("Cache-Control").orElse("")).matches(".*(max-age=0|no-cache).*");

        ProcessBuilder node = new ProcessBuilder("node", BROWSER_DIR.resolve("webphone.mjs").toString(), base,
                SHOTS.toString()).redirectErrorStream(true);
        Map<String, String> env = node.environment();
        env.put("PARLEY_SPKI", spki(parley.server().config().certificatePath()));
        env.put("A_USER", "alice");
        env.put("A_PASSWORD", "alice-long-password-1");
        env.put("A_WAV", tone(1000).toString());
        env.put("B_USER", "bob");
        env.put("B_PASSWORD", "bob-long-password-22");
        env.put("B_WAV", tone(440).toString());
        env.put("B_EXTENSION", "102");
        env.put("C_EXTENSION", "103");
        env.put("UNKNOWN_NUMBER", "199");
        env.put("C_USER", "carol");
        env.put("C_PASSWORD", "carol-long-password-3");
        Process driver = node.start();
        String out = new String(driver.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(driver.waitFor(180, TimeUnit.SECONDS)).as("the driver finished").isTrue();
        System.out.println("==== webphone.mjs ====\n" + out);
        String line = out.lines().filter(l -> l.startsWith("RESULT ")).findFirst().orElse(null);
        assertThat(line).as("the driver's result; it said:\n%s", out).isNotNull();
        JsonNode r = new ObjectMapper().readTree(line.substring("RESULT ".length()));
        assertThat(r.path("error").isMissingNode()).as("the flow ran to its end: %s", r.path("error")).isTrue();
        assertThat(driver.exitValue()).isZero();

        // sign-in to registered (the browser's own clock, from the click to the 200 to REGISTER): issue 7 asks for 1 s
        // on localhost. Alice is the server's first sign-in, first /api/me/phone and first WSS REGISTER since it
        // started, so she also pays the JVM's warm-up (0.5-1.3 s more here, on 2 shared cores); bob, the second, is
        // what a user of a running server sees.
        System.out.println("ready after sign-in: alice " + r.path("aReadyMillis") + " ms (first since start), bob "
                + r.path("bReadyMillis") + " ms; bob rang " + r.path("incomingMillis") + " ms after alice dialled");
        assertThat(r.path("aReadyMillis").asInt()).isBetween(1, 5000);
        assertThat(r.path("bReadyMillis").asInt()).isBetween(1, 1000);
        assertThat(r.path("aHeader").asText()).contains("Alice Martin", "Extension 101", "Ready");
        assertThat(r.path("dialled").asText()).isEqualTo("102");
        assertThat(r.path("incomingName").asText()).isEqualTo("Alice Martin");
        assertThat(r.path("incomingNumber").asText()).isEqualTo("101");

        JsonNode talk = r.path("talk");
        heard("alice", talk.path("a0"), talk.path("a"), talk.path("aPeaks"), 440);
        heard("bob", talk.path("b0"), talk.path("b"), talk.path("bPeaks"), 1000);

        JsonNode hold = r.path("hold");
        // 2 s at 50 packets a second: held, bob sends nothing (a few may be in flight when the count starts)
        assertThat(hold.path("aReceivedWhileHeld").asInt()).as("packets alice got from bob while holding")
                .isLessThan(10);
        assertThat(hold.path("aReceivedAfterResume").asInt()).as("packets alice got in 2 s after resume")
                .isGreaterThan(80);

        JsonNode mute = r.path("mute");
        assertThat(mute.path("bPacketsWhileMuted").asInt()).as("muted still sends (silence)").isGreaterThan(50);
        // totalAudioEnergy adds level² × seconds: a tone at level ~0.05 gives ~0.005 in 2 s, silence ~1e-9
        assertThat(mute.path("bEnergyAfterUnmute").asDouble()).as("bob's decoded energy in 2 s after unmute")
                .isGreaterThan(0.001);
        assertThat(mute.path("bEnergyWhileMuted").asDouble()).as("bob's decoded energy in 2 s of mute")
                .isLessThan(mute.path("bEnergyAfterUnmute").asDouble() / 100);
        assertThat(r.path("dtmfShown").asText()).isEqualTo("5");

        JsonNode after = r.path("afterHangUp");
        assertThat(after.path("a").asText()).isEqualTo("registered");
        assertThat(after.path("b").asText()).isEqualTo("registered");
        // the server's directory and call history, as the phone shows them
        assertThat(r.path("contactsText").asText()).contains("Bob Stone", "102", "Carol Diaz", "103");
        assertThat(r.path("recentText").asText()).contains("Alice Martin", "incoming", "answered");
        // what the caller reads when the call does not happen
        assertThat(r.path("declinedBanner").asText()).startsWith("Busy");
        assertThat(r.path("unregisteredBanner").asText()).startsWith("Not reachable");
        assertThat(r.path("unknownBanner").asText()).isEqualTo("No such number.");
        // do-not-disturb from the phone's settings: the server refuses the call (486 by default), bob's phone stays
        // quiet and his history shows it missed; a reload keeps him signed in and registered
        assertThat(r.path("dndSaveStatus").asInt()).as("PUT /api/me/settings").isEqualTo(200);
        assertThat(r.path("dndChecked").asBoolean()).isTrue();
        assertThat(r.path("dndBanner").asText()).startsWith("Busy");
        assertThat(r.path("bRangWithDnd").asBoolean()).isFalse();
        assertThat(r.path("reloadSignInShown").asBoolean()).isFalse();
        assertThat(r.path("recentAfterDnd").asText()).contains("missed");
        // carol's browser refuses the microphone: she is told so, and nothing rang at bob's
        assertThat(r.path("microphoneDeniedBanner").asText()).startsWith("Microphone access was denied");
        assertThat(r.path("bRangForDenied").asBoolean()).isFalse();
        for (String shot : List.of("signin.png", "idle.png", "incoming.png", "in-call.png")) {
            assertThat(SHOTS.resolve(shot)).as("screenshot %s", shot).isNotEmptyFile();
        }
    }

    /** Audio arrived, was decrypted (DTLS-SRTP) and decoded, and is the other side's tone. */
    private static void heard(String name, JsonNode before, JsonNode after, JsonNode peaks, int hertz) {
        System.out.println(name + " getStats after 4 s: " + after + "; FFT peaks " + peaks);
        assertThat(after.path("transport").path("dtlsState").asText()).isEqualTo("connected");
        assertThat(after.path("transport").path("srtpCipher").asText()).isNotEmpty();
        int received = after.path("inbound").path("packetsReceived").asInt()
                - before.path("inbound").path("packetsReceived").asInt();
        int sent = after.path("outbound").path("packetsSent").asInt()
                - before.path("outbound").path("packetsSent").asInt();
        assertThat(received).as("packets %s received in 4 s", name).isGreaterThan(150);
        assertThat(sent).as("packets %s sent in 4 s", name).isGreaterThan(150);
        assertThat(after.path("inbound").path("audioLevel").asDouble()).as("%s's audio level", name)
                .isGreaterThan(0.05);
        List<Integer> hz = new ArrayList<>();
        peaks.forEach(p -> hz.add(p.asInt()));
        // FFT bins are 48000 / 8192 = 5.9 Hz wide
        long at = hz.stream().filter(h -> Math.abs(h - hertz) <= 6).count();
        assertThat(at).as("%s's FFT peaks at %d Hz: %s", name, hertz, hz).isGreaterThanOrEqualTo(hz.size() / 2)
                .isGreaterThanOrEqualTo(10);
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

    /** 30 s of a sine at half scale, 48 kHz mono 16-bit (Chromium loops its fake microphone's file). */
    private Path tone(int hertz) throws IOException, InterruptedException {
        Path wav = dir.resolve("tone-" + hertz + ".wav");
        Process sox = new ProcessBuilder("sox", "-n", "-r", "48000", "-c", "1", "-b", "16", wav.toString(), "synth",
                "30", "sine", Integer.toString(hertz), "vol", "0.5").redirectErrorStream(true).start();
        String out = new String(sox.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(sox.waitFor(30, TimeUnit.SECONDS)).as("sox finished").isTrue();
        assertThat(sox.exitValue()).as("sox: %s", out).isZero();
        return wav;
    }
}
