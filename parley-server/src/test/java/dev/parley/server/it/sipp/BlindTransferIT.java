package dev.parley.server.it.sipp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.parley.pbx.cdr.CallRecord;
import dev.parley.server.it.LoopbackCapture;
import dev.parley.server.it.ParleyUnderTest;
import dev.parley.server.it.TestDatabase;
import dev.parley.sipstack.flow.Transport;
import dev.parley.store.Store;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.AfterParameterizedClassInvocation;
import org.junit.jupiter.params.BeforeParameterizedClassInvocation;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Blind transfer (RFC 3515 REFER, RFC 5589 §6) with three sipp phones on UDP: alice (101) calls bob (201) and plays
 * numbered PCMU; bob answers and, a second later, REFERs alice to carol (103, a sipp with {@code -rtp_echo}) or to
 * dave (104, not registered). bob's scenario fails unless it gets 202, a NOTIFY whose sipfrag is {@code SIP/2.0 100}
 * (Subscription-State active), a NOTIFY with the final status (terminated) and a BYE. Media is counted at carol's
 * port on the loopback (tcpdump): the numbered packets alice sent after the transfer arrive there. Runs on SQLite and
 * on PostgreSQL (the CDRs).
 */
@ParameterizedClass(name = "on {0}")
@EnumSource(TestDatabase.class)
@Timeout(value = 120)
class BlindTransferIT {
    private static final int PACKETS = 350;

    @Parameter
    TestDatabase database;
    @TempDir
    static Path tmp;
    static Path dir;
    static ParleyUnderTest parley;
    static int udp;

    @BeforeParameterizedClassInvocation
    static void startParley(TestDatabase database) throws Exception {
        dir = Files.createDirectories(tmp.resolve(database.name().toLowerCase(Locale.ROOT)));
        parley = ParleyUnderTest.start(Files.createDirectories(dir.resolve("server")),
                // a short no-answer timeout: a transfer target that never answers gives up within alice's 7 s
                database.settings(Map.of("PARLEY_PBX_DIGEST_ALGORITHMS", "MD5,SHA-256",
                        "PARLEY_PBX_NO_ANSWER_TIMEOUT", "3s")));
        udp = parley.port(Transport.UDP);
        parley.addPhone("alice", "101", "alice-desk", "alice-secret-1234");
        parley.addPhone("bob", "201", "bob-desk", "bob-secret-1234");
        parley.addPhone("carol", "103", "carol-desk", "carol-secret-1234");
        parley.addPhone("dave", "104", "dave-desk", "dave-secret-1234"); // never registers
        parley.addPhone("erin", "105", "erin-desk", "erin-secret-1234"); // rings, never answers
    }

    @AfterParameterizedClassInvocation
    static void stopParley() {
        if (parley != null) {
            parley.close();
            parley = null;
        }
    }

    private static int register(Path logs, String extension, String user) {
        return Sipp.registerFromFreshPort(logs, udp, extension, user + "-desk", user + "-secret-1234");
    }

    @Test
    void theCalleeTransfersTheCallerToAThirdPhoneThatAnswersAndGetsTheCallersMedia() throws Exception {
        Path logs = Files.createDirectories(dir.resolve("transfer"));
        MediaSippIT.writePcmuPcap(logs.resolve("transfer.pcap"), PACKETS, true);
        int bobPort = register(logs, "201", "bob");
        int carolPort = register(logs, "103", "carol");
        int min = parley.server().config().media().portMin();
        int max = parley.server().config().media().portMax();
        Sipp.Running carol = Sipp.scenario("uas-echo", logs).remote(udp).localPort(carolPort).rtpEcho().start()
                .awaitListening(carolPort, false);
        Sipp.Running bob = Sipp.scenario("uas-transferor", logs).remote(udp).localPort(bobPort).start()
                .awaitListening(bobPort, false);
        Sipp.Result alice;
        Sipp.Result bobDone;
        Sipp.Result carolDone;
        List<LoopbackCapture.Datagram> datagrams;
        try (LoopbackCapture capture = LoopbackCapture.udpPorts(logs, min, max)) {
            alice = Sipp.scenario("uac-transferee", logs).remote(udp).localPort(Sipp.freePort(false))
                    .service("101").credentials("alice-desk", "alice-secret-1234").field0("201").run();
            bobDone = bob.await();
            carolDone = carol.await();
            datagrams = capture.stop();
        } finally {
            bob.kill();
            carol.kill();
        }
        assertThat(alice.exitCode()).as(alice.describe()).isZero();
        assertThat(bobDone.exitCode()).as("202, NOTIFY 100, NOTIFY 200, BYE: " + bobDone.describe()).isZero();
        assertThat(carolDone.exitCode()).as(carolDone.describe()).isZero();
        // Parley advertises REFER once it works (RFC 3261 §20.5)
        assertThat(alice.messages()).containsPattern("Allow: [^\\r\\n]*REFER");
        // the new leg's caller id is the transferee
        assertThat(carolDone.messages()).containsPattern("(?m)^From: [^\\r\\n]*sip:101@");

        int carolMedia = mediaPort(carolDone.messages());
        TreeSet<Integer> atCarol = new TreeSet<>();
        for (LoopbackCapture.Datagram d : datagrams) {
            if (d.destinationPort() == carolMedia && d.payload().length >= 14) {
                atCarol.add(((d.payload()[12] & 0xff) << 8) | (d.payload()[13] & 0xff));
            }
        }
        System.out.printf("alice's packets at carol: %d (numbers %s..%s)%n", atCarol.size(),
                atCarol.isEmpty() ? "-" : atCarol.first(), atCarol.isEmpty() ? "-" : atCarol.last());
        // the REFER goes 1 s after the ACK: most of alice's 350 packets (7 s) must reach carol, and not the first
        assertThat(atCarol.size()).as("alice's numbered packets that reached carol").isGreaterThan(150);
        assertThat(atCarol.first()).as("carol hears only what alice sent after the transfer").isGreaterThan(20);

        try (Store store = Store.open(parley.databaseUrl(), null, null)) {
            // one SIP call from alice, two records: alice-bob ended by the transfer, alice-carol by alice's BYE
            List<CallRecord> cdrs = await().atMost(Duration.ofSeconds(5)).until(() -> store.callRecords()
                    .recent(100).stream().filter(r -> "101".equals(r.caller()) && "103".equals(r.callee())).toList(),
                    l -> !l.isEmpty());
            CallRecord transferred = cdrs.getFirst();
            CallRecord original = store.callRecords().recent(100).stream()
                    .filter(r -> r.callId().equals(transferred.callId()) && "201".equals(r.callee())).findFirst()
                    .orElseThrow();
            assertThat(original.cause()).isEqualTo("transferred");
            assertThat(original.answeredBy()).isEqualTo("bob-desk");
            assertThat(transferred.answeredBy()).isEqualTo("carol-desk");
            assertThat(transferred.cause()).isEqualTo("answered-caller-hangup");
            assertThat(transferred.id()).isNotEqualTo(original.id());
            assertThat(transferred.calleeLeg().packetsSent()).as("Parley -> carol").isGreaterThan(150);
        }
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(parley.freeMediaPortPairs())
                .as("every port back in the pool").isEqualTo(parley.mediaPortPairs()));
    }

    @Test
    void aTransferToAnUnregisteredNumberIsReportedAndTheCallGoesOn() throws Exception {
        Path logs = Files.createDirectories(dir.resolve("unavailable"));
        MediaSippIT.writePcmuPcap(logs.resolve("transfer.pcap"), PACKETS, true);
        int bobPort = register(logs, "201", "bob");
        Sipp.Running bob = Sipp.scenario("uas-transferor-unavailable", logs).remote(udp).localPort(bobPort).start()
                .awaitListening(bobPort, false);
        Sipp.Result alice;
        Sipp.Result bobDone;
        try {
            alice = Sipp.scenario("uac-transferee", logs).remote(udp).localPort(Sipp.freePort(false))
                    .service("101").credentials("alice-desk", "alice-secret-1234").field0("201").run();
            bobDone = bob.await();
        } finally {
            bob.kill();
        }
        assertThat(alice.exitCode()).as(alice.describe()).isZero();
        // NOTIFY 100, NOTIFY 480 (terminated), and the call with alice went on until she hung up
        assertThat(bobDone.exitCode()).as(bobDone.describe()).isZero();
        try (Store store = Store.open(parley.databaseUrl(), null, null)) {
            CallRecord cdr = await().atMost(Duration.ofSeconds(5)).until(() -> store.callRecords().recent(100)
                    .stream().filter(r -> "201".equals(r.callee()) && !"transferred".equals(r.cause())).toList(),
                    l -> !l.isEmpty()).getFirst();
            assertThat(cdr.cause()).isEqualTo("answered-caller-hangup");
            assertThat(cdr.answeredBy()).isEqualTo("bob-desk");
            assertThat(Duration.between(cdr.answeredAt(), cdr.endedAt())).as("alice hung up after 7 s")
                    .isGreaterThan(Duration.ofSeconds(6));
        }
    }

    @Test
    void aTransferTargetThatNeverAnswersIsCancelledAfterTheNoAnswerTimeoutAndTheCallGoesOn() throws Exception {
        Path logs = Files.createDirectories(dir.resolve("noanswer"));
        MediaSippIT.writePcmuPcap(logs.resolve("transfer.pcap"), PACKETS, true);
        int bobPort = register(logs, "201", "bob");
        int erinPort = register(logs, "105", "erin");
        Sipp.Running erin = Sipp.scenario("uas-ring", logs).remote(udp).localPort(erinPort).start()
                .awaitListening(erinPort, false);
        Sipp.Running bob = Sipp.scenario("uas-transferor-noanswer", logs).remote(udp).localPort(bobPort).start()
                .awaitListening(bobPort, false);
        Sipp.Result alice;
        Sipp.Result bobDone;
        Sipp.Result erinDone;
        try {
            alice = Sipp.scenario("uac-transferee", logs).remote(udp).localPort(Sipp.freePort(false))
                    .service("101").credentials("alice-desk", "alice-secret-1234").field0("201").run();
            bobDone = bob.await();
            erinDone = erin.await();
        } finally {
            bob.kill();
            erin.kill();
        }
        assertThat(alice.exitCode()).as(alice.describe()).isZero();
        // NOTIFY 100, NOTIFY 480 (terminated) once Parley gave up on erin, then alice's BYE through Parley
        assertThat(bobDone.exitCode()).as(bobDone.describe()).isZero();
        // erin rang (180), was CANCELled and answered 487
        assertThat(erinDone.exitCode()).as(erinDone.describe()).isZero();
        assertThat(erinDone.messages()).containsPattern("(?m)^From: [^\\r\\n]*sip:101@");
    }

    private static int mediaPort(String messages) {
        Matcher m = Pattern.compile("m=audio (\\d+) ").matcher(messages.substring(messages.indexOf("SIP/2.0 200")));
        assertThat(m.find()).as("carol's 200 OK has an m= line").isTrue();
        return Integer.parseInt(m.group(1));
    }
}
