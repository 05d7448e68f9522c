package dev.parley.server.it.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.parley.pbx.cdr.CallRecord;
import dev.parley.server.it.ParleyUnderTest;
import dev.parley.server.it.TestDatabase;
import dev.parley.server.it.sipp.Sipp;
import dev.parley.sipstack.flow.Transport;
import dev.parley.store.Store;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The call history follows the user, not the number, through a running Parley on SQLite and on PostgreSQL with sipp
 * phones over UDP: Alice (101, alice-desk) calls Bob (201), Bob's sipp answers. Then 101 goes to Carol and Alice
 * becomes 102 (the CLI, as an admin would). Alice's {@code GET /api/me/calls} still holds her call, outgoing from
 * 101; Carol's holds none of it. Carol then calls Bob from 101: hers has that one call, Alice's still only her own,
 * Bob's both, incoming. With the history matched by number (before migration V12) Alice lost her call to Carol.
 */
@ParameterizedClass(name = "on {0}")
@EnumSource(TestDatabase.class)
@Timeout(180)
class HistoryByUserIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** CDRs already returned by {@link #answeredCall}: each call finds its own. */
    private static final Set<String> SEEN = ConcurrentHashMap.newKeySet();

    @Parameter
    TestDatabase database;
    @TempDir
    Path tmp;

    @Test
    void anExtensionGivenToSomeoneElseTakesNoneOfItsCallsAlong() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve(database.name().toLowerCase(Locale.ROOT)));
        Path logs = Files.createDirectories(dir.resolve("sipp"));
        try (ParleyUnderTest parley = ParleyUnderTest.start(Files.createDirectories(dir.resolve("server")),
                database.settings(Map.of("PARLEY_PBX_DIGEST_ALGORITHMS", "MD5,SHA-256")))) {
            parley.addPhone("alice", "101", "alice-desk", "alice-secret-1234");
            parley.addPhone("bob", "201", "bob-desk", "bob-secret-5678");
            assertThat(parley.cli("user", "add", "carol")).as(parley.cliOutput()).isZero();
            assertThat(parley.cli("device", "add", "carol-desk", "--user", "carol", "--secret", "carol-secret-9012"))
                    .as(parley.cliOutput()).isZero();
            ApiUser alice = ApiUser.signIn(parley, "alice");
            ApiUser bob = ApiUser.signIn(parley, "bob");
            ApiUser carol = ApiUser.signIn(parley, "carol");

            String first = answeredCall(parley, logs, "alice-desk", "alice-secret-1234");
            assertThat(ids(alice)).containsExactly(first);

            // 101 changes hands: Carol's now, Alice is 102
            assertThat(parley.cli("extension", "delete", "101")).as(parley.cliOutput()).isZero();
            assertThat(parley.cli("extension", "add", "101", "--user", "carol")).as(parley.cliOutput()).isZero();
            assertThat(parley.cli("extension", "add", "102", "--user", "alice")).as(parley.cliOutput()).isZero();
            JsonNode mine = calls(alice);
            assertThat(mine).as("Alice keeps the call she made from 101").hasSize(1);
            assertThat(mine.get(0).get("id").asText()).isEqualTo(first);
            assertThat(mine.get(0).get("direction").asText()).isEqualTo("outgoing");
            assertThat(mine.get(0).get("from").asText()).isEqualTo("101");
            assertThat(ids(carol)).as("Carol got 101, not its past").isEmpty();

            String second = answeredCall(parley, logs, "carol-desk", "carol-secret-9012");
            JsonNode carols = calls(carol);
            assertThat(carols).hasSize(1);
            assertThat(carols.get(0).get("id").asText()).isEqualTo(second);
            assertThat(carols.get(0).get("direction").asText()).isEqualTo("outgoing");
            assertThat(carols.get(0).get("from").asText()).isEqualTo("101");
            assertThat(ids(alice)).containsExactly(first);
            assertThat(ids(bob)).containsExactly(second, first);
            assertThat(calls(bob).findValuesAsText("direction")).containsOnly("incoming");
            // the filters and the cursor work on the user's calls
            assertThat(ids(bob, "?direction=incoming&outcome=answered&limit=1")).containsExactly(second);
            JsonNode page = JSON.readTree(expect(bob.get("/api/me/calls?limit=1")).body());
            assertThat(ids(bob, "?limit=1&before=" + page.get("next").asText())).containsExactly(first);
            assertThat(ids(alice, "?direction=incoming")).isEmpty();
        }
    }

    /** Bob's sipp answers one call from {@code device}; the CDR's id once it is stored. */
    private static String answeredCall(ParleyUnderTest parley, Path logs, String device, String secret)
            throws Exception {
        int udp = parley.port(Transport.UDP);
        int bobPort = Sipp.freePort(false);
        Sipp.Result reg = Sipp.scenario("register", logs).remote(udp).localPort(bobPort).service("201")
                .credentials("bob-desk", "bob-secret-5678").run();
        assertThat(reg.exitCode()).as(reg.describe()).isZero();
        Sipp.Running uas = Sipp.scenario("uas-answer", logs).remote(udp).localPort(bobPort).start()
                .awaitListening(bobPort, false);
        try {
            Sipp.Result uac = Sipp.scenario("uac-call", logs).remote(udp).localPort(Sipp.freePort(false))
                    .service("101").credentials(device, secret).field0("201").run();
            assertThat(uac.exitCode()).as(uac.describe()).isZero();
            assertThat(uas.await().exitCode()).isZero();
        } finally {
            uas.kill();
        }
        CallRecord cdr = await().atMost(Duration.ofSeconds(10)).until(() -> {
            try (Store s = Store.open(parley.databaseUrl(), null, null)) {
                return s.callRecords().recent(10).stream().filter(r -> r.answeredBy() != null
                        && r.callerLeg() != null && r.caller().equals("101")).filter(r -> !SEEN.contains(r.id()))
                        .findFirst().orElse(null);
            }
        }, r -> r != null);
        SEEN.add(cdr.id());
        return cdr.id();
    }

    private static HttpResponse<String> expect(HttpResponse<String> r) {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return r;
    }

    private static JsonNode calls(ApiUser user) throws Exception {
        return JSON.readTree(expect(user.get("/api/me/calls")).body()).get("calls");
    }

    private static List<String> ids(ApiUser user) throws Exception {
        return ids(user, "");
    }

    private static List<String> ids(ApiUser user, String query) throws Exception {
        return JSON.readTree(expect(user.get("/api/me/calls" + query)).body()).get("calls").findValuesAsText("id");
    }
}
