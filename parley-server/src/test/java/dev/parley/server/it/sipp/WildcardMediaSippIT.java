package dev.parley.server.it.sipp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.server.it.LoopbackCapture;
import dev.parley.server.it.ParleyUnderTest;
import dev.parley.sipstack.flow.Transport;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A call through a Parley whose media is bound as a default install's is: to the wildcard {@code 0.0.0.0}
 * ({@code media.bind-address} defaults to {@code sip.bind-address}'s 0.0.0.0), advertising an IPv4 address. Its
 * legs get the media plane's fast path — IPv4 sockets, each {@code connect()}ed to its latched peer once that
 * peer's datagram shows it was sent to the address the kernel fixes for the route back (NativeUdpSocket) — and the
 * audio still flows both ways untouched. The sockets' state is sampled from {@code /proc/net/udp} while the call is
 * up ({@link SocketDrops}): a connected UDP socket is listed there with state 01 and its peer; a dual-stack socket
 * would be in {@code /proc/net/udp6} instead.
 */
@Timeout(value = 120)
class WildcardMediaSippIT {
    private static final int PACKETS = 100;

    @TempDir
    static Path dir;
    static ParleyUnderTest parley;
    static int udp;

    @BeforeAll
    static void startParley() throws Exception {
        parley = ParleyUnderTest.start(Files.createDirectories(dir.resolve("server")),
                Map.of("PARLEY_PBX_DIGEST_ALGORITHMS", "MD5,SHA-256", "PARLEY_MEDIA_BIND_ADDRESS", "0.0.0.0"));
        udp = parley.port(Transport.UDP);
        parley.addPhone("alice", "101", "alice-desk", "alice-secret-1234");
        parley.addPhone("dave", "203", "dave-desk", "dave-secret-1234");
    }

    @AfterAll
    static void stopParley() {
        if (parley != null) {
            parley.close();
        }
    }

    @Test
    void aCallsLegsAreConnectedIpv4SocketsAndTheAudioFlowsBothWays() throws Exception {
        Path logs = Files.createDirectories(dir.resolve("call"));
        MediaSippIT.writePcmuPcap(logs.resolve("play.pcap"), PACKETS);
        int calleePort = Sipp.registerFromFreshPort(logs, udp, "203", "dave-desk", "dave-secret-1234");
        int min = parley.server().config().media().portMin();
        int max = parley.server().config().media().portMax();
        int callerPort = Sipp.freePort(false);
        Sipp.Running uas = Sipp.scenario("uas-echo", logs).remote(udp).localPort(calleePort).rtpEcho().start()
                .awaitListening(calleePort, false);
        List<LoopbackCapture.Datagram> wire;
        SocketDrops sockets = SocketDrops.sample(min, max);
        try (sockets; LoopbackCapture capture = LoopbackCapture.udp(logs, "portrange " + min + "-" + max
                + " or port " + callerPort + " or port " + calleePort, 0)) {
            Sipp.Result uac = Sipp.scenario("uac-play", logs).remote(udp).localPort(callerPort).service("101")
                    .credentials("alice-desk", "alice-secret-1234").field0("203").run();
            assertThat(uac.exitCode()).as(uac.describe()).isZero();
            Sipp.Result callee = uas.await();
            assertThat(callee.exitCode()).as(callee.describe()).isZero();
            wire = capture.stop();
        } finally {
            uas.kill();
        }
        Set<String> connected = sockets.connectedOnLoopback();
        int callerMedia = SippWire.audioPort(SippWire.lastWithSdp(wire, callerPort, udp, "INVITE "));
        int parleyToCaller = SippWire.audioPort(SippWire.lastWithSdp(wire, udp, callerPort, "SIP/2.0 200 "));
        int parleyToCallee = SippWire.audioPort(SippWire.lastWithSdp(wire, udp, calleePort, "INVITE "));
        int calleeMedia = SippWire.audioPort(SippWire.lastWithSdp(wire, calleePort, udp, "SIP/2.0 200 "));
        List<byte[]> fromCaller = SippWire.rtp(wire, callerMedia, parleyToCaller);
        List<byte[]> toCallee = SippWire.rtp(wire, parleyToCallee, calleeMedia);
        List<byte[]> toCaller = SippWire.rtp(wire, parleyToCaller, callerMedia);
        System.out.printf("wildcard media: %d sent by the caller, %d to the callee, %d echoed back to the caller;"
                + " connected sockets seen: %s%n", fromCaller.size(), toCallee.size(), toCaller.size(), connected);
        assertThat(fromCaller.size()).isGreaterThanOrEqualTo(PACKETS * 9 / 10);
        assertThat(toCallee).as("relayed to the callee").hasSizeGreaterThanOrEqualTo(PACKETS * 9 / 10);
        assertThat(toCaller).as("the echo relayed back to the caller").hasSizeGreaterThanOrEqualTo(PACKETS * 8 / 10);
        assertThat(sockets.dropped()).as("datagrams the kernel dropped at Parley's sockets").isZero();
        assertThat(connected).as("both legs' RTP sockets: IPv4, local 127.0.0.1 (fixed by the connect), connected to"
                + " the phone's media port").contains(parleyToCaller + ">" + callerMedia,
                        parleyToCallee + ">" + calleeMedia);
    }
}
