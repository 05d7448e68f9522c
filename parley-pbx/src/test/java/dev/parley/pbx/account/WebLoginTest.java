package dev.parley.pbx.account;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.pbx.directory.Role;
import dev.parley.pbx.directory.User;
import dev.parley.pbx.directory.UserId;
import dev.parley.pbx.directory.memory.InMemoryUserRepository;
import dev.parley.pbx.directory.memory.InMemoryWebPasswordRepository;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import org.junit.jupiter.api.Test;

class WebLoginTest {
    private final InMemoryUserRepository users = new InMemoryUserRepository();
    private final InMemoryWebPasswordRepository passwords = new InMemoryWebPasswordRepository();
    private final User alice = new User(new UserId("a"), "alice", "Alice", Role.ADMIN, "alice@example.org");
    private final WebLogin login;

    WebLoginTest() {
        users.save(alice);
        passwords.set(alice.id(), PasswordHashing.argon2id("vault-lantern-orbit".toCharArray()));
        users.save(new User(new UserId("n"), "nopass", ""));
        LoginThrottle throttle = new LoginThrottle(new LoginThrottle.Settings(
                new LoginThrottle.Limit(3, Duration.ofMinutes(15), Duration.ofMinutes(15)),
                new LoginThrottle.Limit(100, Duration.ofMinutes(15), Duration.ofMinutes(15)), 100),
                InstantSource.fixed(Instant.EPOCH));
        login = new WebLogin(users, passwords, new HashingGate(2, Duration.ofSeconds(5)), throttle);
    }

    @Test
    void rightPasswordSignsInByNameOrEmail() {
        assertThat(login.signIn("alice", "vault-lantern-orbit".toCharArray(), "s"))
                .isEqualTo(new WebLogin.SignedIn(alice));
        assertThat(login.signIn("Alice@Example.org", "vault-lantern-orbit".toCharArray(), "s"))
                .isEqualTo(new WebLogin.SignedIn(alice));
    }

    @Test
    void unknownUserUserWithoutPasswordAndWrongPasswordAreAllRefusedAlike() {
        assertThat(login.signIn("alice", "vault-lantern-orbiT".toCharArray(), "s")).isEqualTo(new WebLogin.Refused());
        assertThat(login.signIn("nobody", "vault-lantern-orbit".toCharArray(), "s"))
                .isEqualTo(new WebLogin.Refused());
        assertThat(login.signIn("nopass", "".toCharArray(), "s")).isEqualTo(new WebLogin.Refused());
    }

    @Test
    void afterTheLimitBothKnownAndUnknownNamesAreThrottledEvenWithTheRightPassword() {
        for (int i = 0; i < 3; i++) {
            login.signIn("alice", "wrong-password-x".toCharArray(), "s");
            login.signIn("ghost", "wrong-password-x".toCharArray(), "s");
        }
        assertThat(login.signIn("alice", "vault-lantern-orbit".toCharArray(), "s"))
                .isInstanceOf(WebLogin.Throttled.class);
        assertThat(login.signIn("ghost", "vault-lantern-orbit".toCharArray(), "s"))
                .isInstanceOf(WebLogin.Throttled.class);
    }

    @Test
    void aHashWithOlderParametersIsReplacedOnSuccessfulLogin() {
        String old = "$argon2id$v=19$m=4096,t=1,p=1$" + java.util.Base64.getEncoder().withoutPadding()
                .encodeToString(new byte[16]) + "$" + java.util.Base64.getEncoder().withoutPadding().encodeToString(
                PasswordHashing.raw("vault-lantern-orbit".getBytes(), new byte[16], null, null, 4096, 1, 1, 32));
        passwords.set(alice.id(), old);
        assertThat(login.signIn("alice", "vault-lantern-orbit".toCharArray(), "s"))
                .isInstanceOf(WebLogin.SignedIn.class);
        String now = passwords.find(alice.id()).orElseThrow();
        assertThat(now).startsWith("$argon2id$v=19$m=19456,t=2,p=1$");
        assertThat(PasswordHashing.verify(now, "vault-lantern-orbit".toCharArray())).isTrue();
    }

    @Test
    void anUnreadableStoredHashRefuses() {
        passwords.set(alice.id(), "$2b$10$abcdefghijklmnopqrstuv");
        assertThat(login.signIn("alice", "vault-lantern-orbit".toCharArray(), "s")).isEqualTo(new WebLogin.Refused());
    }

    @Test
    void changingThePasswordNeedsTheCurrentOneAndAPasswordThePolicyAccepts() {
        assertThat(login.changePassword(alice, "wrong-current-pw".toCharArray(), "cobalt-river-sphinx".toCharArray(),
                "s")).isEqualTo(new WebLogin.WrongCurrent());
        assertThat(login.changePassword(alice, "vault-lantern-orbit".toCharArray(), "password2024".toCharArray(),
                "s")).isInstanceOf(WebLogin.Rejected.class);
        assertThat(login.changePassword(alice, "vault-lantern-orbit".toCharArray(), "cobalt-river-sphinx".toCharArray(),
                "s")).isEqualTo(new WebLogin.Changed());
        assertThat(login.signIn("alice", "vault-lantern-orbit".toCharArray(), "s")).isEqualTo(new WebLogin.Refused());
        assertThat(login.signIn("alice", "cobalt-river-sphinx".toCharArray(), "s"))
                .isEqualTo(new WebLogin.SignedIn(alice));
    }

    @Test
    void aUserWithTotpNeedsAFreshCodeAfterTheRightPassword() {
        var repository = new dev.parley.pbx.account.memory.InMemoryTotpRepository();
        Instant now = Instant.parse("2026-12-06T05:00:10Z");
        SecondFactor factor = new SecondFactor(repository, InstantSource.fixed(now), false, "Parley");
        String secret = factor.begin(alice).orElseThrow().secret();
        byte[] key = Totp.fromBase32(secret);
        factor.confirm(alice, Totp.code(key, Totp.step(now))).orElseThrow();
        WebLogin withTotp = new WebLogin(users, passwords, new HashingGate(2, Duration.ofSeconds(5)),
                new LoginThrottle(LoginThrottle.Settings.defaults(), InstantSource.fixed(now)), factor);
        char[] pw = "vault-lantern-orbit".toCharArray();
        assertThat(withTotp.signIn("alice", pw, null, "s")).isEqualTo(new WebLogin.SecondFactorRequired(false));
        assertThat(withTotp.signIn("alice", "wrong-password-123".toCharArray(), "123456", "s"))
                .as("a wrong password says nothing of the factor").isEqualTo(new WebLogin.Refused());
        assertThat(withTotp.signIn("alice", pw, Totp.code(key, Totp.step(now)), "s"))
                .as("the enrollment's code is used").isEqualTo(new WebLogin.SecondFactorRequired(true));
        String next = Totp.code(key, Totp.step(now) + 1);
        assertThat(withTotp.signIn("alice", pw, next, "s")).isEqualTo(new WebLogin.SignedIn(alice));
        assertThat(withTotp.signIn("alice", pw, next, "s")).isEqualTo(new WebLogin.SecondFactorRequired(true));
    }
}
