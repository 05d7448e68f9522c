package dev.parley.server.it.webphone;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.parley.pbx.account.PasswordHashing;
import dev.parley.pbx.registrar.Binding;
import dev.parley.server.it.ParleyUnderTest;
import dev.parley.server.it.TestDatabase;
import dev.parley.store.Store;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The browser phone's second slice (issue 7) end to end, in Debian's Chromium driven by
 * {@code src/test/browser/webphone-features.mjs}: alice signs in in one tab and registers; a second tab of hers says
 * the phone is active in another tab and does not register (the store holds one live binding for 101) until she
 * clicks "Use it here" (the first tab stops, still one binding); a reload of that tab hands the phone back to the
 * first. Alice calls bob browser to browser: both padlocks say encrypted on every leg (from
 * {@code GET /api/me/calls/live}), and the legs' explanation opens with the keyboard. Alice's other tab shows bob's
 * presence change to "On a call" during the call and back after it (live, from {@code /api/me/events}). Do-not-disturb
 * switched in one tab shows in the other. A contact added with a PNG picture is still there, picture loaded, after a
 * reload; a picture over 256 KiB is refused with the server's 413 message. Screenshots go to
 * {@code target/webphone-screenshots/}.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class WebphoneFeaturesIT {
    private static final Path BROWSER_DIR = Path.of("src/test/browser").toAbsolutePath();
    private static final Path SHOTS = Path.of("target/webphone-screenshots").toAbsolutePath();
    private static final Pattern ALICE_AOR = Pattern.compile("(^|:)101(@|$)");

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
    void oneTabRegistersPadlockPresenceSettingsAndContactsWithPictures() throws Exception {
        Files.createDirectories(dir.resolve("parley"));
        // JsSIP 3.13 answers only an MD5 Digest challenge
        parley = ParleyUnderTest.start(dir.resolve("parley"),
                TestDatabase.SQLITE.settings(Map.of("PARLEY_PBX_DIGEST_ALGORITHMS", "MD5")));
        addUser("alice", "Alice Martin", "101", "alice-long-password-1");
        addUser("bob", "Bob Stone", "102", "bob-long-password-22");
        Path picture = dir.resolve("dora.png");
        BufferedImage image = new BufferedImage(64, 64, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setColor(new Color(0x1f6feb));
        g.fillRect(0, 0, 64, 64);
        g.setColor(Color.WHITE);
        g.fillOval(16, 8, 32, 32);
        g.dispose();
        ImageIO.write(image, "png", picture.toFile());
        Path big = dir.resolve("big.png");
        byte[] bigBytes = new byte[300 * 1024];
        System.arraycopy(Files.readAllBytes(picture), 0, bigBytes, 0, 8); // a PNG signature, then too many bytes
        Files.write(big, bigBytes);

        String base = "https://127.0.0.1:" + parley.httpsPort();
        ProcessBuilder node = new ProcessBuilder("node", BROWSER_DIR.resolve("webphone-features.mjs").toString(),
                base, SHOTS.toString()).redirectErrorStream(true);
        Map<String, String> env = node.environment();
        env.put("PARLEY_SPKI", spki(parley.server().config().certificatePath()));
        env.put("A_USER", "alice");
        env.put("A_PASSWORD", "alice-long-password-1");
        env.put("B_USER", "bob");
        env.put("B_PASSWORD", "bob-long-password-22");
        env.put("B_EXTENSION", "102");
        env.put("PICTURE", picture.toString());
        env.put("BIG_PICTURE", big.toString());
        Process driver = node.start();
        StringBuilder out = new StringBuilder();
        List<String> bindingLog = new ArrayList<>();
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(driver.getInputStream(),
                StandardCharsets.UTF_8)); Writer answers = driver.outputWriter(StandardCharsets.UTF_8)) {
            for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                out.append(line).append('\n');
                if (line.startsWith("CHECK ")) {
                    // the driver asks how many live bindings alice's extension has: the store, not the phone, says
                    List<String> contacts = aliceBindings();
                    bindingLog.add(contacts.toString());
                    answers.write(contacts.size() + "\n");
                    answers.flush();
                }
            }
        }
        assertThat(driver.waitFor(30, TimeUnit.SECONDS)).as("the driver finished").isTrue();
        System.out.println("==== webphone-features.mjs ====\n" + out + "alice's bindings at each check: " + bindingLog);
        String line = out.toString().lines().filter(l -> l.startsWith("RESULT ")).findFirst().orElse(null);
        assertThat(line).as("the driver's result; it said:\n%s", out).isNotNull();
        JsonNode r = new ObjectMapper().readTree(line.substring("RESULT ".length()));
        assertThat(r.path("error").isMissingNode()).as("the flow ran to its end: %s", r.path("error")).isTrue();
        assertThat(driver.exitValue()).isZero();

        // two tabs, one registration
        assertThat(r.path("secondTab").path("badge").asText()).isEqualTo("elsewhere");
        assertThat(r.path("secondTab").path("firstBadge").asText()).isEqualTo("registered");
        assertThat(r.path("secondTab").path("banner").asText()).contains("active in another tab", "Use it here");
        assertThat(r.path("bindingsWithTwoTabs").asInt()).as("bindings of 101 with two tabs open").isEqualTo(1);
        assertThat(r.path("takeOver").path("a1").asText()).isEqualTo("elsewhere");
        assertThat(r.path("takeOver").path("a2").asText()).isEqualTo("registered");
        assertThat(r.path("bindingsAfterTakeOver").asInt()).as("bindings of 101 after the take-over").isEqualTo(1);
        assertThat(r.path("afterReload").path("a1").asText()).as("tab 1 after tab 2 reloaded").isEqualTo("registered");
        assertThat(r.path("afterReload").path("a2").asText()).isEqualTo("elsewhere");
        assertThat(r.path("bindingsAfterReload").asInt()).isEqualTo(1);

        // the padlock, browser to browser: WSS + DTLS-SRTP on both legs
        assertThat(r.path("aPadlock").path("encrypted").asText()).isEqualTo("true");
        assertThat(r.path("aPadlock").path("text").asText()).isEqualTo("Encrypted on every leg");
        assertThat(r.path("aPadlock").path("legs").asText()).contains("Alice Martin's browser phone (101)",
                "Bob Stone's browser phone (102)", "SRTP (DTLS)", "secure WebSocket").doesNotContain("plain", "web-");
        assertThat(r.path("bPadlock").path("encrypted").asText()).isEqualTo("true");
        assertThat(r.path("bPadlock").path("keyboard").asBoolean()).as("the padlock is reached with Tab").isTrue();
        assertThat(r.path("bPadlock").path("legs").asText()).contains("encrypted");

        // bob's presence as alice's other tab shows it, live
        System.out.println("bob's presence seen by alice: " + r.path("presenceSequence"));
        assertThat(r.path("presenceDuringCall").asText()).isEqualTo("busy");
        assertThat(r.path("presenceTextDuringCall").asText()).isEqualTo("On a call");
        assertThat(r.path("presenceAfterCall").asText()).isNotEqualTo("busy")
                .isEqualTo(r.path("presenceBeforeCall").asText());
        List<String> sequence = new ArrayList<>();
        r.path("presenceSequence").forEach(p -> sequence.add(p.asText()));
        assertThat(sequence).containsSubsequence(r.path("presenceBeforeCall").asText(), "busy",
                r.path("presenceAfterCall").asText());

        // the call log of the tab that was not on the call, reloaded from the stream (call ended / own presence)
        assertThat(r.path("recentRowsAfter").asInt()).isEqualTo(r.path("recentRowsBefore").asInt() + 1);
        assertThat(r.path("recentRefreshMillis").asInt()).isBetween(0, 10_000);

        // settings from the other tab, over the event stream
        assertThat(r.path("settingsSeenMillis").asInt()).isBetween(0, 10_000);
        // a microphone chosen from enumerateDevices() (Chromium's fake devices) is stored on the server
        assertThat(r.path("microphones").asInt()).as("microphones offered").isPositive();
        assertThat(r.path("storedMicrophone").asText()).isEqualTo(r.path("chosenMicrophone").asText()).isNotEmpty();

        // contacts on the server, with a picture
        assertThat(r.path("bigPictureMessage").asText()).contains("picture was refused", "256 KiB");
        assertThat(r.path("afterReload").path("text").asText()).contains("Dora Pike", "102", "+44 20 7946 0000");
        assertThat(r.path("afterReload").path("pictureWidth").asInt()).as("the picture decoded after reload")
                .isEqualTo(64);
        for (String shot : List.of("other-tab.png", "contacts-presence.png", "in-call-padlock.png", "settings.png",
                "contacts.png", "contact-picture-refused.png")) {
            assertThat(SHOTS.resolve(shot)).as("screenshot %s", shot).isNotEmptyFile();
        }
    }

    /** Alice's live bindings (extension 101) as the store holds them: their contacts. */
    private List<String> aliceBindings() {
        Instant now = Instant.now();
        List<String> contacts = new ArrayList<>();
        try (Store store = Store.open(parley.databaseUrl(), null, null)) {
            for (Binding b : store.bindings().findAll()) {
                if (ALICE_AOR.matcher(b.aor()).find() && !b.isExpired(now)) {
                    contacts.add(b.contact().toString());
                }
            }
        }
        return contacts;
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
}
