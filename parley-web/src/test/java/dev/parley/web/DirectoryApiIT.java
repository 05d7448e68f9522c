package dev.parley.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.InputFormat;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import dev.parley.pbx.account.PasswordHashing;
import dev.parley.pbx.directory.Device;
import dev.parley.pbx.directory.DeviceId;
import dev.parley.pbx.directory.Role;
import dev.parley.pbx.directory.User;
import dev.parley.pbx.directory.UserId;
import dev.parley.pbx.directory.memory.InMemoryDeviceRepository;
import dev.parley.pbx.directory.memory.InMemoryExtensionRepository;
import dev.parley.pbx.directory.memory.InMemoryUserRepository;
import dev.parley.pbx.directory.memory.InMemoryWebPasswordRepository;
import dev.parley.pbx.registrar.Binding;
import dev.parley.pbx.registrar.ReceivedFrom;
import dev.parley.pbx.registrar.memory.InMemoryBindingRepository;
import dev.parley.sip.header.Address;
import dev.parley.sipstack.flow.Transport;
import dev.parley.sipstack.transport.TestCerts;
import dev.parley.web.api.ApiRoute;
import dev.parley.web.api.DirectoryApi;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The directory resources ({@link DirectoryApi}) over real HTTPS on in-memory repositories: what admins may do to
 * users (and what only a superadmin may), extensions with their number checks and conflicts, devices whose secret
 * is shown once and rotates, and registrations seen by admins and by their owner only. Every success answer is
 * checked against the JSON Schema its route declares; every refusal names the field.
 */
@Timeout(120)
class DirectoryApiIT {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    static final String PASSWORD = "sturdy-violet-harbour";
    static InMemoryUserRepository users = new InMemoryUserRepository();
    static InMemoryExtensionRepository extensions = new InMemoryExtensionRepository();
    static InMemoryDeviceRepository devices = new InMemoryDeviceRepository();
    static InMemoryBindingRepository bindings = new InMemoryBindingRepository();
    static InMemoryWebPasswordRepository passwords = new InMemoryWebPasswordRepository();
    static AtomicInteger changes = new AtomicInteger();
    static WebServer web;
    static ApiClient api;
    static User root;
    static User admin;

    @BeforeAll
    static void start() {
        root = addUser("root", Role.SUPERADMIN);
        admin = addUser("ada", Role.ADMIN);
        WebAccounts accounts = WebAccounts.of(users, extensions, passwords);
        web = new WebServer(WebConfig.of(InetAddress.getLoopbackAddress(), 0, TestCerts.get().keyManagers()), null,
                "127.0.0.1", accounts.withModule(new DirectoryApi(users, extensions, devices, passwords, bindings,
                        accounts.gate(), changes::incrementAndGet, InstantSource.system())));
        web.start();
        api = new ApiClient(web);
    }

    private static User addUser(String name, Role role) {
        User u = new User(UserId.random(), name, name.toUpperCase(), role, null);
        users.save(u);
        passwords.set(u.id(), PasswordHashing.argon2id(PASSWORD.toCharArray()));
        return u;
    }

    @AfterAll
    static void stop() {
        if (web != null) {
            web.close();
        }
    }

    private static HttpResponse<String> call(ApiClient.Signed s, String method, String path, String body)
            throws Exception {
        HttpRequest.Builder b = api.request(path).header("Origin", api.origin()).header("Cookie", s.header())
                .header("X-CSRF-Token", s.csrf());
        if (body != null) {
            b.header("Content-Type", "application/json");
        }
        HttpResponse<String> r = api.send(b.method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(body)));
        ApiClient.assertSecurityHeaders(r);
        return r;
    }

    /** Asserts the status, and for the route's success status that the body matches its declared schema. */
    private static JsonNode expect(HttpResponse<String> r, int status) throws Exception {
        assertThat(r.statusCode()).as(r.request().method() + " " + r.uri().getPath() + ": " + r.body())
                .isEqualTo(status);
        if (status >= 300 || r.body().isEmpty()) {
            return r.body().isEmpty() ? null : MAPPER.readTree(r.body());
        }
        String path = r.uri().getPath();
        ApiRoute route = web.apiRoutes().stream().filter(x -> x.method().name().equals(r.request().method())
                && path.matches(x.path().replaceAll("\\{[^}]+}", "[^/]+"))).findFirst().orElseThrow();
        assertThat(SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12)
                .getSchema(route.responseSchema().toString()).validate(r.body(), InputFormat.JSON))
                .as(route + ": " + r.body()).isEmpty();
        return MAPPER.readTree(r.body());
    }

    private static void expectRefusal(HttpResponse<String> r, int status, String field) throws Exception {
        JsonNode body = expect(r, status);
        assertThat(body.path("field").asText()).as(r.body()).isEqualTo(field);
    }

    @Test
    void adminsManageUsersAndOnlyASuperadminManagesAdmins() throws Exception {
        ApiClient.Signed ada = api.signIn("ada", PASSWORD);
        JsonNode bob = expect(call(ada, "POST", "/api/users", """
                {"username":"bob","displayName":"Bob Builder","role":"user","email":"Bob@Example.org",
                 "password":"granite-pelican-morning"}"""), 201);
        assertThat(bob.get("username").asText()).isEqualTo("bob");
        assertThat(bob.get("email").asText()).isEqualTo("bob@example.org");
        assertThat(bob.get("role").asText()).isEqualTo("user");
        assertThat(api.signIn("bob", "granite-pelican-morning").cookie()).as("the password was set").isNotEmpty();
        String id = bob.get("id").asText();
        assertThat(expect(call(ada, "GET", "/api/users/" + id, null), 200)).isEqualTo(bob);

        expectRefusal(call(ada, "POST", "/api/users", "{\"username\":\"bob\",\"displayName\":\"\",\"role\":\"user\"}"),
                409, "username");
        expectRefusal(call(ada, "POST", "/api/users",
                "{\"username\":\"bob2\",\"displayName\":\"\",\"role\":\"user\",\"email\":\"bob@example.org\"}"),
                409, "email");
        expectRefusal(call(ada, "POST", "/api/users",
                "{\"username\":\"b o b\",\"displayName\":\"\",\"role\":\"user\"}"),
                400, "username");
        expectRefusal(call(ada, "POST", "/api/users", "{\"username\":\"carl\",\"displayName\":\"\",\"role\":\"boss\"}"),
                400, "role");
        expectRefusal(call(ada, "POST", "/api/users", "{\"username\":\"carl\",\"role\":\"user\"}"),
                400, "displayName");
        expectRefusal(call(ada, "POST", "/api/users",
                "{\"username\":\"carl\",\"displayName\":\"\",\"role\":\"user\",\"password\":\"short\"}"),
                400, "password");
        expectRefusal(call(ada, "POST", "/api/users",
                "{\"username\":\"carl\",\"displayName\":\"\",\"role\":\"user\",\"password\":\"carl\"}"),
                400, "password");
        expectRefusal(call(ada, "POST", "/api/users",
                "{\"username\":\"carl\",\"displayName\":\"\",\"role\":\"user\",\"extra\":1}"), 400, "extra");
        assertThat(users.findByName("carl")).as("no refused request left a user behind").isEmpty();

        HttpResponse<String> promote = call(ada, "POST", "/api/users",
                "{\"username\":\"eve\",\"displayName\":\"\",\"role\":\"admin\"}");
        expect(promote, 403);
        assertThat(users.findByName("eve")).isEmpty();
        expect(call(ada, "PUT", "/api/users/" + id, "{\"role\":\"admin\"}"), 403);
        expect(call(ada, "PUT", "/api/users/" + root.id(), "{\"displayName\":\"x\"}"), 403);
        expect(call(ada, "DELETE", "/api/users/" + root.id(), null), 403);

        JsonNode changed = expect(call(ada, "PUT", "/api/users/" + id,
                "{\"displayName\":\"Robert\",\"email\":null}"), 200);
        assertThat(changed.get("displayName").asText()).isEqualTo("Robert");
        assertThat(changed.get("email").isNull()).isTrue();
        assertThat(changed.get("role").asText()).as("left out: kept").isEqualTo("user");
        expectRefusal(call(ada, "PUT", "/api/users/" + id, "{\"email\":\"not-an-address\"}"), 400, "email");
        expect(call(ada, "PUT", "/api/users/" + UserId.random(), "{\"displayName\":\"x\"}"), 404);

        ApiClient.Signed rootSession = api.signIn("root", PASSWORD);
        JsonNode eve = expect(call(rootSession, "POST", "/api/users",
                "{\"username\":\"eve\",\"displayName\":\"Eve\",\"role\":\"admin\"}"), 201);
        expectRefusal(call(rootSession, "PUT", "/api/users/" + root.id(), "{\"role\":\"admin\"}"), 409, "role");
        expectRefusal(call(rootSession, "DELETE", "/api/users/" + root.id(), null), 409, "id");
        expect(call(ada, "DELETE", "/api/users/" + admin.id(), null), 403);
        expect(call(rootSession, "DELETE", "/api/users/" + eve.get("id").asText(), null), 204);
        assertThat(users.findByName("eve")).isEmpty();
        assertThat(users.findById(root.id()).orElseThrow().role()).isEqualTo(Role.SUPERADMIN);
    }

    @Test
    void extensionsAreCheckedAndUnique() throws Exception {
        ApiClient.Signed ada = api.signIn("ada", PASSWORD);
        User owner = addUser("xena", Role.USER);
        JsonNode made = expect(call(ada, "POST", "/api/extensions",
                "{\"number\":\"301\",\"userId\":\"" + owner.id() + "\"}"), 201);
        assertThat(made.get("number").asText()).isEqualTo("301");
        assertThat(made.get("username").asText()).isEqualTo("xena");
        assertThat(extensions.find("301").orElseThrow().owner()).isEqualTo(owner.id());
        expectRefusal(call(ada, "POST", "/api/extensions", "{\"number\":\"301\",\"userId\":\"" + root.id() + "\"}"),
                409, "number");
        assertThat(extensions.find("301").orElseThrow().owner()).as("not taken over").isEqualTo(owner.id());
        expectRefusal(call(ada, "POST", "/api/extensions", "{\"number\":\"30a\",\"userId\":\"" + owner.id() + "\"}"),
                400, "number");
        expectRefusal(call(ada, "POST", "/api/extensions", "{\"number\":\"" + "1".repeat(33) + "\",\"userId\":\""
                + owner.id() + "\"}"), 400, "number");
        expectRefusal(call(ada, "POST", "/api/extensions", "{\"number\":\"302\",\"userId\":\"nobody\"}"),
                400, "userId");
        expectRefusal(call(ada, "POST", "/api/extensions", "{\"number\":302,\"userId\":\"" + owner.id() + "\"}"),
                400, "number");
        expectRefusal(call(ada, "POST", "/api/extensions", "{\"userId\":\"" + owner.id() + "\"}"), 400, "number");
        JsonNode list = expect(call(ada, "GET", "/api/extensions", null), 200);
        assertThat(list.get("extensions").findValuesAsText("number")).contains("301").doesNotContain("30a", "302");
        expect(call(ada, "DELETE", "/api/extensions/301", null), 204);
        expect(call(ada, "DELETE", "/api/extensions/301", null), 404);
        assertThat(extensions.find("301")).isEmpty();
        ApiClient.Signed xena = api.signIn("xena", PASSWORD);
        assertThat(call(xena, "GET", "/api/extensions", null).statusCode()).isEqualTo(403);
    }

    @Test
    void aDeviceSecretIsShownOnceRotatesAndTheDeviceGoesWithItsUser() throws Exception {
        ApiClient.Signed ada = api.signIn("ada", PASSWORD);
        User yves = addUser("yves", Role.USER);
        User zoe = addUser("zoe", Role.USER);
        int before = changes.get();
        JsonNode made = expect(call(ada, "POST", "/api/devices",
                "{\"userId\":\"" + yves.id() + "\",\"name\":\"desk phone\",\"mediaPolicy\":\"required\"}"), 201);
        assertThat(changes.get()).as("the PBX's copy is told").isGreaterThan(before);
        assertThat(made.get("username").asText()).isEqualTo("yves-1");
        assertThat(made.get("name").asText()).isEqualTo("desk phone");
        assertThat(made.get("mediaPolicy").asText()).isEqualTo("required");
        String secret = made.get("secret").asText();
        assertThat(secret).matches("[A-Za-z0-9_-]{24}");
        Device stored = devices.findById(new DeviceId(made.get("id").asText())).orElseThrow();
        assertThat(stored.secret().reveal()).isEqualTo(secret);
        JsonNode second = expect(call(ada, "POST", "/api/devices",
                "{\"userId\":\"" + yves.id() + "\",\"name\":\"soft phone\"}"), 201);
        assertThat(second.get("username").asText()).isEqualTo("yves-2");
        assertThat(second.get("mediaPolicy").asText()).isEqualTo("preferred");
        expect(call(ada, "POST", "/api/devices", "{\"userId\":\"" + zoe.id() + "\",\"name\":\"zoe's\"}"), 201);

        expectRefusal(call(ada, "POST", "/api/devices", "{\"userId\":\"" + yves.id() + "\",\"name\":\"x\","
                + "\"mediaPolicy\":\"maybe\"}"), 400, "mediaPolicy");
        expectRefusal(call(ada, "POST", "/api/devices", "{\"userId\":\"ghost\",\"name\":\"x\"}"), 400, "userId");
        expectRefusal(call(ada, "POST", "/api/devices", "{\"userId\":\"" + yves.id() + "\"}"), 400, "name");

        HttpResponse<String> all = call(ada, "GET", "/api/devices", null);
        expect(all, 200);
        assertThat(all.body()).contains("yves-1", "yves-2", "zoe-1").doesNotContain(secret, "\"secret\"");
        ApiClient.Signed yvesSession = api.signIn("yves", PASSWORD);
        HttpResponse<String> mine = call(yvesSession, "GET", "/api/me/devices", null);
        JsonNode own = expect(mine, 200);
        assertThat(own.get("devices").findValuesAsText("username")).containsExactly("yves-1", "yves-2");
        assertThat(mine.body()).doesNotContain(secret, "\"secret\"");
        assertThat(call(yvesSession, "GET", "/api/devices", null).statusCode()).isEqualTo(403);
        assertThat(call(yvesSession, "POST", "/api/devices/" + made.get("id").asText() + "/secret", null)
                .statusCode()).isEqualTo(403);

        JsonNode rotated = expect(call(ada, "POST", "/api/devices/" + made.get("id").asText() + "/secret", null),
                200);
        String newSecret = rotated.get("secret").asText();
        assertThat(newSecret).matches("[A-Za-z0-9_-]{24}").isNotEqualTo(secret);
        assertThat(devices.findById(stored.id()).orElseThrow().secret().reveal()).isEqualTo(newSecret);
        expect(call(ada, "POST", "/api/devices/" + DeviceId.random() + "/secret", null), 404);

        expect(call(ada, "DELETE", "/api/devices/" + second.get("id").asText(), null), 204);
        expect(call(ada, "DELETE", "/api/devices/" + second.get("id").asText(), null), 404);
        expect(call(ada, "POST", "/api/extensions", "{\"number\":\"401\",\"userId\":\"" + yves.id() + "\"}"), 201);
        expect(call(ada, "DELETE", "/api/users/" + yves.id(), null), 204);
        assertThat(devices.findByOwner(yves.id())).isEmpty();
        assertThat(extensions.find("401")).isEmpty();
        assertThat(users.findById(yves.id())).isEmpty();
        assertThat(call(yvesSession, "GET", "/api/me", null).statusCode()).as("the session went with the user")
                .isEqualTo(401);
        assertThat(devices.findByOwner(zoe.id())).hasSize(1);
    }

    @Test
    void registrationsAreSeenByAdminsAndByTheirOwnerOnly() throws Exception {
        User uma = addUser("uma", Role.USER);
        User vic = addUser("vic", Role.USER);
        Device umaPhone = Device.create(uma.id(), "uma-1", "desk");
        Device vicPhone = Device.create(vic.id(), "vic-1", "desk");
        devices.save(umaPhone);
        devices.save(vicPhone);
        Instant now = Instant.now();
        bindings.replace("501", List.of(binding("501", "sip:uma@192.0.2.10:5062", umaPhone, now.plusSeconds(300),
                Transport.TLS)));
        bindings.replace("502", List.of(binding("502", "sip:vic@192.0.2.11", vicPhone, now.plusSeconds(300),
                Transport.UDP), binding("502", "sip:old@192.0.2.12", vicPhone, now.minusSeconds(1), Transport.UDP)));
        Device gone = Device.create(vic.id(), "vic-2", "deleted");
        bindings.replace("503", List.of(binding("503", "sip:gone@192.0.2.13", gone, now.plusSeconds(300),
                Transport.TCP)));

        JsonNode all = expect(call(api.signIn("ada", PASSWORD), "GET", "/api/registrations", null), 200);
        assertThat(all.get("registrations").findValuesAsText("aor")).contains("501", "502").doesNotContain("503");
        assertThat(all.get("registrations").findValuesAsText("contact"))
                .contains("<sip:uma@192.0.2.10:5062>", "<sip:vic@192.0.2.11>").doesNotContain("<sip:old@192.0.2.12>");
        JsonNode umas = expect(call(api.signIn("uma", PASSWORD), "GET", "/api/me/registrations", null), 200);
        assertThat(umas.get("registrations")).hasSize(1);
        JsonNode r = umas.get("registrations").get(0);
        assertThat(r.get("aor").asText()).isEqualTo("501");
        assertThat(r.get("transport").asText()).isEqualTo("tls");
        assertThat(r.get("source").asText()).isEqualTo("192.0.2.10:40000");
        assertThat(r.get("userAgent").asText()).isEqualTo("test phone");
        assertThat(r.get("username").asText()).isEqualTo("uma-1");
        assertThat(Duration.between(now, Instant.parse(r.get("expiresAt").asText())))
                .isEqualTo(Duration.ofSeconds(300));
        ApiClient.Signed vicSession = api.signIn("vic", PASSWORD);
        assertThat(call(vicSession, "GET", "/api/registrations", null).statusCode()).isEqualTo(403);
        JsonNode vics = expect(call(vicSession, "GET", "/api/me/registrations", null), 200);
        assertThat(vics.get("registrations").findValuesAsText("aor")).containsExactly("502");
    }

    private static Binding binding(String aor, String contact, Device device, Instant expires, Transport transport) {
        InetSocketAddress remote = new InetSocketAddress(contact.substring(contact.indexOf('@') + 1)
                .replaceAll(":.*", ""), 40000);
        return new Binding(aor, Address.parse(contact), "call-" + aor, 1, expires, Instant.now(), List.of(),
                new ReceivedFrom(transport, remote, new InetSocketAddress("127.0.0.1", 5060), "flow-" + aor),
                device.id(), "test phone");
    }
}
