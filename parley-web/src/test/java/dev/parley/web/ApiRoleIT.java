package dev.parley.web;

import dev.parley.sipstack.transport.TestCerts;
import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.pbx.account.PasswordHashing;
import dev.parley.pbx.directory.Role;
import dev.parley.pbx.directory.User;
import dev.parley.pbx.directory.UserId;
import dev.parley.pbx.directory.memory.InMemoryExtensionRepository;
import dev.parley.pbx.directory.memory.InMemoryUserRepository;
import dev.parley.pbx.directory.memory.InMemoryWebPasswordRepository;
import dev.parley.web.api.ApiRoute;
import java.net.InetAddress;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.Timeout;

/**
 * Every route of the server's own route table ({@link WebServer#apiRoutes()}), not a list kept here: without a
 * session each non-public route answers 401; with a {@code user} session each route that does not allow users
 * answers 403 and each that does is reached; an admin reaches the admin routes; a superadmin reaches everything.
 * Requests carry this origin and the session's CSRF token, so only the role decides. The same walk is made with
 * each role's personal API token ({@code Authorization: Bearer}): the role decides as for a session, and a
 * session-only route refuses every token with 403.
 */
@Timeout(120)
class ApiRoleIT {
    static final Map<Role, String> PASSWORDS = Map.of(Role.SUPERADMIN, "summit-copper-lantern",
            Role.ADMIN, "harvest-nickel-comet", Role.USER, "pebble-orchard-quartz");
    static WebServer web;
    static ApiClient api;
    static final Map<Role, String> TOKENS = new java.util.EnumMap<>(Role.class);

    @BeforeAll
    static void start() {
        InMemoryUserRepository users = new InMemoryUserRepository();
        InMemoryWebPasswordRepository passwords = new InMemoryWebPasswordRepository();
        for (Role role : Role.values()) {
            User u = new User(UserId.random(), role.wireName() + "1", role.name(), role, null);
            users.save(u);
            passwords.set(u.id(), PasswordHashing.argon2id(PASSWORDS.get(role).toCharArray()));
        }
        web = new WebServer(WebConfig.of(InetAddress.getLoopbackAddress(), 0, TestCerts.get().keyManagers()), null,
                "127.0.0.1", AccountModules.with(WebAccounts.of(users, new InMemoryExtensionRepository(), passwords)
                        .withModule(PhoneApiIT.module(users)), users, passwords));
        web.start();
        api = new ApiClient(web);
        for (Role role : Role.values()) {
            try {
                TOKENS.put(role, ApiTokenIT.tokenOf(ApiTokenIT.createToken(api, api.signIn(role.wireName() + "1",
                        PASSWORDS.get(role)), "{\"name\":\"role walk\"}")));
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
    }

    /** The route's path with a sample value for each {@code {parameter}}. */
    static String concrete(ApiRoute route) {
        return route.path().replaceAll("\\{[^}]+}", "sample");
    }

    /** Reached the handler: what it answers to "{}" or a sample id is its business (400, or 404 no such token). */
    private static void assertReached(HttpResponse<String> r, String who) {
        assertThat(r.statusCode()).as(who + ": " + r.body()).isNotIn(401, 403, 405, 500);
        assertThat(r.body()).as(who).doesNotContain("no such API route");
    }

    private HttpResponse<String> callWithToken(ApiRoute route, String token) throws Exception {
        String body = route.changesState() && !route.method().name().equals("DELETE") ? "{}" : null;
        return api.send(api.request(concrete(route)).header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/json").method(route.method().name(), body == null
                        ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body)));
    }

    @AfterAll
    static void stop() {
        if (web != null) {
            web.close();
        }
    }

    private HttpResponse<String> call(ApiRoute route, ApiClient.Signed session) throws Exception {
        HttpRequest.Builder b = api.request(concrete(route)).header("Origin", api.origin())
                .header("Content-Type", "application/json");
        if (session != null) {
            b.header("Cookie", session.header()).header("X-CSRF-Token", session.csrf());
        } else {
            b.header("X-CSRF-Token", "A".repeat(43));
        }
        String body = route.changesState() && !route.method().name().equals("DELETE") ? "{}" : null;
        b.method(route.method().name(), body == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(body));
        return api.send(b);
    }

    private ApiClient.Signed as(Role role) throws Exception {
        return api.signIn(role.wireName() + "1", PASSWORDS.get(role));
    }

    @Test
    void onlyHealthLoginTheOpenApiDocumentAndTheAccountFlowsArePublic() {
        assertThat(web.apiRoutes().stream().filter(r -> r.access().isPublic()).map(ApiRoute::toString)
                .collect(Collectors.toSet())).containsExactlyInAnyOrder("GET /api/health public",
                "POST /api/session public", "GET /api/openapi.json public", "POST /api/signup public",
                "POST /api/signup/confirm public", "POST /api/password-reset public",
                "POST /api/password-reset/confirm public");
        assertThat(web.apiRoutes()).extracting(ApiRoute::toString).contains("GET /api/users [SUPERADMIN, ADMIN]");
    }

    @TestFactory
    List<DynamicTest> everyRouteChecksTheSessionAndTheRole() {
        return web.apiRoutes().stream().filter(r -> !r.access().isPublic()).map(route -> DynamicTest.dynamicTest(
                route.toString(), () -> {
                    HttpResponse<String> anonymous = call(route, null);
                    assertThat(anonymous.statusCode()).as("no session: " + anonymous.body()).isEqualTo(401);
                    ApiClient.assertSecurityHeaders(anonymous);
                    HttpResponse<String> badToken = callWithToken(route, "parley_" + "Z".repeat(43));
                    assertThat(badToken.statusCode()).as("unknown token: " + badToken.body()).isEqualTo(401);
                    for (Role role : Role.values()) {
                        HttpResponse<String> r = call(route, as(role)); // a fresh session each: a route may end it
                        if (route.access().allows(role)) {
                            assertReached(r, role.toString());
                        } else {
                            assertThat(r.statusCode()).as(role + ": " + r.body()).isEqualTo(403);
                            assertThat(r.body()).isEqualTo("{\"error\":\"forbidden\"}");
                        }
                        HttpResponse<String> t = callWithToken(route, TOKENS.get(role));
                        if (!route.access().allows(role)) {
                            assertThat(t.statusCode()).as(role + " token: " + t.body()).isEqualTo(403);
                            assertThat(t.body()).isEqualTo("{\"error\":\"forbidden\"}");
                        } else if (route.sessionOnly()) {
                            assertThat(t.statusCode()).as(role + " token: " + t.body()).isEqualTo(403);
                            assertThat(t.body()).contains("needs a signed-in session");
                        } else {
                            assertReached(t, role + " token");
                        }
                    }
                })).toList();
    }

    @TestFactory
    List<DynamicTest> everyStateChangingRouteNeedsTheTokenAndThisOrigin() {
        return web.apiRoutes().stream().filter(r -> r.changesState() && !r.csrfExempt() && !r.access().isPublic())
                .map(route -> DynamicTest.dynamicTest(route.toString(), () -> {
                    Role role = route.access().roles().iterator().next();
                    ApiClient.Signed s = as(role);
                    for (String[] headers : List.of(new String[] {"Origin", api.origin()},
                            new String[] {"Origin", "https://evil.example", "X-CSRF-Token", s.csrf()},
                            new String[] {"X-CSRF-Token", s.csrf()})) {
                        HttpRequest.Builder b = api.request(concrete(route)).header("Cookie", s.header())
                                .header("Content-Type", "application/json").headers(headers)
                                .method(route.method().name(), HttpRequest.BodyPublishers.ofString("{}"));
                        HttpResponse<String> r = api.send(b);
                        assertThat(r.statusCode()).as(String.join(" ", headers) + ": " + r.body()).isEqualTo(403);
                        ApiClient.assertSecurityHeaders(r);
                    }
                })).toList();
    }

    @TestFactory
    List<DynamicTest> publicStateChangingRoutesOtherThanLoginNeedThisOrigin() {
        return web.apiRoutes().stream().filter(r -> r.changesState() && !r.csrfExempt() && r.access().isPublic())
                .map(route -> DynamicTest.dynamicTest(route.toString(), () -> {
                    for (String[] headers : List.of(new String[] {"Origin", "https://evil.example"},
                            new String[] {"Referer", "https://evil.example/page"}, new String[] {"X-None", "1"})) {
                        HttpResponse<String> r = api.send(api.request(concrete(route))
                                .header("Content-Type", "application/json").headers(headers)
                                .method(route.method().name(), HttpRequest.BodyPublishers.ofString("{}")));
                        assertThat(r.statusCode()).as(String.join(" ", headers) + ": " + r.body()).isEqualTo(403);
                        ApiClient.assertSecurityHeaders(r);
                    }
                })).toList();
    }

    @Test
    void aPathOrMethodOutsideTheTableIs404InJson() throws Exception {
        for (HttpRequest.Builder b : List.of(api.request("/api/nope"),
                api.request("/api/me").header("Origin", api.origin()).POST(HttpRequest.BodyPublishers.noBody()))) {
            HttpResponse<String> r = api.send(b);
            assertThat(r.statusCode()).isEqualTo(404);
            assertThat(r.body()).isEqualTo("{\"error\":\"no such API route\"}");
            ApiClient.assertSecurityHeaders(r);
        }
        HttpResponse<String> page = api.send(api.request("/no-such-page.html"));
        assertThat(page.statusCode()).isEqualTo(404);
        assertThat(page.body()).doesNotContain("no such API route");
    }

    @Test
    void usersListsEveryoneForAnAdminAndNothingForAUser() throws Exception {
        ApiRoute users = web.apiRoutes().stream().filter(r -> r.path().equals("/api/users")).findFirst()
                .orElseThrow();
        HttpResponse<String> admin = call(users, as(Role.ADMIN));
        assertThat(admin.body()).contains("\"username\":\"admin1\"", "\"username\":\"superadmin1\"",
                "\"username\":\"user1\"", "\"role\":\"superadmin\"").doesNotContain("argon2");
        assertThat(call(users, as(Role.USER)).body()).doesNotContain("admin1");
    }
}
