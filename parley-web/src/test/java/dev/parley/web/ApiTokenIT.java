package dev.parley.web;

import dev.parley.sipstack.transport.TestCerts;
import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.pbx.account.ApiTokenRepository;
import dev.parley.pbx.account.ApiTokens;
import dev.parley.pbx.account.LoginThrottle;
import dev.parley.pbx.account.PasswordHashing;
import dev.parley.pbx.account.memory.InMemoryApiTokenRepository;
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
import java.time.Instant;
import java.time.InstantSource;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Personal API tokens over real HTTPS with the in-memory store (the database-backed store is covered by the
 * repository contracts on SQLite and PostgreSQL and by {@code ApiTokenStoreIT} in parley-server): made once and
 * shown once, used as {@code Authorization: Bearer}, listed without the secret, revoked and expired tokens
 * refused, roles and session-only routes enforced, failures throttled per source.
 */
@Timeout(120)
class ApiTokenIT {
    static final Pattern TOKEN = Pattern.compile("\"token\":\"(parley_[A-Za-z0-9_-]{43})\"");
    static final Pattern ID = Pattern.compile("\"id\":\"([A-Za-z0-9_-]+)\"");
    private WebServer web;
    private ApiClient api;
    private InMemoryUserRepository users;
    private InMemoryApiTokenRepository tokens;

    private void start(LoginThrottle.Settings throttle) {
        users = new InMemoryUserRepository();
        InMemoryWebPasswordRepository passwords = new InMemoryWebPasswordRepository();
        for (Role role : Role.values()) {
            User u = new User(UserId.random(), role.wireName() + "1", role.name(), role, null);
            users.save(u);
            passwords.set(u.id(), PasswordHashing.argon2id(ApiRoleIT.PASSWORDS.get(role).toCharArray()));
        }
        tokens = new InMemoryApiTokenRepository();
        web = new WebServer(WebConfig.of(InetAddress.getLoopbackAddress(), 0, TestCerts.get().keyManagers()), null,
                "127.0.0.1", WebAccounts.of(users, new InMemoryExtensionRepository(), passwords).withTokens(tokens)
                .withThrottle(throttle));
        web.start();
        api = new ApiClient(web);
    }

    @AfterEach
    void stop() {
        if (web != null) {
            web.close();
        }
    }

    private ApiClient.Signed as(Role role) throws Exception {
        return api.signIn(role.wireName() + "1", ApiRoleIT.PASSWORDS.get(role));
    }

    static HttpResponse<String> createToken(ApiClient api, ApiClient.Signed s, String body) throws Exception {
        return api.send(api.request("/api/me/tokens").header("Cookie", s.header()).header("X-CSRF-Token", s.csrf())
                .header("Origin", api.origin()).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)));
    }

    static String tokenOf(HttpResponse<String> r) {
        Matcher m = TOKEN.matcher(r.body());
        assertThat(m.find()).as(r.body()).isTrue();
        return m.group(1);
    }

    private HttpResponse<String> bearer(String method, String path, String token) throws Exception {
        return api.send(api.request(path).header("Authorization", "Bearer " + token)
                .method(method, HttpRequest.BodyPublishers.noBody()));
    }

    @Test
    void madeOnceUsedListedWithoutTheSecretAndRevoked() throws Exception {
        start(LoginThrottle.Settings.defaults());
        ApiClient.Signed s = as(Role.USER);
        HttpResponse<String> made = createToken(api, s, "{\"name\":\"backup script\",\"expiresInDays\":30}");
        assertThat(made.statusCode()).as(made.body()).isEqualTo(201);
        String token = tokenOf(made);
        Matcher id = ID.matcher(made.body());
        assertThat(id.find()).isTrue();
        assertThat(made.body()).contains("\"name\":\"backup script\"", "\"expiresAt\":\"");
        // stored as SHA-256 only
        ApiTokenRepository.Stored stored = tokens.findByHash(ApiTokens.hash(token)).orElseThrow();
        assertThat(stored.hash()).isNotEqualTo(token).doesNotContain(token.substring(7));
        assertThat(Duration.between(stored.created(), stored.expires())).isEqualTo(Duration.ofDays(30));

        HttpResponse<String> me = bearer("GET", "/api/me", token);
        assertThat(me.statusCode()).as(me.body()).isEqualTo(200);
        assertThat(me.body()).contains("\"username\":\"user1\"", "\"role\":\"user\"").doesNotContain("csrfToken");
        ApiClient.assertSecurityHeaders(me);
        assertThat(me.headers().firstValue("Set-Cookie")).isEmpty();

        HttpResponse<String> list = bearer("GET", "/api/me/tokens", token);
        assertThat(list.statusCode()).isEqualTo(200);
        assertThat(list.body()).contains("\"name\":\"backup script\"", "\"lastUsed\":\"", "\"id\":\"" + id.group(1))
                .doesNotContain(token).doesNotContain(token.substring(7)).doesNotContain("\"token\"")
                .doesNotContain(stored.hash());

        // a state-changing request with the token needs neither Origin nor a CSRF token: revoke itself
        HttpResponse<String> revoke = bearer("DELETE", "/api/me/tokens/" + id.group(1), token);
        assertThat(revoke.statusCode()).as(revoke.body()).isEqualTo(204);
        HttpResponse<String> after = bearer("GET", "/api/me", token);
        assertThat(after.statusCode()).isEqualTo(401);
        assertThat(after.headers().firstValue("WWW-Authenticate")).hasValue("Bearer error=\"invalid_token\"");
        assertThat(after.body()).doesNotContain(token);
    }

    @Test
    void anExpiredTokenIsRefused() throws Exception {
        start(LoginThrottle.Settings.defaults());
        User user = users.findByName("user1").orElseThrow();
        // issued two days ago for one day, by the same code the server uses
        ApiTokens yesterday = new ApiTokens(tokens, InstantSource.fixed(Instant.now().minus(Duration.ofDays(2))));
        String expired = yesterday.issue(user.id(), "old", Duration.ofDays(1)).secret();
        String live = yesterday.issue(user.id(), "forever", null).secret();
        assertThat(bearer("GET", "/api/me", expired).statusCode()).isEqualTo(401);
        assertThat(bearer("GET", "/api/me", live).statusCode()).isEqualTo(200);
    }

    @Test
    void aUsersTokenCannotReachAdminRoutesNorSessionOnlyOnes() throws Exception {
        start(LoginThrottle.Settings.defaults());
        String userToken = tokenOf(createToken(api, as(Role.USER), "{\"name\":\"u\"}"));
        String adminToken = tokenOf(createToken(api, as(Role.ADMIN), "{\"name\":\"a\"}"));
        HttpResponse<String> users = bearer("GET", "/api/users", userToken);
        assertThat(users.statusCode()).isEqualTo(403);
        assertThat(users.body()).isEqualTo("{\"error\":\"forbidden\"}");
        assertThat(bearer("GET", "/api/users", adminToken).statusCode()).isEqualTo(200);
        // a token cannot make tokens, change the password or sign out: those need the browser session
        for (String[] route : new String[][] {{"POST", "/api/me/tokens"}, {"PUT", "/api/me/password"},
                {"DELETE", "/api/session"}}) {
            HttpResponse<String> r = api.send(api.request(route[1]).header("Authorization", "Bearer " + adminToken)
                    .header("Content-Type", "application/json")
                    .method(route[0], HttpRequest.BodyPublishers.ofString("{\"name\":\"x\"}")));
            assertThat(r.statusCode()).as(route[0] + " " + route[1]).isEqualTo(403);
            assertThat(r.body()).contains("needs a signed-in session");
        }
        assertThat(tokens.findByUser(users("admin1"))).hasSize(1);
    }

    private UserId users(String name) {
        return users.findByName(name).orElseThrow().id();
    }

    @Test
    void oneUserCannotRevokeAnothersToken() throws Exception {
        start(LoginThrottle.Settings.defaults());
        HttpResponse<String> made = createToken(api, as(Role.ADMIN), "{\"name\":\"a\"}");
        Matcher id = ID.matcher(made.body());
        assertThat(id.find()).isTrue();
        String userToken = tokenOf(createToken(api, as(Role.USER), "{\"name\":\"u\"}"));
        HttpResponse<String> r = bearer("DELETE", "/api/me/tokens/" + id.group(1), userToken);
        assertThat(r.statusCode()).isEqualTo(404);
        assertThat(r.body()).isEqualTo("{\"error\":\"no such token\"}");
        assertThat(bearer("GET", "/api/me", tokenOf(made)).statusCode()).isEqualTo(200);
    }

    @Test
    void invalidTokenRequestsGetClearAnswers() throws Exception {
        start(LoginThrottle.Settings.defaults());
        ApiClient.Signed s = as(Role.USER);
        for (String body : new String[] {"{}", "{\"name\":\"\"}", "{\"name\":\"x\",\"expiresInDays\":0}",
                "{\"name\":\"x\",\"expiresInDays\":3651}", "{\"name\":\"x\",\"expiresInDays\":1.5}",
                "{\"name\":\"x\",\"expiresInDays\":\"7\"}", "{\"name\":\"a\\u0000b\"}",
                "{\"name\":\"" + "n".repeat(101) + "\"}", "{\"name\":\"x\",\"token\":\"mine\"}"}) {
            HttpResponse<String> r = createToken(api, s, body);
            assertThat(r.statusCode()).as(body + " → " + r.body()).isEqualTo(400);
            assertThat(r.body()).contains("\"field\":");
        }
        for (String header : new String[] {"Bearer", "Bearer ", "Basic dXNlcjE6cHc=", "Bearer parley_short",
                "Bearer " + "parley_" + "A".repeat(43), "bearer  " + "x".repeat(5000)}) {
            HttpResponse<String> r = api.send(api.request("/api/me").header("Authorization", header));
            assertThat(r.statusCode()).as(header).isEqualTo(401);
        }
    }

    @Test
    void wrongTokensCountInThePerSourceThrottle() throws Exception {
        LoginThrottle.Limit perSource = new LoginThrottle.Limit(3, Duration.ofMinutes(15), Duration.ofMinutes(15));
        start(new LoginThrottle.Settings(LoginThrottle.Settings.defaults().perAccount(), perSource, 1000));
        String good = tokenOf(createToken(api, as(Role.USER), "{\"name\":\"u\"}"));
        for (int i = 0; i < 3; i++) {
            assertThat(bearer("GET", "/api/me", "parley_" + "B".repeat(42) + i).statusCode()).isEqualTo(401);
        }
        HttpResponse<String> throttled = bearer("GET", "/api/me", good);
        assertThat(throttled.statusCode()).as("even a good token waits: the source is locked").isEqualTo(429);
        assertThat(throttled.headers().firstValue("Retry-After")).isPresent();
        // and password sign-ins from the same source are locked with it: one budget per source
        assertThat(api.login("username", "user1", ApiRoleIT.PASSWORDS.get(Role.USER)).statusCode()).isEqualTo(429);
    }
}
