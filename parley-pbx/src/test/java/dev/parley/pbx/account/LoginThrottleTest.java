package dev.parley.pbx.account;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import org.junit.jupiter.api.Test;

class LoginThrottleTest {
    private Instant now = Instant.parse("2026-01-01T00:00:00Z");
    private final InstantSource clock = () -> now;
    private final LoginThrottle throttle = new LoginThrottle(new LoginThrottle.Settings(
            new LoginThrottle.Limit(3, Duration.ofMinutes(10), Duration.ofMinutes(5)),
            new LoginThrottle.Limit(5, Duration.ofMinutes(10), Duration.ofMinutes(7)), 100), clock);

    @Test
    void anAccountIsRefusedAfterItsLimitUntilTheLockoutPassed() {
        for (int i = 0; i < 2; i++) {
            throttle.failed("Alice", "10.0.0.1");
            assertThat(throttle.blocked("alice", "10.0.0.2")).isEmpty();
        }
        throttle.failed("ALICE ", "10.0.0.3");
        assertThat(throttle.blocked("alice", "10.0.0.9")).contains(Duration.ofMinutes(5));
        assertThat(throttle.blocked("bob", "10.0.0.9")).isEmpty();
        now = now.plus(Duration.ofMinutes(5)).minusMillis(1);
        assertThat(throttle.blocked("alice", "10.0.0.9")).contains(Duration.ofMillis(1));
        now = now.plusMillis(1);
        assertThat(throttle.blocked("alice", "10.0.0.9")).isEmpty();
    }

    @Test
    void wrongApiTokensAndFailedSignInsShareTheSourceBudget() {
        for (int i = 0; i < 3; i++) {
            throttle.failedFromSource("192.0.2.7");
        }
        throttle.failed("alice", "192.0.2.7");
        assertThat(throttle.blockedSource("192.0.2.7")).isEmpty();
        throttle.failedFromSource("192.0.2.7");
        assertThat(throttle.blockedSource("192.0.2.7")).contains(Duration.ofMinutes(7));
        assertThat(throttle.blocked("bob", "192.0.2.7")).contains(Duration.ofMinutes(7));
        assertThat(throttle.blockedSource("192.0.2.8")).isEmpty();
        assertThat(throttle.blocked("alice", "192.0.2.8")).as("no account was counted by the token failures")
                .isEmpty();
    }

    @Test
    void aSourceIsRefusedAfterItsLimitWhateverNamesItTries() {
        for (int i = 0; i < 5; i++) {
            throttle.failed("user" + i, "192.0.2.7");
        }
        assertThat(throttle.blocked("someone-else", "192.0.2.7")).contains(Duration.ofMinutes(7));
        assertThat(throttle.blocked("someone-else", "192.0.2.8")).isEmpty();
    }

    @Test
    void failuresOutsideTheWindowDoNotAddUp() {
        throttle.failed("alice", "a");
        throttle.failed("alice", "b");
        now = now.plus(Duration.ofMinutes(10));
        throttle.failed("alice", "c");
        assertThat(throttle.blocked("alice", "d")).isEmpty();
    }

    @Test
    void successClearsTheAccountButNotTheSource() {
        throttle.failed("alice", "s");
        throttle.failed("alice", "s");
        throttle.succeeded("alice");
        throttle.failed("alice", "s");
        throttle.failed("alice", "s");
        assertThat(throttle.blocked("alice", "t")).isEmpty();
        throttle.failed("alice", "s"); // the source's fifth
        assertThat(throttle.blocked("bob", "s")).isPresent();
    }
}
