package dev.parley.server.it.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.parley.pbx.call.CallView;
import dev.parley.pbx.cdr.CallDirection;
import dev.parley.pbx.cdr.CallOutcome;
import dev.parley.pbx.cdr.CallRecord;
import dev.parley.pbx.cdr.HistoryQuery;
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
import java.util.function.Function;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.AfterParameterizedClassInvocation;
import org.junit.jupiter.params.BeforeParameterizedClassInvocation;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A user's settings, set over HTTPS, enforced by the PBX on real calls between sipp user agents over UDP, on
 * SQLite and PostgreSQL: do not disturb refuses with 486 (and 480 on a server with {@code pbx.dnd-status: 480}) and
 * the callee's history shows a missed call; call waiting off refuses a second caller with 486 while the callee is
 * on a call; auto-answer puts {@code Call-Info: <sip:…>;answer-after=0} on the INVITE the callee receives (checked
 * by the callee's sipp scenario and in its message trace), and only then.
 *
 * <p>Each callee registers from a port of its own, so a DND that failed would ring a registered contact that no
 * one answers and the caller's scenario (which wants the refusal) would fail.
 */
@ParameterizedClass(name = "on {0}")
@EnumSource(TestDatabase.class)
@Timeout(90)
class SettingsCallsIT {
    private static final String DND_ON = "{\"doNotDisturb\":true,\"callWaiting\":true,\"autoAnswer\":false,"
            + "\"devices\":{\"microphone\":null,\"speaker\":null,\"ringer\":null,\"camera\":null}}";

    @Parameter
    TestDatabase database;
    @TempDir
    static Path tmp;
    static Path dir;
    static ParleyUnderTest parley;

    @BeforeParameterizedClassInvocation
    static void startParley(TestDatabase database) throws Exception {
        dir = Files.createDirectories(tmp.resolve(database.name().toLowerCase(Locale.ROOT)));
        parley = start(database, Files.createDirectories(dir.resolve("server")), Map.of());
    }

    private static ParleyUnderTest start(TestDatabase database, Path where, Map<String, String> more) {
        ParleyUnderTest p = ParleyUnderTest.start(where, database.settings(new java.util.HashMap<>(Map.of(
                "PARLEY_PBX_DIGEST_ALGORITHMS", "MD5,SHA-256", "PARLEY_PBX_NO_ANSWER_TIMEOUT", "3s")) {
            {
                putAll(more);
            }
        }));
        p.addPhone("alice", "101", "alice-desk", secretOf("alice"));
        p.addPhone("carol", "103", "carol-desk", secretOf("carol"));
        for (String[] callee : new String[][] {{"bob", "201"}, {"dave", "203"}, {"erin", "204"}, {"fred", "205"}}) {
            p.addPhone(callee[0], callee[1], callee[0] + "-desk", secretOf(callee[0]));
        }
        return p;
    }

    @AfterParameterizedClassInvocation
    static void stopParley() {
        if (parley != null) {
            parley.close();
            parley = null;
        }
    }

    private static String secretOf(String user) {
        return user + "-secret-5678";
    }

    private static Path logs(String test) throws Exception {
        return Files.createDirectories(dir.resolve(test));
    }

    @Test
    void doNotDisturbRefusesWith486AndTheCalleeSeesAMissedCall() throws Exception {
        Path logs = logs("dnd");
        registerCallee(parley, logs, "203", "dave");
        ApiUser dave = ApiUser.signIn(parley, "dave");
        HttpResponse<String> put = dave.json("PUT", "/api/me/settings", DND_ON);
        assertThat(put.statusCode()).as(put.body()).isEqualTo(200);
        assertThat(put.body()).contains("\"doNotDisturb\":true");
        assertThat(dave.get("/api/me/settings").body()).isEqualTo(put.body());
        // the directory's presence follows the setting (the presence engine reads the same settings service)
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(presenceOf(dave, "203"))
                .isEqualTo("dnd"));

        Sipp.Result uac = caller(parley, logs, "uac-busy", "alice", "203").run();
        assertThat(uac.exitCode()).as(uac.describe()).isZero();
        assertThat(uac.messages()).contains("SIP/2.0 486 ").doesNotContain("SIP/2.0 180");
        CallRecord cdr = awaitCdr(parley, r -> r.callee().equals("203"));
        assertThat(cdr.status()).isEqualTo(486);
        assertThat(cdr.cause()).isEqualTo("do-not-disturb");
        assertThat(cdr.answeredAt()).isNull();
        List<CallRecord> missed = store(parley, s -> s.callRecords().history(HistoryQuery.of(
                s.users().findByName("dave").orElseThrow().id(), 10).withDirection(CallDirection.INCOMING)
                .withOutcome(CallOutcome.MISSED)).calls());
        assertThat(missed).extracting(CallRecord::id).contains(cdr.id());

        // back off: the next call rings and is answered
        HttpResponse<String> off = dave.json("PUT", "/api/me/settings", DND_ON.replace("\"doNotDisturb\":true",
                "\"doNotDisturb\":false"));
        assertThat(off.statusCode()).as(off.body()).isEqualTo(200);
        answeredCall(parley, logs, "uas-answer", "alice", "203", "dave");
    }

    @Test
    void doNotDisturbAnswers480WhenConfigured() throws Exception {
        Path logs = logs("dnd-480");
        ParleyUnderTest other = start(database, Files.createDirectories(dir.resolve("server-480")),
                Map.of("PARLEY_PBX_DND_STATUS", "480"));
        try {
            registerCallee(other, logs, "204", "erin");
            ApiUser erin = ApiUser.signIn(other, "erin");
            assertThat(erin.json("PUT", "/api/me/settings", DND_ON).statusCode()).isEqualTo(200);
            Sipp.Result uac = caller(other, logs, "uac-unavailable", "alice", "204").run();
            assertThat(uac.exitCode()).as(uac.describe()).isZero();
            assertThat(uac.messages()).contains("SIP/2.0 480 ");
            CallRecord cdr = awaitCdr(other, r -> r.callee().equals("204"));
            assertThat(cdr.status()).isEqualTo(480);
            assertThat(cdr.cause()).isEqualTo("do-not-disturb");
        } finally {
            other.close();
        }
    }

    @Test
    void callWaitingOffRefusesASecondCallerWith486WhileTheCalleeIsOnACall() throws Exception {
        Path logs = logs("call-waiting");
        int calleePort = registerCallee(parley, logs, "201", "bob");
        ApiUser bob = ApiUser.signIn(parley, "bob");
        assertThat(bob.json("PUT", "/api/me/settings", DND_ON.replace("\"doNotDisturb\":true,\"callWaiting\":true",
                "\"doNotDisturb\":false,\"callWaiting\":false")).statusCode()).isEqualTo(200);
        // the callee's UAS takes exactly one call: a second INVITE reaching it would break its scenario
        Sipp.Running uas = Sipp.scenario("uas-answer", logs).remote(parley.port(Transport.UDP)).localPort(calleePort)
                .start().awaitListening(calleePort, false);
        Sipp.Running first = caller(parley, logs, "uac-hold", "alice", "201").start();
        try {
            await().atMost(Duration.ofSeconds(10)).until(() -> parley.server().liveCalls().stream()
                    .anyMatch(c -> c.callee().equals("201") && c.answeredAt() != null));
            Sipp.Result second = caller(parley, logs, "uac-busy", "carol", "201").run();
            assertThat(second.exitCode()).as(second.describe()).isZero();
            assertThat(second.messages()).contains("SIP/2.0 486 ");
            assertThat(parley.server().liveCalls()).as("the first call goes on").extracting(CallView::callee)
                    .contains("201");
            Sipp.Result held = first.await();
            Sipp.Result callee = uas.await();
            assertThat(held.exitCode()).as(held.describe()).isZero();
            assertThat(callee.exitCode()).as(callee.describe()).isZero();
        } finally {
            first.kill();
            uas.kill();
        }
        CallRecord refused = awaitCdr(parley, r -> r.callee().equals("201") && r.caller().equals("103"));
        assertThat(refused.status()).isEqualTo(486);
        assertThat(refused.cause()).isEqualTo("busy");
        CallRecord answered = awaitCdr(parley, r -> r.callee().equals("201") && r.caller().equals("101"));
        assertThat(answered.status()).isEqualTo(200);
    }

    @Test
    void autoAnswerPutsCallInfoOnTheInviteTheCalleeReceives() throws Exception {
        Path logs = logs("auto-answer");
        registerCallee(parley, logs, "205", "fred");
        // control: without the setting, no Call-Info reaches the callee
        Sipp.Result plain = answeredCall(parley, logs, "uas-answer", "alice", "205", "fred");
        assertThat(plain.messages()).doesNotContain("answer-after");

        ApiUser fred = ApiUser.signIn(parley, "fred");
        assertThat(fred.json("PUT", "/api/me/settings", DND_ON.replace("\"doNotDisturb\":true",
                "\"doNotDisturb\":false").replace("\"autoAnswer\":false", "\"autoAnswer\":true")).statusCode())
                .isEqualTo(200);
        Sipp.Result callee = answeredCall(parley, logs, "uas-auto-answer", "alice", "205", "fred");
        assertThat(callee.messages()).contains("Call-Info: <sip:127.0.0.1>;answer-after=0");
    }

    @Test
    void aSettingsChangeReachesTheUsersLiveEventStream() throws Exception {
        ApiUser erin = ApiUser.signIn(parley, "erin");
        HttpResponse<java.util.stream.Stream<String>> events = erin.lines("/api/me/events");
        assertThat(events.statusCode()).isEqualTo(200);
        java.util.concurrent.CompletableFuture<String> settingsEvent = java.util.concurrent.CompletableFuture
                .supplyAsync(() -> {
                    java.util.Iterator<String> it = events.body().iterator();
                    while (it.hasNext()) {
                        if (it.next().equals("event: settings") && it.hasNext()) {
                            return it.next();
                        }
                    }
                    return null;
                });
        try {
            String wanted = DND_ON.replace("\"autoAnswer\":false", "\"autoAnswer\":true");
            assertThat(erin.json("PUT", "/api/me/settings", wanted).statusCode()).isEqualTo(200);
            assertThat(settingsEvent.get(10, java.util.concurrent.TimeUnit.SECONDS)).isEqualTo("data: " + wanted);
        } finally {
            events.body().close();
        }
    }

    // ---- helpers ----

    /** The presence {@code GET /api/directory} shows for {@code extension}. */
    private static String presenceOf(ApiUser user, String extension) throws Exception {
        String body = user.get("/api/directory").body();
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("\\{\"extension\":\"" + extension
                + "\"[^}]*\"presence\":\"([a-z]+)\"").matcher(body);
        return m.find() ? m.group(1) : body;
    }

    /** Registers {@code user}'s desk phone under {@code extension} from a fresh port, which it returns. */
    private static int registerCallee(ParleyUnderTest p, Path logs, String extension, String user) {
        int port = Sipp.freePort(false);
        Sipp.Result r = Sipp.scenario("register", logs).remote(p.port(Transport.UDP)).localPort(port)
                .service(extension).credentials(user + "-desk", secretOf(user)).run();
        assertThat(r.exitCode()).as(r.describe()).isZero();
        return port;
    }

    /** A call from {@code from} to {@code extension} answered by {@code scenario} on a new registration. */
    private static Sipp.Result answeredCall(ParleyUnderTest p, Path logs, String scenario, String from,
            String extension, String user) throws Exception {
        int port = registerCallee(p, logs, extension, user);
        Sipp.Running uas = Sipp.scenario(scenario, logs).remote(p.port(Transport.UDP)).localPort(port).start()
                .awaitListening(port, false);
        try {
            Sipp.Result uac = caller(p, logs, "uac-call", from, extension).run();
            Sipp.Result callee = uas.await();
            assertThat(uac.exitCode()).as(uac.describe()).isZero();
            assertThat(callee.exitCode()).as(callee.describe()).isZero();
            return callee;
        } finally {
            uas.kill();
        }
    }

    private static Sipp caller(ParleyUnderTest p, Path logs, String scenario, String user, String extension) {
        String number = user.equals("alice") ? "101" : "103";
        return Sipp.scenario(scenario, logs).remote(p.port(Transport.UDP)).localPort(Sipp.freePort(false))
                .service(number).credentials(user + "-desk", secretOf(user)).field0(extension);
    }

    private static CallRecord awaitCdr(ParleyUnderTest p, Predicate<CallRecord> which) {
        return await().atMost(Duration.ofSeconds(10)).until(
                () -> store(p, s -> s.callRecords().recent(1000).stream().filter(which).findFirst().orElse(null)),
                r -> r != null);
    }

    private static <T> T store(ParleyUnderTest p, Function<Store, T> f) {
        try (Store s = Store.open(p.databaseUrl(), null, null)) {
            return f.apply(s);
        }
    }
}
