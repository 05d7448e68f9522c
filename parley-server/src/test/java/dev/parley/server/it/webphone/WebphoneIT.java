package dev.parley.server.it.webphone;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.server.it.webphone.WebphoneFixture.WebUser;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
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
    private static final Path SHOTS = WebphoneFixture.SHOTS;

    @TempDir
    Path dir;

    @AutoClose
    private WebphoneFixture fixture;

    @Test
    void twoUsersSignInRegisterAndCallEachOtherWithHoldMuteAndHangUp() throws Exception {
        // default Digest algorithms: over WSS Parley challenges with MD5 alone, which JsSIP 3.13 answers
        fixture = WebphoneFixture.start(dir, Map.of());
        WebUser alice = fixture.addUser("alice", "Alice Martin", "101", "alice-long-password-1");
        WebUser bob = fixture.addUser("bob", "Bob Stone", "102", "bob-long-password-22");
        WebUser carol = fixture.addUser("carol", "Carol Diaz", "103", "carol-long-password-3");

        String base = fixture.base();
        HttpResponse<String> page = fixture.https().send(HttpRequest.newBuilder(URI.create(base + "/")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body()).as("the phone's production build is in the jar")
                .contains("<div id=\"app\"></div>", "src=\"/assets/phone.js\"");
        assertThat(page.headers().firstValue("Content-Security-Policy")).isPresent();
        HttpResponse<String> script = fixture.https().send(HttpRequest.newBuilder(URI.create(base + "/assets/phone.js"))
                .build(), HttpResponse.BodyHandlers.ofString());
        System.out.println("/assets/phone.js: " + script.statusCode() + ", " + script.body().length() + " chars, "
                + script.headers().map());
        assertThat(script.statusCode()).isEqualTo(200);
        assertThat(script.headers().firstValue("Content-Type").orElse("")).contains("javascript");
        // a fixed name: the browser must revalidate it, or it would keep an older phone after an upgrade
        assertThat(script.headers().firstValue("Cache-Control").orElse("")).matches(".*(max-age=0|no-cache).*");

        JsonNode r = fixture.browserDriver("webphone.mjs")
                .user("A", alice).env("A_WAV", fixture.tone(1000).toString())
                .user("B", bob).env("B_WAV", fixture.tone(440).toString()).env("B_EXTENSION", bob.extension())
                .env("C_EXTENSION", carol.extension()).env("UNKNOWN_NUMBER", "199")
                .user("C", carol)
                .run(Duration.ofSeconds(180));

        // sign-in to registered (the browser's own clock, from the click to the 200 to REGISTER): issue 7 asks for 1 s
        // on localhost. Alice is the server's first sign-in, first /api/me/phone and first WSS REGISTER since it
        // started, so she also pays the JVM's warm-up (0.5-1.3 s more here, on 2 shared cores); bob, the second, is
        // what a user of a running server sees. The 1 s figure is a measurement (quiet machine: 0.2-0.8 s, see
        // docs/benchmarks.md), not a pass/fail bound for a shared build machine, where Argon2id alone took 1.1 s at
        // load 25: this bound catches a phone that no longer registers promptly, twice the budget.
        System.out.println("ready after sign-in: alice " + r.path("aReadyMillis") + " ms (first since start), bob "
                + r.path("bReadyMillis") + " ms; bob rang " + r.path("incomingMillis") + " ms after alice dialled");
        assertThat(r.path("aReadyMillis").asInt()).isBetween(1, 5000);
        assertThat(r.path("bReadyMillis").asInt()).isBetween(1, 2000);
        assertThat(r.path("aHeader").asText()).contains("Alice Martin", "Extension 101", "Ready");
        assertThat(r.path("dialled").asText()).isEqualTo("102");
        assertThat(r.path("incomingName").asText()).isEqualTo("Alice Martin");
        assertThat(r.path("incomingNumber").asText()).isEqualTo("101");

        JsonNode talk = r.path("talk");
        WebphoneFixture.heard("alice", talk.path("a0"), talk.path("a"), talk.path("aPeaks"), 440, 0.05);
        WebphoneFixture.heard("bob", talk.path("b0"), talk.path("b"), talk.path("bPeaks"), 1000, 0.05);

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
}
