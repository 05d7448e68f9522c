package dev.parley.server.it.webphone;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.parley.pbx.account.PasswordHashing;
import dev.parley.pbx.cdr.CallRecord;
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
import java.time.Duration;
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
 * Blind transfer from the browser phone (issue 7), end to end with a real Parley and three users in Debian's Chromium
 * (driven by {@code src/test/browser/webphone-transfer.mjs}, each with a tone as microphone: alice 1000 Hz, bob
 * 440 Hz, carol 660 Hz): alice calls bob, bob answers, types carol's extension into the call panel's "Transfer to"
 * and presses Transfer (JsSIP {@code session.refer}: an in-dialog REFER over WSS); Parley rings carol with alice's
 * caller id, carol answers, bob's call ends, and alice (who never left her call, no new peer connection) and carol
 * hear each other's tone (getStats and a Web Audio FFT of what each plays). CDRs: alice-bob ended "transferred",
 * alice-carol recorded.
 */
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class WebphoneTransferIT {
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
    void bobTransfersAlicesCallToCarolWhoAnswersAndTalksWithAlice() throws Exception {
        Files.createDirectories(dir.resolve("parley"));
        // MD5 alone: JsSIP 3.13 knows nothing else and keeps one challenge header (DigestPolicy.challengeOrder)
        parley = ParleyUnderTest.start(dir.resolve("parley"),
                TestDatabase.SQLITE.settings(Map.of("PARLEY_PBX_DIGEST_ALGORITHMS", "MD5")));
        addUser("alice", "Alice Martin", "101", "alice-long-password-1");
        addUser("bob", "Bob Stone", "102", "bob-long-password-22");
        addUser("carol", "Carol Diaz", "103", "carol-long-password-3");
        String base = "https://127.0.0.1:" + parley.httpsPort();

        ProcessBuilder node = new ProcessBuilder("node", BROWSER_DIR.resolve("webphone-transfer.mjs").toString(),
                base, SHOTS.toString()).redirectErrorStream(true);
        Map<String, String> env = node.environment();
        env.put("PARLEY_SPKI", spki(parley.server().config().certificatePath()));
        env.put("A_USER", "alice");
        env.put("A_PASSWORD", "alice-long-password-1");
        env.put("A_WAV", tone(1000).toString());
        env.put("B_USER", "bob");
        env.put("B_PASSWORD", "bob-long-password-22");
        env.put("B_WAV", tone(440).toString());
        env.put("B_EXTENSION", "102");
        env.put("C_USER", "carol");
        env.put("C_PASSWORD", "carol-long-password-3");
        env.put("C_WAV", tone(660).toString());
        env.put("C_EXTENSION", "103");
        Process driver = node.start();
        String out = new String(driver.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(driver.waitFor(180, TimeUnit.SECONDS)).as("the driver finished").isTrue();
        System.out.println("==== webphone-transfer.mjs ====\n" + out);
        String line = out.lines().filter(l -> l.startsWith("RESULT ")).findFirst().orElse(null);
        assertThat(line).as("the driver's result; it said:\n%s", out).isNotNull();
        JsonNode r = new ObjectMapper().readTree(line.substring("RESULT ".length()));
        assertThat(r.path("error").isMissingNode()).as("the flow ran to its end: %s", r.path("error")).isTrue();
        assertThat(driver.exitValue()).isZero();

        System.out.println("carol rang " + r.path("cRangMillis") + " ms after bob pressed Transfer; bob's call ended "
                + r.path("bEndedMillis") + " ms after");
        // carol sees who is really calling: the transferee, as Parley vouches for her
        assertThat(r.path("cIncomingName").asText()).isEqualTo("Alice Martin");
        assertThat(r.path("cIncomingNumber").asText()).isEqualTo("101");
        assertThat(r.path("bRegistration").asText()).isEqualTo("registered");
        // Parley kept alice's leg and its media anchor: no re-INVITE, no new peer connection in her page
        assertThat(r.path("aStillInCall").asBoolean()).isTrue();
        assertThat(r.path("aPeersAfter").asInt()).isEqualTo(r.path("aPeersBefore").asInt());
        JsonNode talk = r.path("talk");
        heard("alice", talk.path("a0"), talk.path("a"), talk.path("aPeaks"), 660);
        heard("carol", talk.path("c0"), talk.path("c"), talk.path("cPeaks"), 1000);

        try (Store store = Store.open(parley.databaseUrl(), null, null)) {
            List<CallRecord> cdrs = await().atMost(Duration.ofSeconds(5)).until(() -> store.callRecords()
                    .recent(10), l -> l.size() == 2);
            assertThat(cdrs).extracting(CallRecord::callee, CallRecord::cause).containsExactlyInAnyOrder(
                    org.assertj.core.groups.Tuple.tuple("102", "transferred"),
                    org.assertj.core.groups.Tuple.tuple("103", "answered-caller-hangup"));
            assertThat(cdrs).allSatisfy(c -> assertThat(c.caller()).isEqualTo("101"));
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
