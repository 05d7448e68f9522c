package dev.parley.store;

import static dev.parley.store.Fixtures.T0;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.parley.pbx.account.AccountFlowRepository.Pending;
import dev.parley.pbx.account.AccountFlowRepository.Purpose;
import dev.parley.pbx.account.ClosedAccountCalls;
import dev.parley.pbx.cdr.CallRecord;
import dev.parley.pbx.directory.Device;
import dev.parley.pbx.directory.DeviceId;
import dev.parley.pbx.directory.Extension;
import dev.parley.pbx.directory.Role;
import dev.parley.pbx.directory.SipSecret;
import dev.parley.pbx.directory.User;
import dev.parley.pbx.directory.UserId;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What the JDBC account stores do beyond the port contracts: CDRs on closure, encryption, foreign keys. */
abstract class AccountJdbcContract {
    protected abstract Store store();

    @Test
    void closingAnAccountKeepsItsCallRecordsWithoutItsNameNumbersOrDevices() {
        AccountRepositories r = AccountRepositories.of(store());
        User alice = new User(new UserId("u-alice"), "alice", "", Role.USER, null);
        User bob = new User(new UserId("u-bob"), "bob", "", Role.USER, null);
        r.users().save(alice);
        r.users().save(bob);
        r.extensions().save(new Extension("101", alice.id()));
        r.extensions().save(new Extension("102", bob.id()));
        r.devices().save(new Device(new DeviceId("d1"), alice.id(), "alice-desk", SipSecret.generate(), "desk"));
        r.callRecords().save(new CallRecord("c1", "call-1", "101", "102", "bob-desk", T0, T0, T0.plusSeconds(5),
                200, "answered-caller-hangup"));
        r.callRecords().save(new CallRecord("c2", "call-2", "102", "101", "alice-desk", T0.plusSeconds(10),
                T0.plusSeconds(11), T0.plusSeconds(20), 200, "answered-callee-hangup"));
        // named by her user id alone (a number she no longer has; V12), and a call that does not name her
        r.callRecords().save(new CallRecord("c3", "call-3", "102", "777", null, T0.plusSeconds(30), null,
                T0.plusSeconds(40), 480, "no-answer").withUsers(bob.id(), alice.id(), null));
        r.callRecords().save(new CallRecord("c4", "call-4", "102", "555", null, T0.plusSeconds(50), null,
                T0.plusSeconds(60), 480, "no-answer").withUsers(bob.id(), null, null));
        assertThat(r.accountFlows().closeAccount(alice.id(), ClosedAccountCalls.ANONYMIZE, "closed-account")).isTrue();
        List<CallRecord> kept = r.callRecords().recent(10);
        assertThat(kept).extracting(CallRecord::id).containsExactlyInAnyOrder("c1", "c2", "c3", "c4");
        assertThat(kept).filteredOn(c -> c.id().equals("c3")).singleElement().satisfies(c -> {
            assertThat(c.callee()).as("not her number").isEqualTo("777");
            assertThat(c.calleeUser()).isNull();
            assertThat(c.callerUser()).isEqualTo(bob.id());
        });
        assertThat(kept).filteredOn(c -> c.id().equals("c4")).singleElement().satisfies(c -> {
            assertThat(c.caller()).isEqualTo("102");
            assertThat(c.callee()).isEqualTo("555");
            assertThat(c.callerUser()).isEqualTo(bob.id());
        });
        assertThat(kept).filteredOn(c -> c.id().equals("c1")).singleElement().satisfies(c -> {
            assertThat(c.caller()).isEqualTo("closed-account");
            assertThat(c.callee()).isEqualTo("102");
            assertThat(c.answeredBy()).isEqualTo("bob-desk");
        });
        assertThat(kept).filteredOn(c -> c.id().equals("c2")).singleElement().satisfies(c -> {
            assertThat(c.caller()).isEqualTo("102");
            assertThat(c.callee()).isEqualTo("closed-account");
            assertThat(c.answeredBy()).isEqualTo("closed-account");
        });
        // the users the store read from the directory when it wrote them (V12): hers cleared, bob's kept
        assertThat(kept).allSatisfy(c -> assertThat(java.util.Arrays.asList(c.callerUser(), c.calleeUser(),
                c.answeredByUser())).doesNotContain(alice.id()).contains(bob.id()));
    }

    @Test
    void closingAnAccountUnderTheDeletePolicyDeletesEveryCallRecordThatNamesItAndNoOther() {
        AccountRepositories r = AccountRepositories.of(store());
        User alice = new User(new UserId("u-alice"), "alice", "", Role.USER, null);
        User bob = new User(new UserId("u-bob"), "bob", "", Role.USER, null);
        User carol = new User(new UserId("u-carol"), "carol", "", Role.USER, null);
        r.users().save(alice);
        r.users().save(bob);
        r.users().save(carol);
        r.extensions().save(new Extension("101", alice.id()));
        r.extensions().save(new Extension("102", bob.id()));
        r.extensions().save(new Extension("103", carol.id()));
        r.devices().save(new Device(new DeviceId("d1"), alice.id(), "alice-desk", SipSecret.generate(), "desk"));
        // alice as caller (by number), as callee (by number) and only as the answering device (a call to bob
        // picked up on alice's desk phone); bob calling carol does not name her
        r.callRecords().save(new CallRecord("c1", "call-1", "101", "102", "bob-desk", T0, T0, T0.plusSeconds(5),
                200, "answered-caller-hangup"));
        r.callRecords().save(new CallRecord("c2", "call-2", "102", "101", null, T0.plusSeconds(10), null,
                T0.plusSeconds(20), 480, "no-answer"));
        r.callRecords().save(new CallRecord("c3", "call-3", "103", "102", "alice-desk", T0.plusSeconds(30),
                T0.plusSeconds(31), T0.plusSeconds(40), 200, "answered-callee-hangup"));
        r.callRecords().save(new CallRecord("c4", "call-4", "102", "103", "carol-desk", T0.plusSeconds(50),
                T0.plusSeconds(51), T0.plusSeconds(60), 200, "answered-caller-hangup"));
        // alice named by her user id alone (a number she no longer has; V12)
        r.callRecords().save(new CallRecord("c5", "call-5", "102", "777", null, T0.plusSeconds(70), null,
                T0.plusSeconds(80), 480, "no-answer").withUsers(bob.id(), alice.id(), null));
        assertThat(r.accountFlows().closeAccount(alice.id(), ClosedAccountCalls.DELETE, "closed-account")).isTrue();
        List<CallRecord> kept = r.callRecords().recent(10);
        assertThat(kept).extracting(CallRecord::id).containsExactly("c4");
        assertThat(kept.get(0).caller()).as("untouched").isEqualTo("102");
        assertThat(r.users().findAll()).extracting(User::name).containsExactlyInAnyOrder("bob", "carol");
    }

    @Test
    void theTotpSecretIsStoredEncryptedUnderItsUsersContext() {
        AccountRepositories r = AccountRepositories.of(store());
        User alice = new User(new UserId("u-alice"), "alice", "", Role.USER, null);
        r.users().save(alice);
        r.totp().begin(alice.id(), "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP");
        String stored = store().jdbi().withHandle(h -> h.createQuery("SELECT secret_ciphertext FROM totp")
                .mapTo(String.class).one());
        assertThat(stored).doesNotContain("JBSWY3DPEHPK3PXP");
        User bob = new User(new UserId("u-bob"), "bob", "", Role.USER, null);
        r.users().save(bob);
        store().jdbi().useHandle(h -> h.createUpdate("INSERT INTO totp (user_id, secret_ciphertext, confirmed)"
                + " VALUES ('u-bob', :c, 0)").bind("c", stored).execute());
        assertThatThrownBy(() -> r.totp().find(bob.id())).as("a copied row does not decrypt")
                .isInstanceOf(RuntimeException.class);
    }

    @Test
    void tokensAndSecretsNeedAnExistingUserAndGoWithIt() {
        AccountRepositories r = AccountRepositories.of(store());
        UserId ghost = new UserId("nobody");
        assertThatThrownBy(() -> r.accountFlows().insert(new Pending("h", Purpose.PASSWORD_RESET, ghost, null, null,
                null, null, T0, T0.plusSeconds(60)))).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> r.totp().begin(ghost, "AAAA")).isInstanceOf(IllegalStateException.class);
        User alice = new User(new UserId("u-alice"), "alice", "", Role.USER, null);
        r.users().save(alice);
        r.accountFlows().insert(new Pending("h", Purpose.PASSWORD_RESET, alice.id(), null, null, null, null, T0,
                T0.plusSeconds(60)));
        r.totp().begin(alice.id(), "AAAA");
        r.totp().confirm(alice.id(), 1, List.of("c1"));
        r.users().delete(alice.id());
        assertThat(r.accountFlows().find("h", T0)).isEmpty();
        assertThat(r.totp().find(alice.id())).isEmpty();
        assertThat(r.totp().recoveryCodesLeft(alice.id())).isZero();
    }
}
