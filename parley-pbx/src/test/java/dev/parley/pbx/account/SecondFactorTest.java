package dev.parley.pbx.account;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.pbx.account.memory.InMemoryTotpRepository;
import dev.parley.pbx.directory.Role;
import dev.parley.pbx.directory.User;
import dev.parley.pbx.directory.UserId;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import org.junit.jupiter.api.Test;

class SecondFactorTest {
    private final InMemoryTotpRepository repository = new InMemoryTotpRepository();
    private Instant now = Instant.parse("2026-12-06T05:00:10Z");
    private final InstantSource clock = () -> now;
    private final User admin = new User(new UserId("a"), "admin", "", Role.ADMIN, null);
    private final User user = new User(new UserId("u"), "ulla", "", Role.USER, null);
    private final SecondFactor factor = new SecondFactor(repository, clock, true, "Parley");

    private String codeNow(String secret) {
        return Totp.code(Totp.fromBase32(secret), Totp.step(now));
    }

    @Test
    void enrollmentNeedsACodeOfTheNewSecretAndGivesTenRecoveryCodes() {
        assertThat(factor.mustEnroll(admin)).isTrue();
        assertThat(factor.mustEnroll(user)).as("only admins are made to").isFalse();
        SecondFactor.Enrollment e = factor.begin(admin).orElseThrow();
        assertThat(e.otpauthUri()).startsWith("otpauth://totp/Parley:admin?secret=" + e.secret());
        assertThat(e.toString()).doesNotContain(e.secret());
        assertThat(factor.enabled(admin.id())).isFalse();
        assertThat(factor.confirm(admin, "000000".equals(codeNow(e.secret())) ? "111111" : "000000")).isEmpty();
        List<String> codes = factor.confirm(admin, codeNow(e.secret())).orElseThrow();
        assertThat(codes).hasSize(10).doesNotHaveDuplicates()
                .allMatch(c -> c.matches("[A-Z2-7]{4}-[A-Z2-7]{4}-[A-Z2-7]{4}-[A-Z2-7]{4}"));
        assertThat(factor.enabled(admin.id())).isTrue();
        assertThat(factor.mustEnroll(admin)).isFalse();
        assertThat(factor.begin(admin)).as("no second enrollment over a live one").isEmpty();
    }

    @Test
    void aCodeWorksOnceEvenWithinItsWindowAndRecoveryCodesOnceEach() {
        String secret = factor.begin(user).orElseThrow().secret();
        List<String> codes = factor.confirm(user, codeNow(secret)).orElseThrow();
        assertThat(factor.check(user.id(), codeNow(secret))).as("the confirming code is used up").isFalse();
        now = now.plus(Duration.ofSeconds(30));
        String next = codeNow(secret);
        assertThat(factor.check(user.id(), next)).isTrue();
        assertThat(factor.check(user.id(), next)).as("replay within the window").isFalse();
        assertThat(factor.check(user.id(), codes.get(3).toLowerCase().replace("-", " "))).isTrue();
        assertThat(factor.check(user.id(), codes.get(3))).isFalse();
        assertThat(repository.recoveryCodesLeft(user.id())).isEqualTo(9);
        assertThat(factor.check(user.id(), "not a code")).isFalse();
    }

    @Test
    void disablingNeedsAValidCode() {
        String secret = factor.begin(user).orElseThrow().secret();
        factor.confirm(user, codeNow(secret)).orElseThrow();
        now = now.plus(Duration.ofSeconds(30));
        assertThat(factor.disable(user, "12345")).isFalse();
        assertThat(factor.disable(user, codeNow(secret))).isTrue();
        assertThat(factor.enabled(user.id())).isFalse();
        assertThat(repository.find(user.id())).isEmpty();
    }
}
