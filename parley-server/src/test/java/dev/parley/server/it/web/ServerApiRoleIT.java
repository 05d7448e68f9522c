package dev.parley.server.it.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.parley.pbx.account.PasswordHashing;
import dev.parley.pbx.directory.Role;
import dev.parley.pbx.directory.User;
import dev.parley.pbx.directory.UserId;
import dev.parley.server.it.ParleyUnderTest;
import dev.parley.server.it.TestDatabase;
import dev.parley.store.Store;
import dev.parley.web.api.ApiRoute;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.AfterParameterizedClassInvocation;
import org.junit.jupiter.params.BeforeParameterizedClassInvocation;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The role walk over the whole server, on SQLite and on PostgreSQL: a real Parley with every module the server
 * plugs in, its {@code /api/openapi.json} fetched over HTTPS, and for <em>every</em> operation of that document:
 * without a session 401; with each role's session, and with each role's API token where the operation's
 * {@code security} admits tokens, 403 {@code {"error":"forbidden"}} when {@code x-roles} leaves the role out and
 * otherwise an answer from the handler (not 401/403/405/500, never "no such API route"); a token on a session-only
 * operation is 403. The document must also equal the server's route table, operation for operation with the same
 * roles, so a route another feature adds in a module is walked here without anyone listing it.
 *
 * <p>Requests carry this origin and the session's CSRF token, a body of {@code {}} for POST/PUT/PATCH and
 * {@code sample} for each path parameter, so only the role decides whether the handler is reached; what the handler
 * answers to that input (400, 404, ...) is its own business. An answer of type {@code text/event-stream} is not read
 * past its headers.
 */
@ParameterizedClass(name = "on {0}")
@EnumSource(TestDatabase.class)
@Timeout(600)
class ServerApiRoleIT {
    private static final Pattern ONE_TIME = Pattern.compile("password {3}(\\S+)");
    private static final Pattern COOKIE = Pattern.compile("__Host-parley=([A-Za-z0-9_-]{43});");
    private static final Pattern CSRF = Pattern.compile("\"csrfToken\":\"([A-Za-z0-9_-]{43})\"");
    private static final Pattern TOKEN = Pattern.compile("\"token\":\"(parley_[A-Za-z0-9_-]{43})\"");
    private static final Set<String> METHODS = Set.of("get", "put", "post", "delete", "patch");
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final String WALK_PASSWORD = "lantern-quarry-velvet";

    @Parameter
    TestDatabase database;
    @TempDir
    static Path tmp;
    static ParleyUnderTest parley;
    static HttpClient http;
    static SSLContext sslContext;
    static final AtomicInteger UNKNOWN_TOKEN_SOURCES = new AtomicInteger();
    static JsonNode document;
    static final Map<Role, String> NAMES = new EnumMap<>(Role.class);
    static final Map<Role, String> PASSWORDS = new EnumMap<>(Role.class);
    static final Map<Role, String> TOKENS = new EnumMap<>(Role.class);

    /** One operation of the document: method (upper case), path template, roles, whether tokens may call it. */
    record Operation(String method, String path, Set<String> roles, boolean isPublic, boolean tokens) {
        String concretePath() {
            return path.replaceAll("\\{[^}]+}", "sample");
        }

        boolean changesState() {
            return !method.equals("GET");
        }

        @Override
        public String toString() {
            return method + " " + path + " " + (isPublic ? "public" : roles) + (isPublic || tokens ? ""
                    : " session-only");
        }
    }

    @BeforeParameterizedClassInvocation
    static void startParley(TestDatabase database) throws Exception {
        Path dir = Files.createDirectories(tmp.resolve(database.name().toLowerCase(Locale.ROOT)));
        parley = ParleyUnderTest.start(dir, database.settings());
        Matcher m = ONE_TIME.matcher(parley.console());
        assertThat(m.find()).as("the first-start banner").isTrue();
        NAMES.put(Role.SUPERADMIN, "admin");
        PASSWORDS.put(Role.SUPERADMIN, m.group(1));
        try (Store store = Store.open(parley.databaseUrl(), null, null)) {
            for (Role role : List.of(Role.ADMIN, Role.USER)) {
                User u = new User(UserId.random(), "walk-" + role.wireName(), role.name(), role, null);
                store.users().save(u);
                store.webPasswords().set(u.id(), PasswordHashing.argon2id(WALK_PASSWORD.toCharArray()));
                NAMES.put(role, u.name());
                PASSWORDS.put(role, WALK_PASSWORD);
            }
        }
        sslContext = WebLoginIT.trusting(dir.resolve("data/tls/cert.pem"));
        http = HttpClient.newBuilder().sslContext(sslContext)
                .connectTimeout(Duration.ofSeconds(3)).build();
        HttpResponse<String> doc = http.send(request("/api/openapi.json").build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(doc.statusCode()).as(doc.body()).isEqualTo(200);
        document = MAPPER.readTree(doc.body());
        for (Role role : Role.values()) {
            Session s = signIn(role);
            HttpResponse<String> made = http.send(withSession(request("/api/me/tokens"), s)
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"role walk\"}")).build(),
                    HttpResponse.BodyHandlers.ofString());
            Matcher t = TOKEN.matcher(made.body());
            assertThat(made.statusCode() == 201 && t.find()).as(made.body()).isTrue();
            TOKENS.put(role, t.group(1));
        }
    }

    @AfterParameterizedClassInvocation
    static void stopParley() {
        if (parley != null) {
            parley.close();
            parley = null;
        }
        NAMES.clear();
        PASSWORDS.clear();
        TOKENS.clear();
    }

    private static String origin() {
        return "https://127.0.0.1:" + parley.httpsPort();
    }

    private static HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(URI.create(origin() + path)).timeout(Duration.ofSeconds(15));
    }

    record Session(String cookie, String csrf) {
    }

    private static HttpRequest.Builder withSession(HttpRequest.Builder b, Session s) {
        return b.header("Cookie", "__Host-parley=" + s.cookie()).header("X-CSRF-Token", s.csrf())
                .header("Origin", origin());
    }

    private static Session signIn(Role role) throws Exception {
        HttpResponse<String> in = http.send(request("/api/session").header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"username\":\"" + NAMES.get(role) + "\",\"password\":\""
                        + PASSWORDS.get(role) + "\"}")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(in.statusCode()).as(role + " signs in: " + in.body()).isEqualTo(200);
        Matcher c = COOKIE.matcher(in.headers().firstValue("Set-Cookie").orElseThrow());
        Matcher t = CSRF.matcher(in.body());
        assertThat(c.find() && t.find()).isTrue();
        return new Session(c.group(1), t.group(1));
    }

    /** The operations of the served document. */
    static List<Operation> operations() {
        List<Operation> ops = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> paths = document.get("paths").fields(); paths.hasNext(); ) {
            Map.Entry<String, JsonNode> path = paths.next();
            for (Iterator<Map.Entry<String, JsonNode>> it = path.getValue().fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> op = it.next();
                if (!METHODS.contains(op.getKey())) {
                    continue;
                }
                Set<String> roles = new TreeSet<>();
                op.getValue().path("x-roles").forEach(r -> roles.add(r.asText()));
                JsonNode security = op.getValue().path("security");
                boolean isPublic = security.isArray() && security.isEmpty();
                boolean tokens = false;
                for (JsonNode requirement : security) {
                    tokens |= requirement.has("token");
                }
                ops.add(new Operation(op.getKey().toUpperCase(Locale.ROOT), path.getKey(), roles, isPublic, tokens));
            }
        }
        return ops;
    }

    /** Status and body; an event stream is closed after its headers, anything else read to the end (≤ 1 MiB). */
    record Answer(int status, String body, String contentType) {
    }

    private static Answer send(HttpRequest.Builder b, Operation op) throws Exception {
        return send(http, b, op);
    }

    /**
     * A client from a source address of its own in 127.0.0.0/8: a wrong token counts as a failed sign-in of its
     * source (20 per 15 minutes, then 429 before any lookup), and the walk sends one per operation.
     */
    private static HttpClient unknownTokenClient() throws Exception {
        int n = UNKNOWN_TOKEN_SOURCES.getAndIncrement();
        InetAddress source = InetAddress.getByAddress(new byte[] {127, 0, (byte) (1 + n / 250), (byte) (2 + n % 250)});
        return HttpClient.newBuilder().sslContext(sslContext).localAddress(source)
                .connectTimeout(Duration.ofSeconds(3)).build();
    }

    private static Answer send(HttpClient http, HttpRequest.Builder b, Operation op) throws Exception {
        String body = op.changesState() && !op.method().equals("DELETE") ? "{}" : null;
        b.header("Content-Type", "application/json").method(op.method(), body == null
                ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        HttpRequest request = b.build();
        // no retry: a refusal that leaves the body unread keeps the connection usable (KeptAliveRefusalIT)
        HttpResponse<InputStream> r = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
        String type = r.headers().firstValue("Content-Type").orElse("");
        assertThat(r.headers().firstValue("Strict-Transport-Security")).as(op + ": HSTS").isPresent();
        assertThat(r.headers().firstValue("X-Content-Type-Options")).as(op.toString()).hasValue("nosniff");
        assertThat(r.headers().firstValue("Content-Security-Policy")).as(op.toString()).isPresent();
        try (InputStream in = r.body()) {
            if (type.startsWith("text/event-stream")) {
                return new Answer(r.statusCode(), "", type);
            }
            return new Answer(r.statusCode(), new String(in.readNBytes(1 << 20), StandardCharsets.UTF_8), type);
        } catch (IOException e) {
            return new Answer(r.statusCode(), "", type);
        }
    }

    private static void assertReached(Answer a, String who) {
        assertThat(a.status()).as(who + ": " + a.body()).isNotIn(401, 403, 405, 500);
        assertThat(a.body()).as(who).doesNotContain("no such API route");
    }

    private static void assertForbidden(Answer a, String who) {
        assertThat(a.status()).as(who + ": " + a.body()).isEqualTo(403);
        assertThat(a.body()).as(who).isEqualTo("{\"error\":\"forbidden\"}");
    }

    @Test
    void theDocumentIsTheRouteTable() {
        List<ApiRoute> table = parley.server().apiRoutes();
        assertThat(table).as("the web server runs").isNotEmpty();
        Set<String> fromTable = table.stream().map(r -> r.method() + " " + r.path() + " "
                + (r.access().isPublic() ? "public" : r.access().roles().stream().map(Role::wireName)
                        .collect(Collectors.toCollection(TreeSet::new))) + (r.access().isPublic() || !r.sessionOnly()
                        ? "" : " session-only")).collect(Collectors.toCollection(TreeSet::new));
        Set<String> fromDocument = operations().stream().map(Operation::toString)
                .collect(Collectors.toCollection(TreeSet::new));
        assertThat(fromDocument).isEqualTo(fromTable);
        assertThat(fromDocument).as("the directory module is plugged in").contains(
                "POST /api/users [admin, superadmin]", "GET /api/me/devices [admin, superadmin, user]",
                "GET /api/registrations [admin, superadmin]");
    }

    @TestFactory
    List<DynamicTest> everyOperationChecksTheSessionTheTokenAndTheRole() {
        return operations().stream().map(op -> DynamicTest.dynamicTest(op.toString(), () -> {
            if (op.isPublic()) {
                Answer a = send(request(op.concretePath()).header("Origin", origin()), op);
                assertReached(a, "anyone");
                return;
            }
            Answer anonymous = send(request(op.concretePath()).header("Origin", origin())
                    .header("X-CSRF-Token", "A".repeat(43)), op);
            assertThat(anonymous.status()).as("no session: " + anonymous.body()).isEqualTo(401);
            Answer unknownToken = send(unknownTokenClient(), request(op.concretePath()).header("Authorization",
                    "Bearer parley_" + "Q".repeat(43)), op);
            assertThat(unknownToken.status()).as("unknown token: " + unknownToken.body()).isEqualTo(401);
            for (Role role : Role.values()) {
                boolean allowed = op.roles().contains(role.wireName());
                Answer bySession = send(withSession(request(op.concretePath()), signIn(role)), op);
                if (allowed) {
                    assertReached(bySession, role + " session");
                } else {
                    assertForbidden(bySession, role + " session");
                }
                Answer byToken = send(request(op.concretePath()).header("Authorization", "Bearer "
                        + TOKENS.get(role)), op);
                if (!allowed) {
                    assertForbidden(byToken, role + " token");
                } else if (op.tokens()) {
                    assertReached(byToken, role + " token");
                } else {
                    assertThat(byToken.status()).as(role + " token on a session-only route: " + byToken.body())
                            .isEqualTo(403);
                    assertThat(byToken.body()).contains("needs a signed-in session");
                }
            }
        })).toList();
    }
}
