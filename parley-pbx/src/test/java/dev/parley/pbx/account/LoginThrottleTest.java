package dev.parley.pbx.account;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.Inet4Address;
import java.net.InetAddress;
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

    /** RFC 4291 §2.5.4: the host picks the low 64 bits, so every address of a /64 spends one budget. */
    @Test
    void rfc4291_2_5_4_twoIpv6AddressesOfOneSlash64ShareOneBudget() {
        LoginThrottle defaults = new LoginThrottle(LoginThrottle.Settings.defaults(), clock);
        for (int i = 0; i < 19; i++) {
            defaults.failed("user" + i, "2001:db8:1:2::" + Integer.toHexString(i + 1));
        }
        assertThat(defaults.blocked("someone", "2001:db8:1:2::1")).isEmpty();
        defaults.failed("user19", "[2001:db8:1:2:ffff:eeee:dddd:cccc]"); // the 20th, bracketed as ctx.ip() gives it
        assertThat(defaults.blocked("someone", "2001:db8:1:2::1")).contains(Duration.ofMinutes(15));
        assertThat(defaults.blocked("someone", "[2001:DB8:1:2:0:0:0:7%eth0]")).as("any spelling of the /64")
                .contains(Duration.ofMinutes(15));
        assertThat(defaults.blockedSource("2001:db8:1:2:8000::")).contains(Duration.ofMinutes(15));
        assertThat(defaults.blocked("someone", "2001:db8:1:3::1")).as("the next /64").isEmpty();
        assertThat(defaults.blockedSource("[2001:db8:1:1:ffff:ffff:ffff:ffff]")).as("the /64 before").isEmpty();
    }

    @Test
    void anIpv6SourceIsKeyedByItsSlash64AndAnIpv4SourceByItsHost() {
        assertThat(LoginThrottle.sourceKey("2001:db8:1:2:aaaa:bbbb:cccc:dddd")).isEqualTo("2001:db8:1:2:0:0:0:0");
        assertThat(LoginThrottle.sourceKey("[2001:db8:1:2::9]")).isEqualTo("2001:db8:1:2:0:0:0:0");
        assertThat(LoginThrottle.sourceKey("fe80::1%eth0")).isEqualTo("fe80:0:0:0:0:0:0:0");
        assertThat(LoginThrottle.sourceKey("192.0.2.7")).isEqualTo("192.0.2.7");
        assertThat(LoginThrottle.sourceKey("0.0.0.0")).isEqualTo("0.0.0.0");
        assertThat(LoginThrottle.sourceKey("255.255.255.255")).isEqualTo("255.255.255.255");
    }

    @Test
    void ipv4SourcesAreStillCountedPerHost() {
        for (int i = 0; i < 4; i++) {
            throttle.failed("user" + i, "192.0.2.7");
        }
        throttle.failedFromSource("192.0.2.8");
        assertThat(throttle.blockedSource("192.0.2.7")).as("the neighbour's failure is not ours").isEmpty();
        throttle.failed("user4", "192.0.2.7");
        assertThat(throttle.blockedSource("192.0.2.7")).contains(Duration.ofMinutes(7));
        assertThat(throttle.blockedSource("192.0.2.8")).isEmpty();
        assertThat(throttle.blockedSource("192.0.2.6")).isEmpty();
    }

    @Test
    void anIpv4MappedSourceIsCountedAsItsIpv4Host() throws Exception {
        assertThat(InetAddress.getByName("::ffff:192.0.2.7")).as("the JDK maps it to IPv4")
                .isInstanceOf(Inet4Address.class);
        assertThat(LoginThrottle.sourceKey("::ffff:192.0.2.7")).isEqualTo("192.0.2.7");
        assertThat(LoginThrottle.sourceKey("[::ffff:192.0.2.7]")).isEqualTo("192.0.2.7");
        for (int i = 0; i < 4; i++) {
            throttle.failedFromSource("[::ffff:192.0.2.7]");
        }
        throttle.failedFromSource("192.0.2.7");
        assertThat(throttle.blockedSource("::ffff:192.0.2.7")).contains(Duration.ofMinutes(7));
        assertThat(throttle.blockedSource("192.0.2.7")).contains(Duration.ofMinutes(7));
        assertThat(throttle.blockedSource("::ffff:192.0.2.8")).isEmpty();
    }

    /** Anything that is not a canonical IP literal is its own key (a host name is never resolved). */
    @Test
    void aSourceThatIsNotAnIpLiteralIsCountedAsItself() {
        for (String notLiteral : new String[] {"localhost", "phone.example.com", "1.2.3", "1.2.3.4.5", "256.1.1.1",
                "010.0.0.1", "1.2.3.4.", "[]", "[::1", ".:1", "g::1", "2001:db8::1::2", "12345::1", "", "s"}) {
            assertThat(LoginThrottle.sourceKey(notLiteral)).as(notLiteral).isEqualTo(notLiteral);
        }
        assertThat(LoginThrottle.sourceKey(null)).isNull();
        for (int i = 0; i < 4; i++) {
            throttle.failedFromSource("proxy.example.com");
        }
        assertThat(throttle.blockedSource("proxy.example.com")).isEmpty();
        throttle.failedFromSource("proxy.example.com");
        assertThat(throttle.blockedSource("proxy.example.com")).contains(Duration.ofMinutes(7));
        assertThat(throttle.blockedSource("proxy.example.org")).isEmpty();
    }
}
