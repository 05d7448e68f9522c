package dev.parley.store;

import static dev.parley.store.Fixtures.T0;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.parley.pbx.cdr.CallRecord;
import dev.parley.pbx.cdr.CallRecordRepository;
import dev.parley.pbx.cdr.LegRecord;
import dev.parley.pbx.cdr.CallDirection;
import dev.parley.pbx.cdr.CallOutcome;
import dev.parley.pbx.cdr.HistoryCursor;
import dev.parley.pbx.cdr.HistoryPage;
import dev.parley.pbx.cdr.HistoryQuery;
import dev.parley.pbx.directory.UserId;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What every {@link CallRecordRepository} does. */
abstract class CallRecordRepositoryContract {
    private CallRecordRepository records;

    protected abstract Repositories repositories();

    @BeforeEach
    void setUp() {
        records = repositories().callRecords();
    }

    private static CallRecord answered(String id, Instant endedAt) {
        return new CallRecord(id, "call-" + id + "@10.0.0.5", "101", "+4930123456", "bob-desk", T0,
                T0.plusMillis(4_321), endedAt, 200, "answered-caller-hangup");
    }

    private static CallRecord missed(String id, Instant endedAt) {
        return new CallRecord(id, "call-" + id, "anonymous", "102", null, T0, null, endedAt, 487, "cancelled");
    }

    @Test
    void theUsersReadBackEqual() {
        CallRecord named = answered("n", T0.plusSeconds(60)).withUsers(new UserId("u-a"), new UserId("u-b"),
                new UserId("u-c"));
        records.save(named);
        assertThat(records.recent(1)).containsExactly(named);
    }

    @Test
    void everyFieldReadsBackEqualIncludingNulls() {
        CallRecord a = answered("a", T0.plusSeconds(60));
        CallRecord m = missed("m", T0.plusSeconds(10));
        records.save(a);
        records.save(m);
        assertThat(records.recent(10)).containsExactly(a, m);
        CallRecord back = records.recent(10).get(1);
        assertThat(back.answeredAt()).isNull();
        assertThat(back.answeredBy()).isNull();
        assertThat(back.answered()).isFalse();
    }

    @Test
    void legsAndThePadlockReadBackEqual() {
        CallRecord secure = new CallRecord("s", "call-s", "101", "102", "bob-desk", T0, T0.plusSeconds(2),
                T0.plusSeconds(20), 200, "answered-caller-hangup",
                new LegRecord("TLS", "SRTP AES_CM_128_HMAC_SHA1_80", 900, 901),
                new LegRecord("TLS", "SRTP AEAD_AES_128_GCM", 901, 900), true);
        CallRecord mixed = new CallRecord("m", "call-m", "101", "102", "sipp", T0, T0.plusSeconds(2),
                T0.plusSeconds(30), 200, "media-timeout", new LegRecord("TLS", "SRTP AES_CM_128_HMAC_SHA1_80", 0,
                        5_000_000_000L), new LegRecord("UDP", "RTP", 0, 0), false);
        CallRecord ringing = new CallRecord("r", "call-r", "101", "102", null, T0, null, T0.plusSeconds(40), 487,
                "cancelled", new LegRecord("UDP", "RTP", 0, 0), null, false);
        records.save(secure);
        records.save(mixed);
        records.save(ringing);
        assertThat(records.recent(3)).containsExactly(ringing, mixed, secure);
        assertThat(records.recent(3).get(2).encryptedAllLegs()).isTrue();
        assertThat(records.recent(3).get(0).calleeLeg()).isNull();
    }

    @Test
    void recentIsNewestEndFirstWhateverTheOrderOfSaving() {
        CallRecord first = answered("1", T0.plusSeconds(30));
        CallRecord second = missed("2", T0.plusSeconds(90));
        CallRecord third = answered("3", T0.plusSeconds(60));
        records.save(first);
        records.save(second);
        records.save(third);
        assertThat(records.recent(3)).containsExactly(second, third, first);
        assertThat(records.recent(2)).containsExactly(second, third);
        assertThat(records.recent(0)).isEmpty();
    }

    @Test
    void negativeLimitIsRefused() {
        assertThatThrownBy(() -> records.recent(-1)).isInstanceOf(IllegalArgumentException.class);
    }

    // ---- history (GET /api/me/calls, /api/calls) ----

    /**
     * Alice is 101 with devices alice-desk and alice-soft; Bob is 102 with bob-desk; Carol is 103 with carol-desk.
     * The records name them by user id, as the PBX writes them (no directory rows here for the store to read).
     */
    private static final UserId ALICE = new UserId("u-alice");
    private static final UserId BOB = new UserId("u-bob");
    private static final UserId CAROL = new UserId("u-carol");
    private static final Map<String, UserId> OWNERS = Map.of("101", ALICE, "alice-desk", ALICE, "alice-soft", ALICE,
            "102", BOB, "bob-desk", BOB, "103", CAROL, "carol-desk", CAROL);

    private static CallRecord call(String id, int startSecond, String caller, String callee, String answeredBy,
            String cause) {
        Instant start = T0.plusSeconds(startSecond);
        return new CallRecord(id, "c-" + id, caller, callee, answeredBy, start,
                answeredBy == null ? null : start.plusSeconds(2), start.plusSeconds(30),
                answeredBy == null ? 487 : 200, cause).withUsers(OWNERS.get(caller), OWNERS.get(callee),
                answeredBy == null ? null : OWNERS.get(answeredBy));
    }

    /** One of each kind, for Alice: the expected direction and outcome are in the id. */
    private List<CallRecord> aliceDay() {
        List<CallRecord> all = List.of(
                call("a01-out-answered", 1, "101", "102", "bob-desk", "answered-caller-hangup"),
                call("a02-in-answered", 2, "102", "101", "alice-desk", "answered-callee-hangup"),
                call("a03-in-missed-busy", 3, "102", "101", null, "busy"),
                call("a04-out-busy", 4, "101", "102", null, "busy"),
                call("a05-out-missed", 5, "101", "102", null, "cancelled"),
                call("a06-out-failed", 6, "alice-soft", "999", null, "not-found"),
                call("a07-in-missed", 7, "103", "101", null, "no-answer"),
                call("a08-bob-only", 8, "102", "103", "carol-desk", "answered-caller-hangup"),
                call("a09-out-missed-noanswer", 9, "101", "103", null, "no-answer"),
                call("a10-in-missed-unavailable", 10, "102", "101", null, "unavailable"),
                call("a11-out-failed-media", 11, "alice-desk", "102", null, "failed"),
                call("a12-out-busy-dnd", 12, "101", "102", null, "do-not-disturb"));
        records.saveAll(all);
        return all;
    }

    private static List<String> ids(HistoryPage page) {
        return page.calls().stream().map(CallRecord::id).toList();
    }

    @Test
    void historyHoldsTheUsersCallsNewestStartFirst() {
        aliceDay();
        HistoryPage page = records.history(HistoryQuery.of(ALICE, 50));
        assertThat(ids(page)).containsExactly("a12-out-busy-dnd", "a11-out-failed-media", "a10-in-missed-unavailable",
                "a09-out-missed-noanswer", "a07-in-missed", "a06-out-failed", "a05-out-missed", "a04-out-busy",
                "a03-in-missed-busy", "a02-in-answered", "a01-out-answered");
        assertThat(page.next()).isNull();
        assertThat(records.history(HistoryQuery.of(CAROL, 50)).calls()).extracting(CallRecord::id)
                .containsExactly("a09-out-missed-noanswer", "a08-bob-only", "a07-in-missed");
        assertThat(records.history(HistoryQuery.of(new UserId("u-nobody"), 50)).calls()).isEmpty();
        assertThat(records.history(HistoryQuery.everyone(50)).calls()).hasSize(12);
    }

    @Test
    void directionAndOutcomeFiltersFollowTheRuleInCallOutcome() {
        aliceDay();
        HistoryQuery mine = HistoryQuery.of(ALICE, 50);
        assertThat(ids(records.history(mine.withDirection(CallDirection.INCOMING)))).allMatch(i -> i.contains("-in-"))
                .hasSize(4);
        assertThat(ids(records.history(mine.withDirection(CallDirection.OUTGOING))))
                .allMatch(i -> i.contains("-out-")).hasSize(7);
        for (CallOutcome o : CallOutcome.values()) {
            String word = o.wireName();
            assertThat(ids(records.history(mine.withOutcome(o)))).as(word).isNotEmpty()
                    .allMatch(i -> i.split("-")[2].equals(word));
        }
        assertThat(ids(records.history(mine.withDirection(CallDirection.INCOMING).withOutcome(CallOutcome.MISSED))))
                .containsExactly("a10-in-missed-unavailable", "a07-in-missed", "a03-in-missed-busy");
        // everyone's view: no direction, outcome as the caller saw it
        assertThat(ids(records.history(HistoryQuery.everyone(50).withOutcome(CallOutcome.BUSY))))
                .containsExactly("a12-out-busy-dnd", "a04-out-busy", "a03-in-missed-busy");
    }

    @Test
    void timeRangeIsFromInclusiveToExclusiveOnTheStart() {
        aliceDay();
        HistoryPage page = records.history(HistoryQuery.of(ALICE, 50).between(T0.plusSeconds(4), T0.plusSeconds(7)));
        assertThat(ids(page)).containsExactly("a06-out-failed", "a05-out-missed", "a04-out-busy");
    }

    @Test
    void pagesWalkEveryCallOnceEvenWithCallsSavedBetweenPages() {
        List<CallRecord> all = aliceDay();
        HistoryQuery q = HistoryQuery.everyone(3);
        List<String> seen = new ArrayList<>();
        HistoryPage page = records.history(q);
        int pages = 1;
        seen.addAll(ids(page));
        records.save(call("z-newer", 100, "101", "102", null, "cancelled")); // lands before the first page
        // same start as a page's last call: the id orders it, and the cursor keeps it out of or in the rest exactly
        records.save(call("a00-same-start-as-a07", 7, "101", "102", null, "cancelled"));
        while (page.next() != null) {
            page = records.history(q.before(page.next()));
            pages++;
            seen.addAll(ids(page));
        }
        assertThat(seen).doesNotHaveDuplicates().doesNotContain("z-newer")
                .containsAll(all.stream().map(CallRecord::id).toList());
        assertThat(pages).isEqualTo(5);
        assertThat(page.calls()).isNotEmpty();
    }

    @Test
    void aCursorPointsAtTheLastCallOfItsPageAndSurvivesItsToken() {
        aliceDay();
        HistoryPage first = records.history(HistoryQuery.of(ALICE, 2));
        assertThat(first.next()).isEqualTo(new HistoryCursor(T0.plusSeconds(11), "a11-out-failed-media"));
        HistoryCursor back = HistoryCursor.parse(first.next().token()).orElseThrow();
        assertThat(ids(records.history(HistoryQuery.of(ALICE, 2).before(back))))
                .containsExactly("a10-in-missed-unavailable", "a09-out-missed-noanswer");
    }

    @Test
    void theStoreAnswersWhatTheReferenceRuleAnswers() {
        List<CallRecord> all = aliceDay();
        for (UserId user : List.of(ALICE, BOB, CAROL)) {
            for (CallDirection d : new CallDirection[] {null, CallDirection.INCOMING, CallDirection.OUTGOING}) {
                for (CallOutcome o : new CallOutcome[] {null, CallOutcome.ANSWERED, CallOutcome.MISSED,
                        CallOutcome.BUSY, CallOutcome.FAILED}) {
                    HistoryQuery q = new HistoryQuery(user, d, o, null, null, null, 200);
                    List<CallRecord> expected = all.stream().filter(q::matches).sorted(HistoryQuery.ORDER).toList();
                    assertThat(records.history(q).calls()).as(q.toString()).containsExactlyElementsOf(expected);
                }
            }
        }
    }
}
