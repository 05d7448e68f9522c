package dev.parley.server.it.webphone;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.server.it.webphone.WebphoneFixture.WebUser;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AutoClose;
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
    private static final Path DRIVER = WebphoneFixture.FIREFOX_DIR.resolve("webphone-firefox.mjs");
    private static final Path SHOTS = Path.of("target/webphone-firefox-screenshots").toAbsolutePath();
    /** Firefox's fake microphone ({@code media.navigator.streams.fake}): a sine, set to 1 kHz by the driver. */
    private static final int FIREFOX_TONE = 1000;
    private static final int CHROMIUM_TONE = 440;

    @TempDir
    Path dir;

    @AutoClose
    private WebphoneFixture fixture;

    @Test
    void firefoxUserCallsChromiumUserWithAudioBothWaysAndHangsUp() throws Exception {
        // JsSIP 3.13 answers only an MD5 Digest challenge and reads only the first one
        fixture = WebphoneFixture.start(dir, Map.of("PARLEY_PBX_DIGEST_ALGORITHMS", "MD5"));
        WebUser alice = fixture.addUser("alice", "Alice Martin", "101", "alice-long-password-1");
        WebUser bob = fixture.addUser("bob", "Bob Stone", "102", "bob-long-password-22");

        JsonNode r = fixture.driver(DRIVER, SHOTS.toString()).user("A", alice).env("A_EXTENSION", alice.extension())
                .user("B", bob).env("B_WAV", fixture.tone(CHROMIUM_TONE).toString())
                .env("B_EXTENSION", bob.extension()).run(Duration.ofSeconds(180));

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
        WebphoneFixture.heard("alice (Firefox)", talk.path("a0"), talk.path("a"), talk.path("aPeaks"), 0, 0.02);
        WebphoneFixture.heard("bob (Chromium)", talk.path("b0"), talk.path("b"), talk.path("bPeaks"), FIREFOX_TONE,
                0.02);

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
}
