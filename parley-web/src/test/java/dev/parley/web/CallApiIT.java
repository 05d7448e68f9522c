package dev.parley.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.InputFormat;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import dev.parley.mediaapi.SrtpSuite;
import dev.parley.pbx.account.PasswordHashing;
import dev.parley.pbx.call.CallView;
import dev.parley.pbx.cdr.CallRecord;
import dev.parley.pbx.cdr.InMemoryCallRecordRepository;
import dev.parley.pbx.directory.Device;
import dev.parley.pbx.directory.Extension;
import dev.parley.pbx.directory.Role;
import dev.parley.pbx.directory.User;
import dev.parley.pbx.directory.UserId;
import dev.parley.pbx.directory.memory.InMemoryDeviceRepository;
import dev.parley.pbx.directory.memory.InMemoryExtensionRepository;
import dev.parley.pbx.directory.memory.InMemoryUserRepository;
import dev.parley.pbx.directory.memory.InMemoryWebPasswordRepository;
import dev.parley.pbx.media.CallSecurity;
import dev.parley.pbx.media.LegSecurity;
import dev.parley.pbx.presence.PresenceEngine;
import dev.parley.pbx.registrar.memory.InMemoryBindingRepository;
import dev.parley.sipstack.flow.Transport;
import dev.parley.sipstack.transport.TestCerts;
import dev.parley.web.api.ApiRoute;
import dev.parley.web.api.CallApi;
import dev.parley.web.api.DirectoryListingApi;
import dev.parley.web.api.EventStreamApi;
import java.net.InetAddress;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The calls, directory and events routes on a web server over in-memory ports (the real PBX and peers are
 * parley-server's CallsApiIT and SecureCallApiIT): every answer matches the JSON Schema its route declares, the
 * guard's 401/403 apply, the event stream refuses API tokens, and paging with {@code limit=1} walks every call once.
 */
@Timeout(60)
class CallApiIT {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final Instant T0 = Instant.parse("2026-12-06T05:00:00Z");
    static WebServer web;
    static ApiClient api;
    static PresenceEngine presence;
    static ApiClient.Signed alice;
    static ApiClient.Signed admin;

    @BeforeAll
    static void start() throws Exception {
        InMemoryUserRepository users = new InMemoryUserRepository();
        InMemoryWebPasswordRepository passwords = new InMemoryWebPasswordRepository();
        InMemoryExtensionRepository extensions = new InMemoryExtensionRepository();
        InMemoryDeviceRepository devices = new InMemoryDeviceRepository();
        User a = new User(UserId.random(), "alice", "Alice", Role.USER, null);
        User root = new User(UserId.random(), "root", "Root", Role.SUPERADMIN, null);
        UserId bob = UserId.random();
        users.save(a);
        users.save(root);
        users.save(new User(bob, "bob", "", Role.USER, null));
        passwords.set(a.id(), PasswordHashing.argon2id("alice-long-password".toCharArray()));
        passwords.set(root.id(), PasswordHashing.argon2id("root-long-password".toCharArray()));
        extensions.save(new Extension("101", a.id()));
        extensions.save(new Extension("102", bob));
        devices.save(Device.create(a.id(), "alice-desk", "desk"));
        InMemoryCallRecordRepository records = new InMemoryCallRecordRepository();
        // the users each record names, as the PBX writes them: history is selected by them, not by the numbers
        records.save(new CallRecord("c1", "cid1", "101", "102", "bob-desk", T0, T0.plusSeconds(2),
                T0.plusSeconds(62), 200, "answered-caller-hangup").withUsers(a.id(), bob, bob));
        records.save(new CallRecord("c2", "cid2", "102", "101", null, T0.plusSeconds(100), null,
                T0.plusSeconds(110), 487, "cancelled").withUsers(bob, a.id(), null));
        records.save(new CallRecord("c3", "cid3", "alice-desk", "555", null, T0.plusSeconds(200), null,
                T0.plusSeconds(201), 404, "not-found").withUsers(a.id(), null, null));
        records.save(new CallRecord("c4", "cid4", "102", "103", "x", T0.plusSeconds(300), T0.plusSeconds(301),
                T0.plusSeconds(302), 200, "answered-callee-hangup").withUsers(bob, null, null));
        // 101 was someone else's before Alice had it: that call is not hers
        records.save(new CallRecord("c0", "cid0", "101", "102", null, T0.minusSeconds(100), null,
                T0.minusSeconds(90), 487, "cancelled").withUsers(UserId.random(), bob, null));
        List<CallView> live = List.of(
                new CallView("l1", "cidl1", "101", "102", null, T0, null,
                        new CallSecurity(LegSecurity.plain(Transport.UDP), null), "alice-desk", a.id(), bob),
                new CallView("l2", "cidl2", "102", "101", "alice-desk", T0, T0.plusSeconds(1), new CallSecurity(
                        new LegSecurity(Transport.TLS, SrtpSuite.AES_CM_128_HMAC_SHA1_80),
                        LegSecurity.dtlsSrtp(Transport.WSS, SrtpSuite.AEAD_AES_128_GCM)), "bob-desk", bob, a.id()));
        presence = new PresenceEngine(users, extensions, devices, new InMemoryBindingRepository(), u -> false,
                Clock.systemUTC(), Duration.ofSeconds(3)).start();
        WebAccounts accounts = WebAccounts.of(users, extensions, passwords);
        web = new WebServer(WebConfig.of(InetAddress.getLoopbackAddress(), 0, TestCerts.get().keyManagers()), null,
                "127.0.0.1", accounts
                        .withModule(new CallApi(records, users, extensions, devices, () -> live))
                        .withModule(new DirectoryListingApi(presence))
                        .withModule(new EventStreamApi(presence, accounts.sessions(), Duration.ofMinutes(30),
                                Clock.systemUTC())));
        web.start();
        api = new ApiClient(web);
        alice = api.signIn("alice", "alice-long-password");
        admin = api.signIn("root", "root-long-password");
    }

    @AfterAll
    static void stop() {
        if (presence != null) {
            presence.close();
        }
        if (web != null) {
            web.close();
        }
    }

    private static HttpResponse<String> get(ApiClient.Signed who, String path) throws Exception {
        HttpResponse<String> r = api.send(api.request(path).header("Cookie", who.header()));
        ApiClient.assertSecurityHeaders(r);
        return r;
    }

    private static void assertMatchesSchema(String path, HttpResponse<String> r) {
        String bare = path.contains("?") ? path.substring(0, path.indexOf('?')) : path;
        ApiRoute route = web.apiRoutes().stream().filter(x -> x.method().name().equals("GET")
                && x.path().equals(bare)).findFirst().orElseThrow();
        Schema schema = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12)
                .getSchema(route.responseSchema().toString());
        assertThat(r.statusCode()).as(path + ": " + r.body()).isEqualTo(200);
        assertThat(schema.validate(r.body(), InputFormat.JSON)).as(path + ": " + r.body()).isEmpty();
    }

    @Test
    void everyAnswerMatchesItsDeclaredSchema() throws Exception {
        for (String path : List.of("/api/me/calls", "/api/me/calls/live", "/api/directory")) {
            assertMatchesSchema(path, get(alice, path));
        }
        for (String path : List.of("/api/calls", "/api/calls/live", "/api/me/calls", "/api/directory")) {
            assertMatchesSchema(path, get(admin, path));
        }
        JsonNode mine = MAPPER.readTree(get(alice, "/api/me/calls").body()).get("calls");
        assertThat(mine.findValuesAsText("id")).as("c0 was placed from 101 before it was hers")
                .containsExactly("c3", "c2", "c1");
        assertThat(mine.get(0).get("toName").isNull()).isTrue();
        assertThat(mine.get(1).get("fromName").isNull()).as("bob has no display name").isTrue();
        assertThat(mine.get(2).get("fromName").asText()).isEqualTo("Alice");
        JsonNode live = MAPPER.readTree(get(alice, "/api/me/calls/live").body()).get("calls");
        assertThat(live.findValuesAsText("state")).containsExactlyInAnyOrder("ringing", "answered");
        for (JsonNode c : live) {
            if (c.get("id").asText().equals("l2")) {
                assertThat(c.get("encrypted").asBoolean()).isTrue();
                assertThat(c.get("legs").findValuesAsText("media")).containsExactly("srtp-sdes", "dtls-srtp");
                assertThat(c.get("legs").findValuesAsText("transport")).containsExactly("tls", "wss");
            } else {
                assertThat(c.get("encrypted").asBoolean()).isFalse();
                assertThat(c.get("legs")).hasSize(1);
            }
        }
        assertThat(MAPPER.readTree(get(admin, "/api/calls").body()).get("calls")).hasSize(5);
    }

    @Test
    void pagingByOneWalksEveryCallOnce() throws Exception {
        List<String> seen = new ArrayList<>();
        String next = "";
        int pages = 0;
        do {
            JsonNode page = MAPPER.readTree(get(admin, "/api/calls?limit=1" + next).body());
            page.get("calls").forEach(c -> seen.add(c.get("id").asText()));
            next = page.get("next").isNull() ? null : "&before=" + page.get("next").asText();
            pages++;
        } while (next != null && pages < 10);
        assertThat(seen).containsExactly("c4", "c3", "c2", "c1", "c0");
    }

    @Test
    void theGuardAppliesAndTheEventStreamIsForSessionsOnly() throws Exception {
        for (String path : List.of("/api/me/calls", "/api/me/calls/live", "/api/calls", "/api/calls/live",
                "/api/directory", "/api/me/events")) {
            HttpResponse<String> r = api.send(api.request(path));
            assertThat(r.statusCode()).as(path).isEqualTo(401);
            ApiClient.assertSecurityHeaders(r);
        }
        for (String path : List.of("/api/calls", "/api/calls/live", "/api/calls?user=x")) {
            assertThat(get(alice, path).statusCode()).as(path).isEqualTo(403);
        }
        HttpResponse<String> made = api.send(api.request("/api/me/tokens").header("Cookie", alice.header())
                .header("X-CSRF-Token", alice.csrf()).header("Origin", api.origin())
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"script\"}")));
        assertThat(made.statusCode()).as(made.body()).isEqualTo(201);
        String token = MAPPER.readTree(made.body()).get("token").asText();
        HttpResponse<String> byToken = api.send(api.request("/api/me/events")
                .header("Authorization", "Bearer " + token));
        assertThat(byToken.statusCode()).isEqualTo(403);
        assertThat(api.send(api.request("/api/me/calls").header("Authorization", "Bearer " + token)).statusCode())
                .isEqualTo(200);
    }
}
