package dev.parley.server.it.browser;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.pbx.call.CallView;
import dev.parley.pbx.cdr.CallRecord;
import dev.parley.pbx.cdr.LegRecord;
import dev.parley.server.it.ParleyUnderTest;
import dev.parley.server.it.TestDatabase;
import dev.parley.sipstack.flow.Transport;
import dev.parley.store.Store;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two browsers call each other through Parley (audio): two Chromium instances on the test page, each registered over
 * WSS with JsSIP, carol (1000 Hz microphone) calls alice (440 Hz), who answers. Both legs are ICE-lite + DTLS-SRTP
 * with their own handshakes; Opus, which both offer first, is relayed between them without transcoding.
 *
 * <p>Asserted: each browser's {@code getStats()} shows DTLS connected, audio packets received and decoded to
 * non-silence, and a Web Audio FFT of what it plays peaks at the other's tone; the codec is Opus end to end; the
 * padlock says encrypted on both legs, live and in the CDR, each leg WSS + DTLS-SRTP.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class BrowserToBrowserIT {
    private static final Duration SIGNALLING = Duration.ofSeconds(15);
    private static final int TALK_SECONDS = 4;

    @TempDir
    Path dir;

    private ParleyUnderTest parley;
    private BrowserPhone alice;
    private BrowserPhone carol;

    @AfterEach
    void stop() {
        for (BrowserPhone b : new BrowserPhone[] {carol, alice}) {
            if (b != null) {
                b.close();
            }
        }
        if (parley != null) {
            parley.close();
        }
    }

    @Test
    void twoBrowsersTalkThroughParleyWithOpusAndDtlsSrtpOnBothLegs() throws Exception {
        Files.createDirectories(dir.resolve("parley"));
        // default Digest algorithms: over WSS Parley challenges with MD5 alone, which JsSIP 3.13 answers
        parley = ParleyUnderTest.start(dir.resolve("parley"), TestDatabase.SQLITE.settings(Map.of()));
        parley.addPhone("alice", "101", "alice-web", "alice-secret-1234");
        parley.addPhone("carol", "103", "carol-web", "carol-secret-1234");

        // alice answers and reports after TALK_SECONDS, staying in the call; carol reports a second later and hangs up
        alice = BrowserPhone.open(parley, "alice-web", "alice-secret-1234", null, TALK_SECONDS, false,
                tone(440));
        alice.awaitRegistered(SIGNALLING);
        carol = BrowserPhone.open(parley, "carol-web", "carol-secret-1234", "101", TALK_SECONDS + 1, true,
                tone(1000));

        AtomicReference<CallView> live = new AtomicReference<>();
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100)).until(() -> {
            List<CallView> calls = parley.server().liveCalls();
            if (!calls.isEmpty() && calls.getFirst().security().callee() != null
                    && calls.getFirst().security().caller().suite() != null
                    && calls.getFirst().security().callee().suite() != null) {
                live.set(calls.getFirst());
                return true;
            }
            return !carol.isAlive() || !alice.isAlive();
        });

        JsonNode aliceStats = alice.result(Duration.ofSeconds(40));
        JsonNode carolStats = carol.result(Duration.ofSeconds(40));
        BrowserPhone.assertHeard("alice", aliceStats, TALK_SECONDS, 1000);
        BrowserPhone.assertHeard("carol", carolStats, TALK_SECONDS + 1, 440);
        assertThat(aliceStats.path("inbound").path("codec").asText()).isEqualTo("audio/opus");
        assertThat(carolStats.path("inbound").path("codec").asText()).isEqualTo("audio/opus");

        assertThat(live.get()).as("a live call with DTLS connected on both legs").isNotNull();
        assertThat(live.get().security().encryptedAllLegs()).isTrue();
        CallRecord cdr;
        try (Store store = Store.open(parley.databaseUrl(), null, null)) {
            cdr = await().atMost(Duration.ofSeconds(5)).until(() -> store.callRecords().recent(10),
                    r -> !r.isEmpty()).getFirst();
        }
        System.out.println("CDR " + cdr);
        assertThat(cdr.encryptedAllLegs()).isTrue();
        for (LegRecord leg : List.of(cdr.callerLeg(), cdr.calleeLeg())) {
            assertThat(leg.signalling()).isEqualTo(Transport.WSS.name());
            assertThat(leg.media()).startsWith("DTLS-SRTP ");
            assertThat(leg.packetsReceived()).as("RTP from %s", leg).isGreaterThan(100);
            assertThat(leg.packetsSent()).as("RTP to %s", leg).isGreaterThan(100);
        }
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(parley.freeMediaPortPairs())
                .as("media port pairs free after the call").isEqualTo(parley.mediaPortPairs()));
    }

    private Path tone(int hertz) throws IOException, InterruptedException {
        return BrowserPhone.tone(dir, hertz);
    }
}
