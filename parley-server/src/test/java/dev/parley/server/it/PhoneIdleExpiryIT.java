package dev.parley.server.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.parley.pbx.account.PasswordHashing;
import dev.parley.pbx.registrar.Binding;
import dev.parley.server.it.WebSocketSipIT.WsPhone;
import dev.parley.store.Store;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Idle expiry ends a browser phone's credentials through the server's own minute sweep, which deletes idle sessions
 * in bulk without naming them: with {@code web.session-idle-timeout} 1 min, a session left alone after provisioning
 * is swept within about two minutes, and with it go the credentials (a REGISTER with them over the still-open
 * WebSocket gets 401) and their binding (gone from the store). Slow by nature (the sweep's period is a minute).
 */
@Timeout(240)
class PhoneIdleExpiryIT {
    private static final Pattern COOKIE = Pattern.compile("__Host-parley=([A-Za-z0-9_-]{43});");
    private static final Pattern CSRF = Pattern.compile("\"csrfToken\":\"([A-Za-z0-9_-]{43})\"");

    @TempDir
    Path tmp;

    @Test
    void theSweepOfAnIdleSessionRevokesItsPhone() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("server"));
        try (ParleyUnderTest parley = ParleyUnderTest.start(dir, TestDatabase.SQLITE.settings(Map.of(
                "PARLEY_WEB_SESSION_IDLE_TIMEOUT", "1m")))) { // default Digest algorithms (MD5 alone over WSS)
            parley.addPhone("alice", "101", "alice-desk", "alice-desk-secret-1");
            try (Store store = Store.open(parley.databaseUrl(), null, null)) {
                store.webPasswords().set(store.users().findByName("alice").orElseThrow().id(),
                        PasswordHashing.argon2id("alice-long-web-password".toCharArray()));
            }
            HttpClient http = HttpClient.newBuilder().sslContext(WsPhone.trusting(dir.resolve("data/tls/cert.pem")))
                    .build();
            String origin = "https://127.0.0.1:" + parley.httpsPort();
            HttpResponse<String> in = http.send(HttpRequest.newBuilder(URI.create(origin + "/api/session"))
                    .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(
                            "{\"username\":\"alice\",\"password\":\"alice-long-web-password\"}")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(in.statusCode()).isEqualTo(200);
            Matcher c = COOKIE.matcher(in.headers().firstValue("Set-Cookie").orElseThrow());
            Matcher t = CSRF.matcher(in.body());
            assertThat(c.find() && t.find()).isTrue();
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(origin + "/api/me/phone"))
                    .header("Cookie", "__Host-parley=" + c.group(1)).header("X-CSRF-Token", t.group(1))
                    .header("Origin", origin).POST(HttpRequest.BodyPublishers.noBody()).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
            JsonNode creds = new ObjectMapper().readTree(r.body());
            long signedIn = System.nanoTime();
            try (WsPhone ws = WsPhone.connect(parley, creds.path("authorizationUser").asText(),
                    creds.path("password").asText())) {
                assertThat(ws.register("101").status()).isEqualTo(200);
                assertThat(bindings(parley)).hasSize(1);
                // no API call from now on: the session idles out and the minute sweep removes it
                await().atMost(Duration.ofSeconds(150)).pollInterval(Duration.ofSeconds(1))
                        .until(() -> bindings(parley).isEmpty());
                System.out.println("binding removed " + Duration.ofNanos(System.nanoTime() - signedIn).toSeconds()
                        + " s after sign-in (idle timeout 60 s, sweep every 60 s)");
                assertThat(ws.register("101").status()).as("the swept session's credentials").isEqualTo(401);
            }
        }
    }

    private static List<Binding> bindings(ParleyUnderTest parley) {
        try (Store s = Store.open(parley.databaseUrl(), null, null)) {
            return s.bindings().find("101");
        }
    }
}
