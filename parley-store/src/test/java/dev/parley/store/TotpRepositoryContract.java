package dev.parley.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.pbx.account.TotpRepository;
import dev.parley.pbx.directory.Role;
import dev.parley.pbx.directory.User;
import dev.parley.pbx.directory.UserId;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What every {@link TotpRepository} does: in memory, on SQLite, on PostgreSQL. */
abstract class TotpRepositoryContract {
    protected AccountRepositories r;
    protected TotpRepository totp;
    protected User alice;

    protected abstract AccountRepositories repositories();

    @BeforeEach
    void setUp() {
        r = repositories();
        totp = r.totp();
        alice = new User(new UserId("u-alice"), "alice", "", Role.ADMIN, null);
        r.users().save(alice);
    }

    @Test
    void anEnrollmentIsPendingUntilConfirmedAndCanBeRestartedUntilThen() {
        assertThat(totp.find(alice.id())).isEmpty();
        assertThat(totp.begin(alice.id(), "AAAA")).isTrue();
        assertThat(totp.find(alice.id())).contains(new TotpRepository.Stored(alice.id(), "AAAA", false,
                Long.MIN_VALUE));
        assertThat(totp.advance(alice.id(), 5)).as("not while pending").isFalse();
        assertThat(totp.begin(alice.id(), "BBBB")).isTrue();
        assertThat(totp.confirm(alice.id(), 100, List.of("h1", "h2"))).isTrue();
        assertThat(totp.find(alice.id())).contains(new TotpRepository.Stored(alice.id(), "BBBB", true, 100));
        assertThat(totp.begin(alice.id(), "CCCC")).as("not over a confirmed one").isFalse();
        assertThat(totp.confirm(alice.id(), 101, List.of())).isFalse();
        assertThat(totp.find(alice.id()).orElseThrow().secret()).isEqualTo("BBBB");
        assertThat(totp.find(alice.id()).orElseThrow().toString()).doesNotContain("BBBB");
    }

    @Test
    void theStepOnlyMovesForward() {
        totp.begin(alice.id(), "AAAA");
        totp.confirm(alice.id(), 100, List.of());
        assertThat(totp.advance(alice.id(), 100)).isFalse();
        assertThat(totp.advance(alice.id(), 99)).isFalse();
        assertThat(totp.advance(alice.id(), 101)).isTrue();
        assertThat(totp.advance(alice.id(), 101)).isFalse();
        assertThat(totp.find(alice.id()).orElseThrow().lastStep()).isEqualTo(101);
    }

    @Test
    void recoveryCodesWorkOnceAndAreReplacedByTheNextEnrollment() {
        totp.begin(alice.id(), "AAAA");
        totp.confirm(alice.id(), 1, List.of("h1", "h2", "h3"));
        assertThat(totp.recoveryCodesLeft(alice.id())).isEqualTo(3);
        assertThat(totp.useRecoveryCode(alice.id(), "h2")).isTrue();
        assertThat(totp.useRecoveryCode(alice.id(), "h2")).isFalse();
        assertThat(totp.useRecoveryCode(alice.id(), "H1")).isFalse();
        assertThat(totp.recoveryCodesLeft(alice.id())).isEqualTo(2);
        assertThat(totp.delete(alice.id())).isTrue();
        assertThat(totp.delete(alice.id())).isFalse();
        assertThat(totp.recoveryCodesLeft(alice.id())).isZero();
        totp.begin(alice.id(), "BBBB");
        totp.confirm(alice.id(), 2, List.of("h9"));
        assertThat(totp.useRecoveryCode(alice.id(), "h1")).isFalse();
        assertThat(totp.useRecoveryCode(alice.id(), "h9")).isTrue();
    }
}
