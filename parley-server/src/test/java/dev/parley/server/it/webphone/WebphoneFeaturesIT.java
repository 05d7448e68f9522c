package dev.parley.server.it.webphone;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.pbx.registrar.Binding;
import dev.parley.server.it.webphone.WebphoneFixture.NodeDriver;
import dev.parley.server.it.webphone.WebphoneFixture.WebUser;
import dev.parley.store.Store;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AutoClose;
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
@Timeout(value = 240, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class WebphoneFeaturesIT {
    private static final Path SHOTS = WebphoneFixture.SHOTS;
    private static final Pattern ALICE_AOR = Pattern.compile("(^|:)101(@|$)");

    @TempDir
    Path dir;

    @AutoClose
    private WebphoneFixture fixture;

    @Test
    void oneTabRegistersPadlockPresenceSettingsAndContactsWithPictures() throws Exception {
        // JsSIP 3.13 answers only an MD5 Digest challenge
        fixture = WebphoneFixture.start(dir, Map.of("PARLEY_PBX_DIGEST_ALGORITHMS", "MD5"));
        WebUser alice = fixture.addUser("alice", "Alice Martin", "101", "alice-long-password-1");
        WebUser bob = fixture.addUser("bob", "Bob Stone", "102", "bob-long-password-22");
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

        NodeDriver driver = fixture.browserDriver("webphone-features.mjs").user("A", alice).user("B", bob)
                .env("B_EXTENSION", bob.extension()).env("PICTURE", picture.toString())
                .env("BIG_PICTURE", big.toString()).start();
        List<String> bindingLog = new ArrayList<>();
        for (String line = driver.readLine(); line != null; line = driver.readLine()) {
            if (line.startsWith("CHECK ")) {
                // the driver asks how many live bindings alice's extension has: the store, not the phone, says
                List<String> contacts = aliceBindings();
                bindingLog.add(contacts.toString());
                driver.send(Integer.toString(contacts.size()));
            }
        }
        JsonNode r = driver.finish(Duration.ofSeconds(30));
        System.out.println("alice's bindings at each check: " + bindingLog);

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
        // a call that ended while the idle tab's event stream was down (the stream has no replay): that tab reads its
        // call log again once the stream is back
        assertThat(r.path("recentRowsStreamStillDown").asInt()).as("rows while the stream was down")
                .isEqualTo(r.path("recentRowsStreamDown").asInt());
        assertThat(r.path("recentRowsStreamBack").asInt()).isEqualTo(r.path("recentRowsStreamDown").asInt() + 1);

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
        try (Store store = Store.open(fixture.parley().databaseUrl(), null, null)) {
            for (Binding b : store.bindings().findAll()) {
                if (ALICE_AOR.matcher(b.aor()).find() && !b.isExpired(now)) {
                    contacts.add(b.contact().toString());
                }
            }
        }
        return contacts;
    }
}
