package dev.parley.web;

import dev.parley.sipstack.transport.TestCerts;
import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.pbx.account.LoginThrottle;
import dev.parley.pbx.account.PasswordHashing;
import dev.parley.pbx.directory.User;
import dev.parley.pbx.directory.UserId;
import dev.parley.pbx.directory.memory.InMemoryExtensionRepository;
import dev.parley.pbx.directory.memory.InMemoryUserRepository;
import dev.parley.pbx.directory.memory.InMemoryWebPasswordRepository;
import java.net.InetAddress;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The per-source throttle and idle expiry over real HTTPS, each on a server of its own. */
@Timeout(60)
class ApiLimitsIT {
    private final InMemoryUserRepository users = new InMemoryUserRepository();
    private final InMemoryWebPasswordRepository passwords = new InMemoryWebPasswordRepository();
    private WebServer web;

    private ApiClient start(WebAccounts accounts) {
        User erin = new User(UserId.random(), "erin", "Erin");
        users.save(erin);
        passwords.set(erin.id(), PasswordHashing.argon2id("erin-long-password".toCharArray()));
        web = new WebServer(WebConfig.of(InetAddress.getLoopbackAddress(), 0, TestCerts.get().keyManagers()), null,
                "127.0.0.1", accounts);
        web.start();
        return new ApiClient(web);
    }

    @AfterEach
    void stop() {
        if (web != null) {
            web.close();
        }
    }

    @Test
    void oneAddressTryingManyNamesIsThrottledForAllOfThem() throws Exception {
        ApiClient api = start(WebAccounts.of(users, new InMemoryExtensionRepository(), passwords).withThrottle(
                new LoginThrottle.Settings(new LoginThrottle.Limit(100, Duration.ofMinutes(15), Duration.ofMinutes(15)),
                        new LoginThrottle.Limit(4, Duration.ofMinutes(15), Duration.ofMinutes(15)), 100)));
        for (int i = 0; i < 4; i++) {
            assertThat(api.login("username", "guess" + i, "some-password-x").statusCode()).isEqualTo(401);
        }
        HttpResponse<String> r = api.login("username", "erin", "erin-long-password");
        assertThat(r.statusCode()).isEqualTo(429);
        assertThat(r.headers().firstValue("Retry-After")).isPresent();
    }

    @Test
    void aSessionIdleLongerThanTheTimeoutIsGone() throws Exception {
        ApiClient api = start(WebAccounts.of(users, new InMemoryExtensionRepository(), passwords)
                .withSessionIdleTimeout(Duration.ofMillis(700)));
        ApiClient.Signed s = api.signIn("erin", "erin-long-password");
        assertThat(api.send(api.request("/api/me").header("Cookie", s.header())).statusCode()).isEqualTo(200);
        Thread.sleep(1200);
        assertThat(api.send(api.request("/api/me").header("Cookie", s.header())).statusCode()).isEqualTo(401);
        assertThat(web.sessionCount()).isZero();
    }
}
