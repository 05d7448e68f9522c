package dev.parley.server.it.webphone;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.pbx.cdr.CallRecord;
import dev.parley.store.Store;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.assertj.core.groups.Tuple;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Call waiting in the browser phone, end to end with a real Parley and three users in Debian's Chromium (driven by
 * {@code src/test/browser/webphone-waiting.mjs}; microphones: alice 1000 Hz, bob 440 Hz, carol 660 Hz). Bob calls
 * alice, she answers; carol calls alice: alice's phone shows carol waiting (name, number) with the soft call waiting
 * tone, not the ringtone, while alice and bob still talk; alice answers carol and bob goes on hold (a re-INVITE
 * a=sendonly relayed by Parley: bob's browser answers recvonly, stops sending, and hears silence); alice and carol
 * hear each other's tone; Swap puts carol on hold and bob back; alice ends carol's held call, bob's goes on; carol
 * calls again and alice declines (486); carol hangs up just as alice answers (Parley's 200 crosses her CANCEL): her
 * phone still ends the call (ACK + BYE); carol calls again, alice answers and hangs her up: bob's call stays held
 * until Resume; carol calls once more and End &amp; answer ends bob's call; then
 * call waiting off (PUT /api/me/settings from the settings tab): carol's call is refused busy by Parley (no INVITE
 * reaches alice's page) and is a missed call in alice's history, which lists all four calls.
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class WebphoneWaitingIT {
    /** FFT bins of the page's analysers are 48000 / 8192 = 5.9 Hz wide. */
    private static final int BIN = 6;
    /** A Web Audio FFT level (dB) above which the page plays a tone at that frequency. */
    private static final int SOUND = -70;

    @TempDir
    Path dir;

    @AutoClose
    private WebphoneFixture fixture;

    @Test
    void aliceTakesCarolsWaitingCallHoldsBobSwapsAndWithCallWaitingOffCarolIsRefused() throws Exception {
        fixture = WebphoneFixture.startForJsSip(dir);
        WebphoneFixture.ThreeUsers users = fixture.addAliceBobCarol();

        JsonNode r = fixture.threePhones("webphone-waiting.mjs", users)
                .run(Duration.ofSeconds(240));

        // carol waits: alice sees who, carol hears ringing, alice and bob still talk
        shows(r.path("waitingCard"), "Call waiting", "Carol Diaz", "103");
        shows(r.path("cWhileWaiting"), "Ringing");
        shows(r.path("aPanelWhileWaiting"), "Bob Stone", "In call");
        talking("alice from bob while carol waits", r.path("talkWhileWaiting").path("aFromB"), 440, 100);
        talking("bob from alice while carol waits", r.path("talkWhileWaiting").path("bFromA"), 1000, 100);

        // the waiting tone: 440 Hz alone (no 480 Hz: not the ringtone), short, softer than the ringtone
        List<JsonNode> ring = sounding(r.path("ringtone"), s -> true);
        List<JsonNode> tone = sounding(r.path("waitingTone"), s -> true);
        System.out.println("ringtone samples with sound " + ring.size() + ", waiting tone " + tone.size()
                + "; ringtone " + r.path("ringtone") + "; waiting " + r.path("waitingTone"));
        assertThat(ring).as("the ringtone sounds 2 s of its first 2.5 s (samples every 100 ms)").hasSizeGreaterThan(12);
        assertThat(ring).as("the ringtone is 440 + 480 Hz").allSatisfy(s -> assertThat(s.path("db480").asInt())
                .isGreaterThan(SOUND));
        assertThat(tone).as("the waiting tone sounds (two 300 ms beeps)").hasSizeBetween(2, 10);
        // (the ringtone's 480 Hz is as loud as its 440 Hz; a beep's on/off edge spreads some energy over nearby bins)
        assertThat(tone).as("the waiting tone is 440 Hz alone").allSatisfy(s -> {
            assertThat(Math.abs(s.path("hz").asInt() - 440)).isLessThanOrEqualTo(BIN);
            assertThat(s.path("db480").asInt()).isLessThan(s.path("db440").asInt() - 10);
        });
        int ringLevel = ring.stream().mapToInt(s -> s.path("db440").asInt()).max().orElseThrow();
        int toneLevel = tone.stream().mapToInt(s -> s.path("db440").asInt()).max().orElseThrow();
        assertThat(toneLevel).as("the waiting tone is softer than the ringtone (%d dB)", ringLevel)
                .isLessThanOrEqualTo(ringLevel - 6);

        // alice answered carol: bob is held (recvonly, sends nothing, hears silence), alice and carol talk
        JsonNode withC = r.path("cAnswered");
        shows(r.path("heldCard"), "On hold", "Bob Stone");
        shows(r.path("bStateWhileHeld"), "Held by the other side");
        shows(r.path("aPanelWithC"), "Carol Diaz", "In call");
        talking("alice from carol", withC.path("aFromC"), 660, 120);
        talking("carol from alice", withC.path("cFromA"), 1000, 120);
        held("bob", withC.path("bFromA"), withC.path("aFromB"), r.path("talkWhileWaiting").path("bFromA"));
        // each call has its own padlock: both legs of both calls are encrypted; Parley's live list says bob's call is
        // held by its callee (alice's a=sendonly re-INVITE, RFC 3264 §8.4), carol's is answered
        assertThat(r.path("liveWithC")).as("alice's live calls").hasSize(2);
        assertThat(find(r.path("liveWithC"), "102").path("encrypted").asBoolean()).isTrue();
        assertThat(find(r.path("liveWithC"), "103").path("encrypted").asBoolean()).isTrue();
        assertThat(find(r.path("liveWithC"), "102").path("state").asText()).isEqualTo("held");
        assertThat(find(r.path("liveWithC"), "102").path("heldBy").asText()).isEqualTo("callee");
        assertThat(find(r.path("liveWithC"), "103").path("state").asText()).isEqualTo("answered");
        assertThat(find(r.path("liveWithC"), "103").path("heldBy").isNull()).as("heldBy of carol's call").isTrue();
        assertThat(find(r.path("bobLiveHeld"), "102").path("heldBy").asText()).as("bob's view").isEqualTo("callee");
        // the held call's card shows its own padlock, its legs named by the API's user/extension/browserPhone
        assertThat(r.path("heldPadlock").path("encrypted").asText()).as("held card's padlock").isEqualTo("true");
        assertThat(r.path("heldPadlock").path("text").asText()).isEqualTo("Encrypted on every leg");
        assertThat(r.path("heldPadlockLegs").asText()).contains("Alice Martin's browser phone (101)",
                "Bob Stone's browser phone (102)");

        // Swap: bob back, carol held
        JsonNode swapped = r.path("swapped");
        shows(r.path("heldCardAfterSwap"), "On hold", "Carol Diaz");
        // the live list follows: bob's call answered again (resumed), carol's held by alice, its callee
        assertThat(find(r.path("liveAfterSwap"), "102").path("state").asText()).isEqualTo("answered");
        assertThat(find(r.path("liveAfterSwap"), "103").path("state").asText()).isEqualTo("held");
        assertThat(find(r.path("liveAfterSwap"), "103").path("heldBy").asText()).isEqualTo("callee");
        // alice's event stream said so as it happened: bob's call held by her, carol's answered, then Swap: carol's
        // held, bob's answered again
        System.out.println("alice's call events: " + r.path("aCallEvents"));
        List<String> events = new ArrayList<>();
        r.path("aCallEvents").forEach(e -> events.add(e.path("from").asText() + " " + e.path("state").asText() + " "
                + e.path("heldBy").asText()));
        assertThat(events).containsSubsequence("102 held callee", "102 answered null")
                .containsSubsequence("103 answered null", "103 held callee");
        assertThat(events.lastIndexOf("102 answered null")).as("bob's call answered again after its hold")
                .isGreaterThan(events.lastIndexOf("102 held callee"));
        shows(r.path("bStateAfterSwap"), "In call");
        shows(r.path("cStateWhileHeld"), "Held by the other side");
        shows(r.path("aPanelAfterSwap"), "Bob Stone", "In call");
        talking("alice from bob after Swap", swapped.path("aFromB"), 440, 120);
        talking("bob from alice after Swap", swapped.path("bFromA"), 1000, 120);
        assertThat(swapped.path("bFromA").path("direction").asText()).isEqualTo("sendrecv");
        held("carol", swapped.path("cFromA"), swapped.path("aFromC"), withC.path("cFromA"));

        // alice ended carol's held call: bob's goes on
        shows(r.path("aPanelAfterEndC"), "Bob Stone", "In call");
        assertThat(r.path("aPanelAfterEndC").asText()).doesNotContain("Carol");
        talking("alice from bob after carol ended", r.path("afterEndC").path("aFromB"), 440, 60);
        talking("bob from alice after carol ended", r.path("afterEndC").path("bFromA"), 1000, 60);

        // Decline on a waiting call: carol is told busy (486), alice's call with bob goes on
        assertThat(r.path("declinedBanner").asText()).startsWith("Busy");
        shows(r.path("aPanelAfterDecline"), "Bob Stone", "In call");
        // carol hung up just as alice answered (Parley's 200 crossed her CANCEL): her phone still ended the call at
        // once (ACK + BYE), so alice is back on bob's held call instead of on a silent one until Parley's 32 s
        System.out.println("alice's call with carol ended " + r.path("crossedEndMillis") + " ms after carol hung up");
        assertThat(r.path("crossedEndMillis").asLong()).isLessThan(5000);
        shows(r.path("aPanelAfterCrossing"), "On hold", "Bob Stone", "Resume");
        // carol answered, then hung up by alice: bob's call is current again and stays held until Resume
        shows(r.path("aPanelHeldCurrent"), "On hold", "Bob Stone", "Resume");
        JsonNode heldCurrent = r.path("heldCurrent");
        assertThat(heldCurrent.path("bFromA").path("direction").asText()).isEqualTo("recvonly");
        assertThat(heldCurrent.path("bFromA").path("sent").asInt()).as("packets bob sent, held").isLessThan(10);
        assertThat(heldCurrent.path("aFromB").path("received").asInt()).as("packets alice got").isLessThan(10);
        talking("alice from bob after Resume", r.path("resumed").path("aFromB"), 440, 60);
        talking("bob from alice after Resume", r.path("resumed").path("bFromA"), 1000, 60);
        assertThat(r.path("resumed").path("bFromA").path("direction").asText()).isEqualTo("sendrecv");
        // End & answer: bob's call ended (his phone idle, checked by the driver), alice talks with carol
        shows(r.path("aPanelAfterEndAndAnswer"), "Carol Diaz", "In call");
        assertThat(r.path("aOtherCallsAfterEndAndAnswer").asInt()).isZero();
        talking("alice from carol after End & answer", r.path("endAndAnswer").path("aFromC"), 660, 60);
        talking("carol from alice after End & answer", r.path("endAndAnswer").path("cFromA"), 1000, 60);

        // call waiting off: Parley answers carol 486, alice's page gets no INVITE and plays nothing
        assertThat(r.path("offSaveStatus").asInt()).isEqualTo(200);
        assertThat(r.path("offSaved").asBoolean(true)).isFalse();
        assertThat(r.path("offBusyBanner").asText()).startsWith("Busy");
        assertThat(r.path("offWaitingCards").asInt()).isZero();
        assertThat(r.path("offNewPeerConnections").asInt()).as("peer connections alice's page made for carol")
                .isZero();
        assertThat(sounding(r.path("offPlayed"), s -> true)).as("alice's page played nothing").isEmpty();

        // alice's history, newest first: carol refused by Parley (missed), her call to bob, carol's call taken by End &
        // answer, the one alice hung up, the one carol hung up as alice answered, carol's declined call (missed),
        // carol's first call, bob's call
        String session = fixture.signIn(users.alice());
        JsonNode calls = await().atMost(Duration.ofSeconds(5)).until(
                () -> fixture.getJson(session, "/api/me/calls").path("calls"), c -> c.size() == 8);
        System.out.println("alice's history: " + calls);
        List<Tuple> rows = new ArrayList<>();
        calls.forEach(c -> rows.add(new Tuple(c.path("direction").asText(), c.path("from").asText(),
                c.path("to").asText(), c.path("outcome").asText())));
        assertThat(rows).containsExactly(
                new Tuple("incoming", "103", "101", "missed"),
                new Tuple("outgoing", "101", "102", "answered"),
                new Tuple("incoming", "103", "101", "answered"),
                new Tuple("incoming", "103", "101", "answered"),
                new Tuple("incoming", "103", "101", "answered"),
                new Tuple("incoming", "103", "101", "missed"),
                new Tuple("incoming", "103", "101", "answered"),
                new Tuple("incoming", "102", "101", "answered"));
        shows(r.path("aRecent"), "Carol Diaz", "Bob Stone", "missed");
        try (Store store = Store.open(fixture.parley().databaseUrl(), null, null)) {
            List<CallRecord> cdrs = store.callRecords().recent(10);
            System.out.println("CDRs: " + cdrs);
            assertThat(cdrs).filteredOn(c -> !c.answered()).extracting(CallRecord::caller, CallRecord::callee,
                    CallRecord::status, CallRecord::cause).containsExactly(new Tuple("103", "101", 486, "busy"),
                    new Tuple("103", "101", 486, "busy"));
        }
    }

    /**
     * The call's audio arrives (DTLS connected), more than {@code packets} each way (Opus every 20 ms: 50 a second;
     * the thresholds leave a fifth for a loaded machine), decoded with energy, and is the other side's tone.
     */
    private static void talking(String what, JsonNode m, int hertz, int packets) {
        System.out.println(what + ": " + m);
        assertThat(m.path("dtlsState").asText()).as("%s DTLS", what).isEqualTo("connected");
        assertThat(m.path("received").asInt()).as("%s: packets received", what).isGreaterThan(packets);
        assertThat(m.path("sent").asInt()).as("%s: packets sent", what).isGreaterThan(packets);
        assertThat(m.path("energy").asDouble()).as("%s: decoded energy", what).isGreaterThan(0.001);
        List<Integer> hz = new ArrayList<>();
        m.path("peaks").forEach(p -> hz.add(p.asInt()));
        long at = hz.stream().filter(h -> Math.abs(h - hertz) <= BIN).count();
        assertThat(at).as("%s: FFT peaks at %d Hz: %s", what, hertz, hz).isGreaterThanOrEqualTo(hz.size() / 2)
                .isGreaterThanOrEqualTo(10);
    }

    /**
     * {@code name} is on hold at alice's request: its browser answered Parley's a=sendonly re-INVITE with recvonly,
     * sends (next to) nothing, hears (next to) silence from alice, and alice's page gets nothing from it. Compared
     * with {@code talking}, the same measure while it talked.
     */
    private static void held(String name, JsonNode heldSide, JsonNode aliceFromHeld, JsonNode talking) {
        System.out.println(name + " held: " + heldSide + "; alice from " + name + ": " + aliceFromHeld);
        assertThat(heldSide.path("direction").asText()).as("%s's negotiated direction", name).isEqualTo("recvonly");
        assertThat(heldSide.path("sent").asInt()).as("packets %s sent while held", name).isLessThan(10);
        assertThat(aliceFromHeld.path("received").asInt()).as("packets alice got from %s", name).isLessThan(10);
        assertThat(heldSide.path("energy").asDouble()).as("%s hears silence (energy while talking %s)", name,
                talking.path("energy")).isLessThan(talking.path("energy").asDouble() / 100);
    }

    /** The samples (every 100 ms) where the page played a 440 Hz tone, of those that pass {@code filter}. */
    private static List<JsonNode> sounding(JsonNode played, Predicate<JsonNode> filter) {
        List<JsonNode> out = new ArrayList<>();
        played.forEach(s -> {
            if (s.path("db440").asInt(-200) > SOUND && filter.test(s)) {
                out.add(s);
            }
        });
        return out;
    }

    /** The page's text (a label may be upper case by CSS: innerText says so) has each part, in any case. */
    private static void shows(JsonNode text, String... parts) {
        String lower = text.asText().toLowerCase(Locale.ROOT);
        for (String part : parts) {
            assertThat(lower).as("the page shows %s", part).contains(part.toLowerCase(Locale.ROOT));
        }
    }

    /** The live call of alice's with {@code number} on its other end. */
    private static JsonNode find(JsonNode live, String number) {
        for (JsonNode c : live) {
            if (c.path("from").asText().equals(number) || c.path("to").asText().equals(number)) {
                return c;
            }
        }
        throw new AssertionError("no live call with " + number + " in " + live);
    }
}
