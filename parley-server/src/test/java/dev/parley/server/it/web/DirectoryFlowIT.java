package dev.parley.server.it.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.parley.server.it.ParleyUnderTest;
import dev.parley.server.it.TestDatabase;
import dev.parley.server.it.sipp.Sipp;
import dev.parley.sipstack.flow.Transport;
import dev.parley.store.Store;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
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
 * The directory API driving the real PBX, on SQLite and on PostgreSQL: an admin creates a user, an extension and a
 * device over HTTPS; sipp then REGISTERs the extension with the secret shown once and Digest succeeds; the user sees
 * the registration under {@code /api/me/registrations} but gets 403 on the admins' {@code /api/registrations};
 * rotating the secret makes the old one fail and the new one work at once (the PBX's directory copy is dropped on
 * every API write, not left to its half-second version check); deleting the device makes REGISTER fail and its
 * registration disappear from the lists.
 *
 * <p>sipp 3.6.1 answers only MD5 and takes the first challenge, so Parley offers {@code MD5,SHA-256} here.
 */
@ParameterizedClass(name = "on {0}")
@EnumSource(TestDatabase.class)
@Timeout(180)
class DirectoryFlowIT {
    private static final Pattern ONE_TIME = Pattern.compile("password {3}(\\S+)");
    private static final Pattern COOKIE = Pattern.compile("__Host-parley=([A-Za-z0-9_-]{43});");
    private static final Pattern CSRF = Pattern.compile("\"csrfToken\":\"([A-Za-z0-9_-]{43})\"");
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final String RITA_PASSWORD = "meadow-tangerine-bolt";

    @Parameter
    TestDatabase database;
    @TempDir
    static Path tmp;
    static Path dir;
    static ParleyUnderTest parley;
    static HttpClient http;
    static String adminPassword;

    @BeforeParameterizedClassInvocation
    static void startParley(TestDatabase database) throws Exception {
        dir = Files.createDirectories(tmp.resolve(database.name().toLowerCase(Locale.ROOT)));
        Path server = Files.createDirectories(dir.resolve("server"));
        parley = ParleyUnderTest.start(server, database.settings(Map.of("PARLEY_PBX_DIGEST_ALGORITHMS",
                "MD5,SHA-256")));
        Matcher m = ONE_TIME.matcher(parley.console());
        assertThat(m.find()).as("the first-start banner").isTrue();
        adminPassword = m.group(1);
        http = HttpClient.newBuilder().sslContext(WebLoginIT.trusting(server.resolve("data/tls/cert.pem")))
                .connectTimeout(Duration.ofSeconds(3)).build();
    }

    @AfterParameterizedClassInvocation
    static void stopParley() {
        if (parley != null) {
            parley.close();
            parley = null;
        }
    }

    record Session(String cookie, String csrf) {
    }

    private static String origin() {
        return "https://127.0.0.1:" + parley.httpsPort();
    }

    private static Session signIn(String username, String password) throws Exception {
        HttpResponse<String> in = http.send(HttpRequest.newBuilder(URI.create(origin() + "/api/session"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(
                        "{\"username\":\"" + username + "\",\"password\":\"" + password + "\"}")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(in.statusCode()).as(in.body()).isEqualTo(200);
        Matcher c = COOKIE.matcher(in.headers().firstValue("Set-Cookie").orElseThrow());
        Matcher t = CSRF.matcher(in.body());
        assertThat(c.find() && t.find()).isTrue();
        return new Session(c.group(1), t.group(1));
    }

    private static HttpResponse<String> call(Session s, String method, String path, String body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(origin() + path)).timeout(Duration.ofSeconds(10))
                .header("Cookie", "__Host-parley=" + s.cookie()).header("X-CSRF-Token", s.csrf())
                .header("Origin", origin());
        if (body != null) {
            b.header("Content-Type", "application/json");
        }
        HttpResponse<String> r = http.send(b.method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.headers().firstValue("Strict-Transport-Security")).as("security headers").isPresent();
        return r;
    }

    private static JsonNode expect(HttpResponse<String> r, int status) throws Exception {
        assertThat(r.statusCode()).as(r.request().method() + " " + r.uri().getPath() + ": " + r.body())
                .isEqualTo(status);
        return r.body().isEmpty() ? null : MAPPER.readTree(r.body());
    }

    /** The stored bindings of {@code deviceId}, expired or not, read from the server's database. */
    private static long bindingsOf(String deviceId) {
        try (Store store = Store.open(parley.databaseUrl(), null, null)) {
            return store.bindings().findAll().stream().filter(b -> b.deviceId().value().equals(deviceId)).count();
        }
    }

    private static Sipp.Result register(Path logs, String aor, int port, String username, String secret) {
        return Sipp.scenario("register", logs).remote(parley.port(Transport.UDP)).localPort(port).service(aor)
                .credentials(username, secret).timeout(Duration.ofSeconds(5)).run();
    }

    @Test
    void anAdminProvisionsAPhoneThatRegistersUntilItsSecretRotatesAndItIsDeleted() throws Exception {
        Path logs = Files.createDirectories(dir.resolve("flow"));
        Session admin = signIn("admin", adminPassword);
        JsonNode rita = expect(call(admin, "POST", "/api/users", "{\"username\":\"rita\",\"displayName\":\"Rita"
                + " Levi\",\"role\":\"user\",\"password\":\"" + RITA_PASSWORD + "\"}"), 201);
        String ritaId = rita.get("id").asText();
        expect(call(admin, "POST", "/api/extensions", "{\"number\":\"601\",\"userId\":\"" + ritaId + "\"}"), 201);
        JsonNode device = expect(call(admin, "POST", "/api/devices", "{\"userId\":\"" + ritaId
                + "\",\"name\":\"desk phone\"}"), 201);
        String deviceId = device.get("id").asText();
        String username = device.get("username").asText();
        String secret = device.get("secret").asText();
        assertThat(username).isEqualTo("rita-1");

        // the new device registers at once, with the secret from the 201
        int port = Sipp.freePort(false);
        Sipp.Result first = register(logs, "601", port, username, secret);
        assertThat(first.exitCode()).as(first.describe()).isZero();
        assertThat(first.messages()).contains("SIP/2.0 401 Unauthorized", "SIP/2.0 200 OK");

        Session ritaSession = signIn("rita", RITA_PASSWORD);
        expect(call(ritaSession, "GET", "/api/registrations", null), 403);
        JsonNode mine = expect(call(ritaSession, "GET", "/api/me/registrations", null), 200);
        assertThat(mine.get("registrations")).hasSize(1);
        JsonNode binding = mine.get("registrations").get(0);
        assertThat(binding.get("aor").asText()).isEqualTo("601");
        assertThat(binding.get("contact").asText()).contains("127.0.0.1:" + port);
        assertThat(binding.get("transport").asText()).isEqualTo("udp");
        assertThat(binding.get("source").asText()).isEqualTo("127.0.0.1:" + port);
        assertThat(binding.get("username").asText()).isEqualTo(username);
        JsonNode all = expect(call(admin, "GET", "/api/registrations", null), 200);
        assertThat(all.get("registrations").findValuesAsText("aor")).contains("601");
        HttpResponse<String> devices = call(ritaSession, "GET", "/api/me/devices", null);
        assertThat(devices.body()).contains(username).doesNotContain(secret, "\"secret\"");

        // a new secret: the old one fails on the very next REGISTER, the new one works
        JsonNode rotated = expect(call(admin, "POST", "/api/devices/" + deviceId + "/secret", null), 200);
        String newSecret = rotated.get("secret").asText();
        assertThat(newSecret).isNotEqualTo(secret);
        Sipp.Result old = register(logs, "601", Sipp.freePort(false), username, secret);
        assertThat(old.exitCode()).as("the old secret: " + old.describe()).isEqualTo(1);
        assertThat(old.errors()).contains("401");
        Sipp.Result renewed = register(logs, "601", Sipp.freePort(false), username, newSecret);
        assertThat(renewed.exitCode()).as("the new secret: " + renewed.describe()).isZero();

        // deleted: its bindings leave the database with it (not when they would expire), REGISTER fails, and
        // nothing is listed
        assertThat(bindingsOf(deviceId)).as("registered before the deletion").isPositive();
        expect(call(admin, "DELETE", "/api/devices/" + deviceId, null), 204);
        assertThat(bindingsOf(deviceId)).as("bindings left by the deleted device").isZero();
        Sipp.Result gone = register(logs, "601", Sipp.freePort(false), username, newSecret);
        assertThat(gone.exitCode()).as("a deleted device: " + gone.describe()).isEqualTo(1);
        assertThat(expect(call(ritaSession, "GET", "/api/me/registrations", null), 200).get("registrations"))
                .isEmpty();
        assertThat(expect(call(admin, "GET", "/api/registrations", null), 200).get("registrations")
                .findValuesAsText("aor")).doesNotContain("601");
    }
}
