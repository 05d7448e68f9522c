package dev.parley.pbx.presence;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.pbx.call.CallView;
import dev.parley.pbx.cdr.CallDirection;
import dev.parley.pbx.cdr.CallOutcome;
import dev.parley.pbx.cdr.CallRecord;
import dev.parley.pbx.directory.Extension;
import dev.parley.pbx.directory.UserId;
import dev.parley.pbx.media.CallSecurity;
import dev.parley.pbx.media.LegSecurity;
import dev.parley.sipstack.flow.Transport;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class PresenceBookTest {
    private static final UserId ALICE = new UserId("u-alice");
    private static final UserId BOB = new UserId("u-bob");
    private static final UserId CAROL = new UserId("u-carol");
    private static final Instant T0 = Instant.parse("2026-12-06T05:00:00Z");
    private static final List<Extension> EXTENSIONS = List.of(new Extension("101", ALICE), new Extension("102", BOB),
            new Extension("103", CAROL), new Extension("201", BOB));
    private static final Map<UserId, String> NAMES = Map.of(ALICE, "Alice", BOB, "Bob", CAROL, "");

    private PresenceBook book;

    @BeforeEach
    void setUp() {
        book = new PresenceBook();
        book.refresh(snapshot(Set.of(ALICE, BOB), Set.of()));
    }

    private static PresenceBook.Snapshot snapshot(Set<UserId> registered, Set<UserId> dnd) {
        return new PresenceBook.Snapshot(EXTENSIONS, NAMES, registered, dnd);
    }

    private static CallView call(String id, boolean answered) {
        return new CallView(id, "cid-" + id, "101", "102", answered ? "bob-desk" : null, T0,
                answered ? T0.plusSeconds(3) : null, new CallSecurity(LegSecurity.plain(Transport.UDP), null),
                "alice-desk", ALICE, BOB);
    }

    private static Map<String, Presence> presence(PresenceBook b) {
        return b.directory().stream().collect(java.util.stream.Collectors.toMap(DirectoryEntry::extension,
                DirectoryEntry::presence));
    }

    @Test
    void registeredIsOnlineUnregisteredOfflineAndDndWins() {
        assertThat(presence(book)).containsExactlyInAnyOrderEntriesOf(Map.of("101", Presence.ONLINE, "102",
                Presence.ONLINE, "103", Presence.OFFLINE, "201", Presence.ONLINE));
        List<PresenceBook.Delivery> changes = book.refresh(snapshot(Set.of(ALICE, BOB, CAROL), Set.of(BOB)));
        assertThat(changes).extracting(PresenceBook.Delivery::event).containsExactly(
                new PbxEvent.PresenceChanged("102", Presence.DND), new PbxEvent.PresenceChanged("103", Presence.ONLINE),
                new PbxEvent.PresenceChanged("201", Presence.DND));
        assertThat(changes).allMatch(d -> d.to() == null);
        assertThat(book.refresh(snapshot(Set.of(ALICE, BOB, CAROL), Set.of(BOB)))).as("nothing changed").isEmpty();
        assertThat(book.directory()).extracting(DirectoryEntry::displayName).containsExactly("Alice", "Bob", "",
                "Bob");
    }

    @Test
    void ringingTellsCallerAndCalleeAndMakesOnlyTheCallerBusy() {
        List<PresenceBook.Delivery> out = book.ringing(call("c1", false));
        assertThat(out).contains(
                new PresenceBook.Delivery(ALICE, new PbxEvent.Call("c1", "ringing", CallDirection.OUTGOING, "101",
                        "Alice", "102", "Bob", null)),
                new PresenceBook.Delivery(BOB, new PbxEvent.Call("c1", "ringing", CallDirection.INCOMING, "101",
                        "Alice", "102", "Bob", null)),
                new PresenceBook.Delivery(null, new PbxEvent.PresenceChanged("101", Presence.BUSY)));
        assertThat(presence(book)).containsEntry("102", Presence.ONLINE);
    }

    @Test
    void answeredMakesTheCalleeBusyOnEveryExtensionAndTheEndFreesBoth() {
        book.ringing(call("c1", false));
        List<PresenceBook.Delivery> answered = book.answered(call("c1", true));
        assertThat(answered).extracting(PresenceBook.Delivery::event).contains(
                new PbxEvent.PresenceChanged("102", Presence.BUSY), new PbxEvent.PresenceChanged("201", Presence.BUSY));
        CallRecord cdr = new CallRecord("c1", "cid-c1", "101", "102", "bob-desk", T0, T0.plusSeconds(3),
                T0.plusSeconds(20), 200, "answered-caller-hangup");
        List<PresenceBook.Delivery> ended = book.ended(call("c1", true), cdr);
        assertThat(ended).extracting(PresenceBook.Delivery::event).contains(
                new PbxEvent.Call("c1", "ended", CallDirection.INCOMING, "101", "Alice", "102", "Bob",
                        CallOutcome.ANSWERED),
                new PbxEvent.PresenceChanged("101", Presence.ONLINE), new PbxEvent.PresenceChanged("102", Presence.ONLINE),
                new PbxEvent.PresenceChanged("201", Presence.ONLINE));
        assertThat(book.liveCalls()).isZero();
    }

    @Test
    void holdAndResumeTellBothPartiesWhoHoldsAndChangeNoPresence() {
        book.ringing(call("c1", false));
        book.answered(call("c1", true));
        CallView c = call("c1", true);
        CallView held = new CallView(c.id(), c.callId(), c.caller(), c.callee(), c.answeredBy(), c.startedAt(),
                c.answeredAt(), c.security(), c.callerDevice(), c.callerUser(), c.calleeUser(), CallView.Hold.CALLEE);
        assertThat(book.holdChanged(held)).extracting(PresenceBook.Delivery::event).containsExactly(
                new PbxEvent.Call("c1", "held", CallDirection.OUTGOING, "101", "Alice", "102", "Bob", null, "callee"),
                new PbxEvent.Call("c1", "held", CallDirection.INCOMING, "101", "Alice", "102", "Bob", null, "callee"));
        assertThat(book.holdChanged(c)).extracting(PresenceBook.Delivery::event).containsExactly(
                new PbxEvent.Call("c1", "answered", CallDirection.OUTGOING, "101", "Alice", "102", "Bob", null),
                new PbxEvent.Call("c1", "answered", CallDirection.INCOMING, "101", "Alice", "102", "Bob", null));
        assertThat(presence(book)).containsEntry("101", Presence.BUSY).containsEntry("102", Presence.BUSY);
        book.ended(c, new CallRecord("c1", "cid-c1", "101", "102", "bob-desk", T0, T0.plusSeconds(3),
                T0.plusSeconds(20), 200, "answered-caller-hangup"));
        assertThat(book.holdChanged(held)).as("a hold reported after the end").isEmpty();
    }

    @Test
    void aUserWithTwoCallsStaysBusyUntilBothEnd() {
        book.ringing(call("c1", false));
        book.answered(call("c1", true));
        book.ringing(call("c2", false));
        CallRecord cdr = new CallRecord("c1", "cid-c1", "101", "102", "bob-desk", T0, T0.plusSeconds(3),
                T0.plusSeconds(20), 200, "answered-caller-hangup");
        List<PresenceBook.Delivery> firstEnded = book.ended(call("c1", true), cdr);
        assertThat(firstEnded).extracting(PresenceBook.Delivery::event)
                .as("alice still calls on c2; bob answered only c1")
                .contains(new PbxEvent.PresenceChanged("102", Presence.ONLINE))
                .doesNotContain(new PbxEvent.PresenceChanged("101", Presence.ONLINE));
        assertThat(presence(book)).containsEntry("101", Presence.BUSY).containsEntry("102", Presence.ONLINE);
        book.ended(call("c2", false), cdr);
        assertThat(presence(book)).containsEntry("101", Presence.ONLINE);
        assertThat(book.liveCalls()).isZero();
    }

    @Test
    void anAnswerWithoutRingingAndAnEndOfAnUnknownCallCountOnce() {
        book.answered(call("c1", true)); // an auto-answered call may skip ringing
        book.answered(call("c1", true)); // the same view twice must not count twice
        CallRecord cdr = new CallRecord("c9", "cid-c9", "101", "102", null, T0, null, T0.plusSeconds(1), 487,
                "cancelled");
        book.ended(call("c9", true), cdr); // never seen: changes nothing
        assertThat(presence(book)).containsEntry("101", Presence.BUSY).containsEntry("102", Presence.BUSY);
        book.ended(call("c1", true), cdr);
        assertThat(presence(book)).containsEntry("101", Presence.ONLINE).containsEntry("102", Presence.ONLINE)
                .containsEntry("201", Presence.ONLINE);
    }

    @Test
    void anUnansweredEndIsMissedForTheCalleeAndBusyForTheCallerWhenRefusedBusy() {
        book.ringing(call("c2", false));
        CallRecord busy = new CallRecord("c2", "cid-c2", "101", "102", null, T0, null, T0.plusSeconds(1), 486,
                "busy");
        assertThat(book.ended(call("c2", false), busy)).extracting(PresenceBook.Delivery::event).contains(
                new PbxEvent.Call("c2", "ended", CallDirection.OUTGOING, "101", "Alice", "102", "Bob",
                        CallOutcome.BUSY),
                new PbxEvent.Call("c2", "ended", CallDirection.INCOMING, "101", "Alice", "102", "Bob",
                        CallOutcome.MISSED));
    }

    @Test
    void aCallToOneselfIsToldOnceAndUsersWithoutANameGetNull() {
        CallView self = new CallView("c3", "cid-c3", "103", "103", null, T0, null,
                new CallSecurity(LegSecurity.plain(Transport.UDP), null), "carol-desk", CAROL, CAROL);
        List<PresenceBook.Delivery> out = book.ringing(self);
        assertThat(out.stream().filter(d -> d.event() instanceof PbxEvent.Call)).singleElement()
                .isEqualTo(new PresenceBook.Delivery(CAROL, new PbxEvent.Call("c3", "ringing",
                        CallDirection.OUTGOING, "103", null, "103", null, null)));
    }
}
