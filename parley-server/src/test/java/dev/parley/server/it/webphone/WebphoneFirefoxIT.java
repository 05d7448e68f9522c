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
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The browser phone in Firefox (issue 7: "works in current Chromium and Firefox"): the production bundle served by a
 * real Parley at {@code /}, alice in Debian's Firefox ESR (headless, driven over WebDriver BiDi by puppeteer-core in
 * {@code src/test/firefox/webphone-firefox.mjs}; its fake microphone is Firefox's built-in tone) and bob in Debian's
 * Chromium (Playwright; a 440 Hz tone as microphone). Both sign in with their Parley passwords, provision SIP
 * credentials ({@code POST /api/me/phone}) and register over WSS; alice dials bob's extension on the dial pad, bob's
 * phone rings with her name, bob answers, and alice hangs up from Firefox; then bob calls alice, Firefox rings and
 * answers (Firefox as the answerer of Parley's offer), and bob hangs up.
 *
 * <p>Asserted from both browsers' {@code getStats()}: DTLS-SRTP connected on both legs, more than 150 audio packets
 * sent and received by each in 4 s, decoded audio above silence on each side; a Web Audio FFT of what bob plays
 * shows Firefox's 1 kHz tone (alice's side has no FFT: headless Firefox here has no audio output, so its
 * AudioContext never runs). After alice's hang-up both phones are idle and still registered and Firefox's peer
 * connection is closed; during the call Firefox's padlock (from {@code GET /api/me/calls/live}) says "Encrypted on
 * every leg". In the second call, more than 110 packets each way in 3 s in both browsers. Screenshots of Firefox's sign-in, idle
 * and in-call views go to {@code target/webphone-firefox-screenshots/}.
 */
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class WebphoneFirefoxIT {
    private static final Path DRIVER = Path.of("src/test/firefox/webphone-firefox.mjs").toAbsolutePath();
    private static final Path SHOTS = Path.of("target/webphone-firefox-screenshots").toAbsolutePath();
    /** Firefox's fake microphone ({@code media.navigator.streams.fake}): a sine, set to 1 kHz by the driver. */
    private static final int FIREFOX_TONE = 1000;
    private static final int CHROMIUM_TONE = 440;

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
    void firefoxUserCallsChromiumUserWithAudioBothWaysAndHangsUp() throws Exception {
        Files.createDirectories(dir.resolve("parley"));
        // JsSIP 3.13 answers only an MD5 Digest challenge and reads only the first one
        parley = ParleyUnderTest.start(dir.resolve("parley"),
                TestDatabase.SQLITE.settings(Map.of("PARLEY_PBX_DIGEST_ALGORITHMS", "MD5")));
        addUser("alice", "Alice Martin", "101", "alice-long-password-1");
        addUser("bob", "Bob Stone", "102", "bob-long-password-22");

        ProcessBuilder node = new ProcessBuilder("node", DRIVER.toString(),
                "https://127.0.0.1:" + parley.httpsPort(), SHOTS.toString()).redirectErrorStream(true);
        Map<String, String> env = node.environment();
        env.put("PARLEY_SPKI", spki(parley.server().config().certificatePath()));
        env.put("A_USER", "alice");
        env.put("A_PASSWORD", "alice-long-password-1");
        env.put("B_USER", "bob");
        env.put("B_PASSWORD", "bob-long-password-22");
        env.put("B_WAV", tone(CHROMIUM_TONE).toString());
        env.put("B_EXTENSION", "102");
        env.put("A_EXTENSION", "101");
        Process driver = node.start();
        String out = new String(driver.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(driver.waitFor(180, TimeUnit.SECONDS)).as("the driver finished").isTrue();
        System.out.println("==== webphone-firefox.mjs ====\n" + out);
        String line = out.lines().filter(l -> l.startsWith("RESULT ")).findFirst().orElse(null);
        assertThat(line).as("the driver's result; it said:\n%s", out).isNotNull();
        JsonNode r = new ObjectMapper().readTree(line.substring("RESULT ".length()));
        assertThat(r.path("error").isMissingNode()).as("the flow ran to its end: %s", r.path("error")).isTrue();
        assertThat(driver.exitValue()).isZero();

        assertThat(r.path("firefoxVersion").asText()).startsWith("firefox/");
        System.out.println("ready after sign-in: alice (Firefox) " + r.path("aReadyMillis") + " ms (first since start), "
                + "bob (Chromium) " + r.path("bReadyMillis") + " ms; bob rang " + r.path("incomingMillis")
                + " ms after alice dialled; audio both ways " + r.path("audioAfterAnswerMillis") + " ms after answer");
        assertThat(r.path("aReadyMillis").asInt()).isBetween(1, 5000);
        assertThat(r.path("aHeader").asText()).contains("Alice Martin", "Extension 101", "Ready");
        assertThat(r.path("dialled").asText()).isEqualTo("102");
        assertThat(r.path("incomingName").asText()).isEqualTo("Alice Martin");
        assertThat(r.path("incomingNumber").asText()).isEqualTo("101");

        JsonNode talk = r.path("talk");
        // headless Firefox here has no audio output device: its AudioContext stays "suspended" (resume() never
        // settles), so the FFT of what alice plays is empty and her side is judged by the decoded energy alone
        heard("alice (Firefox)", talk.path("a0"), talk.path("a"), talk.path("aPeaks"), 0);
        heard("bob (Chromium)", talk.path("b0"), talk.path("b"), talk.path("bPeaks"), FIREFOX_TONE);

        // the padlock in Firefox, from the server's live call view: both legs WSS + DTLS-SRTP
        assertThat(r.path("aPadlock").path("encrypted").asText()).as("Firefox's padlock: %s", r.path("aPadlock"))
                .isEqualTo("true");
        assertThat(r.path("aPadlock").path("text").asText()).contains("Encrypted on every leg");

        JsonNode after = r.path("afterHangUp");
        assertThat(after.path("a").asText()).as("Firefox after hang-up").isEqualTo("registered");
        assertThat(after.path("b").asText()).as("Chromium after hang-up").isEqualTo("registered");
        assertThat(after.path("aConnection").asText()).as("Firefox's peer connection").isEqualTo("closed");

        // the other way: bob calls alice, Firefox answers Parley's offer, audio both ways for 3 s, bob hangs up
        JsonNode reverse = r.path("reverse");
        System.out.println("reverse call: " + reverse);
        assertThat(reverse.path("incomingName").asText()).isEqualTo("Bob Stone");
        for (String side : List.of("a", "b")) {
            JsonNode s0 = reverse.path(side + "0");
            JsonNode s1 = reverse.path(side);
            assertThat(s1.path("transport").path("dtlsState").asText()).as("%s DTLS (reverse)", side)
                    .isEqualTo("connected");
            assertThat(s1.path("inbound").path("packetsReceived").asInt()
                    - s0.path("inbound").path("packetsReceived").asInt()).as("%s received in 3 s (reverse)", side)
                    .isGreaterThan(110);
            assertThat(s1.path("outbound").path("packetsSent").asInt()
                    - s0.path("outbound").path("packetsSent").asInt()).as("%s sent in 3 s (reverse)", side)
                    .isGreaterThan(110);
        }
        assertThat(reverse.path("aAfter").asText()).as("Firefox after bob hung up").isEqualTo("registered");
        for (String shot : List.of("firefox-signin.png", "firefox-idle.png", "firefox-in-call.png")) {
            assertThat(SHOTS.resolve(shot)).as("screenshot %s", shot).isNotEmptyFile();
        }
    }

    /**
     * Audio arrived, was decrypted (DTLS-SRTP) and decoded to more than silence, and (when {@code hertz} is not 0) is
     * the other side's tone.
     */
    private static void heard(String name, JsonNode before, JsonNode after, JsonNode peaks, int hertz) {
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
                .isGreaterThan(0.02);
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

    private void addUser(String name, String displayName, String extension, String password) {
        assertThat(parley.cli("user", "add", name, "--display-name", displayName)).as(parley.cliOutput()).isZero();
        assertThat(parley.cli("extension", "add", extension, "--user", name)).as(parley.cliOutput()).isZero();
        try (Store store = Store.open(parley.databaseUrl(), null, null)) {
            store.webPasswords().set(store.users().findByName(name).orElseThrow().id(),
                    PasswordHashing.argon2id(password.toCharArray()));
        }
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
