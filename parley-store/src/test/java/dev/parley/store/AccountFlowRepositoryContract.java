package dev.parley.store;

import static dev.parley.store.Fixtures.T0;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.parley.pbx.account.AccountFlowRepository;
import dev.parley.pbx.account.AccountFlowRepository.Pending;
import dev.parley.pbx.account.AccountFlowRepository.Purpose;
import dev.parley.pbx.account.ApiTokenRepository;
import dev.parley.pbx.account.ClosedAccountCalls;
import dev.parley.pbx.account.PasswordHashing;
import dev.parley.pbx.account.WebSessionRepository;
import dev.parley.pbx.directory.Device;
import dev.parley.pbx.directory.DeviceId;
import dev.parley.pbx.directory.Extension;
import dev.parley.pbx.directory.Role;
import dev.parley.pbx.directory.SipSecret;
import dev.parley.pbx.directory.User;
import dev.parley.pbx.directory.UserId;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** What every {@link AccountFlowRepository} does: in memory, on SQLite, on PostgreSQL. */
abstract class AccountFlowRepositoryContract {
    private static final String PHC = "$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHRzYWx0c2FsdA$aGFzaGhhc2hoYXNoaGFzaGhhc2hoYXNoaGFzaGhhc2g";
    private static final Instant LATER = T0.plus(Duration.ofHours(1));
    protected AccountRepositories r;
    protected AccountFlowRepository flows;
    protected User alice;

    protected abstract AccountRepositories repositories();

    @BeforeEach
    void setUp() {
        r = repositories();
        flows = r.accountFlows();
        alice = new User(new UserId("u-alice"), "alice", "Alice", Role.USER, "alice@example.org");
        r.users().save(alice);
        r.webPasswords().set(alice.id(), PHC);
    }

    private static Pending signup(String hash, String name, String email) {
        return new Pending(hash, Purpose.SIGNUP, null, name, "Bob B", email, PHC, T0, LATER);
    }

    private Pending of(String hash, Purpose purpose, String email) {
        return new Pending(hash, purpose, alice.id(), null, null, email, null, T0, LATER);
    }

    @Test
    void aTokenIsFoundByItsHashUntilItExpires() {
        Pending p = signup("h1", "bob", "bob@example.org");
        flows.insert(p);
        assertThat(flows.find("h1", T0)).contains(p);
        assertThat(flows.find("H1", T0)).isEmpty();
        assertThat(flows.find("h1", LATER)).as("expired at its instant").isEmpty();
        assertThatThrownBy(() -> flows.insert(signup("h1", "carol", "c@example.org")))
                .isInstanceOf(IllegalStateException.class);
        assertThat(flows.deleteExpired(LATER)).isEqualTo(1);
        assertThat(flows.find("h1", T0)).isEmpty();
    }

    @Test
    void completingASignupCreatesTheUserWithItsPasswordOnce() {
        flows.insert(signup("h1", "bob", "bob@example.org"));
        User bob = flows.completeSignup("h1", new UserId("u-bob"), T0.plusSeconds(1)).orElseThrow();
        assertThat(bob).isEqualTo(new User(new UserId("u-bob"), "bob", "Bob B", Role.USER, "bob@example.org"));
        assertThat(r.users().findByName("bob")).contains(bob);
        assertThat(r.webPasswords().find(bob.id())).contains(PHC);
        assertThat(flows.completeSignup("h1", new UserId("u-bob2"), T0.plusSeconds(2))).as("single use").isEmpty();
        assertThat(r.users().findById(new UserId("u-bob2"))).isEmpty();
    }

    @Test
    void aSignupWhoseNameOrAddressWasTakenMeanwhileCreatesNothingAndIsUsedUp() {
        flows.insert(signup("h1", "alice", "new@example.org"));
        flows.insert(signup("h2", "bob", "ALICE@example.org".toLowerCase()));
        assertThat(flows.completeSignup("h1", new UserId("x1"), T0)).isEmpty();
        assertThat(flows.completeSignup("h2", new UserId("x2"), T0)).isEmpty();
        assertThat(flows.find("h1", T0)).isEmpty();
        assertThat(r.users().findAll()).containsExactly(alice);
    }

    @Test
    void aTokenCompletesOnlyItsOwnPurposeAndNotAfterExpiry() {
        flows.insert(of("reset", Purpose.PASSWORD_RESET, null));
        assertThat(flows.completeSignup("reset", new UserId("x"), T0)).isEmpty();
        assertThat(flows.completeEmailChange("reset", T0)).isEmpty();
        assertThat(flows.find("reset", T0)).as("a wrong purpose does not use it up").isPresent();
        assertThat(flows.completePasswordReset("reset", PHC, LATER)).isEmpty();
        assertThat(flows.find("reset", T0)).as("an expired token is gone once tried").isEmpty();
    }

    @Test
    void aResetSetsThePasswordAndEndsSessionsTokensAndOtherResets() {
        r.webSessions().insert(new WebSessionRepository.Stored("s1", alice.id(), "csrf", T0, T0));
        r.apiTokens().insert(new ApiTokenRepository.Stored("t1", "th1", alice.id(), "n", T0, null, null));
        flows.insert(of("r1", Purpose.PASSWORD_RESET, null));
        flows.insert(of("r2", Purpose.PASSWORD_RESET, null));
        flows.insert(of("e1", Purpose.EMAIL_CHANGE, "new@example.org"));
        String next = PasswordHashing.argon2id("a-new-long-password".toCharArray());
        assertThat(flows.completePasswordReset("r1", next, T0)).contains(alice.id());
        assertThat(r.webPasswords().find(alice.id())).contains(next);
        assertThat(r.webSessions().findByUser(alice.id())).isEmpty();
        assertThat(r.apiTokens().findByUser(alice.id())).isEmpty();
        assertThat(flows.find("r2", T0)).isEmpty();
        assertThat(flows.find("e1", T0)).as("other purposes stay").isPresent();
        assertThatThrownBy(() -> flows.completePasswordReset("e1", "not a hash", T0))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void anEmailChangeSetsTheNewAddressUnlessSomeoneTookIt() {
        flows.insert(of("e1", Purpose.EMAIL_CHANGE, "new@example.org"));
        assertThat(flows.completeEmailChange("e1", T0)).contains(alice.withEmail("new@example.org"));
        assertThat(r.users().findByEmail("new@example.org")).contains(alice.withEmail("new@example.org"));
        r.users().save(new User(new UserId("u-bob"), "bob", "", Role.USER, "bob@example.org"));
        flows.insert(of("e2", Purpose.EMAIL_CHANGE, "bob@example.org"));
        assertThat(flows.completeEmailChange("e2", T0)).isEmpty();
        assertThat(r.users().findById(alice.id()).orElseThrow().email()).isEqualTo("new@example.org");
    }

    @Test
    void signupIsOffUntilTurnedOn() {
        assertThat(flows.signupEnabled()).isFalse();
        flows.setSignupEnabled(true);
        assertThat(flows.signupEnabled()).isTrue();
        flows.setSignupEnabled(false);
        assertThat(flows.signupEnabled()).isFalse();
    }

    @ParameterizedTest
    @EnumSource(ClosedAccountCalls.class)
    void closingAnAccountRemovesTheUserAndEverythingOfTheirs(ClosedAccountCalls calls) {
        r.extensions().save(new Extension("101", alice.id()));
        r.devices().save(new Device(new DeviceId("d1"), alice.id(), "alice-desk", SipSecret.generate(), "desk"));
        r.webSessions().insert(new WebSessionRepository.Stored("s1", alice.id(), "csrf", T0, T0));
        r.apiTokens().insert(new ApiTokenRepository.Stored("t1", "th1", alice.id(), "n", T0, null, null));
        r.totp().begin(alice.id(), "JBSWY3DPEHPK3PXP");
        flows.insert(of("r1", Purpose.PASSWORD_RESET, null));
        User bob = new User(new UserId("u-bob"), "bob", "", Role.USER, null);
        r.users().save(bob);
        r.extensions().save(new Extension("102", bob.id()));
        assertThat(flows.closeAccount(alice.id(), calls, "closed-account")).isTrue();
        assertThat(r.users().findAll()).containsExactly(bob);
        assertThat(r.extensions().findAll()).containsExactly(new Extension("102", bob.id()));
        assertThat(r.devices().findAll()).isEmpty();
        assertThat(r.webSessions().findByUser(alice.id())).isEmpty();
        assertThat(r.apiTokens().findByUser(alice.id())).isEmpty();
        assertThat(r.totp().find(alice.id())).isEmpty();
        assertThat(flows.find("r1", T0)).isEmpty();
        assertThat(flows.closeAccount(alice.id(), calls, "closed-account")).isFalse();
    }
}
