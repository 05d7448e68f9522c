package dev.parley.server.it.sipp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.server.it.LoopbackCapture;
import dev.parley.server.it.ParleyUnderTest;
import dev.parley.server.it.RtpWire;
import dev.parley.sipstack.flow.Transport;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Transcoding-aware offers with real peers: a caller (sipp) offering PCMU only reaches a callee (sipp,
 * {@code -rtp_echo}) that takes PCMA only, because Parley offers the callee the caller's codecs and then the ones
 * its media plane converts to ({@code MediaService.convertibleFormats()}); and a callee that shares the caller's
 * codec gets the caller's bytes untouched. One tcpdump capture of Parley's media ports and both phones' SIP ports
 * shows the SDP Parley wrote and the payload type and audio of every relayed packet.
 */
@Timeout(value = 120)
class TranscodingSippIT {
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
        parley.addPhone("dave", "203", "dave-desk", "dave-secret-1234");
    }

    @AfterAll
    static void stopParley() {
        if (parley != null) {
            parley.close();
        }
    }

    /** What one call looked like on the wire. */
    private record Call(String offerToCallee, String answerToCaller, List<byte[]> fromCaller, List<byte[]> toCallee,
            List<byte[]> fromCallee, List<byte[]> toCaller, List<LoopbackCapture.Datagram> wire, int parleyToCaller,
            int callerMedia) {
    }

    private static Call call(String test, String calleeScenario, String extension, String user) throws Exception {
        Path logs = Files.createDirectories(dir.resolve(test));
        MediaSippIT.writePcmuPcap(logs.resolve("play.pcap"), PACKETS);
        int calleePort = Sipp.registerFromFreshPort(logs, udp, extension, user + "-desk", user + "-secret-1234");
        int min = parley.server().config().media().portMin();
        int max = parley.server().config().media().portMax();
        int callerPort = Sipp.freePort(false);
        Sipp.Running uas = Sipp.scenario(calleeScenario, logs).remote(udp).localPort(calleePort).rtpEcho().start()
                .awaitListening(calleePort, false);
        List<LoopbackCapture.Datagram> wire;
        try (LoopbackCapture capture = LoopbackCapture.udp(logs, "portrange " + min + "-" + max + " or port "
                + callerPort + " or port " + calleePort, 0)) {
            Sipp.Result uac = Sipp.scenario("uac-play", logs).remote(udp).localPort(callerPort).service("101")
                    .credentials("alice-desk", "alice-secret-1234").field0(extension).run();
            assertThat(uac.exitCode()).as(uac.describe()).isZero();
            Sipp.Result callee = uas.await();
            assertThat(callee.exitCode()).as(callee.describe()).isZero();
            wire = capture.stop();
        } finally {
            uas.kill();
        }
        String offerToCallee = SippWire.lastWithSdp(wire, udp, calleePort, "INVITE ");
        String callerOk = SippWire.lastWithSdp(wire, udp, callerPort, "SIP/2.0 200 ");
        int callerMedia = SippWire.audioPort(SippWire.lastWithSdp(wire, callerPort, udp, "INVITE "));
        int parleyToCallee = SippWire.audioPort(offerToCallee);
        int calleeMedia = SippWire.audioPort(SippWire.lastWithSdp(wire, calleePort, udp, "SIP/2.0 200 "));
        int parleyToCaller = SippWire.audioPort(callerOk);
        return new Call(offerToCallee, callerOk, SippWire.rtp(wire, callerMedia, parleyToCaller),
                SippWire.rtp(wire, parleyToCallee, calleeMedia), SippWire.rtp(wire, calleeMedia, parleyToCallee),
                SippWire.rtp(wire, parleyToCaller, callerMedia), wire, parleyToCaller, callerMedia);
    }

    @Test
    void aPcmuCallerReachesAPcmaOnlyCalleeAndTheMediaPlaneConvertsBothWays() throws Exception {
        Call c = call("pcma", "uas-echo-pcma", "201", "bob");
        assertThat(SippWire.audioFormats(c.offerToCallee())).as("the caller's PCMU first, then what Parley converts to")
                .startsWith("0 8");
        assertThat(SippWire.audioFormats(c.answerToCaller())).as("the caller keeps its own codec").isEqualTo("0");
        System.out.printf("PCMU caller / PCMA callee: %d sent by the caller, %d to the callee (%s), %d echoed,"
                + " %d to the caller (%s)%n", c.fromCaller().size(), c.toCallee().size(), types(c.toCallee()),
                c.fromCallee().size(), c.toCaller().size(), types(c.toCaller()));
        assertThat(c.fromCaller().size()).isGreaterThanOrEqualTo(PACKETS * 9 / 10);
        assertThat(c.toCallee()).as("converted to PCMA for the callee").hasSizeGreaterThanOrEqualTo(PACKETS * 9 / 10)
                .allSatisfy(p -> assertThat(p[1] & 0x7f).isEqualTo(8));
        assertThat(c.toCaller()).as("converted back to PCMU for the caller")
                .hasSizeGreaterThanOrEqualTo(PACKETS * 8 / 10).allSatisfy(p -> assertThat(p[1] & 0x7f).isZero());
        // the 400 Hz tone survived PCMU → PCMA → (echo) → PCMU
        RtpWire.Stream back = RtpWire.streams(c.wire()).stream()
                .filter(s -> s.sourcePort() == c.parleyToCaller() && s.destinationPort() == c.callerMedia())
                .findFirst().orElseThrow();
        assertThat(back.toneShare(400)).as("%s", back).isGreaterThan(0.9);
    }

    @Test
    void aCalleeSharingTheCallersCodecGetsItsBytesUntouched() throws Exception {
        Call c = call("pcmu", "uas-echo", "203", "dave");
        System.out.printf("PCMU caller / PCMU callee: %d sent by the caller, %d to the callee (%s)%n",
                c.fromCaller().size(), c.toCallee().size(), types(c.toCallee()));
        assertThat(c.toCallee()).hasSizeGreaterThanOrEqualTo(PACKETS * 9 / 10)
                .allSatisfy(p -> assertThat(p[1] & 0x7f).isZero());
        List<byte[]> sent = c.fromCaller().stream().map(TranscodingSippIT::payload).toList();
        assertThat(c.toCallee()).as("no conversion: every payload is one the caller sent")
                .allSatisfy(p -> assertThat(sent).anySatisfy(s -> assertThat(s).isEqualTo(payload(p))));
    }

    private static byte[] payload(byte[] rtp) {
        return Arrays.copyOfRange(rtp, 12, rtp.length);
    }

    private static String types(List<byte[]> packets) {
        return packets.stream().map(p -> Integer.toString(p[1] & 0x7f)).distinct().toList().toString();
    }
}
