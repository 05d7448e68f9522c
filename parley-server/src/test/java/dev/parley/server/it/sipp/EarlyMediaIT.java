package dev.parley.server.it.sipp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.parley.server.it.LoopbackCapture;
import dev.parley.server.it.ParleyUnderTest;
import dev.parley.sipstack.flow.Transport;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Early media with real peers (RFC 3261 §13.2.1, RFC 3264): sipp as the callee answers {@code 183} with SDP and
 * plays 2 s of PCMU (100 packets) before its {@code 200}, which comes 3 s later and repeats the 183's SDP; sipp as
 * the caller requires a 183 and sends no RTP. {@code tcpdump} on the loopback sees Parley's media ports and the
 * caller's SIP port in one capture, so the order on the wire shows how many RTP packets reached the caller before
 * Parley's 200 did; the bodies of Parley's 183 and 200 are read from the same capture.
 */
@Timeout(value = 120)
class EarlyMediaIT {
    private static final int PACKETS = 100;

    @TempDir
    static Path dir;
    static ParleyUnderTest parley;
    static int udp;

    @BeforeAll
    static void startParley() throws Exception {
        parley = ParleyUnderTest.start(Files.createDirectories(dir.resolve("server")),
                Map.of("PARLEY_PBX_DIGEST_ALGORITHMS", "MD5,SHA-256"));
        udp = parley.port(Transport.UDP);
        parley.addPhone("alice", "101", "alice-desk", "alice-secret-1234");
        parley.addPhone("bob", "201", "bob-desk", "bob-secret-1234");
    }

    @AfterAll
    static void stopParley() {
        if (parley != null) {
            parley.close();
        }
    }

    @Test
    void theCallerHearsTheCalleesEarlyMediaBeforeThe200AndThe200RepeatsThe183sAnswer() throws Exception {
        Path logs = Files.createDirectories(dir.resolve("early"));
        MediaSippIT.writePcmuPcap(logs.resolve("early.pcap"), PACKETS);
        int calleePort = Sipp.registerFromFreshPort(logs, udp, "201", "bob-desk", "bob-secret-1234");
        int min = parley.server().config().media().portMin();
        int max = parley.server().config().media().portMax();
        int callerPort = Sipp.freePort(false);

        Sipp.Running uas = Sipp.scenario("uas-early-media", logs).remote(udp).localPort(calleePort).start()
                .awaitListening(calleePort, false);
        List<LoopbackCapture.Datagram> wire;
        try (LoopbackCapture capture = LoopbackCapture.udp(logs, "portrange " + min + "-" + max + " or port "
                + callerPort + " or port " + calleePort, 0)) {
            Sipp.Result uac = Sipp.scenario("uac-early-media", logs).remote(udp).localPort(callerPort)
                    .service("101").credentials("alice-desk", "alice-secret-1234").field0("201").run();
            assertThat(uac.exitCode()).as(uac.describe()).isZero();
            Sipp.Result callee = uas.await();
            assertThat(callee.exitCode()).as(callee.describe()).isZero();
            wire = capture.stop();
            assertThat(capture.log()).as("tcpdump saw every packet")
                    .containsPattern("(?m)^0 packets dropped by kernel");
        } finally {
            uas.kill();
        }

        // the caller's INVITE (with digest) names its media port; Parley's 183 and 200 go to its SIP port
        int callerMedia = SippWire.audioPort(SippWire.lastWithSdp(wire, callerPort, udp, "INVITE "));
        int progressAt = SippWire.index(wire, udp, callerPort, "SIP/2.0 183 ");
        int okAt = SippWire.index(wire, udp, callerPort, "SIP/2.0 200 ");
        assertThat(progressAt).as("Parley relayed the 183").isNotNegative();
        assertThat(okAt).as("and then the 200").isGreaterThan(progressAt);
        String progress = SippWire.body(SippWire.text(wire.get(progressAt)));
        String ok = SippWire.body(SippWire.text(wire.get(okAt)));
        assertThat(progress).as("the 183 carries Parley's answer").contains("o=parley ").contains("m=audio ");
        assertThat(ok).as("RFC 3261 §13.2.1: the 200 repeats the 183's answer").isEqualTo(progress);
        int parleyMedia = SippWire.audioPort(progress);
        assertThat(parleyMedia).isBetween(min, max);

        long early = 0;
        long late = 0;
        for (int i = 0; i < wire.size(); i++) {
            LoopbackCapture.Datagram d = wire.get(i);
            if (d.sourcePort() == parleyMedia && d.destinationPort() == callerMedia && isPcmu(d.payload())) {
                if (i < okAt) {
                    early++;
                } else {
                    late++;
                }
            }
        }
        // what the callee sent before Parley had handled its 183 (Parley's own 183 not yet out): the callee plays
        // as soon as it sent the 183, and an endpoint relays only once configured, so these may be dropped
        int toParley = parleyCalleeMedia(wire, calleePort);
        long beforeHandled = wire.subList(0, progressAt).stream()
                .filter(d -> d.destinationPort() == toParley && isPcmu(d.payload())).count();
        System.out.printf("early media: %d of %d PCMU packets reached the caller before Parley's 200, %d after;"
                + " %d of the callee's reached Parley before it had relayed the 183%n", early, PACKETS, late,
                beforeHandled);
        assertThat(early).as("RTP from the callee reached the caller before the 200")
                .isGreaterThanOrEqualTo(PACKETS * 9 / 10);
        assertThat(early + late).isLessThanOrEqualTo(PACKETS);
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(parley.freeMediaPortPairs())
                .as("every port back in the pool").isEqualTo(parley.mediaPortPairs()));
    }

    /** Parley's media port on the callee leg: the m=audio port of the INVITE Parley sent the callee. */
    private static int parleyCalleeMedia(List<LoopbackCapture.Datagram> wire, int calleePort) {
        return SippWire.audioPort(SippWire.lastWithSdp(wire, udp, calleePort, "INVITE "));
    }

    private static boolean isPcmu(byte[] p) {
        return p.length == 12 + 160 && (p[0] & 0xc0) == 0x80 && (p[1] & 0x7f) == 0;
    }
}
