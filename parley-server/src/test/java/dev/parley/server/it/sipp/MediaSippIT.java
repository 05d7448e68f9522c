package dev.parley.server.it.sipp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.parley.pbx.cdr.CallRecord;
import dev.parley.server.it.LoopbackCapture;
import dev.parley.server.it.ParleyUnderTest;
import dev.parley.server.it.RtpWire;
import dev.parley.sipstack.flow.Transport;
import dev.parley.store.Store;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
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
 * Anchored media with sipp: the media policy's refusals as a phone on UDP sees them ({@code 488}), the media
 * timeout ({@code media.timeout} 8 s here) ending a silent call with a Reason on both legs, and 100 concurrent
 * anchored calls of 30 s of G.711 at 20 ms relayed without losing a packet.
 *
 * <p>Load: sipp calls 100 times at once ({@code -l 100}), each call plays {@code media-30s.pcap} (1500 PCMU
 * packets, 20 ms apart, each numbered in its first two payload octets, written by this test) to Parley; the callee,
 * one sipp with {@code -rtp_echo}, sends every packet back. {@code tcpdump} captures signalling and media on the
 * loopback in wire order, and {@link RelayAccounting} checks packet for packet: every numbered packet that reached
 * a caller leg's port while its call was up (after Parley's 200 OK named the port, before the caller's BYE) must
 * have left Parley towards the callee, and what came back must have gone out to the callers. Packets a caller sent
 * after its own BYE are counted apart (no relay forwards them); none was seen so far, since sipp hangs up 3 s after
 * its 30 s of audio. The media timeout is 8 s so that a caller's BYE may come up to 5 s late on a starved host:
 * with 4 s a CI run whose sipp tripped its 500 ms watchdog 2,500 times sent six BYEs more than 1 s late, the
 * timeout had ended those calls, and sipp counted the {@code 481} as failed calls. The kernel's drops at Parley's sockets ({@code /proc/net/udp}) are checked too. Media and
 * signalling run on one machine shared with other work, so the run is bounded (one 30 s burst) and the assertion
 * is on the relay, not on sipp's own sending or echoing.
 */
@Timeout(value = 180)
class MediaSippIT {
    private static final int CALLS = 100;
    private static final int PACKETS = 1500;

    @TempDir
    static Path dir;
    static ParleyUnderTest parley;
    static int udp;

    @BeforeAll
    static void startParley() throws Exception {
        parley = ParleyUnderTest.start(Files.createDirectories(dir.resolve("server")),
                Map.of("PARLEY_PBX_DIGEST_ALGORITHMS", "MD5,SHA-256", "PARLEY_MEDIA_TIMEOUT", "8s"));
        udp = parley.port(Transport.UDP);
        parley.addPhone("alice", "101", "alice-desk", "alice-secret-1234");
        parley.addPhone("carol", "103", "carol-desk", "carol-secret-1234");
        parley.addPhone("bob", "201", "bob-desk", "bob-secret-1234");
        parley.addPhone("erin", "202", "erin-desk", "erin-secret-1234");
        parley.addPhone("dave", "203", "dave-desk", "dave-secret-1234");
        parley.addPhone("frank", "204", "frank-desk", "frank-secret-1234");
        require(parley.cli("device", "set", "carol-desk", "--media-policy", "required"));
        require(parley.cli("device", "set", "erin-desk", "--media-policy", "required"));
        require(parley.cli("device", "set", "dave-desk", "--media-policy", "off"));
    }

    @AfterAll
    static void stopParley() {
        if (parley != null) {
            parley.close();
        }
    }

    private static void require(int status) {
        assertThat(status).as(parley.cliOutput()).isZero();
    }

    private static int register(Path logs, String extension, String user) {
        return Sipp.registerFromFreshPort(logs, udp, extension, user + "-desk", user + "-secret-1234");
    }

    /** {@code scenario} from {@code caller}'s account to {@code extension}, expecting the callee never rings. */
    private static void refused(String test, String scenario, String caller, String extension, String callee)
            throws Exception {
        Path logs = Files.createDirectories(dir.resolve(test));
        int calleePort = register(logs, extension, callee);
        try (DatagramSocket phone = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(),
                calleePort))) {
            Sipp.Result r = Sipp.scenario(scenario, logs).remote(udp).localPort(Sipp.freePort(false))
                    .service(caller.equals("carol") ? "103" : "101")
                    .credentials(caller + "-desk", caller + "-secret-1234").field0(extension).run();
            assertThat(r.exitCode()).as(r.describe()).isZero();
            assertThat(r.messages()).contains("SIP/2.0 488 ");
            phone.setSoTimeout(300);
            try {
                phone.receive(new DatagramPacket(new byte[2048], 2048));
                throw new AssertionError("the callee was rung");
            } catch (SocketTimeoutException expected) {
                // nothing rang
            }
        }
        assertThat(parley.freeMediaPortPairs()).isEqualTo(parley.mediaPortPairs());
    }

    @Test
    void aRequiredAccountOfferingPlainRtpGets488() throws Exception {
        refused("plain-488", "uac-plain-488", "carol", "201", "bob");
    }

    @Test
    void sdesOverUdpFromARequiredAccountGets488() throws Exception {
        refused("sdes-488", "uac-sdes-488", "carol", "201", "bob");
    }

    @Test
    void aRequiredCalleeRegisteredOverUdpIsNotRungAndTheCallerGets488() throws Exception {
        refused("callee-488", "uac-plain-488", "alice", "202", "erin");
    }

    @Test
    void aSilentCallIsEndedByTheMediaTimeoutWithReason408OnBothLegs() throws Exception {
        Path logs = Files.createDirectories(dir.resolve("timeout"));
        int calleePort = register(logs, "204", "frank");
        Sipp.Running uas = Sipp.scenario("uas-answer", logs).remote(udp).localPort(calleePort).start()
                .awaitListening(calleePort, false);
        try {
            long start = System.nanoTime();
            Sipp.Result uac = Sipp.scenario("uac-wait-bye", logs).remote(udp).localPort(Sipp.freePort(false))
                    .service("101").credentials("alice-desk", "alice-secret-1234").field0("204").run();
            Duration took = Duration.ofNanos(System.nanoTime() - start);
            Sipp.Result callee = uas.await();
            assertThat(uac.exitCode()).as(uac.describe()).isZero();
            assertThat(callee.exitCode()).as(callee.describe()).isZero();
            // RFC 3326: both legs are told why
            for (Sipp.Result side : List.of(uac, callee)) {
                assertThat(side.messages()).contains("Reason: SIP;cause=408;text=\"Media timeout\"");
            }
            assertThat(took).as("ended by the 8 s timeout, not by sipp").isLessThan(Duration.ofSeconds(19));
        } finally {
            uas.kill();
        }
        try (Store store = Store.open(parley.databaseUrl(), null, null)) {
            CallRecord cdr = await().atMost(Duration.ofSeconds(5)).until(() -> store.callRecords().recent(100)
                    .stream().filter(r -> "204".equals(r.callee())).toList(), l -> !l.isEmpty()).getFirst();
            assertThat(cdr.cause()).isEqualTo("media-timeout");
            assertThat(cdr.status()).isEqualTo(200);
        }
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(parley.freeMediaPortPairs())
                .isEqualTo(parley.mediaPortPairs()));
    }

    @Test
    void hundredConcurrentCallsOf30sG711AreRelayedWithoutLoss() throws Exception {
        Path logs = Files.createDirectories(dir.resolve("load"));
        writePcmuPcap(logs.resolve("media-30s.pcap"), PACKETS, true);
        int calleePort = register(logs, "203", "dave");
        int min = parley.server().config().media().portMin();
        int max = parley.server().config().media().portMax();
        Sipp.Running uas = Sipp.scenario("uas-echo", logs).remote(udp).localPort(calleePort).rtpEcho()
                .calls(CALLS).timeout(Duration.ofSeconds(120)).start().awaitListening(calleePort, false);
        List<RtpWire.Stream> wire;
        List<LoopbackCapture.Datagram> datagrams;
        SocketDrops kernelDrops = SocketDrops.sample(min, max);
        // signalling and media in one capture, in wire order: the 200 OK names each caller leg, the BYE ends it
        try (kernelDrops; LoopbackCapture capture = LoopbackCapture.udp(logs, "portrange " + min + "-" + max
                + " or port " + udp, 1500)) {
            Sipp.Result uac = Sipp.scenario("uac-media", logs).remote(udp).localPort(Sipp.freePort(false))
                    .service("101").credentials("alice-desk", "alice-secret-1234").field0("203")
                    .calls(CALLS).limit(CALLS).rate(25).timeout(Duration.ofSeconds(120)).run();
            assertThat(uac.exitCode()).as(uac.describe()).isZero();
            assertThat(uac.successfulCalls()).isEqualTo(CALLS);
            Sipp.Result callee = uas.await();
            assertThat(callee.exitCode()).as(callee.describe()).isZero();
            datagrams = capture.stop();
            wire = RtpWire.streams(datagrams);
            System.out.println(capture.log());
            assertThat(capture.log()).as("tcpdump saw every packet")
                    .containsPattern("(?m)^0 packets dropped by kernel");
        } finally {
            uas.kill();
        }

        // four streams per call: caller → Parley, Parley → callee, callee (echo) → Parley, Parley → caller
        long fromCallers = 0;
        long toCallee = 0;
        long fromCallee = 0;
        long toCallers = 0;
        int echoPort = wire.stream().filter(s -> !(s.sourcePort() >= min && s.sourcePort() <= max))
                .collect(java.util.stream.Collectors.groupingBy(RtpWire.Stream::sourcePort,
                        java.util.stream.Collectors.counting()))
                .entrySet().stream().max(Map.Entry.comparingByValue()).orElseThrow().getKey();
        for (RtpWire.Stream s : wire) {
            boolean intoParley = s.destinationPort() >= min && s.destinationPort() <= max;
            if (intoParley && s.sourcePort() == echoPort) {
                fromCallee += s.packets();
            } else if (intoParley) {
                fromCallers += s.packets();
            } else if (s.destinationPort() == echoPort) {
                toCallee += s.packets();
            } else {
                toCallers += s.packets();
            }
        }
        System.out.printf("RTP packets: %d from the callers, %d relayed to the callee; %d echoed back, %d relayed"
                + " to the callers%n", fromCallers, toCallee, fromCallee, toCallers);
        RelayAccounting.Result towardsCallee = RelayAccounting.of(datagrams, udp, min, max, echoPort);
        System.out.println("towards the callee: " + towardsCallee + "; kernel drops at Parley's sockets: "
                + kernelDrops.dropped() + ", fullest receive queue " + kernelDrops.fullestQueue() + " bytes");
        assertThat(fromCallers).as("what sipp sent reached Parley").isEqualTo((long) CALLS * PACKETS);
        assertThat(towardsCallee.legs()).as(towardsCallee.toString()).isEqualTo(CALLS);
        assertThat(towardsCallee.relayedStreams()).as(towardsCallee.toString()).isEqualTo(CALLS);
        assertThat(towardsCallee.arrivedDuringCall() + towardsCallee.arrivedAfterBye()).isEqualTo(fromCallers);
        // every packet that reached a caller leg while its call was up left towards the callee; what a caller
        // sent after its own BYE (sipp's playback lagging behind its 33 s pause) is not the relay's to forward
        assertThat(kernelDrops.dropped()).as("datagrams the kernel dropped at Parley's full sockets").isZero();
        assertThat(towardsCallee.lost()).as("lost by the relay towards the callee: %s", towardsCallee).isZero();
        assertThat(toCallers).as("relayed back towards the callers").isEqualTo(fromCallee);
        assertThat(fromCallee).as("the echo came back (sipp's own loss aside)").isGreaterThan(fromCallers * 9 / 10);

        List<CallRecord> cdrs;
        try (Store store = Store.open(parley.databaseUrl(), null, null)) {
            cdrs = await().atMost(Duration.ofSeconds(10)).until(() -> store.callRecords().recent(1000).stream()
                    .filter(r -> "203".equals(r.callee())).toList(), l -> l.size() == CALLS);
        }
        assertThat(cdrs).allSatisfy(r -> {
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.callerLeg().packetsReceived()).isGreaterThanOrEqualTo(PACKETS);
            assertThat(r.encryptedAllLegs()).isFalse();
        });
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(parley.freeMediaPortPairs())
                .as("every port back in the pool").isEqualTo(parley.mediaPortPairs()));
    }

    /**
     * A pcap of {@code packets} RTP packets, PCMU, 20 ms apart (160 samples, timestamps and sequence numbers
     * continuous), as sipp's {@code play_pcap_audio} reads it: Ethernet, IPv4, UDP; sipp sends the UDP payloads to
     * the call's remote media address at the capture's pace.
     */
    static void writePcmuPcap(Path file, int packets) throws IOException {
        writePcmuPcap(file, packets, false);
    }

    /**
     * As {@link #writePcmuPcap(Path, int)}; {@code numbered}: the first two payload octets carry the packet's index
     * (big-endian), so a capture of the relayed stream tells which of the sent packets arrived, although the relay
     * rewrites sequence numbers and timestamps.
     */
    static void writePcmuPcap(Path file, int packets, boolean numbered) throws IOException {
        int rtp = 12 + 160;
        int frame = 14 + 20 + 8 + rtp;
        ByteBuffer b = ByteBuffer.allocate(24 + packets * (16 + frame)).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(0xa1b2c3d4).putShort((short) 2).putShort((short) 4).putInt(0).putInt(0).putInt(65535).putInt(1);
        for (int i = 0; i < packets; i++) {
            long micros = i * 20_000L;
            b.order(ByteOrder.LITTLE_ENDIAN).putInt((int) (micros / 1_000_000)).putInt((int) (micros % 1_000_000))
                    .putInt(frame).putInt(frame);
            b.order(ByteOrder.BIG_ENDIAN);
            b.put(new byte[12]).putShort((short) 0x0800); // Ethernet: addresses, IPv4
            b.put((byte) 0x45).put((byte) 0).putShort((short) (20 + 8 + rtp)).putShort((short) 0).putShort((short) 0)
                    .put((byte) 64).put((byte) 17).putShort((short) 0).put(new byte[] {127, 0, 0, 1})
                    .put(new byte[] {127, 0, 0, 1});
            b.putShort((short) 40000).putShort((short) 40002).putShort((short) (8 + rtp)).putShort((short) 0);
            b.put((byte) 0x80).put((byte) 0).putShort((short) i).putInt(i * 160).putInt(0x5eed1234);
            for (int s = 0; s < 160; s++) {
                // μ-law of a 400 Hz sine at a modest level: real audio, not silence the peer might suppress
                double x = 8000 * Math.sin(2 * Math.PI * 400 * (i * 160 + s) / 8000.0);
                if (numbered && s < 2) {
                    b.put((byte) (s == 0 ? i >>> 8 : i));
                } else {
                    b.put(linearToUlaw((int) x));
                }
            }
        }
        Files.write(file, b.array());
    }

    /** ITU-T G.711 μ-law encoding. */
    static byte linearToUlaw(int sample) {
        int sign = sample < 0 ? 0x80 : 0;
        int magnitude = Math.min(Math.abs(sample), 32635) + 0x84;
        int exponent = 7;
        for (int mask = 0x4000; (magnitude & mask) == 0 && exponent > 0; mask >>= 1) {
            exponent--;
        }
        int mantissa = (magnitude >> (exponent + 3)) & 0x0f;
        return (byte) ~(sign | (exponent << 4) | mantissa);
    }
}
