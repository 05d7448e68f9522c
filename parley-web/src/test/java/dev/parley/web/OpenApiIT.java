package dev.parley.web;

import dev.parley.sipstack.transport.TestCerts;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.Error;
import com.networknt.schema.InputFormat;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import dev.parley.pbx.account.PasswordHashing;
import dev.parley.pbx.directory.Role;
import dev.parley.pbx.directory.User;
import dev.parley.pbx.directory.UserId;
import dev.parley.pbx.directory.memory.InMemoryExtensionRepository;
import dev.parley.pbx.directory.memory.InMemoryUserRepository;
import dev.parley.pbx.directory.memory.InMemoryWebPasswordRepository;
import dev.parley.web.api.ApiRoute;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@code GET /api/openapi.json} over real HTTPS: the document is valid OpenAPI 3.1 by the official schema
 * ({@code src/test/resources/openapi/oas-3.1-schema-2022-10-07.json}, the OpenAPI Initiative's
 * {@code schemas/v3.1/schema.json}, checked with networknt json-schema-validator), every body schema in it is valid
 * JSON Schema 2020-12, it holds exactly the server's route table, and every operation it lists is served.
 */
@Timeout(120)
class OpenApiIT {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    static WebServer web;
    static ApiClient api;
    static JsonNode doc;

    @BeforeAll
    static void start() throws Exception {
        InMemoryUserRepository users = new InMemoryUserRepository();
        InMemoryWebPasswordRepository passwords = new InMemoryWebPasswordRepository();
        User admin = new User(UserId.random(), "superadmin1", "Super", Role.SUPERADMIN, "root@example.com");
        users.save(admin);
        users.save(new User(UserId.random(), "user1", "Plain", Role.USER, null));
        passwords.set(admin.id(), PasswordHashing.argon2id(ApiRoleIT.PASSWORDS.get(Role.SUPERADMIN).toCharArray()));
        web = new WebServer(WebConfig.of(InetAddress.getLoopbackAddress(), 0, TestCerts.get().keyManagers()), null,
                "127.0.0.1", AccountModules.with(WebAccounts.of(users, new InMemoryExtensionRepository(), passwords)
                        .withModule(PhoneApiIT.module(users)), users, passwords));
        web.start();
        api = new ApiClient(web);
        HttpResponse<String> r = api.send(api.request("/api/openapi.json"));
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type")).get().asString().startsWith("application/json");
        ApiClient.assertSecurityHeaders(r);
        doc = MAPPER.readTree(r.body());
    }

    @AfterAll
    static void stop() {
        if (web != null) {
            web.close();
        }
    }

    private static List<Error> validateAsOpenApi31(JsonNode document) throws Exception {
        try (InputStream in = OpenApiIT.class.getResourceAsStream("/openapi/oas-3.1-schema-2022-10-07.json")) {
            Schema oas = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12).getSchema(in);
            return oas.validate(MAPPER.writeValueAsString(document), InputFormat.JSON);
        }
    }

    @Test
    void theDocumentIsValidOpenApi31() throws Exception {
        assertThat(doc.path("openapi").asText()).isEqualTo("3.1.0");
        assertThat(validateAsOpenApi31(doc)).isEmpty();
    }

    @Test
    void theValidatorRejectsABrokenDocument() throws Exception {
        // the check above must be able to fail: no info, and a response code OpenAPI does not allow
        ObjectNode broken = doc.deepCopy();
        broken.remove("info");
        assertThat(validateAsOpenApi31(broken)).isNotEmpty();
        broken = doc.deepCopy();
        ((ObjectNode) broken.at("/paths/~1api~1me/get/responses")).putObject("999").put("description", "x");
        assertThat(validateAsOpenApi31(broken)).isNotEmpty();
    }

    @Test
    void everyBodySchemaIsValidJsonSchema202012() {
        Schema meta = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12)
                .getSchema(SchemaLocation.of("https://json-schema.org/draft/2020-12/schema"));
        List<String> checked = new ArrayList<>();
        doc.at("/paths").properties().forEach(path -> path.getValue().properties().forEach(op -> {
            List<JsonNode> schemas = new ArrayList<>(op.getValue().findValues("schema"));
            for (JsonNode s : schemas) {
                assertThat(meta.validate(s.toString(), InputFormat.JSON)).as(op.getKey() + " " + path.getKey()
                        + ": " + s).isEmpty();
                checked.add(op.getKey() + " " + path.getKey());
            }
        }));
        assertThat(meta.validate("{\"type\": 5}", InputFormat.JSON)).as("the meta-schema check can fail")
                .isNotEmpty();
        assertThat(checked).contains("post /api/session", "post /api/me/tokens", "get /api/users");
    }

    private static ApiRoute route(String method, String path) {
        return web.apiRoutes().stream().filter(r -> r.method().name().equals(method) && r.path().equals(path))
                .findFirst().orElseThrow();
    }

    private static void assertAnswerMatchesItsSchema(String method, String path, HttpResponse<String> r) {
        ApiRoute route = route(method, path);
        assertThat(r.statusCode()).as(method + " " + path + ": " + r.body()).isEqualTo(route.status());
        Schema schema = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12)
                .getSchema(route.responseSchema().toString());
        assertThat(schema.validate(r.body(), InputFormat.JSON)).as(method + " " + path + ": " + r.body()).isEmpty();
    }

    @Test
    void realAnswersMatchTheirDeclaredSchemas() throws Exception {
        HttpResponse<String> login = api.login("username", "superadmin1", ApiRoleIT.PASSWORDS.get(Role.SUPERADMIN));
        assertAnswerMatchesItsSchema("POST", "/api/session", login);
        ApiClient.Signed s = new ApiClient.Signed(ApiClient.cookieOf(login), ApiClient.csrfOf(login.body()));
        HttpResponse<String> made = ApiTokenIT.createToken(api, s, "{\"name\":\"schema\",\"expiresInDays\":2}");
        assertAnswerMatchesItsSchema("POST", "/api/me/tokens", made);
        String token = ApiTokenIT.tokenOf(made);
        for (String path : List.of("/api/health", "/api/me", "/api/me/tokens", "/api/users", "/api/openapi.json")) {
            assertAnswerMatchesItsSchema("GET", path, api.send(api.request(path).header("Cookie", s.header())));
            assertAnswerMatchesItsSchema("GET", path, api.send(api.request(path)
                    .header("Authorization", "Bearer " + token)));
        }
        // and the check can fail: /api/me's schema does not fit the users list
        Schema me = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12)
                .getSchema(route("GET", "/api/me").responseSchema().toString());
        assertThat(me.validate(api.send(api.request("/api/users").header("Cookie", s.header())).body(),
                InputFormat.JSON)).isNotEmpty();
    }

    private static Set<String> operationsInDocument() {
        Set<String> ops = new TreeSet<>();
        doc.at("/paths").properties().forEach(path -> path.getValue().properties().forEach(op ->
                ops.add(op.getKey().toUpperCase(Locale.ROOT) + " " + path.getKey())));
        return ops;
    }

    @Test
    void theDocumentHoldsExactlyTheRouteTableWithItsRoles() {
        Set<String> table = web.apiRoutes().stream().map(r -> r.method().name() + " " + r.path())
                .collect(Collectors.toCollection(TreeSet::new));
        assertThat(operationsInDocument()).isEqualTo(table);
        for (ApiRoute route : web.apiRoutes()) {
            JsonNode op = doc.path("paths").path(route.path()).path(route.method().name().toLowerCase(Locale.ROOT));
            List<String> roles = new ArrayList<>();
            op.path("x-roles").forEach(r -> roles.add(r.asText()));
            assertThat(roles).as(route.toString()).containsExactlyElementsOf(route.access().roles().stream()
                    .map(Role::wireName).toList());
            List<String> schemes = new ArrayList<>();
            op.path("security").forEach(req -> req.fieldNames().forEachRemaining(schemes::add));
            assertThat(schemes).as(route.toString()).isEqualTo(route.access().isPublic() ? List.of()
                    : route.sessionOnly() ? List.of("session") : List.of("session", "token"));
            assertThat(op.has("requestBody")).as(route.toString()).isEqualTo(route.requestSchema() != null);
            assertThat(op.path("responses").has(Integer.toString(route.status()))).as(route.toString()).isTrue();
        }
        assertThat(doc.at("/components/securitySchemes/token/scheme").asText()).isEqualTo("bearer");
        assertThat(doc.at("/components/securitySchemes/session/name").asText()).isEqualTo("__Host-parley");
    }

    @Test
    void everyOperationInTheDocumentIsServed() throws Exception {
        Map<String, Integer> seen = new TreeMap<>();
        for (String op : operationsInDocument()) {
            String method = op.substring(0, op.indexOf(' '));
            String path = op.substring(op.indexOf(' ') + 1).replaceAll("\\{[^}]+}", "x");
            JsonNode operation = doc.path("paths").path(op.substring(op.indexOf(' ') + 1))
                    .path(method.toLowerCase(Locale.ROOT));
            HttpRequest.Builder b = api.request(path).header("Origin", api.origin())
                    .header("Content-Type", "application/json")
                    .method(method, method.equals("GET") || method.equals("DELETE")
                            ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString("{}"));
            HttpResponse<String> r = api.send(b);
            seen.put(op, r.statusCode());
            if (operation.path("security").isEmpty()) {
                assertThat(r.statusCode()).as(op + ": " + r.body()).isNotIn(401, 403, 404, 405, 500);
            } else {
                // no session: refused by the guard, which means the route exists (an unknown one is 404)
                assertThat(r.statusCode()).as(op + ": " + r.body()).isIn(401, 403);
            }
        }
        assertThat(seen).hasSize(web.apiRoutes().size());
        HttpResponse<String> unknown = api.send(api.request("/api/not-in-the-document"));
        assertThat(unknown.statusCode()).as("the check above can tell a missing route").isEqualTo(404);
    }
}
