package dev.parley.server.it.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.pbx.account.PasswordHashing;
import dev.parley.pbx.directory.User;
import dev.parley.server.it.ParleyUnderTest;
import dev.parley.server.it.TestDatabase;
import dev.parley.store.Store;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.Base64;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.AfterParameterizedClassInvocation;
import org.junit.jupiter.params.BeforeParameterizedClassInvocation;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The whole server, on SQLite and on PostgreSQL: the first-start admin signs in over HTTPS with the one-time
 * password the console printed and is superadmin; a user added by the CLI without a web password is refused exactly
 * like an unknown name; a hash with older Argon2id parameters is replaced in the database at the next sign-in; a
 * {@code user} gets 403 on {@code /api/users}; sign-out ends the session on the server; a session survives a
 * restart (it lives in the database, as a hash of its id).
 */
@ParameterizedClass(name = "on {0}")
@EnumSource(TestDatabase.class)
@Timeout(120)
class WebLoginIT {
    private static final Pattern ONE_TIME = Pattern.compile("password {3}(\\S+)");
    private static final Pattern COOKIE = Pattern.compile("__Host-parley=([A-Za-z0-9_-]{43});");
    private static final Pattern CSRF = Pattern.compile("\"csrfToken\":\"([A-Za-z0-9_-]{43})\"");

    @Parameter
    TestDatabase database;
    @TempDir
    static Path tmp;
    static ParleyUnderTest parley;
    static HttpClient http;
    static String adminPassword;
    static Path dir;
    static java.util.Map<String, String> settings;

    @BeforeParameterizedClassInvocation
    static void startParley(TestDatabase database) throws Exception {
        dir = Files.createDirectories(tmp.resolve(database.name().toLowerCase(Locale.ROOT)));
        settings = database.settings();
        parley = ParleyUnderTest.start(dir, settings);
        Matcher m = ONE_TIME.matcher(parley.console());
        assertThat(m.find()).as("the first-start banner").isTrue();
        adminPassword = m.group(1);
        http = HttpClient.newBuilder().sslContext(trusting(dir.resolve("data/tls/cert.pem")))
                .connectTimeout(Duration.ofSeconds(3)).build();
    }

    @AfterParameterizedClassInvocation
    static void stopParley() {
        if (parley != null) {
            parley.close();
            parley = null;
        }
    }

    static SSLContext trusting(Path pem) throws Exception {
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        try (InputStream in = Files.newInputStream(pem)) {
            trust.setCertificateEntry("parley", CertificateFactory.getInstance("X.509").generateCertificate(in));
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(null, tmf.getTrustManagers(), null);
        return ctx;
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

    private static HttpResponse<String> login(String username, String password) throws Exception {
        return send(request("/api/session").header("Content-Type", "application/json").POST(
                HttpRequest.BodyPublishers.ofString("{\"username\":\"" + username + "\",\"password\":\"" + password
                        + "\"}")));
    }

    private static String[] session(HttpResponse<String> r) {
        Matcher c = COOKIE.matcher(r.headers().firstValue("Set-Cookie").orElseThrow());
        Matcher t = CSRF.matcher(r.body());
        assertThat(c.find() && t.find()).as(r.body()).isTrue();
        return new String[] {"__Host-parley=" + c.group(1), t.group(1)};
    }

    private Store store() {
        return Store.open(parley.databaseUrl(), null, null);
    }

    @Test
    void theFirstStartAdminSignsInAsSuperadminAndSeesTheUsers() throws Exception {
        HttpResponse<String> r = login("admin", adminPassword);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(r.body()).contains("\"username\":\"admin\"", "\"role\":\"superadmin\"");
        String[] s = session(r);
        HttpResponse<String> users = send(request("/api/users").header("Cookie", s[0]));
        assertThat(users.statusCode()).isEqualTo(200);
        assertThat(users.body()).contains("\"username\":\"admin\"");
        HttpResponse<String> out = send(request("/api/session").header("Cookie", s[0]).header("Origin", origin())
                .header("X-CSRF-Token", s[1]).DELETE());
        assertThat(out.statusCode()).isEqualTo(204);
        assertThat(send(request("/api/me").header("Cookie", s[0])).statusCode()).isEqualTo(401);
    }

    @Test
    void aUserWithoutAWebPasswordIsRefusedLikeAnUnknownNameAndAUserCannotListUsers() throws Exception {
        assertThat(parley.cli("user", "add", "bob")).as(parley.cliOutput()).isZero();
        HttpResponse<String> noPassword = login("bob", "some-long-password");
        HttpResponse<String> unknown = login("nobody-here", "some-long-password");
        assertThat(noPassword.statusCode()).isEqualTo(401);
        assertThat(noPassword.body()).isEqualTo(unknown.body());

        try (Store store = store()) {
            User bob = store.users().findByName("bob").orElseThrow();
            store.webPasswords().set(bob.id(), PasswordHashing.argon2id("bob-long-password".toCharArray()));
        }
        HttpResponse<String> r = login("bob", "bob-long-password");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(r.body()).contains("\"role\":\"user\"");
        String[] s = session(r);
        HttpResponse<String> users = send(request("/api/users").header("Cookie", s[0]));
        assertThat(users.statusCode()).isEqualTo(403);
        assertThat(users.body()).doesNotContain("admin");
    }

    @Test
    void aUserChangesTheirDisplayNameInTheDatabaseAndNothingElse() throws Exception {
        assertThat(parley.cli("user", "add", "dora")).as(parley.cliOutput()).isZero();
        User before;
        try (Store store = store()) {
            before = store.users().findByName("dora").orElseThrow();
            store.webPasswords().set(before.id(), PasswordHashing.argon2id("dora-long-password".toCharArray()));
        }
        String[] s = session(login("dora", "dora-long-password"));
        HttpResponse<String> refused = send(request("/api/me").header("Cookie", s[0]).header("Origin", origin())
                .header("X-CSRF-Token", s[1]).header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString("{\"displayName\":\"Dora\",\"role\":\"admin\"}")));
        assertThat(refused.statusCode()).isEqualTo(400);
        assertThat(refused.body()).contains("\"field\":\"role\"");
        HttpResponse<String> ok = send(request("/api/me").header("Cookie", s[0]).header("Origin", origin())
                .header("X-CSRF-Token", s[1]).header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString("{\"displayName\":\"Dora Ilić\"}")));
        assertThat(ok.statusCode()).as(ok.body()).isEqualTo(200);
        assertThat(ok.body()).contains("\"displayName\":\"Dora Ilić\"", "\"role\":\"user\"");
        try (Store store = store()) {
            assertThat(store.users().findById(before.id())).contains(new User(before.id(), "dora", "Dora Ilić",
                    before.role(), before.email()));
        }
    }

    @Test
    void aHashWithOlderParametersIsReplacedInTheDatabaseAtSignIn() throws Exception {
        assertThat(parley.cli("user", "add", "carol")).as(parley.cliOutput()).isZero();
        byte[] salt = new byte[16];
        String old;
        try (Store store = store()) {
            User carol = store.users().findByName("carol").orElseThrow();
            byte[] hash = oldHash("carol-long-password", salt);
            Base64.Encoder b64 = Base64.getEncoder().withoutPadding();
            old = "$argon2id$v=19$m=4096,t=3,p=1$" + b64.encodeToString(salt) + "$" + b64.encodeToString(hash);
            store.webPasswords().set(carol.id(), old);
        }
        assertThat(login("carol", "carol-long-password").statusCode()).isEqualTo(200);
        try (Store store = store()) {
            String now = store.webPasswords().find(store.users().findByName("carol").orElseThrow().id())
                    .orElseThrow();
            assertThat(now).isNotEqualTo(old).startsWith("$argon2id$v=19$m=19456,t=2,p=1$");
            assertThat(PasswordHashing.verify(now, "carol-long-password".toCharArray())).isTrue();
        }
        assertThat(login("carol", "carol-long-password").statusCode()).isEqualTo(200);
    }

    @Test
    void aSessionSurvivesARestartBecauseItLivesInTheDatabase() throws Exception {
        String[] s = session(login("admin", adminPassword));
        parley.close();
        parley = ParleyUnderTest.start(dir, settings);
        HttpResponse<String> me = send(request("/api/me").header("Cookie", s[0]));
        assertThat(me.statusCode()).as(me.body()).isEqualTo(200);
        assertThat(me.body()).contains("\"username\":\"admin\"", "\"csrfToken\":\"" + s[1] + "\"");
        try (Store store = store()) {
            assertThat(store.webSessions().count()).isPositive();
            assertThat(store.webSessions().find(s[0].substring("__Host-parley=".length()))).as("only hashes stored")
                    .isEmpty();
        }
    }

    /** Argon2id with m=4096, t=3, p=1: what an older Parley might have stored. */
    private static byte[] oldHash(String password, byte[] salt) {
        var params = new org.bouncycastle.crypto.params.Argon2Parameters.Builder(
                org.bouncycastle.crypto.params.Argon2Parameters.ARGON2_id)
                .withVersion(org.bouncycastle.crypto.params.Argon2Parameters.ARGON2_VERSION_13)
                .withMemoryAsKB(4096).withIterations(3).withParallelism(1).withSalt(salt).build();
        var gen = new org.bouncycastle.crypto.generators.Argon2BytesGenerator();
        gen.init(params);
        byte[] out = new byte[32];
        gen.generateBytes(password.getBytes(java.nio.charset.StandardCharsets.UTF_8), out);
        return out;
    }
}
