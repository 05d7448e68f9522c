package dev.parley.store;

import static dev.parley.store.Fixtures.T0;
import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.pbx.cdr.CallDirection;
import dev.parley.pbx.cdr.CallRecord;
import dev.parley.pbx.cdr.HistoryQuery;
import dev.parley.pbx.directory.Device;
import dev.parley.pbx.directory.DeviceId;
import dev.parley.pbx.directory.Extension;
import dev.parley.pbx.directory.Role;
import dev.parley.pbx.directory.SipSecret;
import dev.parley.pbx.directory.User;
import dev.parley.pbx.directory.UserId;
import org.junit.jupiter.api.Test;

/**
 * The history follows users, not numbers (migration V12): a record that does not name its users gets them from the
 * directory as it stands when the record is written, and keeps them when an extension later changes hands.
 */
abstract class CallHistoryJdbcContract {
    protected abstract Store store();

    private static CallRecord call(String id, int second, String caller, String callee, String answeredBy) {
        return new CallRecord(id, "c-" + id, caller, callee, answeredBy, T0.plusSeconds(second),
                answeredBy == null ? null : T0.plusSeconds(second + 1), T0.plusSeconds(second + 9),
                answeredBy == null ? 480 : 200, answeredBy == null ? "no-answer" : "answered-caller-hangup");
    }

    private static java.util.List<String> ids(Repositories r, HistoryQuery q) {
        return r.callRecords().history(q).calls().stream().map(CallRecord::id).toList();
    }

    @Test
    void aBatchHoldingAnIdAlreadyStoredIsRefusedWhole() {
        Repositories r = Repositories.of(store());
        r.callRecords().save(call("1-first", 1, "101", "103", null));
        var again = java.util.List.of(call("2-new", 2, "101", "103", null), call("1-first", 3, "102", "103", null));
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> r.callRecords().saveAll(again))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("one of 2 call records is already stored");
        assertThat(r.callRecords().recent(10)).extracting(CallRecord::id).containsExactly("1-first");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> r.callRecords().save(call("1-first", 4, "1", "2", null)))
                .isInstanceOf(IllegalStateException.class).hasMessage("call record 1-first is already stored");
    }

    @Test
    void anExtensionThatChangesHandsTakesNoneOfItsOldCallsAlong() {
        Repositories r = Repositories.of(store());
        User alice = new User(new UserId("u-alice"), "alice", "", Role.USER, null);
        User bob = new User(new UserId("u-bob"), "bob", "", Role.USER, null);
        User carol = new User(new UserId("u-carol"), "carol", "", Role.USER, null);
        r.users().save(alice);
        r.users().save(bob);
        r.users().save(carol);
        r.extensions().save(new Extension("101", alice.id()));
        r.extensions().save(new Extension("103", carol.id()));
        r.devices().save(new Device(new DeviceId("d-alice"), alice.id(), "alice-desk", SipSecret.generate(), "desk"));
        r.devices().save(new Device(new DeviceId("d-carol"), carol.id(), "carol-desk", SipSecret.generate(), "desk"));
        // while 101 is Alice's: she calls Carol, Carol calls her (missed), Carol calls her desk by its name
        r.callRecords().saveAll(java.util.List.of(call("1-alice-out", 1, "101", "103", "carol-desk"),
                call("2-alice-missed", 2, "103", "101", null), call("3-alice-desk", 3, "103", "alice-desk",
                        "alice-desk")));
        CallRecord first = r.callRecords().recent(10).stream().filter(c -> c.id().equals("1-alice-out"))
                .findFirst().orElseThrow();
        assertThat(first.callerUser()).isEqualTo(alice.id());
        assertThat(first.calleeUser()).isEqualTo(carol.id());
        assertThat(first.answeredByUser()).isEqualTo(carol.id());

        // 101 goes to Bob; Alice becomes 102
        assertThat(r.extensions().delete("101")).isTrue();
        r.extensions().save(new Extension("101", bob.id()));
        r.extensions().save(new Extension("102", alice.id()));
        r.callRecords().saveAll(java.util.List.of(call("4-bob-out", 4, "101", "103", "carol-desk"),
                call("5-alice-out", 5, "102", "103", null)));

        assertThat(ids(r, HistoryQuery.of(alice.id(), 50)))
                .containsExactly("5-alice-out", "3-alice-desk", "2-alice-missed", "1-alice-out");
        assertThat(ids(r, HistoryQuery.of(bob.id(), 50))).as("101's calls before Bob had it").containsExactly(
                "4-bob-out");
        assertThat(ids(r, HistoryQuery.of(alice.id(), 50).withDirection(CallDirection.OUTGOING)))
                .containsExactly("5-alice-out", "1-alice-out");
        assertThat(ids(r, HistoryQuery.of(alice.id(), 50).withDirection(CallDirection.INCOMING)))
                .containsExactly("3-alice-desk", "2-alice-missed");
        assertThat(ids(r, HistoryQuery.of(carol.id(), 50))).hasSize(5);
    }

    @Test
    void usersTheRecordNamesWinOverTheDirectory() {
        Repositories r = Repositories.of(store());
        User alice = new User(new UserId("u-alice"), "alice", "", Role.USER, null);
        r.users().save(alice);
        r.extensions().save(new Extension("101", alice.id()));
        UserId caller = new UserId("u-browser-owner");
        r.callRecords().save(call("w", 1, "101", "555", null).withUsers(caller, null, null));
        CallRecord back = r.callRecords().recent(1).getFirst();
        assertThat(back.callerUser()).isEqualTo(caller);
        assertThat(back.calleeUser()).as("555 is nobody's").isNull();
        assertThat(ids(r, HistoryQuery.of(alice.id(), 50))).isEmpty();
    }
}
