package dev.parley.server.it.browser;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.server.it.LoopbackCapture;
import dev.parley.server.it.ParleyUnderTest;
import dev.parley.server.it.RtpWire;
import dev.parley.server.it.TestDatabase;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 5, browser-to-browser video: two Chromium/JsSIP phones over WSS call each other through Parley with audio
 * (Opus) and the fake camera's test pattern (VP8), bundled on one DTLS-SRTP transport per leg (RFC 8843). Parley
 * relays the video without decoding and forwards NACK/PLI/FIR between the browsers. Checked: each browser's
 * getStats() shows video frames decoded, and more at the end than half-way (a stream, not one key frame), its
 * audio heard; alice throws away a second of received video, asks for a key frame, carol gets the request and
 * sends one, alice decodes it; Parley's SDP to each has a bundled video m-line with rtcp-fb nack/pli/fir; and a loopback capture of
 * Parley's media ports holds nothing but STUN, DTLS and SRTP/SRTCP (RFC 7983), no plain VP8 payload.
 */
class BrowserVideoIT {
    private static final Duration SIGNALLING = Duration.ofSeconds(15);
    private static final int TALK_SECONDS = 6;
    /** Alice throws away the video she receives from this second of the call for one second. */
    private static final int DROP_AT_SECOND = 2;

    @TempDir
    Path dir;

    private ParleyUnderTest parley;
    private BrowserPhone alice;
    private BrowserPhone carol;

    @AfterEach
    void stop() {
        for (BrowserPhone b : new BrowserPhone[] {carol, alice}) {
            if (b != null) {
                b.close();
            }
        }
        if (parley != null) {
            parley.close();
        }
    }

    @Test
    void twoBrowsersSeeEachOthersVp8RelayedAsSrtp() throws Exception {
        call("", "video/VP8");
    }

    /** Both phones prefer H.264 (setCodecPreferences): its fmtp must cross Parley as the offerer wrote it. */
    @Test
    void twoBrowsersPreferringH264SeeEachOthersH264() throws Exception {
        call("&vcodec=H264", "video/H264");
    }

    private void call(String codecOption, String codec) throws Exception {
        Files.createDirectories(dir.resolve("parley"));
        // default Digest algorithms: over WSS Parley challenges with MD5 alone, which JsSIP 3.13 answers
        parley = ParleyUnderTest.start(dir.resolve("parley"), TestDatabase.SQLITE.settings(Map.of()));
        parley.addPhone("alice", "101", "alice-web", "alice-secret-1234");
        parley.addPhone("carol", "103", "carol-web", "carol-secret-1234");

        JsonNode aliceStats;
        JsonNode carolStats;
        List<LoopbackCapture.Datagram> wire;
        try (LoopbackCapture capture = LoopbackCapture.udpPorts(dir, parley.server().config().media().portMin(),
                parley.server().config().media().portMax(), 128)) {
            alice = BrowserPhone.open(parley, "alice-web", "alice-secret-1234", null, TALK_SECONDS, false,
                    tone(440), "&video=1&dropvideo=" + DROP_AT_SECOND + codecOption);
            alice.awaitRegistered(SIGNALLING);
            carol = BrowserPhone.open(parley, "carol-web", "carol-secret-1234", "101", TALK_SECONDS + 1, true,
                    tone(1000), "&video=1" + codecOption);
            aliceStats = alice.result(Duration.ofSeconds(45));
            carolStats = carol.result(Duration.ofSeconds(45));
            wire = capture.stop();
        }
        BrowserPhone.assertHeard("alice", aliceStats, TALK_SECONDS, 1000);
        BrowserPhone.assertHeard("carol", carolStats, TALK_SECONDS + 1, 440);
        assertSawVideo("alice", aliceStats, codec);
        assertSawVideo("carol", carolStats, codec);
        // carol offered: Parley's answer to her carries her fmtp line for the codec as she wrote it (RFC 6184 §8.2.2
        // for H.264's profile-level-id and packetization-mode).
        String pt = payloadType(carolStats);
        assertThat(fmtpLine(carolStats.path("remoteSdp").asText(), pt)).as("Parley's fmtp for %s", pt)
                .isEqualTo(fmtpLine(carolStats.path("localSdp").asText(), pt));
        assertKeyFrameRequestCrossedParley(aliceStats, carolStats);
        assertOnlySrtpOnTheWire(wire);
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(parley.freeMediaPortPairs())
                .as("media port pairs free after the call").isEqualTo(parley.mediaPortPairs()));
    }

    private static void assertSawVideo(String name, JsonNode stats, String codec) {
        JsonNode in = stats.path("inboundVideo");
        JsonNode early = stats.path("inboundVideoEarly");
        System.out.println(name + " video getStats: inbound " + in + ", half-way " + early + ", outbound "
                + stats.path("outboundVideo"));
        String sdp = stats.path("remoteSdp").asText();
        String pt = payloadType(stats);
        assertThat(sdp).as("Parley's SDP to %s", name).containsPattern("m=video [1-9]")
                .contains("a=rtcp-fb:" + pt + " nack\r\n", "a=rtcp-fb:" + pt + " nack pli\r\n",
                        "a=rtcp-fb:" + pt + " ccm fir\r\n")
                .doesNotContain("goog-remb", "transport-cc").containsPattern("a=group:BUNDLE 0 1\r\n");
        assertThat(in.path("codec").asText()).as("%s's video codec", name).isEqualTo(codec);
        assertThat(in.path("keyFramesDecoded").asInt()).as("%s: key frames decoded", name).isPositive();
        assertThat(early.path("framesDecoded").asInt()).as("%s: frames decoded half-way", name).isPositive();
        // The fake camera runs at 30 frames a second: more than a few a second went through in the second half.
        assertThat(in.path("framesDecoded").asInt()).as("%s: frames decoded at the end", name)
                .isGreaterThan(early.path("framesDecoded").asInt() + 5 * TALK_SECONDS / 2);
        assertThat(stats.path("outboundVideo").path("framesEncoded").asInt()).as("%s: frames sent", name)
                .isPositive();
    }

    /**
     * Alice dropped a second of carol's video frames, so her decoder lost its references and she asked for a key
     * frame (PLI, or FIR); carol's browser counted the request (it reached her only through Parley, with the SSRC
     * she sends with) and encoded another key frame, which alice decoded: the picture came back.
     */
    private static void assertKeyFrameRequestCrossedParley(JsonNode alice, JsonNode carol) {
        JsonNode in = alice.path("inboundVideo");
        JsonNode out = carol.path("outboundVideo");
        System.out.println("alice dropped " + alice.path("videoFramesDropped") + " video frames; alice sent PLI "
                + in.path("pliCount") + " FIR " + in.path("firCount") + "; carol got PLI " + out.path("pliCount")
                + " FIR " + out.path("firCount") + ", encoded " + out.path("keyFramesEncoded") + " key frames");
        assertThat(alice.path("videoFramesDropped").asInt()).as("frames alice dropped").isPositive();
        assertThat(in.path("pliCount").asInt() + in.path("firCount").asInt()).as("key frame requests alice sent")
                .isPositive();
        assertThat(out.path("pliCount").asInt() + out.path("firCount").asInt())
                .as("key frame requests carol received through Parley").isPositive();
        assertThat(out.path("keyFramesEncoded").asInt()).as("key frames carol encoded").isGreaterThanOrEqualTo(2);
        assertThat(in.path("keyFramesDecoded").asInt()).as("key frames alice decoded").isGreaterThanOrEqualTo(2);
    }

    /**
     * RFC 7983 §7 by first byte: 0-3 STUN, 20-63 DTLS, 128-191 RTP/RTCP; nothing else. The RTP is SRTP: high
     * entropy, and no payload with VP8's key frame start code (RFC 6386 §9.1: 9d 01 2a, three bytes into the frame,
     * after a 1-6 byte payload descriptor, RFC 7741 §4.2) where a plain VP8 packet has it.
     */
    private void assertOnlySrtpOnTheWire(List<LoopbackCapture.Datagram> wire) {
        long stun = wire.stream().filter(d -> firstByte(d) >= 0 && firstByte(d) <= 3).count();
        long dtls = wire.stream().filter(d -> firstByte(d) >= 20 && firstByte(d) <= 63).count();
        long rtp = wire.stream().filter(d -> firstByte(d) >= 128 && firstByte(d) <= 191).count();
        System.out.println("captured " + wire.size() + " datagrams: " + stun + " STUN, " + dtls + " DTLS, " + rtp
                + " SRTP/SRTCP");
        assertThat(wire).as("only STUN, DTLS and SRTP on Parley's media ports").allMatch(d -> {
            int b = firstByte(d);
            return b >= 0 && b <= 3 || b >= 20 && b <= 63 || b >= 128 && b <= 191;
        });
        assertThat(stun).isGreaterThanOrEqualTo(4);
        assertThat(dtls).isGreaterThanOrEqualTo(8);
        List<RtpWire.Stream> streams = RtpWire.streams(wire);
        System.out.println("RTP flows:\n  " + String.join("\n  ", streams.stream().map(RtpWire.Stream::toString)
                .toList()));
        assertThat(streams).as("media both ways on both legs").hasSizeGreaterThanOrEqualTo(4);
        for (RtpWire.Stream st : streams.subList(0, 4)) {
            assertThat(st.packets()).as("%s", st).isGreaterThan(300);
            assertThat(st.entropy()).as("entropy of %s", st).isGreaterThan(7.5);
            assertThat(st.payloads().stream().filter(BrowserVideoIT::plainVp8KeyFrame).count())
                    .as("plain VP8 key frames in %s", st).isZero();
        }
    }

    /** The payload type of the received video: getStats() names its codec {@code CIT01_<pt>[_<fmtp>]}. */
    private static String payloadType(JsonNode stats) {
        String id = stats.path("inboundVideo").path("codecId").asText();
        String[] parts = id.split("_");
        assertThat(parts).as("codec id %s", id).hasSizeGreaterThanOrEqualTo(2);
        return parts[1];
    }

    private static String fmtpLine(String sdp, String pt) {
        return sdp.lines().filter(l -> l.startsWith("a=fmtp:" + pt + " ")).findFirst().orElse("(none)");
    }

    private static boolean plainVp8KeyFrame(byte[] payload) {
        for (int at = 4; at + 2 < Math.min(payload.length, 12); at++) {
            if ((payload[at] & 0xff) == 0x9d && payload[at + 1] == 0x01 && payload[at + 2] == 0x2a) {
                return true;
            }
        }
        return false;
    }

    private static int firstByte(LoopbackCapture.Datagram d) {
        return d.payload().length == 0 ? -1 : d.payload()[0] & 0xff;
    }

    private Path tone(int hertz) throws IOException, InterruptedException {
        return BrowserPhone.tone(dir, hertz);
    }
}
