package dev.parley.web;

import dev.parley.sipstack.transport.TestCerts;
import static dev.parley.web.ApiClient.assertSecurityHeaders;
import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.pbx.account.HashingGate;
import dev.parley.pbx.account.LoginThrottle;
import dev.parley.pbx.account.PasswordHashing;
import dev.parley.pbx.directory.Extension;
import dev.parley.pbx.directory.Role;
import dev.parley.pbx.directory.User;
import dev.parley.pbx.directory.UserId;
import dev.parley.pbx.directory.memory.InMemoryExtensionRepository;
import dev.parley.pbx.directory.memory.InMemoryUserRepository;
import dev.parley.pbx.directory.memory.InMemoryWebPasswordRepository;
import java.net.InetAddress;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Sign-in, sessions and CSRF over real HTTPS on 127.0.0.1 (in-memory directory; the store-backed run is
 * {@code parley-server}'s {@code WebLoginStoreIT} on SQLite and PostgreSQL).
 */
@Timeout(60)
class ApiSessionIT {
    static final String ALICE_PASSWORD = "violet-harbour-engine";
    static final String BOB_PASSWORD = "granite-meadow-signal";
    static final int ACCOUNT_LIMIT = 3;
    static final InMemoryUserRepository users = new InMemoryUserRepository();
    static final InMemoryExtensionRepository extensions = new InMemoryExtensionRepository();
    static final InMemoryWebPasswordRepository passwords = new InMemoryWebPasswordRepository();
    static final HashingGate gate = new HashingGate(2, Duration.ofMillis(200));
    static WebServer web;
    static ApiClient api;

    @BeforeAll
    static void start() {
        addUser("alice", Role.ADMIN, "alice@example.org", ALICE_PASSWORD, "201");
        addUser("bob", Role.USER, null, BOB_PASSWORD, "202", "203");
        addUser("dave", Role.USER, null, "dave-only-password", "204");
        addUser("frank", Role.USER, null, "frank-first-password");
        addUser("gina", Role.USER, "gina@example.org", "gina-own-password", "205");
        LoginThrottle.Settings throttle = new LoginThrottle.Settings(
                new LoginThrottle.Limit(ACCOUNT_LIMIT, Duration.ofMinutes(15), Duration.ofMinutes(15)),
                new LoginThrottle.Limit(1000, Duration.ofMinutes(15), Duration.ofMinutes(15)), 1000);
        web = new WebServer(WebConfig.of(InetAddress.getLoopbackAddress(), 0, TestCerts.get().keyManagers()), null,
                "127.0.0.1", WebAccounts.of(users, extensions, passwords).withThrottle(throttle).withGate(gate));
        web.start();
        api = new ApiClient(web);
    }

    static void addUser(String name, Role role, String email, String password, String... numbers) {
        User u = new User(UserId.random(), name, name.toUpperCase(), role, email);
        users.save(u);
        passwords.set(u.id(), PasswordHashing.argon2id(password.toCharArray()));
        for (String n : numbers) {
            extensions.save(new Extension(n, u.id()));
        }
    }

    @AfterAll
    static void stop() {
        if (web != null) {
            web.close();
        }
    }

    private HttpResponse<String> me(String cookieHeader) throws Exception {
        return api.send(api.request("/api/me").header("Cookie", cookieHeader));
    }

    private HttpResponse<String> logout(ApiClient.Signed s, String origin, String csrf) throws Exception {
        HttpRequest.Builder b = api.request("/api/session").header("Cookie", s.header()).DELETE();
        if (origin != null) {
            b.header("Origin", origin);
        }
        if (csrf != null) {
            b.header("X-CSRF-Token", csrf);
        }
        return api.send(b);
    }

    @Test
    void loginSetsAHostPrefixedCookieWithEveryFlagAndMeReturnsTheUser() throws Exception {
        HttpResponse<String> r = api.login("username", "alice", ALICE_PASSWORD);
        assertThat(r.statusCode()).isEqualTo(200);
        assertSecurityHeaders(r);
        assertThat(r.headers().firstValue("Cache-Control")).hasValue("no-store");
        List<String> cookies = r.headers().allValues("Set-Cookie");
        assertThat(cookies).hasSize(1);
        List<String> parts = Arrays.stream(cookies.get(0).split(";")).map(String::strip).toList();
        assertThat(parts.get(0)).matches("__Host-parley=[A-Za-z0-9_-]{43}");
        assertThat(parts.subList(1, parts.size())).containsExactlyInAnyOrder("Path=/", "Secure", "HttpOnly",
                "SameSite=Strict");
        assertThat(r.body()).contains("\"username\":\"alice\"", "\"role\":\"admin\"", "\"extensions\":[\"201\"]",
                "\"email\":\"alice@example.org\"").doesNotContain(ALICE_PASSWORD);

        ApiClient.Signed s = new ApiClient.Signed(ApiClient.cookieOf(r), ApiClient.csrfOf(r.body()));
        HttpResponse<String> me = me(s.header());
        assertThat(me.statusCode()).isEqualTo(200);
        assertSecurityHeaders(me);
        assertThat(me.body()).contains("\"username\":\"alice\"", "\"role\":\"admin\"", "\"csrfToken\":\"" + s.csrf());
        assertThat(me.body()).contains("\"id\":\"" + users.findByName("alice").orElseThrow().id().value() + "\"");
    }

    @Test
    void loginByEmailInAnyCase() throws Exception {
        HttpResponse<String> r = api.login("email", "Alice@Example.ORG", ALICE_PASSWORD);
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).contains("\"username\":\"alice\"");
    }

    @Test
    void everyLoginGetsANewSessionIdAndEndsTheSessionItCameWith() throws Exception {
        ApiClient.Signed first = api.signIn("bob", BOB_PASSWORD);
        HttpResponse<String> again = api.send(api.request("/api/session").header("Content-Type", "application/json")
                .header("Cookie", first.header()).POST(HttpRequest.BodyPublishers.ofString(
                        "{\"username\":\"bob\",\"password\":\"" + BOB_PASSWORD + "\"}")));
        assertThat(again.statusCode()).isEqualTo(200);
        String second = ApiClient.cookieOf(again);
        assertThat(second).isNotEqualTo(first.cookie());
        assertThat(ApiClient.csrfOf(again.body())).isNotEqualTo(first.csrf());
        assertThat(me(first.header()).statusCode()).isEqualTo(401);
        assertThat(me("__Host-parley=" + second).statusCode()).isEqualTo(200);
    }

    @Test
    void unknownUserAndWrongPasswordGetByteIdenticalAnswersAfterTheSameWork() throws Exception {
        List<Long> unknownNanos = new ArrayList<>();
        List<Long> wrongNanos = new ArrayList<>();
        HttpResponse<String> unknown = null;
        HttpResponse<String> wrong = null;
        // two failures each: below the account limit; distinct names keep the throttle out of it
        for (int i = 0; i < 2; i++) {
            long t0 = System.nanoTime();
            unknown = api.login("username", "nobody" + i, BOB_PASSWORD);
            unknownNanos.add(System.nanoTime() - t0);
            t0 = System.nanoTime();
            wrong = api.login("username", "bob", BOB_PASSWORD + "x");
            wrongNanos.add(System.nanoTime() - t0);
        }
        assertThat(unknown.statusCode()).isEqualTo(401);
        assertThat(wrong.statusCode()).isEqualTo(401);
        assertThat(unknown.body().getBytes()).isEqualTo(wrong.body().getBytes());
        assertThat(unknown.body()).isEqualTo("{\"error\":\"wrong user name, email or password\"}");
        assertThat(unknown.headers().firstValue("Content-Type")).isEqualTo(wrong.headers().firstValue("Content-Type"));
        assertThat(unknown.headers().firstValue("Set-Cookie")).isEmpty();
        assertSecurityHeaders(unknown);
        // the unknown name is verified against a dummy Argon2id hash: it must cost about as much as a real check
        // (skipping the hash would answer in ~1 ms against tens of ms); loose bound, machines are shared
        long u = Collections.min(unknownNanos);
        long w = Collections.min(wrongNanos);
        System.out.printf("login refusal: unknown user min %.1f ms, wrong password min %.1f ms%n", u / 1e6, w / 1e6);
        assertThat(u).isGreaterThan(w / 3);
        // bob's count must not linger into other tests
        api.signIn("bob", BOB_PASSWORD);
    }

    @Test
    void afterTheLimitBothAnUnknownNameAndAKnownOneAreThrottledWithTheSameAnswer() throws Exception {
        for (int i = 0; i < ACCOUNT_LIMIT; i++) {
            assertThat(api.login("username", "dave", "wrong-password-" + i).statusCode()).isEqualTo(401);
            assertThat(api.login("username", "ghost", "wrong-password-" + i).statusCode()).isEqualTo(401);
        }
        HttpResponse<String> known = api.login("username", "dave", "dave-only-password"); // right password
        HttpResponse<String> unknown = api.login("username", "ghost", "dave-only-password");
        assertThat(known.statusCode()).isEqualTo(429);
        assertThat(unknown.statusCode()).isEqualTo(429);
        assertThat(known.body()).isEqualTo(unknown.body())
                .isEqualTo("{\"error\":\"too many failed sign-ins; try again later\"}");
        assertThat(known.headers().firstValue("Retry-After")).get().asString().matches("[1-9][0-9]*");
        assertThat(known.headers().firstValue("Set-Cookie")).isEmpty();
        assertSecurityHeaders(known);
        // other accounts from the same address are not affected
        assertThat(api.login("username", "alice", ALICE_PASSWORD).statusCode()).isEqualTo(200);
    }

    @Test
    void logoutEndsTheSessionOnTheServer() throws Exception {
        ApiClient.Signed s = api.signIn("bob", BOB_PASSWORD);
        int before = web.sessionCount();
        HttpResponse<String> out = logout(s, api.origin(), s.csrf());
        assertThat(out.statusCode()).isEqualTo(204);
        assertSecurityHeaders(out);
        assertThat(out.headers().firstValue("Set-Cookie")).get().asString()
                .startsWith("__Host-parley=;").contains("Max-Age=0", "Path=/", "Secure", "HttpOnly");
        assertThat(web.sessionCount()).isEqualTo(before - 1);
        // the browser might keep the cookie: the server must not accept it any more
        assertThat(me(s.header()).statusCode()).isEqualTo(401);
        assertThat(logout(s, api.origin(), s.csrf()).statusCode()).isEqualTo(401);
    }

    @Test
    void stateChangingRequestsNeedTheCsrfTokenAndThisOrigin() throws Exception {
        ApiClient.Signed s = api.signIn("bob", BOB_PASSWORD);
        HttpResponse<String> noToken = logout(s, api.origin(), null);
        HttpResponse<String> wrongToken = logout(s, api.origin(), s.csrf().substring(1) + "A");
        HttpResponse<String> foreign = logout(s, "https://evil.example", s.csrf());
        HttpResponse<String> otherPort = logout(s, "https://127.0.0.1:1", s.csrf());
        HttpResponse<String> noOrigin = logout(s, null, s.csrf());
        for (HttpResponse<String> r : List.of(noToken, wrongToken, foreign, otherPort, noOrigin)) {
            assertThat(r.statusCode()).as(r.body()).isEqualTo(403);
            assertSecurityHeaders(r);
        }
        assertThat(noToken.body()).contains("CSRF");
        assertThat(foreign.body()).contains("cross-origin");
        assertThat(me(s.header()).statusCode()).as("still signed in").isEqualTo(200);
        // a same-origin Referer stands in for a missing Origin
        HttpResponse<String> byReferer = api.send(api.request("/api/session").header("Cookie", s.header())
                .header("Referer", api.origin() + "/app/").header("X-CSRF-Token", s.csrf()).DELETE());
        assertThat(byReferer.statusCode()).isEqualTo(204);
    }

    @Test
    void loginFromAForeignPageIsRefused() throws Exception {
        HttpResponse<String> r = api.send(api.request("/api/session").header("Content-Type", "application/json")
                .header("Origin", "https://evil.example").POST(HttpRequest.BodyPublishers.ofString(
                        "{\"username\":\"bob\",\"password\":\"" + BOB_PASSWORD + "\"}")));
        assertThat(r.statusCode()).isEqualTo(403);
        assertThat(r.headers().firstValue("Set-Cookie")).isEmpty();
    }

    @Test
    void invalidInputGets400NamingTheFieldAndNeverEchoesIt() throws Exception {
        record Case(String body, String field, String problem) {
        }
        List<Case> cases = List.of(
                new Case("{\"username\":\"bob\",\"password\":\"secret-", "body", "is not valid JSON"),
                new Case("[\"bob\"]", "body", "must be a JSON object"),
                new Case("{\"username\":5,\"password\":\"secret-value\"}", "username", "must be a string"),
                new Case("{\"username\":\"bob\"}", "password", "is required"),
                new Case("{\"password\":\"secret-value\"}", "username", "is required (or email)"),
                new Case("{\"username\":\"bob\",\"email\":\"b@x\",\"password\":\"secret-value\"}", "email",
                        "give username or email, not both"),
                new Case("{\"username\":\"bob\",\"password\":\"secret-value\",\"admin\":true}", "admin",
                        "is not a known field"),
                new Case("{\"username\":\"bob\",\"password\":\"a\",\"password\":\"secret-value\"}", "body",
                        "is not valid JSON"),
                new Case("{\"username\":\"" + "b".repeat(300) + "\",\"password\":\"secret-value\"}", "username",
                        "must be at most 254 characters"));
        for (Case c : cases) {
            HttpResponse<String> r = api.send(api.request("/api/session").header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(c.body())));
            assertThat(r.statusCode()).as(c.body()).isEqualTo(400);
            assertThat(r.headers().firstValue("Content-Type")).get().asString().startsWith("application/json");
            assertThat(r.body()).as(c.body()).startsWith("{\"error\":\"invalid input\",\"field\":\"" + c.field()
                    + "\",\"problem\":\"" + c.problem()).doesNotContain("secret-");
            assertSecurityHeaders(r);
        }
        HttpResponse<String> form = api.send(api.request("/api/session")
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("username=bob&password=x")));
        assertThat(form.statusCode()).isEqualTo(415);
    }

    @Test
    void malformedBodiesGet400AndNever500() throws Exception {
        List<byte[]> bodies = List.of(new byte[0], "   ".getBytes(), "null".getBytes(), "\"bob\"".getBytes(),
                "{\"username\":\"bob\",\"password\":\"x\"} {}".getBytes(),
                "[".repeat(5000).getBytes(), ("{\"username\":" + "9".repeat(5000) + "}").getBytes(),
                new byte[] {'{', '"', 'u', '"', ':', '"', (byte) 0xC3, (byte) 0x28, '"', '}'},
                "{\"username\":\"bob\",\"password\":NaN}".getBytes(),
                "{\"username\":{\"$ne\":null},\"password\":\"x\"}".getBytes());
        for (byte[] body : bodies) {
            HttpResponse<String> r = api.send(api.request("/api/session").header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(body)));
            assertThat(r.statusCode()).as(new String(body, 0, Math.min(body.length, 40))).isEqualTo(400);
            assertThat(r.body()).startsWith("{\"error\":\"invalid input\",\"field\":");
        }
    }

    @Test
    void whenEveryHashingPermitIsTakenLoginAnswers503Quickly() throws Exception {
        CountDownLatch held = new CountDownLatch(2);
        CountDownLatch release = new CountDownLatch(1);
        List<Thread> holders = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            holders.add(Thread.ofVirtual().start(() -> gate.run(() -> {
                held.countDown();
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return null;
            })));
        }
        try {
            held.await();
            HttpResponse<String> r = api.login("username", "carol-" + System.nanoTime(), "whatever-password");
            assertThat(r.statusCode()).isEqualTo(503);
            assertThat(r.headers().firstValue("Retry-After")).hasValue("1");
            assertThat(r.body()).isEqualTo("{\"error\":\"the server is busy; try again shortly\"}");
        } finally {
            release.countDown();
            for (Thread t : holders) {
                t.join();
            }
        }
    }

    private HttpResponse<String> changePassword(ApiClient.Signed s, String json) throws Exception {
        return api.send(api.request("/api/me/password").header("Cookie", s.header()).header("Origin", api.origin())
                .header("X-CSRF-Token", s.csrf()).header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(json)));
    }

    @Test
    void changingThePasswordChecksTheCurrentOneAndThePolicyAndEndsTheOtherSessions() throws Exception {
        ApiClient.Signed here = api.signIn("frank", "frank-first-password");
        ApiClient.Signed elsewhere = api.signIn("frank", "frank-first-password");

        HttpResponse<String> wrong = changePassword(here,
                "{\"currentPassword\":\"not-franks-password\",\"newPassword\":\"amber-glacier-tunnel\"}");
        assertThat(wrong.statusCode()).isEqualTo(400);
        assertThat(wrong.body()).isEqualTo(
                "{\"error\":\"invalid input\",\"field\":\"currentPassword\",\"problem\":\"is wrong\"}");
        HttpResponse<String> common = changePassword(here,
                "{\"currentPassword\":\"frank-first-password\",\"newPassword\":\"Sunshine2025!\"}");
        assertThat(common.statusCode()).isEqualTo(400);
        assertThat(common.body()).contains("\"field\":\"newPassword\"", "too common").doesNotContain("Sunshine");
        HttpResponse<String> shortOne = changePassword(here,
                "{\"currentPassword\":\"frank-first-password\",\"newPassword\":\"x7#Kq\"}");
        assertThat(shortOne.body()).contains("\"field\":\"newPassword\"", "at least 12 characters");

        HttpResponse<String> ok = changePassword(here,
                "{\"currentPassword\":\"frank-first-password\",\"newPassword\":\"amber-glacier-tunnel\"}");
        assertThat(ok.statusCode()).as(ok.body()).isEqualTo(204);
        assertSecurityHeaders(ok);
        assertThat(me(here.header()).statusCode()).as("this session stays").isEqualTo(200);
        assertThat(me(elsewhere.header()).statusCode()).as("other sessions end").isEqualTo(401);
        assertThat(api.login("username", "frank", "frank-first-password").statusCode()).isEqualTo(401);
        assertThat(api.login("username", "frank", "amber-glacier-tunnel").statusCode()).isEqualTo(200);
    }

    private HttpResponse<String> putMe(ApiClient.Signed s, String json) throws Exception {
        return api.send(api.request("/api/me").header("Cookie", s.header()).header("Origin", api.origin())
                .header("X-CSRF-Token", s.csrf()).header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(json)));
    }

    @Test
    void aUserChangesTheirOwnDisplayNameAndNothingElse() throws Exception {
        ApiClient.Signed gina = api.signIn("gina", "gina-own-password");
        record Case(String body, String field, String problem) {
        }
        List<Case> cases = List.of(
                new Case("{}", "displayName", "is required"),
                new Case("{\"displayName\":7}", "displayName", "must be a string"),
                new Case("{\"displayName\":null}", "displayName", "must be a string"),
                new Case("{\"displayName\":\"" + "g".repeat(101) + "\"}", "displayName",
                        "must be at most 100 characters"),
                new Case("{\"displayName\":\"Gina\\u0007\"}", "displayName", "must not hold control characters"),
                new Case("{\"displayName\":\"Gina\",\"email\":\"g@evil.example\"}", "email",
                        "is not a known field"),
                new Case("{\"displayName\":\"Gina\",\"role\":\"superadmin\"}", "role", "is not a known field"));
        for (Case c : cases) {
            HttpResponse<String> r = putMe(gina, c.body());
            assertThat(r.statusCode()).as(c.body()).isEqualTo(400);
            assertThat(r.body()).as(c.body()).startsWith("{\"error\":\"invalid input\",\"field\":\""
                    + c.field() + "\",\"problem\":\"" + c.problem());
            assertSecurityHeaders(r);
        }
        User before = users.findByName("gina").orElseThrow();
        assertThat(before.displayName()).as("nothing written by a refused request").isEqualTo("GINA");

        HttpResponse<String> ok = putMe(gina, "{\"displayName\":\"Gina Lind ☎\"}");
        assertThat(ok.statusCode()).as(ok.body()).isEqualTo(200);
        assertSecurityHeaders(ok);
        assertThat(ok.body()).contains("\"displayName\":\"Gina Lind ☎\"", "\"username\":\"gina\"",
                "\"role\":\"user\"", "\"email\":\"gina@example.org\"", "\"extensions\":[\"205\"]");
        assertThat(me(gina.header()).body()).contains("\"displayName\":\"Gina Lind ☎\"");
        assertThat(users.findByName("gina").orElseThrow()).isEqualTo(new User(before.id(), "gina", "Gina Lind ☎",
                Role.USER, "gina@example.org"));
        // a state-changing request: no CSRF token, no change
        HttpResponse<String> noCsrf = api.send(api.request("/api/me").header("Cookie", gina.header())
                .header("Origin", api.origin()).header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString("{\"displayName\":\"Mallory\"}")));
        assertThat(noCsrf.statusCode()).isEqualTo(403);
        assertThat(users.findByName("gina").orElseThrow().displayName()).isEqualTo("Gina Lind ☎");
    }
}
