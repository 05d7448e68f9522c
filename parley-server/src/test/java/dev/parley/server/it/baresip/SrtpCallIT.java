package dev.parley.server.it.baresip;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.parley.pbx.call.CallView;
import dev.parley.pbx.cdr.CallRecord;
import dev.parley.pbx.cdr.LegRecord;
import dev.parley.server.it.LogCapture;
import dev.parley.server.it.LoopbackCapture;
import dev.parley.server.it.ParleyUnderTest;
import dev.parley.server.it.RtpWire;
import dev.parley.server.it.TestDatabase;
import dev.parley.sipstack.flow.Transport;
import dev.parley.store.Store;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.AfterTestExecutionCallback;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Media anchored through Parley with SRTP on both legs, between two real phones (baresip 1.0.0 with SDES,
 * {@code mediaenc=srtp-mand}) registered over TLS to accounts whose media policy is {@code required}: each phone
 * plays its own tone (440 Hz, 1000 Hz) and records what it decodes, and each recording must be the other's tone at
 * the level it was sent, for most of the call. Meanwhile {@code tcpdump} captures the loopback on Parley's media
 * ports, and the capture must look like SRTP everywhere ({@link RtpWire}: no 160-byte G.711 payloads, ciphertext
 * entropy, no tone when decoded as μ-law). The second test runs the same call with policy {@code off} and plain
 * RTP and shows that the same checks see the plain audio — so they would catch a leg that is not encrypted.
 *
 * <p>Parley's endpoints: each leg gets its own, each with its own keys; the padlock is read from the live call and
 * from the CDR; every media port is free again after the call.
 */
@ParameterizedClass(name = "on {0}")
@EnumSource(TestDatabase.class)
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class SrtpCallIT {
    private static final Duration SIGNALLING = Duration.ofSeconds(10);
    private static final Duration TALK = Duration.ofSeconds(4);

    @Parameter
    TestDatabase database;
    @TempDir
    Path dir;

    private ParleyUnderTest parley;
    private final List<Baresip> phones = new ArrayList<>();

    @RegisterExtension
    final AfterTestExecutionCallback logsOnFailure = context -> context.getExecutionException().ifPresent(e -> {
        for (Baresip phone : phones) {
            System.out.println("==== baresip " + phone.name() + " ====\n" + phone.log());
        }
    });

    @AfterEach
    void stop() {
        phones.forEach(Baresip::close);
        if (parley != null) {
            parley.close();
        }
    }

    /** What a call between alice (440 Hz) and bob (1000 Hz) left behind. */
    private record Talked(CallRecord cdr, CallView live, List<RtpWire.Stream> wire, ToneMeter.Result bobHeard,
            ToneMeter.Result aliceHeard, double[] bobLevel, double[] aliceLevel, String trace) {
    }

    private Talked call(String policy, String mediaenc) throws Exception {
        Files.createDirectories(dir.resolve("parley"));
        parley = ParleyUnderTest.start(dir.resolve("parley"),
                database.settings(Map.of("PARLEY_PBX_DIGEST_ALGORITHMS", "MD5")));
        parley.addPhone("alice", "101", "alice-desk", "alice-secret-1234");
        parley.addPhone("bob", "102", "bob-desk", "bob-secret-1234");
        for (String device : List.of("alice-desk", "bob-desk")) {
            assertThat(parley.cli("device", "set", device, "--media-policy", policy)).as(parley.cliOutput()).isZero();
        }
        int tls = parley.port(Transport.TLS);
        int min = parley.server().config().media().portMin();
        int max = parley.server().config().media().portMax();

        Baresip alice = phone("alice", "<sip:alice-desk@127.0.0.1:" + tls + ";transport=tls>"
                + ";auth_pass=alice-secret-1234;regint=60;audio_codecs=PCMU" + mediaenc, tone(440));
        Baresip bob = phone("bob", "<sip:bob-desk@127.0.0.1:" + tls + ";transport=tls>"
                + ";auth_pass=bob-secret-1234;regint=60;audio_codecs=PCMU;answermode=auto" + mediaenc, tone(1000));
        alice.awaitRegisteredOverTls("alice-desk", SIGNALLING);
        bob.awaitRegisteredOverTls("bob-desk", SIGNALLING);

        CallView live;
        List<RtpWire.Stream> wire;
        String trace;
        try (LoopbackCapture capture = LoopbackCapture.udpPorts(dir, min, max); LogCapture logs = LogCapture.trace()) {
            alice.command("dial", "sip:102@127.0.0.1:" + tls);
            alice.awaitCallEvent("CALL_ESTABLISHED", SIGNALLING);
            bob.awaitCallEvent("CALL_ESTABLISHED", SIGNALLING);
            Thread.sleep(TALK.toMillis());
            live = parley.server().liveCalls().getFirst();
            alice.command("hangup", "");
            alice.awaitCallEvent("CALL_CLOSED", SIGNALLING);
            bob.awaitCallEvent("CALL_CLOSED", SIGNALLING);
            wire = RtpWire.streams(capture.stop());
            trace = logs.text();
            System.out.println("captured on Parley's media ports " + min + "-" + max + ":\n  "
                    + String.join("\n  ", wire.stream().map(RtpWire.Stream::toString).toList()));
        }
        CallRecord cdr;
        try (Store store = Store.open(parley.databaseUrl(), null, null)) {
            cdr = await().atMost(Duration.ofSeconds(5)).until(() -> store.callRecords().recent(10),
                    r -> !r.isEmpty()).getFirst();
        }
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(parley.freeMediaPortPairs())
                .as("media port pairs free after the call").isEqualTo(parley.mediaPortPairs()));
        return new Talked(cdr, live, wire, ToneMeter.measure(bob.recording(), 440, 1000),
                ToneMeter.measure(alice.recording(), 1000, 440), ToneMeter.level(bob.recording()),
                ToneMeter.level(alice.recording()), trace);
    }

    @Test
    void srtpOnBothLegs_eachHearsTheOthersToneAndTheWireCarriesOnlySrtp() throws Exception {
        Talked t = call("required", ";mediaenc=srtp-mand");
        System.out.println("bob heard " + t.bobHeard() + ", level " + t.bobLevel()[0] + "; alice heard "
                + t.aliceHeard() + ", level " + t.aliceLevel()[0]);

        // the padlock, live and in the CDR
        assertThat(t.live().security().encryptedAllLegs()).isTrue();
        assertThat(t.live().security().caller().signalling()).isEqualTo(Transport.TLS);
        assertThat(t.live().security().callee().mediaText()).startsWith("SRTP AES_CM_128_HMAC_SHA1_");
        assertThat(t.cdr().encryptedAllLegs()).isTrue();
        for (LegRecord leg : List.of(t.cdr().callerLeg(), t.cdr().calleeLeg())) {
            assertThat(leg.signalling()).isEqualTo("TLS");
            assertThat(leg.media()).startsWith("SRTP AES_CM_128_HMAC_SHA1_");
            assertThat(leg.packetsReceived()).as("RTP from %s", leg).isGreaterThan(100);
            assertThat(leg.packetsSent()).as("RTP to %s", leg).isGreaterThan(100);
        }

        assertHeardEachOther(t);

        // the whole JVM logged at TRACE during the call, SDP bodies included (parley.sdp), and no key is in it
        assertThat(t.trace()).as("SDP was traced").contains("a=crypto:1 AES_CM_128_HMAC_SHA1_")
                .contains("inline:<redacted>");
        assertThat(Pattern.compile("inline:(?!<redacted>)").matcher(t.trace()).find()).as("an SDES key in a log")
                .isFalse();

        // the wire: four streams (each phone to Parley, Parley to each phone), all of them SRTP
        assertThat(t.wire()).as("RTP streams on Parley's ports").hasSizeGreaterThanOrEqualTo(4);
        for (RtpWire.Stream s : t.wire().subList(0, 4)) {
            assertThat(s.packets()).as("%s", s).isGreaterThan(100);
            assertThat(s.plainG711Frames()).as("plain 160-byte G.711 payloads in %s", s).isZero();
            assertThat(s.entropy()).as("entropy of %s", s).isGreaterThan(7.5);
            assertThat(s.toneShare(440)).as("440 Hz decodable in %s", s).isLessThan(0.02);
            assertThat(s.toneShare(1000)).as("1000 Hz decodable in %s", s).isLessThan(0.02);
        }
        for (RtpWire.Stream s : t.wire()) {
            assertThat(s.plainG711Frames()).as("plain G.711 anywhere: %s", s).isZero();
        }
    }

    @Test
    void plainRtpWithPolicyOff_theSameChecksSeeTheAudio() throws Exception {
        Talked t = call("off", "");
        assertHeardEachOther(t);
        assertThat(t.live().security().encryptedAllLegs()).isFalse();
        assertThat(t.cdr().encryptedAllLegs()).isFalse();
        assertThat(t.cdr().callerLeg().media()).isEqualTo("RTP");
        assertThat(t.cdr().calleeLeg().media()).isEqualTo("RTP");

        // what the SRTP test asserts the absence of is there on a plain call: the checks can fail
        assertThat(t.wire()).hasSizeGreaterThanOrEqualTo(4);
        for (RtpWire.Stream s : t.wire().subList(0, 4)) {
            assertThat(s.plainG711Frames()).as("%s", s).isGreaterThan(s.packets() / 2);
            assertThat(s.entropy()).as("%s", s).isLessThan(7.0);
            assertThat(Math.max(s.toneShare(440), s.toneShare(1000))).as("tone decodable in %s", s)
                    .isGreaterThan(0.5);
        }
    }

    private static void assertHeardEachOther(Talked t) {
        // each phone decoded the other's tone, not its own, for most of the call, at about the level sent
        // (a sine at half scale: RMS 0.5 * 32767 / sqrt(2) = 11585)
        assertThat(t.bobHeard().toneSeconds()).as("seconds of 440 Hz in bob's audio: %s", t.bobHeard())
                .isGreaterThanOrEqualTo(TALK.toSeconds() - 1.5);
        assertThat(t.aliceHeard().toneSeconds()).as("seconds of 1000 Hz in alice's audio: %s", t.aliceHeard())
                .isGreaterThanOrEqualTo(TALK.toSeconds() - 1.5);
        assertThat(t.bobHeard().otherFrames()).as("other sounds in bob's audio").isLessThanOrEqualTo(5);
        assertThat(t.aliceHeard().otherFrames()).as("other sounds in alice's audio").isLessThanOrEqualTo(5);
        assertThat(t.bobLevel()[0]).as("RMS of what bob heard").isBetween(9000.0, 14000.0);
        assertThat(t.aliceLevel()[0]).as("RMS of what alice heard").isBetween(9000.0, 14000.0);
        assertThat(t.bobLevel()[1]).as("seconds bob heard").isBetween(TALK.toSeconds() - 1.5,
                TALK.toSeconds() + 3.0);
        assertThat(t.aliceLevel()[1]).as("seconds alice heard").isBetween(TALK.toSeconds() - 1.5,
                TALK.toSeconds() + 3.0);
    }

    private Baresip phone(String name, String account, Path microphone) throws IOException {
        Baresip phone = Baresip.start(name, dir.resolve(name), account, microphone);
        phones.add(phone);
        return phone;
    }

    /** 30 s of a sine at half scale, 8 kHz mono 16-bit (longer than the call: baresip hangs up when it ends). */
    private Path tone(int hertz) throws IOException, InterruptedException {
        Path wav = dir.resolve("tone-" + hertz + ".wav");
        Process sox = new ProcessBuilder("sox", "-n", "-r", "8000", "-c", "1", "-b", "16", wav.toString(),
                "synth", "30", "sine", Integer.toString(hertz), "vol", "0.5").redirectErrorStream(true).start();
        String output = new String(sox.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(sox.waitFor(30, TimeUnit.SECONDS)).as("sox finished").isTrue();
        assertThat(sox.exitValue()).as("sox: %s", output).isZero();
        return wav;
    }
}
