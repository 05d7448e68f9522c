package dev.parley.server.it.sipp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.parley.pbx.cdr.CallRecord;
import dev.parley.pbx.registrar.Binding;
import dev.parley.server.it.ParleyUnderTest;
import dev.parley.server.it.TestDatabase;
import dev.parley.sip.uri.SipUri;
import dev.parley.sipstack.flow.Transport;
import dev.parley.store.Store;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
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
 * Calls through the running server between sipp user agents, over UDP (and one over TCP): registration with Digest,
 * an answered call with hold time, CANCEL, busy, no answer, an unknown extension, and 200 calls in a row. Every run
 * is checked on sipp's exit code and statistics, and on the CDR and bindings Parley wrote to its database.
 *
 * <p>sipp 3.6.1 answers only MD5 and takes the first challenge, so Parley offers {@code MD5,SHA-256} here.
 * A callee registers with {@code register.xml} on port X ({@code -m 1}: sipp exits after the 200), then its UAS
 * scenario runs on the same port X, where the binding points. Every scenario gets its own callee, so no stale
 * binding from an earlier scenario is rung.
 *
 * <p>The whole class runs once per {@link TestDatabase} (SQLite, then a fresh database on a real PostgreSQL), each
 * time against a new server in its own directory.
 */
@ParameterizedClass(name = "on {0}")
@EnumSource(TestDatabase.class)
@Timeout(value = 60)
class SippCallsIT {
    private static final String CALLER_SECRET = "alice-secret-1234";

    /** The parameter (declared so that {@link #startParley} receives it); the tests use the static server below. */
    @Parameter
    TestDatabase database;
    @TempDir
    static Path tmp;
    static Path dir;
    static ParleyUnderTest parley;
    static int udp;
    static int tcp;

    @BeforeParameterizedClassInvocation
    static void startParley(TestDatabase database) throws Exception {
        dir = Files.createDirectories(tmp.resolve(database.name().toLowerCase(Locale.ROOT)));
        Path server = Files.createDirectories(dir.resolve("server"));
        parley = ParleyUnderTest.start(server, database.settings(Map.of(
                "PARLEY_PBX_DIGEST_ALGORITHMS", "MD5,SHA-256",
                "PARLEY_PBX_NO_ANSWER_TIMEOUT", "2s")));
        udp = parley.port(Transport.UDP);
        tcp = parley.port(Transport.TCP);
        parley.addPhone("alice", "101", "alice-desk", CALLER_SECRET);
        for (String[] callee : new String[][] {{"bob", "201"}, {"carol", "202"}, {"dave", "203"}, {"erin", "204"},
                {"frank", "205"}, {"grace", "206"}, {"heidi", "207"}, {"ivan", "208"}}) {
            parley.addPhone(callee[0], callee[1], callee[0] + "-desk", secretOf(callee[0]));
        }
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

    // ---- REGISTER ----

    @Test
    void registerAnswersTheDigestChallengeAndStoresTheBinding() throws Exception {
        Path logs = logs("register");
        int port = Sipp.freePort(false);
        Sipp.Result r = Sipp.scenario("register", logs).remote(udp).localPort(port).service("207")
                .credentials("heidi-desk", secretOf("heidi")).run();
        assertThat(r.exitCode()).as(r.describe()).isZero();
        assertThat(r.successfulCalls()).as(r.describe()).isEqualTo(1);
        assertThat(r.messages()).contains("SIP/2.0 401 Unauthorized").contains("SIP/2.0 200 OK");
        assertThat(bindingPorts("207")).contains(port);

        // the AOR may also be the device's own SIP username
        int second = Sipp.freePort(false);
        Sipp.Result byDevice = Sipp.scenario("register", logs).remote(udp).localPort(second).service("heidi-desk")
                .credentials("heidi-desk", secretOf("heidi")).run();
        assertThat(byDevice.exitCode()).as(byDevice.describe()).isZero();
        assertThat(bindingPorts("heidi-desk")).contains(second);
    }

    @Test
    void registerWithAWrongPasswordFailsAndBindsNothing() throws Exception {
        Path logs = logs("register-wrong");
        int port = Sipp.freePort(false);
        Sipp.Result r = Sipp.scenario("register", logs).remote(udp).localPort(port).service("207")
                .credentials("heidi-desk", "not-the-secret").timeout(Duration.ofSeconds(5)).run();
        assertThat(r.exitCode()).as(r.describe()).isEqualTo(1); // the second REGISTER got a 401, not the 200
        assertThat(r.errors()).contains("401");
        assertThat(bindingPorts("207")).doesNotContain(port);
    }

    // ---- calls ----

    @Test
    void answeredCallWithHoldTime() throws Exception {
        Path logs = logs("answer");
        int calleePort = registerCallee(logs, "201", "bob");
        Sipp.Running uas = Sipp.scenario("uas-answer", logs).remote(udp).localPort(calleePort).start()
                .awaitListening(calleePort, false);
        try {
            Sipp.Result uac = caller(logs, "uac-call", "201").run();
            Sipp.Result callee = uas.await();
            assertThat(uac.exitCode()).as(uac.describe()).isZero();
            assertThat(callee.exitCode()).as(callee.describe()).isZero();
            assertThat(uac.successfulCalls()).isEqualTo(1);
            // the caller authenticated with Digest (407, then INVITE with Proxy-Authorization)
            assertThat(uac.messages()).contains("SIP/2.0 407 ").contains("Proxy-Authorization: Digest");
            assertBranches(uac, 2);
            // the callee was rung by Parley, not by the caller: a different Call-ID on each leg
            assertThat(callIdsOf(uac.messages())).doesNotContainAnyElementsOf(callIdsOf(callee.messages()));
        } finally {
            uas.kill();
        }
        CallRecord cdr = awaitCdr(r -> r.callee().equals("201"));
        assertThat(cdr.status()).isEqualTo(200);
        assertThat(cdr.caller()).isEqualTo("101");
        assertThat(cdr.answeredBy()).isEqualTo("bob-desk");
        assertThat(cdr.cause()).isEqualTo("answered-caller-hangup");
        assertThat(Duration.between(cdr.answeredAt(), cdr.endedAt())).isGreaterThanOrEqualTo(
                Duration.ofMillis(900)); // the 1 s pause of uac-call.xml
    }

    @Test
    void callerCancelsWhileRinging() throws Exception {
        Path logs = logs("cancel");
        int calleePort = registerCallee(logs, "202", "carol");
        Sipp.Running uas = Sipp.scenario("uas-ring", logs).remote(udp).localPort(calleePort).start()
                .awaitListening(calleePort, false);
        try {
            Sipp.Result uac = caller(logs, "uac-cancel", "202").run();
            Sipp.Result callee = uas.await();
            assertThat(uac.exitCode()).as(uac.describe()).isZero();
            assertThat(callee.exitCode()).as(callee.describe()).isZero();
            assertThat(callee.messages()).contains("CANCEL sip:");
            assertBranches(uac);
            assertThat(sentRequests(uac.messages())).extracting(Sent::method).contains("CANCEL");
        } finally {
            uas.kill();
        }
        CallRecord cdr = awaitCdr(r -> r.callee().equals("202"));
        assertThat(cdr.status()).isEqualTo(487);
        assertThat(cdr.cause()).isEqualTo("cancelled");
        assertThat(cdr.answeredAt()).isNull();
    }

    @Test
    void busyCalleeGives486() throws Exception {
        Path logs = logs("busy");
        int calleePort = registerCallee(logs, "203", "dave");
        Sipp.Running uas = Sipp.scenario("uas-busy", logs).remote(udp).localPort(calleePort).start()
                .awaitListening(calleePort, false);
        try {
            Sipp.Result uac = caller(logs, "uac-busy", "203").run();
            Sipp.Result callee = uas.await();
            assertThat(uac.exitCode()).as(uac.describe()).isZero();
            assertThat(callee.exitCode()).as(callee.describe()).isZero();
            assertBranches(uac);
        } finally {
            uas.kill();
        }
        CallRecord cdr = awaitCdr(r -> r.callee().equals("203"));
        assertThat(cdr.status()).isEqualTo(486);
        assertThat(cdr.cause()).isEqualTo("busy");
    }

    @Test
    void unansweredCallEndsIn480AfterTheNoAnswerTimeout() throws Exception {
        Path logs = logs("no-answer");
        int calleePort = registerCallee(logs, "204", "erin");
        Sipp.Running uas = Sipp.scenario("uas-ring", logs).remote(udp).localPort(calleePort).start()
                .awaitListening(calleePort, false);
        long started = System.nanoTime();
        try {
            Sipp.Result uac = caller(logs, "uac-unavailable", "204").run();
            Duration took = Duration.ofNanos(System.nanoTime() - started);
            Sipp.Result callee = uas.await();
            assertThat(uac.exitCode()).as(uac.describe()).isZero();
            // Parley CANCELs the ringing callee when the timer fires
            assertThat(callee.exitCode()).as(callee.describe()).isZero();
            assertThat(callee.messages()).contains("CANCEL sip:");
            assertBranches(uac);
            assertThat(took).isGreaterThanOrEqualTo(Duration.ofMillis(1900)).isLessThan(Duration.ofSeconds(10));
        } finally {
            uas.kill();
        }
        CallRecord cdr = awaitCdr(r -> r.callee().equals("204"));
        assertThat(cdr.status()).isEqualTo(480);
        assertThat(cdr.cause()).isEqualTo("no-answer");
    }

    @Test
    void unknownExtensionGives404() throws Exception {
        Path logs = logs("unknown");
        Sipp.Result uac = caller(logs, "uac-unknown", "999").run();
        assertThat(uac.exitCode()).as(uac.describe()).isZero();
        assertBranches(uac);
        CallRecord cdr = awaitCdr(r -> r.callee().equals("999"));
        assertThat(cdr.status()).isEqualTo(404);
        assertThat(cdr.cause()).isEqualTo("not-found");
    }

    @Test
    void twoHundredCallsInARowWithoutAFailure() throws Exception {
        Path logs = logs("load");
        int calleePort = registerCallee(logs, "205", "frank");
        Sipp.Running uas = Sipp.scenario("uas-answer", logs).remote(udp).localPort(calleePort).calls(200)
                .timeout(Duration.ofSeconds(40)).start().awaitListening(calleePort, false);
        Sipp.Result uac;
        Sipp.Result callee;
        long started = System.nanoTime();
        try {
            uac = caller(logs, "uac-call", "205").calls(200).rate(20).limit(20).timeout(Duration.ofSeconds(40))
                    .run();
            callee = uas.await();
        } finally {
            uas.kill();
        }
        System.out.printf("SippCallsIT: 200 calls at 20/s (at most 20 at once) in %.1f s: caller %d successful,"
                        + " %d failed, %d retransmissions; callee %d successful, %d failed%n",
                (System.nanoTime() - started) / 1e9, uac.successfulCalls(), uac.failedCalls(),
                uac.cumulative("Retransmissions(C)"), callee.successfulCalls(), callee.failedCalls());
        assertThat(uac.exitCode()).as(uac.describe()).isZero();
        assertThat(uac.successfulCalls()).as(uac.describe()).isEqualTo(200);
        assertThat(uac.failedCalls()).as(uac.describe()).isZero();
        assertThat(callee.exitCode()).as(callee.describe()).isZero();
        assertThat(callee.successfulCalls()).as(callee.describe()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            long answered = cdrs(records -> records.stream().filter(r -> r.callee().equals("205")
                    && r.status() == 200 && r.cause().equals("answered-caller-hangup")).count());
            assertThat(answered).isEqualTo(200L);
        });
    }

    /**
     * RFC 3261 §13.2.2.4 and §15 with real user agents: 50 calls in 1 s in which the caller sends a re-INVITE without
     * SDP (the callee's 2xx offers, the caller's ACK would answer) and hangs up instead of ACKing. Parley must ACK
     * the callee's 2xx before relaying the BYE; {@code uas-reinvite.xml} requires that order (a BYE first aborts the
     * call: "Aborting call on an unexpected BYE"). Before the fix all 50 calls failed so.
     */
    @Test
    void callerHangingUpInsteadOfAckingAReInviteStillGetsTheCalleeItsAckBeforeTheBye() throws Exception {
        Path logs = logs("reinvite-bye");
        int calls = 50;
        int calleePort = registerCallee(logs, "208", "ivan");
        Sipp.Running uas = Sipp.scenario("uas-reinvite", logs).remote(udp).localPort(calleePort).calls(calls)
                .timeout(Duration.ofSeconds(30)).start().awaitListening(calleePort, false);
        Sipp.Result uac;
        Sipp.Result callee;
        try {
            uac = caller(logs, "uac-reinvite-bye", "208").calls(calls).rate(calls).limit(calls)
                    .timeout(Duration.ofSeconds(30)).run();
            callee = uas.await();
        } finally {
            uas.kill();
        }
        assertThat(uac.exitCode()).as(uac.describe()).isZero();
        assertThat(uac.successfulCalls()).as(uac.describe()).isEqualTo(calls);
        assertThat(callee.errors()).as(callee.describe()).doesNotContain("unexpected BYE"); // sipp's words for it
        assertThat(callee.exitCode()).as(callee.describe()).isZero();
        assertThat(callee.successfulCalls()).as(callee.describe()).isEqualTo(calls);
        assertThat(callee.failedCalls()).as(callee.describe()).isZero();
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            long answered = cdrs(records -> records.stream().filter(r -> r.callee().equals("208")
                    && r.cause().equals("answered-caller-hangup")).count());
            assertThat(answered).isEqualTo(calls);
        });
    }

    @Test
    void answeredCallFromACallerOnTcp() throws Exception {
        Path logs = logs("tcp");
        int calleePort = registerCallee(logs, "206", "grace");
        Sipp.Running uas = Sipp.scenario("uas-answer", logs).remote(udp).localPort(calleePort).start()
                .awaitListening(calleePort, false);
        try {
            Sipp.Result uac = Sipp.scenario("uac-call", logs).remote(tcp).localPort(Sipp.freePort(true)).tcp()
                    .service("101").credentials("alice-desk", CALLER_SECRET).field0("206").run();
            Sipp.Result callee = uas.await();
            assertThat(uac.exitCode()).as(uac.describe()).isZero();
            assertThat(callee.exitCode()).as(callee.describe()).isZero();
            assertThat(uac.messages()).contains("SIP/2.0/TCP");
        } finally {
            uas.kill();
        }
        CallRecord cdr = awaitCdr(r -> r.callee().equals("206"));
        assertThat(cdr.status()).isEqualTo(200);
        assertThat(cdr.cause()).isEqualTo("answered-caller-hangup");
    }

    // ---- helpers ----

    /** Registers {@code user}'s desk phone under {@code extension} from a fresh port, which it returns. */
    private static int registerCallee(Path logs, String extension, String user) {
        return Sipp.registerFromFreshPort(logs, udp, extension, user + "-desk", secretOf(user));
    }

    /** alice (101) calling {@code extension} from a fresh UDP port. */
    private static Sipp caller(Path logs, String scenario, String extension) {
        return Sipp.scenario(scenario, logs).remote(udp).localPort(Sipp.freePort(false)).service("101")
                .credentials("alice-desk", CALLER_SECRET).field0(extension);
    }

    /** A request sipp sent, as its message trace shows it (what Parley received). */
    private record Sent(String method, String branch, long cseq) {
    }

    private static List<Sent> sentRequests(String trace) {
        List<Sent> out = new ArrayList<>();
        for (String block : trace.split("\n-{20,}[^\n]*\n")) {
            if (!block.contains("message sent")) {
                continue;
            }
            List<String> lines = block.lines().toList();
            int start = 0;
            while (!lines.get(start).contains("message sent")) {
                start++;
            }
            do {
                start++;
            } while (start < lines.size() && lines.get(start).isBlank());
            if (start == lines.size() || lines.get(start).startsWith("SIP/2.0")) {
                continue; // a response
            }
            String method = lines.get(start).substring(0, lines.get(start).indexOf(' '));
            String branch = lines.stream().filter(l -> l.startsWith("Via:")).findFirst()
                    .map(l -> l.replaceAll(".*;branch=([^;\\s]+).*", "$1")).orElseThrow();
            long cseq = lines.stream().filter(l -> l.startsWith("CSeq:")).findFirst()
                    .map(l -> Long.parseLong(l.substring(5).strip().split("\\s+")[0])).orElseThrow();
            out.add(new Sent(method, branch, cseq));
        }
        return out;
    }

    /**
     * RFC 3261 §17.1.1.3 and §9.1: the ACK of a non-2xx final response and a CANCEL carry the INVITE's branch (the
     * {@code [branch-N]} offsets of the scenarios); the ACK of a 2xx is a new transaction with a new branch (§13.2.2.4).
     * {@code acked2xx} are the CSeq numbers whose INVITE was answered 2xx.
     */
    private static void assertBranches(Sipp.Result uac, long... acked2xx) {
        List<Sent> sent = sentRequests(uac.messages());
        assertThat(sent).as(uac.describe()).extracting(Sent::method).contains("INVITE", "ACK");
        for (Sent s : sent) {
            if (!s.method().equals("ACK") && !s.method().equals("CANCEL")) {
                continue;
            }
            String inviteBranch = sent.stream().filter(i -> i.method().equals("INVITE") && i.cseq() == s.cseq())
                    .map(Sent::branch).findFirst().orElseThrow();
            boolean new2xxAck = s.method().equals("ACK")
                    && Arrays.stream(acked2xx).anyMatch(n -> n == s.cseq());
            if (new2xxAck) {
                assertThat(s.branch()).as("ACK of the 2xx to INVITE " + s.cseq()).isNotEqualTo(inviteBranch);
            } else {
                assertThat(s.branch()).as(s.method() + " " + s.cseq() + " reuses the INVITE's branch")
                        .isEqualTo(inviteBranch);
            }
        }
    }

    private static List<String> callIdsOf(String trace) {
        return trace.lines().filter(l -> l.startsWith("Call-ID:")).map(String::strip).distinct().toList();
    }

    private static List<Integer> bindingPorts(String aor) {
        return store(s -> s.bindings().find(aor).stream().map(Binding::contact)
                .map(c -> ((SipUri) c.uri()).port()).toList());
    }

    /** The CDR Parley writes when the call ends (on a virtual thread, so it is awaited). */
    private static CallRecord awaitCdr(Predicate<CallRecord> which) {
        return await().atMost(Duration.ofSeconds(10)).until(
                () -> cdrs(records -> records.stream().filter(which).findFirst().orElse(null)),
                r -> r != null);
    }

    private static <T> T cdrs(Function<List<CallRecord>, T> f) {
        return store(s -> f.apply(s.callRecords().recent(1000)));
    }

    /** Parley's own database (SQLite or PostgreSQL), opened beside the server as the management commands do. */
    private static <T> T store(Function<Store, T> f) {
        try (Store s = Store.open(parley.databaseUrl(), null, null)) {
            return f.apply(s);
        }
    }
}
