package dev.parley.pbx.security;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.sipstack.flow.Transport;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class BansTest {
    private final MutableClock clock = MutableClock.at("2026-01-01T00:00:00Z");
    private final SecurityLogCapture log = new SecurityLogCapture();
    private final Bans bans = new Bans(BanPolicy.defaults(), clock);

    @AfterEach
    void detach() {
        log.close();
    }

    private static InetSocketAddress src(String ip) {
        return new InetSocketAddress(ip, 5060);
    }

    private boolean fail(String ip) {
        return bans.recordFailure(SecurityLog.Failure.AUTH_FAILURE, src(ip), Transport.UDP, "101", "REGISTER");
    }

    private static InetAddress ip(String text) throws Exception {
        return InetAddress.getByName(text);
    }

    @Test
    void fifthFailureInTheWindowBansTheSourceAndOthersAreUnaffected() throws Exception {
        for (int i = 1; i <= 4; i++) {
            assertThat(fail("192.0.2.1")).as("failure %d", i).isFalse();
            assertThat(bans.isBanned(ip("192.0.2.1"))).isFalse();
            clock.advance(Duration.ofSeconds(5));
        }
        assertThat(fail("192.0.2.1")).isTrue();
        assertThat(bans.isBanned(ip("192.0.2.1"))).isTrue();
        assertThat(bans.isBanned(ip("192.0.2.2"))).isFalse();
        assertThat(fail("192.0.2.2")).isFalse();
    }

    @Test
    void everyFailureAndTheBanAreOneParseableLine() {
        for (int i = 0; i < 5; i++) {
            fail("192.0.2.1");
        }
        assertThat(log.events("auth_failure")).hasSize(5).allSatisfy(m -> assertThat(m).containsExactly(
                Map.entry("event", "auth_failure"), Map.entry("src", "192.0.2.1"), Map.entry("port", "5060"),
                Map.entry("transport", "UDP"), Map.entry("user", "101"), Map.entry("method", "REGISTER")));
        assertThat(log.lines()).contains("event=auth_failure src=192.0.2.1 port=5060 transport=UDP user=\"101\""
                + " method=REGISTER");
        assertThat(log.events("ban")).singleElement().satisfies(m -> {
            assertThat(m.get("src")).isEqualTo("192.0.2.1");
            assertThat(Instant.parse(m.get("until"))).isEqualTo(Instant.parse("2026-01-01T00:15:00Z"));
            assertThat(m.get("failures")).isEqualTo("5");
        });
        assertThat(log.parsed()).hasSize(6);
    }

    @Test
    void windowSlides() throws Exception {
        for (int i = 0; i < 4; i++) {
            fail("192.0.2.1");
        }
        clock.advance(Duration.ofSeconds(61));
        assertThat(fail("192.0.2.1")).isFalse();
        for (int i = 0; i < 3; i++) {
            assertThat(fail("192.0.2.1")).isFalse();
        }
        assertThat(fail("192.0.2.1")).isTrue();
        assertThat(bans.isBanned(ip("192.0.2.1"))).isTrue();
    }

    @Test
    void banEndsAfterItsDurationWithOneUnbanLine() throws Exception {
        for (int i = 0; i < 5; i++) {
            fail("192.0.2.1");
        }
        clock.advance(Duration.ofMinutes(15).minusSeconds(1));
        assertThat(bans.isBanned(ip("192.0.2.1"))).isTrue();
        clock.advance(Duration.ofSeconds(1));
        assertThat(bans.isBanned(ip("192.0.2.1"))).isFalse();
        assertThat(log.events("unban")).singleElement().isEqualTo(Map.of("event", "unban", "src", "192.0.2.1"));
        assertThat(bans.trackedSources()).isZero();
        // a fresh count afterwards
        assertThat(fail("192.0.2.1")).isFalse();
    }

    @Test
    void sweepLiftsExpiredBansAndForgetsQuietSources() {
        for (int i = 0; i < 5; i++) {
            fail("192.0.2.1");
        }
        fail("192.0.2.9");
        clock.advance(Duration.ofMinutes(16));
        bans.sweep();
        assertThat(log.events("unban")).extracting(m -> m.get("src")).containsExactly("192.0.2.1");
        assertThat(bans.trackedSources()).isZero();
    }

    @Test
    void loopbackIsBannedByDefaultAndExemptOnlyWhenConfigured() throws Exception {
        for (int i = 0; i < 5; i++) {
            fail("127.0.0.1");
        }
        assertThat(bans.isBanned(ip("127.0.0.1"))).isTrue();

        Bans lenient = new Bans(BanPolicy.defaults().withExempt(AddressBlock.parse("127.0.0.0/8")), clock);
        for (int i = 0; i < 10; i++) {
            assertThat(lenient.recordFailure(SecurityLog.Failure.AUTH_FAILURE, src("127.0.0.2"), Transport.TCP, "101",
                    "REGISTER")).isFalse();
        }
        assertThat(lenient.isBanned(ip("127.0.0.2"))).isFalse();
    }

    @Test
    void ipv6SourcesAreBannedPerSlash64() throws Exception {
        for (int i = 1; i <= 5; i++) {
            fail("2001:db8:0:1::" + i);
        }
        assertThat(bans.isBanned(ip("2001:db8:0:1::ffff"))).isTrue();
        assertThat(bans.isBanned(ip("2001:db8:0:2::1"))).isFalse();
        assertThat(log.events("ban")).singleElement()
                .satisfies(m -> assertThat(m.get("src")).isEqualTo("2001:db8:0:1:0:0:0:0/64"));
    }

    @Test
    void crafterUsernameCannotForgeALineOrAField() {
        bans.recordFailure(SecurityLog.Failure.AUTH_FAILURE, src("192.0.2.1"), Transport.UDP,
                "x\" src=10.0.0.1\nevent=unban", "REGISTER");
        assertThat(log.lines()).singleElement().asString().doesNotContain("\n");
        Map<String, String> m = log.parsed().getFirst();
        assertThat(m.get("src")).isEqualTo("192.0.2.1");
        assertThat(m.get("event")).isEqualTo("auth_failure");
        assertThat(m.get("user")).startsWith("x\" src=10.0.0.1");
    }

    @Test
    void memoryIsBoundedAndBannedSourcesAreKept() throws Exception {
        Bans small = new Bans(BanPolicy.defaults().withMaxTrackedSources(3), clock);
        for (int i = 0; i < 5; i++) {
            small.recordFailure(SecurityLog.Failure.AUTH_FAILURE, src("192.0.2.1"), Transport.UDP, null, null);
        }
        for (int i = 2; i < 50; i++) {
            small.recordFailure(SecurityLog.Failure.UNIDENTIFIED_REQUEST, src("192.0.2." + i), Transport.UDP, null,
                    "INVITE");
        }
        assertThat(small.trackedSources()).isLessThanOrEqualTo(3);
        assertThat(small.isBanned(ip("192.0.2.1"))).isTrue();
        assertThat(log.events("unidentified_request")).first().satisfies(m -> {
            assertThat(m).doesNotContainKey("user");
            assertThat(m.get("method")).isEqualTo("INVITE");
        });
    }

    @Test
    void addressBlocks() throws Exception {
        AddressBlock loopback = AddressBlock.parse("127.0.0.0/8");
        assertThat(loopback.contains(ip("127.255.0.1"))).isTrue();
        assertThat(loopback.contains(ip("128.0.0.1"))).isFalse();
        assertThat(loopback.contains(ip("::1"))).isFalse();
        assertThat(AddressBlock.parse("2001:db8::/32").contains(ip("2001:db8:ffff::1"))).isTrue();
        assertThat(AddressBlock.parse("192.0.2.7").contains(ip("192.0.2.7"))).isTrue();
        assertThat(AddressBlock.parse("10.1.2.3/12").toString()).isEqualTo("10.0.0.0/12");
    }
}
