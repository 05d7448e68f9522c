package dev.parley.server.it.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.parley.pbx.account.PasswordHashing;
import dev.parley.server.it.ParleyUnderTest;
import dev.parley.server.it.TestDatabase;
import dev.parley.server.it.browser.BrowserPhone;
import dev.parley.server.it.sipp.Sipp;
import dev.parley.sipstack.flow.Transport;
import dev.parley.store.Store;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A browser phone as the admin's API shows it, with real peers: Alice Martin signs in to Chromium's test page
 * (JsSIP), takes session-bound SIP credentials ({@code POST /api/me/phone}, a {@code web-…} device that is not
 * stored) and registers over WSS; Bob's desk phone is sipp over UDP. The admin's {@code GET /api/registrations} lists
 * both bindings, the browser phone's marked {@code browserPhone: true}. Alice calls 201 (sipp answers); the admin's
 * {@code GET /api/calls/live} names her leg's {@code web-…} device as hers: user "Alice Martin", extension 101,
 * {@code browserPhone: true}, WSS and DTLS-SRTP, beside Bob's desk leg.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class BrowserPhoneInApiIT {
    private static final Pattern ONE_TIME = Pattern.compile("password {3}(\\S+)");
    private static final Pattern COOKIE = Pattern.compile("__Host-parley=([A-Za-z0-9_-]{43});");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String ALICE_PASSWORD = "alice-long-web-password";

    @TempDir
    Path dir;

    private ParleyUnderTest parley;
    private HttpClient http;
    private BrowserPhone alice;
    private final List<Sipp.Running> sipps = new ArrayList<>();

    @AfterEach
    void stop() {
        sipps.forEach(Sipp.Running::kill);
        if (alice != null) {
            alice.close();
        }
        if (parley != null) {
            parley.close();
        }
    }

    @Test
    void theAdminSeesTheBrowserPhonesBindingAndItsLegAsTheUsers() throws Exception {
        Path logs = Files.createDirectories(dir.resolve("sipp"));
        // MD5 first for sipp (it answers nothing else); over WSS Parley challenges with MD5 alone, which JsSIP takes
        parley = ParleyUnderTest.start(Files.createDirectories(dir.resolve("parley")),
                TestDatabase.SQLITE.settings(Map.of("PARLEY_PBX_DIGEST_ALGORITHMS", "MD5,SHA-256")));
        Matcher m = ONE_TIME.matcher(parley.console());
        assertThat(m.find()).as("the first-start banner").isTrue();
        String admin = signIn("admin", m.group(1));
        assertThat(parley.cli("user", "add", "alice", "--display-name", "Alice Martin")).as(parley.cliOutput())
                .isZero();
        assertThat(parley.cli("extension", "add", "101", "--user", "alice")).as(parley.cliOutput()).isZero();
        try (Store store = Store.open(parley.databaseUrl(), null, null)) {
            store.webPasswords().set(store.users().findByName("alice").orElseThrow().id(),
                    PasswordHashing.argon2id(ALICE_PASSWORD.toCharArray()));
        }
        parley.addPhone("bob", "201", "bob-desk", "bob-secret-5678");

        int udp = parley.port(Transport.UDP);
        int bobPort = Sipp.freePort(false);
        Sipp.Result reg = Sipp.scenario("register", logs).remote(udp).localPort(bobPort).service("201")
                .credentials("bob-desk", "bob-secret-5678").run();
        assertThat(reg.exitCode()).as(reg.describe()).isZero();
        // Chromium's start on a loaded machine has taken 15 s and more: bob waits up to 60 s for the call and its BYE
        Sipp.Running bob = Sipp.scenario("uas-answer", logs).remote(udp).localPort(bobPort)
                .timeout(Duration.ofSeconds(60)).start().awaitListening(bobPort, false);
        sipps.add(bob);

        alice = BrowserPhone.open(parley, "alice", ALICE_PASSWORD, "201", 5, true, tone(440), "&provision=1");
        alice.awaitRegistered(Duration.ofSeconds(20));

        // every live binding for the admin: the browser phone's too, marked as such
        JsonNode registrations = getJson(admin, "/api/registrations").get("registrations");
        System.out.println("admin's registrations: " + registrations);
        assertThat(registrations).hasSize(2);
        JsonNode web = registrations.get(0);
        assertThat(web.get("aor").asText()).isEqualTo("101");
        assertThat(web.get("username").asText()).startsWith("web-");
        assertThat(web.get("transport").asText()).isEqualTo("wss");
        assertThat(web.get("browserPhone").asBoolean()).isTrue();
        JsonNode desk = registrations.get(1);
        assertThat(desk.get("aor").asText()).isEqualTo("201");
        assertThat(desk.get("username").asText()).isEqualTo("bob-desk");
        assertThat(desk.get("transport").asText()).isEqualTo("udp");
        assertThat(desk.get("browserPhone").asBoolean()).isFalse();

        // her call, live: the web-… leg resolved to her
        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(200)).until(
                () -> getJson(admin, "/api/calls/live").get("calls").findValues("state").stream()
                        .anyMatch(s -> s.asText().equals("answered")));
        JsonNode call = getJson(admin, "/api/calls/live").get("calls").get(0);
        System.out.println("admin's live call: " + call);
        assertThat(call.get("from").asText()).isEqualTo("101");
        assertThat(call.get("fromName").asText()).isEqualTo("Alice Martin");
        JsonNode caller = call.get("legs").get(0);
        assertThat(caller.get("party").asText()).isEqualTo("caller");
        assertThat(caller.get("endpoint").asText()).isEqualTo(web.get("username").asText());
        assertThat(caller.get("browserPhone").asBoolean()).isTrue();
        assertThat(caller.get("user").asText()).isEqualTo("Alice Martin");
        assertThat(caller.get("extension").asText()).isEqualTo("101");
        assertThat(caller.get("transport").asText()).isEqualTo("wss");
        assertThat(caller.get("media").asText()).isEqualTo("dtls-srtp");
        JsonNode callee = call.get("legs").get(1);
        assertThat(callee.get("endpoint").asText()).isEqualTo("bob-desk");
        assertThat(callee.get("browserPhone").asBoolean()).isFalse();
        assertThat(callee.get("user").asText()).isEqualTo("bob");
        assertThat(callee.get("extension").asText()).isEqualTo("201");

        alice.result(Duration.ofSeconds(40));
        Sipp.Result answered = bob.await();
        assertThat(answered.exitCode()).as(answered.describe()).isZero();
    }

    private String signIn(String user, String password) throws Exception {
        http = http != null ? http : HttpClient.newBuilder()
                .sslContext(WebLoginIT.trusting(parley.server().config().certificatePath()))
                .connectTimeout(Duration.ofSeconds(3)).build();
        HttpResponse<String> in = http.send(request("/api/session").header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"username\":\"" + user + "\",\"password\":\""
                        + password + "\"}")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(in.statusCode()).as(in.body()).isEqualTo(200);
        Matcher c = COOKIE.matcher(in.headers().firstValue("Set-Cookie").orElseThrow());
        assertThat(c.find()).isTrue();
        return "__Host-parley=" + c.group(1);
    }

    private HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + parley.httpsPort() + path))
                .timeout(Duration.ofSeconds(10));
    }

    private JsonNode getJson(String cookie, String path) throws Exception {
        HttpResponse<String> r = http.send(request(path).header("Cookie", cookie).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(path + ": " + r.body()).isEqualTo(200);
        return JSON.readTree(r.body());
    }

    private Path tone(int hertz) throws IOException, InterruptedException {
        return BrowserPhone.tone(dir, hertz);
    }
}
