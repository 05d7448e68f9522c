package dev.parley.server.it.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.pbx.account.PasswordHashing;
import dev.parley.pbx.cdr.CallRecord;
import dev.parley.pbx.directory.Extension;
import dev.parley.pbx.directory.Role;
import dev.parley.pbx.directory.User;
import dev.parley.pbx.directory.UserId;
import dev.parley.server.it.ParleyUnderTest;
import dev.parley.server.it.TestDatabase;
import dev.parley.store.Store;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * {@code accounts.closed-account-calls: delete} through the whole server over HTTPS, on SQLite and on PostgreSQL:
 * {@code DELETE /api/me} deletes the call records that name the user and leaves the others (the default,
 * anonymize, is checked by {@link AccountFlowsIT}).
 */
@Timeout(120)
class ClosedAccountCallsIT {
    private static final Pattern COOKIE = Pattern.compile("__Host-parley=([A-Za-z0-9_-]{43});");
    private static final Pattern CSRF = Pattern.compile("\"csrfToken\":\"([A-Za-z0-9_-]{43})\"");
    private static final String STRONG = "lantern-harbour-quiet-7";

    @TempDir
    Path tmp;

    @ParameterizedTest(name = "on {0}")
    @EnumSource(TestDatabase.class)
    void underTheDeletePolicyClosingAnAccountDeletesItsCallRecordsOnly(TestDatabase database) throws Exception {
        Path dir = Files.createDirectories(tmp.resolve(database.name().toLowerCase(Locale.ROOT)));
        try (ParleyUnderTest parley = ParleyUnderTest.start(dir,
                database.settings(Map.of("PARLEY_ACCOUNTS_CLOSED_ACCOUNT_CALLS", "delete")))) {
            User henry = new User(new UserId(UUID.randomUUID().toString()), "henry", "Henry", Role.USER, null);
            User iris = new User(new UserId(UUID.randomUUID().toString()), "iris", "Iris", Role.USER, null);
            Instant t = Instant.now().minusSeconds(600);
            try (Store store = Store.open(parley.databaseUrl(), null, null)) {
                store.users().save(henry);
                store.users().save(iris);
                store.webPasswords().set(henry.id(), PasswordHashing.argon2id(STRONG.toCharArray()));
                store.extensions().save(new Extension("150", henry.id()));
                store.extensions().save(new Extension("151", iris.id()));
                store.callRecords().save(new CallRecord(UUID.randomUUID().toString(), "call-henry", "150", "151",
                        null, t, null, t.plusSeconds(10), 480, "unavailable"));
                store.callRecords().save(new CallRecord(UUID.randomUUID().toString(), "call-iris", "151", "100",
                        null, t.plusSeconds(60), null, t.plusSeconds(70), 480, "unavailable"));
            }
            String origin = "https://127.0.0.1:" + parley.httpsPort();
            HttpClient http = HttpClient.newBuilder().sslContext(WebLoginIT.trusting(dir.resolve("data/tls/cert.pem")))
                    .connectTimeout(Duration.ofSeconds(3)).build();
            HttpResponse<String> in = send(http, HttpRequest.newBuilder(URI.create(origin + "/api/session"))
                    .header("Origin", origin).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"username\":\"henry\",\"password\":\"" + STRONG
                            + "\"}")));
            assertThat(in.statusCode()).as(in.body()).isEqualTo(200);
            Matcher cookie = COOKIE.matcher(in.headers().firstValue("Set-Cookie").orElseThrow());
            Matcher csrf = CSRF.matcher(in.body());
            assertThat(cookie.find() && csrf.find()).as(in.body()).isTrue();
            HttpResponse<String> closed = send(http, HttpRequest.newBuilder(URI.create(origin + "/api/me"))
                    .header("Origin", origin).header("Content-Type", "application/json")
                    .header("Cookie", "__Host-parley=" + cookie.group(1)).header("X-CSRF-Token", csrf.group(1))
                    .method("DELETE", HttpRequest.BodyPublishers.ofString("{\"password\":\"" + STRONG + "\"}")));
            assertThat(closed.statusCode()).as(closed.body()).isEqualTo(204);
            try (Store store = Store.open(parley.databaseUrl(), null, null)) {
                assertThat(store.users().findByName("henry")).isEmpty();
                List<CallRecord> left = store.callRecords().recent(100);
                assertThat(left).extracting(CallRecord::callId).as("henry's call went, iris's other call stayed")
                        .containsExactly("call-iris");
                assertThat(left.get(0).caller()).isEqualTo("151");
            }
        }
    }

    private static HttpResponse<String> send(HttpClient http, HttpRequest.Builder request) throws Exception {
        return http.send(request.timeout(Duration.ofSeconds(15)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
