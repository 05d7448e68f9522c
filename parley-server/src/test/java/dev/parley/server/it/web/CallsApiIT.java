package dev.parley.server.it.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.parley.pbx.account.PasswordHashing;
import dev.parley.pbx.directory.User;
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
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.AfterParameterizedClassInvocation;
import org.junit.jupiter.params.BeforeParameterizedClassInvocation;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Calls, history, presence and the live event stream through the whole server, over HTTPS with the JDK's client,
 * with real SIP peers: sipp as Bob's phone (registered, answers) and as Alice's (calls 201, holds 6 s, hangs up),
 * over UDP with plain RTP; do-not-disturb set over the API. On SQLite and on PostgreSQL. Each test uses users of
 * its own (the server is shared by the class).
 */
@ParameterizedClass(name = "on {0}")
@EnumSource(TestDatabase.class)
@Timeout(120)
class CallsApiIT {
    private static final Pattern ONE_TIME = Pattern.compile("password {3}(\\S+)");
    private static final Pattern COOKIE = Pattern.compile("__Host-parley=([A-Za-z0-9_-]{43});");
    private static final ObjectMapper JSON = new ObjectMapper();

    @Parameter
    TestDatabase database;
    @TempDir
    static Path tmp;
    static Path dir;
    static ParleyUnderTest parley;
    static HttpClient http;
    static String adminPassword;
    static final List<Stream0> OPEN = new ArrayList<>();

    /** A signed-in browser: its cookie and CSRF token. */
    record Browser(String cookie, String csrf, String userId) {
    }

    @BeforeParameterizedClassInvocation
    static void startParley(TestDatabase database) throws Exception {
        dir = Files.createDirectories(tmp.resolve(database.name().toLowerCase(Locale.ROOT)));
        parley = ParleyUnderTest.start(Files.createDirectories(dir.resolve("server")),
                database.settings(Map.of("PARLEY_PBX_DIGEST_ALGORITHMS", "MD5,SHA-256")));
        Matcher m = ONE_TIME.matcher(parley.console());
        assertThat(m.find()).as("the first-start banner").isTrue();
        adminPassword = m.group(1);
        http = HttpClient.newBuilder().sslContext(WebLoginIT.trusting(dir.resolve("server/data/tls/cert.pem")))
                .connectTimeout(Duration.ofSeconds(3)).build();
        parley.addPhone("alice", "101", "alice-desk", "alice-secret-1234");
        parley.addPhone("bob", "201", "bob-desk", "bob-secret-5678");
        parley.addPhone("carol", "301", "carol-desk", "carol-secret-9012");
        parley.addPhone("dave", "401", "dave-desk", "dave-secret-3456");
        parley.addPhone("erin", "501", "erin-desk", "erin-secret-7890");
        try (Store store = Store.open(parley.databaseUrl(), null, null)) {
            for (String name : List.of("alice", "bob", "carol", "dave", "erin")) {
                User u = store.users().findByName(name).orElseThrow();
                store.webPasswords().set(u.id(), PasswordHashing.argon2id((name + "-long-password").toCharArray()));
            }
        }
    }

    @AfterParameterizedClassInvocation
    static void stopParley() throws Exception {
        if (parley != null) {
            parley.close();
            parley = null;
        }
        for (Stream0 s : OPEN) {
            s.ended().get(5, TimeUnit.SECONDS); // stopping the server ends the event streams it holds, cleanly:
            assertThat(s.lines()).contains(": end SERVER_STOPPING");
        }
        OPEN.clear();
    }

    private static String origin() {
        return "https://127.0.0.1:" + parley.httpsPort();
    }

    private static HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(URI.create(origin() + path)).timeout(Duration.ofSeconds(10));
    }

    private static Browser signIn(String user, String password) throws Exception {
        HttpResponse<String> in = http.send(request("/api/session").header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"username\":\"" + user + "\",\"password\":\""
                        + password + "\"}")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(in.statusCode()).as(in.body()).isEqualTo(200);
        Matcher c = COOKIE.matcher(in.headers().firstValue("Set-Cookie").orElseThrow());
        assertThat(c.find()).isTrue();
        JsonNode me = JSON.readTree(in.body());
        return new Browser(c.group(1), me.get("csrfToken").asText(), me.get("id").asText());
    }

    private static HttpResponse<String> get(Browser b, String path) throws Exception {
        HttpResponse<String> r = http.send(request(path).header("Cookie", "__Host-parley=" + b.cookie()).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.headers().firstValue("Strict-Transport-Security")).as(path).isPresent();
        assertThat(r.headers().firstValue("X-Content-Type-Options")).as(path).contains("nosniff");
        return r;
    }

    private static JsonNode getJson(Browser b, String path) throws Exception {
        HttpResponse<String> r = get(b, path);
        assertThat(r.statusCode()).as(path + ": " + r.body()).isEqualTo(200);
        return JSON.readTree(r.body());
    }

    /** An open {@code /api/me/events} stream: its lines as they arrive, and the moment it ends. */
    record Stream0(HttpResponse<Stream<String>> response, BlockingQueue<String> lines, CompletableFuture<Void> ended,
            long openedAt) {
        void awaitLine(String wanted, Duration limit) throws InterruptedException {
            long end = System.nanoTime() + limit.toNanos();
            while (System.nanoTime() < end) {
                if (wanted.equals(lines.poll(100, TimeUnit.MILLISECONDS))) {
                    return;
                }
            }
            throw new AssertionError("no line " + wanted + " within " + limit);
        }

        /** Lines up to the next {@code event:} frame of {@code type} whose data matches, within {@code limit}. */
        JsonNode next(String type, String dataContains, Duration limit) throws Exception {
            long end = System.nanoTime() + limit.toNanos();
            String event = null;
            while (System.nanoTime() < end) {
                String line = lines.poll(100, TimeUnit.MILLISECONDS);
                if (line == null) {
                    continue;
                }
                if (line.startsWith("event: ")) {
                    event = line.substring(7);
                } else if (line.startsWith("data: ") && type.equals(event) && line.contains(dataContains)) {
                    return JSON.readTree(line.substring(6));
                }
            }
            throw new AssertionError("no " + type + " event with " + dataContains + " within " + limit);
        }
    }

    private static Stream0 events(Browser b) throws Exception {
        long opened = System.nanoTime();
        HttpResponse<Stream<String>> r = http.send(HttpRequest.newBuilder(URI.create(origin() + "/api/me/events"))
                .header("Cookie", "__Host-parley=" + b.cookie()).GET().build(), HttpResponse.BodyHandlers.ofLines());
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type").orElseThrow()).startsWith("text/event-stream");
        assertThat(r.headers().firstValue("Strict-Transport-Security")).isPresent();
        BlockingQueue<String> lines = new LinkedBlockingQueue<>();
        CompletableFuture<Void> ended = CompletableFuture.runAsync(() -> r.body().forEach(lines::add),
                command -> Thread.ofVirtual().start(command));
        Stream0 s = new Stream0(r, lines, ended, opened);
        String first = lines.poll(5, TimeUnit.SECONDS);
        assertThat(first).as("the stream is flushed at once").isEqualTo("retry: 5000");
        return s;
    }

    @Test
    void aCallShowsLiveWithItsLegsThenInBothHistoriesAndOnTheCalleesEventStream() throws Exception {
        Path logs = Files.createDirectories(dir.resolve("call"));
        int udp = parley.port(Transport.UDP);
        Browser alice = signIn("alice", "alice-long-password");
        Browser bob = signIn("bob", "bob-long-password");
        Browser carol = signIn("carol", "carol-long-password");
        Browser admin = signIn("admin", adminPassword);
        Stream0 bobEvents = events(bob);

        // Bob's phone registers: 201 turns online in the directory and on the stream
        int bobPort = Sipp.freePort(false);
        Sipp.Result reg = Sipp.scenario("register", logs).remote(udp).localPort(bobPort).service("201")
                .credentials("bob-desk", "bob-secret-5678").run();
        assertThat(reg.exitCode()).as(reg.describe()).isZero();
        assertThat(bobEvents.next("presence", "\"201\"", Duration.ofSeconds(10)).get("presence").asText())
                .isEqualTo("online");
        JsonNode directory = getJson(carol, "/api/directory");
        assertThat(presenceOf(directory, "201")).isEqualTo("online");
        assertThat(presenceOf(directory, "101")).isEqualTo("offline");
        assertThat(presenceOf(directory, "301")).isEqualTo("offline");

        Sipp.Running uas = Sipp.scenario("uas-answer", logs).remote(udp).localPort(bobPort).start()
                .awaitListening(bobPort, false);
        Sipp.Running uac = Sipp.scenario("uac-call-hold", logs).remote(udp).localPort(Sipp.freePort(false))
                .service("101").credentials("alice-desk", "alice-secret-1234").field0("201").start();
        JsonNode live;
        try {
            // while it is up: the callee sees it with both legs, plain UDP and RTP, no padlock
            await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(100)).until(
                    () -> getJson(bob, "/api/me/calls/live").get("calls").findValues("state").stream()
                            .anyMatch(s -> s.asText().equals("answered")));
            live = getJson(bob, "/api/me/calls/live").get("calls");
            assertThat(live).hasSize(1);
            JsonNode call = live.get(0);
            assertThat(call.get("from").asText()).isEqualTo("101");
            assertThat(call.get("to").asText()).isEqualTo("201");
            assertThat(call.get("encrypted").asBoolean()).isFalse();
            assertThat(call.get("legs")).hasSize(2);
            assertThat(call.get("legs").get(0).toString()).isEqualTo("{\"party\":\"caller\",\"endpoint\":"
                    + "\"alice-desk\",\"browserPhone\":false,\"user\":\"alice\",\"extension\":\"101\","
                    + "\"transport\":\"udp\",\"media\":\"rtp\",\"encrypted\":false}");
            assertThat(call.get("legs").get(1).toString()).isEqualTo("{\"party\":\"callee\",\"endpoint\":"
                    + "\"bob-desk\",\"browserPhone\":false,\"user\":\"bob\",\"extension\":\"201\","
                    + "\"transport\":\"udp\",\"media\":\"rtp\",\"encrypted\":false}");
            assertThat(getJson(alice, "/api/me/calls/live").get("calls")).hasSize(1);
            assertThat(getJson(admin, "/api/calls/live").get("calls")).hasSize(1);
            assertThat(getJson(carol, "/api/me/calls/live").get("calls")).as("not Carol's call").isEmpty();
            assertThat(presenceOf(getJson(carol, "/api/directory"), "201")).isEqualTo("busy");
            assertThat(presenceOf(getJson(carol, "/api/directory"), "101")).isEqualTo("busy");
            Sipp.Result caller = uac.await();
            assertThat(caller.exitCode()).as(caller.describe()).isZero();
            assertThat(uas.await().exitCode()).isZero();
        } finally {
            uac.kill();
            uas.kill();
        }
        String id = live.get(0).get("id").asText();

        // the callee's stream: ringing, answered, ended (answered), and 201 busy then online again
        JsonNode ringing = bobEvents.next("call", "\"ringing\"", Duration.ofSeconds(5));
        assertThat(ringing.get("id").asText()).isEqualTo(id);
        assertThat(ringing.get("direction").asText()).isEqualTo("incoming");
        assertThat(ringing.get("from").asText()).isEqualTo("101");
        assertThat(ringing.has("outcome")).isFalse();
        assertThat(bobEvents.next("call", "\"answered\"", Duration.ofSeconds(5)).get("id").asText()).isEqualTo(id);
        assertThat(bobEvents.next("presence", "\"201\"", Duration.ofSeconds(5)).get("presence").asText())
                .isEqualTo("busy");
        JsonNode ended = bobEvents.next("call", "\"ended\"", Duration.ofSeconds(10));
        assertThat(ended.get("id").asText()).isEqualTo(id);
        assertThat(ended.get("outcome").asText()).isEqualTo("answered");
        assertThat(bobEvents.next("presence", "\"201\"", Duration.ofSeconds(5)).get("presence").asText())
                .isEqualTo("online");

        // both histories hold it, each from its own side; nobody else's route shows it to Carol
        JsonNode bobCalls = await().atMost(Duration.ofSeconds(10)).until(
                () -> getJson(bob, "/api/me/calls").get("calls"), c -> c.size() == 1);
        assertThat(bobCalls.get(0).get("id").asText()).isEqualTo(id);
        assertThat(bobCalls.get(0).get("direction").asText()).isEqualTo("incoming");
        assertThat(bobCalls.get(0).get("outcome").asText()).isEqualTo("answered");
        assertThat(bobCalls.get(0).get("durationSeconds").asInt()).isBetween(5, 15);
        JsonNode aliceCalls = getJson(alice, "/api/me/calls?direction=outgoing&outcome=answered").get("calls");
        assertThat(aliceCalls).hasSize(1);
        assertThat(aliceCalls.get(0).get("id").asText()).isEqualTo(id);
        assertThat(getJson(alice, "/api/me/calls?direction=incoming").get("calls")).isEmpty();
        assertThat(getJson(carol, "/api/me/calls").get("calls")).isEmpty();
        assertThat(getJson(carol, "/api/me/calls?limit=200&direction=incoming").get("calls")).isEmpty();
        for (String adminOnly : List.of("/api/calls", "/api/calls/live", "/api/calls?user=" + bob.userId())) {
            assertThat(get(carol, adminOnly).statusCode()).as(adminOnly).isEqualTo(403);
        }
        JsonNode all = getJson(admin, "/api/calls?user=" + bob.userId()).get("calls");
        assertThat(all).hasSize(1);
        assertThat(getJson(admin, "/api/calls?user=" + carol.userId()).get("calls")).isEmpty();
        assertThat(getJson(admin, "/api/calls").get("calls").get(0).get("direction").isNull()).isTrue();

        // signing out ends the stream
        HttpResponse<String> out = http.send(request("/api/session").header("Cookie", "__Host-parley=" + bob.cookie())
                .header("X-CSRF-Token", bob.csrf()).header("Origin", origin()).DELETE().build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(out.statusCode()).isEqualTo(204);
        bobEvents.ended().get(15, TimeUnit.SECONDS);
    }

    @Test
    void doNotDisturbReachesTheStreamAndTheDirectoryAndTheRefusedCallIsMissed() throws Exception {
        Path logs = Files.createDirectories(dir.resolve("dnd"));
        int udp = parley.port(Transport.UDP);
        Browser dave = signIn("dave", "dave-long-password");
        Browser erin = signIn("erin", "erin-long-password");
        Stream0 events = events(dave);
        Sipp.Result reg = Sipp.scenario("register", logs).remote(udp).localPort(Sipp.freePort(false)).service("401")
                .credentials("dave-desk", "dave-secret-3456").run();
        assertThat(reg.exitCode()).as(reg.describe()).isZero();
        assertThat(events.next("presence", "\"401\"", Duration.ofSeconds(10)).get("presence").asText())
                .isEqualTo("online");

        HttpResponse<String> put = http.send(request("/api/me/settings").header("Cookie", "__Host-parley="
                + dave.cookie()).header("X-CSRF-Token", dave.csrf()).header("Origin", origin())
                .header("Content-Type", "application/json").PUT(HttpRequest.BodyPublishers.ofString(
                        "{\"doNotDisturb\":true,\"callWaiting\":true,\"autoAnswer\":false,\"devices\":"
                        + "{\"microphone\":null,\"speaker\":null,\"ringer\":null,\"camera\":null}}")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(put.statusCode()).as(put.body()).isEqualTo(200);
        JsonNode settings = events.next("settings", "doNotDisturb", Duration.ofSeconds(5));
        assertThat(settings).isEqualTo(JSON.readTree(put.body()));
        assertThat(settings.get("doNotDisturb").asBoolean()).isTrue();
        assertThat(events.next("presence", "\"401\"", Duration.ofSeconds(5)).get("presence").asText())
                .isEqualTo("dnd");
        assertThat(presenceOf(getJson(erin, "/api/directory"), "401")).isEqualTo("dnd");

        // Erin calls Dave: refused busy by do-not-disturb; missed for Dave, busy for Erin
        Sipp.Result uac = Sipp.scenario("uac-busy", logs).remote(udp).localPort(Sipp.freePort(false)).service("501")
                .credentials("erin-desk", "erin-secret-7890").field0("401").run();
        assertThat(uac.exitCode()).as(uac.describe()).isZero();
        JsonNode missed = await().atMost(Duration.ofSeconds(10)).until(
                () -> getJson(dave, "/api/me/calls?outcome=missed").get("calls"), c -> c.size() == 1).get(0);
        assertThat(missed.get("direction").asText()).isEqualTo("incoming");
        assertThat(missed.get("from").asText()).isEqualTo("501");
        assertThat(missed.get("answeredAt").isNull()).isTrue();
        assertThat(missed.get("durationSeconds").asInt()).isZero();
        JsonNode erins = getJson(erin, "/api/me/calls").get("calls");
        assertThat(erins).hasSize(1);
        assertThat(erins.get(0).get("direction").asText()).isEqualTo("outgoing");
        assertThat(erins.get(0).get("outcome").asText()).isEqualTo("busy");
        // an idle stream carries a comment every 25 s, so proxies and the client know it is alive
        long opened = events.openedAt();
        events.awaitLine(": ping", Duration.ofSeconds(30));
        assertThat(Duration.ofNanos(System.nanoTime() - opened)).isBetween(Duration.ofSeconds(24),
                Duration.ofSeconds(31));
        OPEN.add(events); // left open: the server's stop must end it (checked in stopParley)
    }

    @Test
    void badParametersAre400NamingThem() throws Exception {
        Browser alice = signIn("alice", "alice-long-password");
        Browser admin = signIn("admin", adminPassword);
        List<String[]> cases = new ArrayList<>();
        for (String q : List.of("limit=0", "limit=201", "limit=ten", "limit=99999999999")) {
            cases.add(new String[] {"/api/me/calls?" + q, "limit"});
        }
        cases.add(new String[] {"/api/me/calls?before=not-a-cursor", "before"});
        cases.add(new String[] {"/api/me/calls?before=%00%0A", "before"});
        cases.add(new String[] {"/api/me/calls?direction=sideways", "direction"});
        cases.add(new String[] {"/api/me/calls?outcome=won", "outcome"});
        for (String[] c : cases) {
            HttpResponse<String> r = get(alice, c[0]);
            assertThat(r.statusCode()).as(c[0] + " " + r.body()).isEqualTo(400);
            assertThat(JSON.readTree(r.body()).get("field").asText()).as(c[0]).isEqualTo(c[1]);
        }
        for (String[] c : List.of(new String[] {"/api/calls?from=yesterday", "from"},
                new String[] {"/api/calls?to=2026-13-01T00:00:00Z", "to"},
                new String[] {"/api/calls?from=2026-02-01T00:00:00Z&to=2026-01-01T00:00:00Z", "to"},
                new String[] {"/api/calls?user=nobody", "user"},
                new String[] {"/api/calls?direction=incoming", "direction"})) {
            HttpResponse<String> r = get(admin, c[0]);
            assertThat(r.statusCode()).as(c[0] + " " + r.body()).isEqualTo(400);
            assertThat(JSON.readTree(r.body()).get("field").asText()).as(c[0]).isEqualTo(c[1]);
        }
        assertThat(getJson(admin, "/api/calls?from=2020-01-01T00:00:00Z&to=2020-01-02T00:00:00Z").get("calls"))
                .isEmpty();
    }

    private static String presenceOf(JsonNode directory, String extension) {
        for (JsonNode e : directory.get("entries")) {
            if (e.get("extension").asText().equals(extension)) {
                return e.get("presence").asText();
            }
        }
        throw new AssertionError("no extension " + extension + " in " + directory);
    }
}
