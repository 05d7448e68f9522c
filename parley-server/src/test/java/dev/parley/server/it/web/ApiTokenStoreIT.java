package dev.parley.server.it.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.pbx.account.ApiTokenRepository;
import dev.parley.pbx.account.ApiTokens;
import dev.parley.pbx.account.PasswordHashing;
import dev.parley.pbx.directory.User;
import dev.parley.server.it.ParleyUnderTest;
import dev.parley.server.it.TestDatabase;
import dev.parley.store.Store;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.AfterParameterizedClassInvocation;
import org.junit.jupiter.params.BeforeParameterizedClassInvocation;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Personal API tokens through the whole server, on SQLite and on PostgreSQL, over HTTPS: a token made by a
 * signed-in admin works as {@code Authorization: Bearer}, is stored only as its SHA-256, records its last use,
 * survives a restart, is listed without the secret and stops working once revoked; an expired token is refused; a
 * {@code user}'s token gets 403 on {@code /api/users}.
 */
@ParameterizedClass(name = "on {0}")
@EnumSource(TestDatabase.class)
@Timeout(120)
class ApiTokenStoreIT {
    private static final Pattern ONE_TIME = Pattern.compile("password {3}(\\S+)");
    private static final Pattern COOKIE = Pattern.compile("__Host-parley=([A-Za-z0-9_-]{43});");
    private static final Pattern CSRF = Pattern.compile("\"csrfToken\":\"([A-Za-z0-9_-]{43})\"");
    private static final Pattern TOKEN = Pattern.compile("\"token\":\"(parley_[A-Za-z0-9_-]{43})\"");
    private static final Pattern ID = Pattern.compile("\"id\":\"([A-Za-z0-9_-]+)\"");

    @Parameter
    TestDatabase database;
    @TempDir
    static Path tmp;
    static ParleyUnderTest parley;
    static HttpClient http;
    static String adminPassword;
    static Path dir;
    static Map<String, String> settings;

    @BeforeParameterizedClassInvocation
    static void startParley(TestDatabase database) throws Exception {
        dir = Files.createDirectories(tmp.resolve(database.name().toLowerCase(Locale.ROOT)));
        settings = database.settings();
        parley = ParleyUnderTest.start(dir, settings);
        Matcher m = ONE_TIME.matcher(parley.console());
        assertThat(m.find()).as("the first-start banner").isTrue();
        adminPassword = m.group(1);
        http = HttpClient.newBuilder().sslContext(WebLoginIT.trusting(dir.resolve("data/tls/cert.pem")))
                .connectTimeout(Duration.ofSeconds(3)).build();
    }

    @AfterParameterizedClassInvocation
    static void stopParley() {
        if (parley != null) {
            parley.close();
            parley = null;
        }
    }

    private static String origin() {
        return "https://127.0.0.1:" + parley.httpsPort();
    }

    private static HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(URI.create(origin() + path)).timeout(Duration.ofSeconds(10));
    }

    private static HttpResponse<String> send(HttpRequest.Builder b) throws Exception {
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> bearer(String method, String path, String token) throws Exception {
        return send(request(path).header("Authorization", "Bearer " + token)
                .method(method, HttpRequest.BodyPublishers.noBody()));
    }

    /** Signs in and makes a token; returns {token, id}. */
    private static String[] token(String username, String password, String body) throws Exception {
        HttpResponse<String> in = send(request("/api/session").header("Content-Type", "application/json").POST(
                HttpRequest.BodyPublishers.ofString("{\"username\":\"" + username + "\",\"password\":\"" + password
                        + "\"}")));
        assertThat(in.statusCode()).as(in.body()).isEqualTo(200);
        Matcher c = COOKIE.matcher(in.headers().firstValue("Set-Cookie").orElseThrow());
        Matcher t = CSRF.matcher(in.body());
        assertThat(c.find() && t.find()).isTrue();
        HttpResponse<String> made = send(request("/api/me/tokens").header("Cookie", "__Host-parley=" + c.group(1))
                .header("X-CSRF-Token", t.group(1)).header("Origin", origin())
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)));
        assertThat(made.statusCode()).as(made.body()).isEqualTo(201);
        Matcher token = TOKEN.matcher(made.body());
        Matcher id = ID.matcher(made.body());
        assertThat(token.find() && id.find()).as(made.body()).isTrue();
        return new String[] {token.group(1), id.group(1)};
    }

    private Store store() {
        return Store.open(parley.databaseUrl(), null, null);
    }

    @Test
    void aTokenIsStoredAsAHashWorksAcrossARestartAndEndsWhenRevoked() throws Exception {
        String[] t = token("admin", adminPassword, "{\"name\":\"nightly export\",\"expiresInDays\":7}");
        HttpResponse<String> users = bearer("GET", "/api/users", t[0]);
        assertThat(users.statusCode()).as(users.body()).isEqualTo(200);
        assertThat(users.body()).contains("\"username\":\"admin\"");
        try (Store store = store()) {
            ApiTokenRepository.Stored row = store.apiTokens().findByHash(ApiTokens.hash(t[0])).orElseThrow();
            assertThat(row.id()).isEqualTo(t[1]);
            assertThat(row.name()).isEqualTo("nightly export");
            assertThat(row.lastUsed()).as("the use was written back").isNotNull();
            assertThat(Duration.between(row.created(), row.expires())).isEqualTo(Duration.ofDays(7));
            assertThat(store.apiTokens().findByHash(t[0])).as("the token itself is not a key").isEmpty();
            assertThat(row.toString()).doesNotContain(t[0]);
        }
        parley.close();
        parley = ParleyUnderTest.start(dir, settings);
        HttpResponse<String> list = bearer("GET", "/api/me/tokens", t[0]);
        assertThat(list.statusCode()).as("the token lives in the database: " + list.body()).isEqualTo(200);
        assertThat(list.body()).contains("\"name\":\"nightly export\"", "\"id\":\"" + t[1] + "\"")
                .doesNotContain(t[0]).doesNotContain("\"token\"");
        assertThat(bearer("DELETE", "/api/me/tokens/" + t[1], t[0]).statusCode()).isEqualTo(204);
        assertThat(bearer("GET", "/api/me", t[0]).statusCode()).isEqualTo(401);
        try (Store store = store()) {
            assertThat(store.apiTokens().findByHash(ApiTokens.hash(t[0]))).isEmpty();
        }
    }

    @Test
    void anExpiredTokenIsRefusedAndAUsersTokenCannotListUsers() throws Exception {
        assertThat(parley.cli("user", "add", "dave")).as(parley.cliOutput()).isZero();
        String expired;
        try (Store store = store()) {
            User dave = store.users().findByName("dave").orElseThrow();
            store.webPasswords().set(dave.id(), PasswordHashing.argon2id("dave-long-password".toCharArray()));
            expired = new ApiTokens(store.apiTokens(), InstantSource.fixed(Instant.now().minus(Duration.ofDays(3))))
                    .issue(dave.id(), "old", Duration.ofDays(1)).secret();
        }
        assertThat(bearer("GET", "/api/me", expired).statusCode()).isEqualTo(401);
        String[] t = token("dave", "dave-long-password", "{\"name\":\"dave's script\"}");
        HttpResponse<String> me = bearer("GET", "/api/me", t[0]);
        assertThat(me.statusCode()).isEqualTo(200);
        assertThat(me.body()).contains("\"username\":\"dave\"", "\"role\":\"user\"");
        HttpResponse<String> users = bearer("GET", "/api/users", t[0]);
        assertThat(users.statusCode()).isEqualTo(403);
        assertThat(users.body()).doesNotContain("admin");
    }
}
