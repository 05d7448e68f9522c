package dev.parley.server.it.webphone;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.pbx.cdr.CallRecord;
import dev.parley.server.it.webphone.WebphoneFixture.WebUser;
import dev.parley.store.Store;
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
    @TempDir
    Path dir;

    @AutoClose
    private WebphoneFixture fixture;

    @Test
    void bobTransfersAlicesCallToCarolWhoAnswersAndTalksWithAlice() throws Exception {
        // MD5 alone: JsSIP 3.13 knows nothing else and keeps one challenge header (DigestPolicy.challengeOrder)
        fixture = WebphoneFixture.start(dir, Map.of("PARLEY_PBX_DIGEST_ALGORITHMS", "MD5"));
        WebUser alice = fixture.addUser("alice", "Alice Martin", "101", "alice-long-password-1");
        WebUser bob = fixture.addUser("bob", "Bob Stone", "102", "bob-long-password-22");
        WebUser carol = fixture.addUser("carol", "Carol Diaz", "103", "carol-long-password-3");

        JsonNode r = fixture.browserDriver("webphone-transfer.mjs")
                .user("A", alice).env("A_WAV", fixture.tone(1000).toString())
                .user("B", bob).env("B_WAV", fixture.tone(440).toString()).env("B_EXTENSION", bob.extension())
                .user("C", carol).env("C_WAV", fixture.tone(660).toString()).env("C_EXTENSION", carol.extension())
                .run(Duration.ofSeconds(180));

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
        WebphoneFixture.heard("alice", talk.path("a0"), talk.path("a"), talk.path("aPeaks"), 660, 0.05);
        WebphoneFixture.heard("carol", talk.path("c0"), talk.path("c"), talk.path("cPeaks"), 1000, 0.05);

        try (Store store = Store.open(fixture.parley().databaseUrl(), null, null)) {
            List<CallRecord> cdrs = await().atMost(Duration.ofSeconds(5)).until(() -> store.callRecords()
                    .recent(10), l -> l.size() == 2);
            assertThat(cdrs).extracting(CallRecord::callee, CallRecord::cause).containsExactlyInAnyOrder(
                    org.assertj.core.groups.Tuple.tuple("102", "transferred"),
                    org.assertj.core.groups.Tuple.tuple("103", "answered-caller-hangup"));
            assertThat(cdrs).allSatisfy(c -> assertThat(c.caller()).isEqualTo("101"));
        }
    }
}
