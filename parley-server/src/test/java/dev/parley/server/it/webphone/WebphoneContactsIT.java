package dev.parley.server.it.webphone;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.server.it.webphone.WebphoneFixture.NodeDriver;
import dev.parley.server.it.webphone.WebphoneFixture.WebUser;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * What issue 7 asks of the browser phone that the other webphone ITs leave untested, in Debian's Chromium on a
 * phone-sized screen (360 x 640), driven by {@code src/test/browser/webphone-contacts.mjs}: alice signs in, dials
 * (typing and the dial pad), calls and hangs up with the keyboard alone, every focus stop visible, and bob answers
 * with Enter; no main view scrolls sideways at 360 px and every call button is at least 44 px tall; the microphone
 * alice picks in her settings (a fake audio input that is not the default) is the one her next call sends; the
 * speaker and ring device she picks (Chromium's fake outputs 1 and 2) are stored on the server and, after a reload,
 * her phone rings on output 2 (the ringing AudioContext's sinkId) and plays the call on output 1 (the remote audio
 * element's sinkId) with audio flowing; a contact
 * added, edited (name and numbers) and deleted in the page is so on the server ({@code GET /api/me/contacts} read by
 * this test at each step) and the edit survives a reload; calling the contact rings bob, who answers, with audio
 * both ways; bob calls back from his call log's entry and alice's phone rings. Screenshots {@code phone360-*.png}
 * go to {@code target/webphone-screenshots/}.
 */
@Timeout(value = 240, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class WebphoneContactsIT {
    /** WCAG 2.5.5 (target size, enhanced): 44 CSS px; issue 7 asks it of the call buttons on a phone. */
    private static final double MIN_TARGET = 44;

    @TempDir
    Path dir;

    @AutoClose
    private WebphoneFixture fixture;

    @Test
    void keyboardOnlyPhoneSizedContactsMicrophoneAndCallBack() throws Exception {
        fixture = WebphoneFixture.start(dir, Map.of());
        WebUser alice = fixture.addUser("alice", "Alice Martin", "101", "alice-long-password-1");
        WebUser bob = fixture.addUser("bob", "Bob Stone", "102", "bob-long-password-22");
        String aliceApi = fixture.signIn(alice);

        NodeDriver driver = fixture.browserDriver("webphone-contacts.mjs")
                .user("A", alice).env("A_WAV", fixture.tone(1000).toString()).env("A_EXTENSION", alice.extension())
                .user("B", bob).env("B_WAV", fixture.tone(440).toString()).env("B_EXTENSION", bob.extension())
                .start();
        List<String> checks = new ArrayList<>();
        for (String line = driver.readLine(); line != null; line = driver.readLine()) {
            if (line.startsWith("CHECK ")) {
                // the server's contacts (or settings) of alice's, as the driver's step left them
                String check = line.substring("CHECK ".length());
                checks.add(check);
                driver.send(check.startsWith("settings-") ? fixture.getJson(aliceApi, "/api/me/settings").toString()
                        : fixture.getJson(aliceApi, "/api/me/contacts").path("contacts").toString());
            }
        }
        JsonNode r = driver.finish(Duration.ofSeconds(60));
        assertThat(checks).containsExactly("settings-devices", "contacts-added", "contacts-edited", "contacts-deleted");

        // keyboard alone: sign-in, dial (typed and on the dial pad), call, hang up; each stop shows its focus
        assertThat(r.path("signInFirstFocus").asText()).as("the sign-in form focuses the user name").isEqualTo(
                "username");
        assertThat(r.path("keyboardDialled").asText()).isEqualTo("102");
        assertThat(r.path("answerFocused").asText()).as("bob's Answer has the focus when it rings").startsWith(
                "Answer");
        assertThat(r.path("keyboardCall").path("aReceived").asInt()).as("packets in 2 s of the keyboard call")
                .isGreaterThan(60);
        assertThat(r.path("keyboardCall").path("aSent").asInt()).isGreaterThan(60);
        assertThat(r.path("hangUpFocus").path("focusVisible").asBoolean()).isTrue();
        assertThat(r.path("afterKeyboardCall").path("a").asText()).isEqualTo("registered");
        assertThat(r.path("focusTrail").size()).isGreaterThan(5);
        r.path("focusTrail").forEach(f -> assertThat(f.path("focusVisible").asBoolean() && f.path("outline")
                .asBoolean()).as("focus shown on %s", f).isTrue());

        // 360 px: no sideways scrolling in any view, call buttons at least 44 px tall
        List<String> seen = new ArrayList<>();
        for (JsonNode v : r.path("views")) {
            seen.add(v.path("view").asText());
            assertThat(v.path("scrollWidth").asInt()).as("scroll width of %s at 360 px: %s", v.path("view"), v)
                    .isLessThanOrEqualTo(v.path("innerWidth").asInt());
            v.path("buttons").forEach(b -> assertThat(b.path("height").asDouble())
                    .as("height of '%s' in %s", b.path("name").asText(), v.path("view").asText())
                    .isGreaterThanOrEqualTo(MIN_TARGET));
        }
        System.out.println("views checked at 360 px: " + seen + "\n" + r.path("views"));
        assertThat(seen).contains("sign-in", "keypad", "incoming", "in-call", "settings", "contact-form", "contacts",
                "recent");

        // the microphone chosen in the settings is the one the next call sends
        System.out.println("audio inputs: " + r.path("audioInputs") + "; chosen " + r.path("chosenMicrophone")
                + "; sending " + r.path("sending") + "; getUserMedia " + r.path("mediaRequests"));
        assertThat(r.path("microphones").size()).as("fake microphones offered").isGreaterThanOrEqualTo(2);
        assertThat(r.path("microphoneSaveStatus").asInt()).isEqualTo(200);
        String chosen = r.path("chosenMicrophone").path("value").asText();
        JsonNode request = r.path("mediaRequests").get(r.path("mediaRequests").size() - 1);
        // Chromium does not follow an ideal deviceId for audio (it gave the default input): the page asks exactly
        assertThat(request.path("constraints").path("audio").path("deviceId").path("exact").asText())
                .as("the constraint the page asked for: %s", request).isEqualTo(chosen);
        JsonNode audio = null;
        for (JsonNode t : r.path("sending")) {
            if (t.path("kind").asText().equals("audio")) {
                audio = t;
            }
        }
        assertThat(audio).as("the call sends audio: %s", r.path("sending")).isNotNull();
        assertThat(audio.path("deviceId").asText()).as("the sending track's device").isEqualTo(chosen);
        assertThat(audio.path("label").asText()).isEqualTo(r.path("chosenMicrophone").path("label").asText());

        // the speaker and the ring device chosen in the settings: stored, and used after a reload (settings from the
        // server): the ringing AudioContext on Output 2, the call's remote audio element on Output 1, audio playing
        System.out.println("audio outputs: " + r.path("audioOutputs") + "; after reload " + r.path(
                "audioOutputsAfterReload") + "; stored " + r.path("settingsAfterChoice").path("devices")
                + "; sinks after the choice " + r.path("sinksAfterChoice") + "; in the contact call "
                + r.path("contactCallSinks") + "; ringing " + r.path("ringingSinks") + "; in the call back "
                + r.path("callBackSinks") + ", audio " + r.path("callBackAudio"));
        assertThat(r.path("speakerSaveStatus").asInt()).isEqualTo(200);
        assertThat(r.path("ringerSaveStatus").asInt()).isEqualTo(200);
        String speaker = outputId(r.path("audioOutputs"), "Fake Audio Output 1");
        String ringer = outputId(r.path("audioOutputs"), "Fake Audio Output 2");
        assertThat(speaker).as("the speaker's id").isNotEqualTo(ringer).isNotIn("", "default");
        assertThat(r.path("speakerChosen").path("value").asText()).isEqualTo(speaker);
        assertThat(r.path("ringerChosen").path("value").asText()).isEqualTo(ringer);
        JsonNode stored = r.path("settingsAfterChoice").path("devices");
        assertThat(stored.path("speaker").asText()).as("speaker stored on the server").isEqualTo(speaker);
        assertThat(stored.path("ringer").asText()).as("ring device stored on the server").isEqualTo(ringer);
        assertThat(stored.path("microphone").asText()).as("the microphone kept").isEqualTo(chosen);
        assertThat(outputId(r.path("audioOutputsAfterReload"), "Fake Audio Output 1")).as("same id after reload")
                .isEqualTo(speaker);
        List<JsonNode> ringing = new ArrayList<>();
        r.path("ringingSinks").path("contexts").forEach(c -> {
            if (c.path("oscillators").asInt() > 0) {
                ringing.add(c);
            }
        });
        assertThat(ringing).as("the page's tone-making AudioContexts while it rings: %s", r.path("ringingSinks"))
                .hasSize(1);
        assertThat(ringing.get(0).path("oscillators").asInt()).as("the ringer's two tones").isGreaterThanOrEqualTo(2);
        assertThat(ringing.get(0).path("sinkId").asText()).as("the ringing context's output").isEqualTo(ringer);
        for (String at : List.of("contactCallSinks", "callBackSinks")) {
            JsonNode remote = null;
            for (JsonNode m : r.path(at).path("media")) {
                if (m.path("remoteCall").asBoolean()) {
                    remote = m;
                }
            }
            assertThat(remote).as("the element playing the call's audio in %s: %s", at, r.path(at)).isNotNull();
            assertThat(remote.path("sinkId").asText()).as("its output in %s", at).isEqualTo(speaker);
            assertThat(remote.path("paused").asBoolean()).as("playing in %s", at).isFalse();
        }
        JsonNode played = r.path("callBackAudio");
        assertThat(played.path("packets").asInt()).as("packets alice got in 2 s on Output 1").isGreaterThan(60);
        assertThat(played.path("energy").asDouble()).as("audio energy decoded in 2 s").isGreaterThan(0);
        assertThat(played.path("playedSeconds").asDouble()).as("seconds of audio played out in 2 s")
                .isGreaterThan(1.5);

        // contacts on the server, step by step
        JsonNode added = only(r.path("serverAfterAdd"));
        assertThat(added.path("displayName").asText()).isEqualTo("Robert Stone");
        assertThat(added.path("extension").asText()).isEqualTo("102");
        assertThat(added.path("phoneNumbers").toString()).isEqualTo("[\"+1 555 0100\"]");
        JsonNode edited = only(r.path("serverAfterEdit"));
        assertThat(edited.path("id").asText()).as("edited in place").isEqualTo(added.path("id").asText());
        assertThat(edited.path("displayName").asText()).isEqualTo("Bobby Stone");
        assertThat(edited.path("phoneNumbers").toString()).isEqualTo("[\"+1 555 0199\",\"+1 555 0142\"]");
        assertThat(r.path("afterReload").path("text").asText()).contains("Bobby Stone", "102", "+1 555 0199");
        assertThat(r.path("afterReload").path("oldName").asInt()).isZero();
        assertThat(r.path("serverAfterDelete").size()).as("contacts left on the server").isZero();
        assertThat(r.path("afterDelete").asText()).doesNotContain("Bobby Stone");

        // the call from the contact rang bob, who heard alice, and she him
        JsonNode call = r.path("contactCall");
        assertThat(call.path("name").asText()).isEqualTo("Alice Martin");
        assertThat(call.path("dtls").asText()).isEqualTo("connected");
        assertThat(call.path("aReceived").asInt()).as("packets alice got in 2 s").isGreaterThan(60);
        assertThat(call.path("bReceived").asInt()).as("packets bob got in 2 s").isGreaterThan(60);

        // bob's call-back from his call log rang alice, and the server's history has it
        assertThat(r.path("recentEntry").asText()).contains("Alice Martin");
        assertThat(r.path("callBack").path("name").asText()).isEqualTo("Bob Stone");
        String bobApi = fixture.signIn(bob);
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(250)).untilAsserted(() -> {
            JsonNode latest = fixture.getJson(bobApi, "/api/me/calls?limit=1").path("calls").get(0);
            assertThat(latest.path("direction").asText()).isEqualTo("outgoing");
            assertThat(latest.path("to").asText()).isEqualTo("101");
            assertThat(latest.path("outcome").asText()).isEqualTo("answered");
        });
        for (String shot : List.of("phone360-signin.png", "phone360-in-call.png", "phone360-contacts.png",
                "phone360-recent.png", "phone360-settings.png")) {
            assertThat(WebphoneFixture.SHOTS.resolve(shot)).as("screenshot %s", shot).isNotEmptyFile();
        }
    }

    /** The deviceId the browser lists for the audio output `label`. */
    private static String outputId(JsonNode outputs, String label) {
        for (JsonNode o : outputs) {
            if (o.path("label").asText().equals(label)) {
                return o.path("deviceId").asText();
            }
        }
        throw new AssertionError("no audio output '" + label + "' in " + outputs);
    }

    private static JsonNode only(JsonNode contacts) {
        assertThat(contacts.size()).as("contacts on the server: %s", contacts).isEqualTo(1);
        return contacts.get(0);
    }
}
