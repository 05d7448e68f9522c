package dev.parley.server.it.baresip;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.parley.pbx.cdr.CallRecord;
import dev.parley.server.it.LoopbackCapture;
import dev.parley.server.it.ParleyUnderTest;
import dev.parley.server.it.RtpWire;
import dev.parley.server.it.TestDatabase;
import dev.parley.server.it.sipp.Sipp;
import dev.parley.sipstack.flow.Transport;
import dev.parley.store.Store;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
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
 * One leg SRTP, the other plain RTP, re-protected by Parley in between: baresip over TLS with SDES
 * ({@code mediaenc=srtp-mand}) calls a sipp UAS over UDP whose account has media policy {@code off}; sipp
 * ({@code -rtp_echo}) sends every RTP packet back, so baresip must hear its own 440 Hz tone, decrypted, echoed,
 * re-encrypted. The capture shows SRTP between baresip and Parley and plain G.711 between Parley and sipp; the CDR
 * and the live padlock say the call is not encrypted on every leg.
 */
@ParameterizedClass(name = "on {0}")
@EnumSource(TestDatabase.class)
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class SrtpToPlainIT {
    private static final Duration SIGNALLING = Duration.ofSeconds(10);
    private static final Duration TALK = Duration.ofSeconds(4);

    @Parameter
    TestDatabase database;
    @TempDir
    Path dir;

    private ParleyUnderTest parley;
    private Baresip alice;
    private Sipp.Running uas;

    @RegisterExtension
    final AfterTestExecutionCallback logsOnFailure = context -> context.getExecutionException().ifPresent(e -> {
        if (alice != null) {
            System.out.println("==== baresip alice ====\n" + alice.log());
        }
    });

    @AfterEach
    void stop() {
        if (uas != null) {
            uas.kill();
        }
        if (alice != null) {
            alice.close();
        }
        if (parley != null) {
            parley.close();
        }
    }

    @Test
    void srtpCallerHearsItsOwnToneEchoedByAPlainRtpCallee() throws Exception {
        Files.createDirectories(dir.resolve("parley"));
        // MD5 alone: baresip fails on any other challenge, sipp answers only the first (see the README)
        parley = ParleyUnderTest.start(dir.resolve("parley"),
                database.settings(Map.of("PARLEY_PBX_DIGEST_ALGORITHMS", "MD5")));
        parley.addPhone("alice", "101", "alice-desk", "alice-secret-1234");
        parley.addPhone("dave", "201", "dave-desk", "dave-secret-1234");
        assertThat(parley.cli("device", "set", "dave-desk", "--media-policy", "off")).isZero();
        int tls = parley.port(Transport.TLS);
        int udp = parley.port(Transport.UDP);
        int min = parley.server().config().media().portMin();
        int max = parley.server().config().media().portMax();

        Path logs = Files.createDirectories(dir.resolve("sipp"));
        int calleePort = Sipp.freePort(false);
        Sipp.Result registered = Sipp.scenario("register", logs).remote(udp).localPort(calleePort).service("201")
                .credentials("dave-desk", "dave-secret-1234").run();
        assertThat(registered.exitCode()).as(registered.describe()).isZero();
        uas = Sipp.scenario("uas-echo", logs).remote(udp).localPort(calleePort).rtpEcho()
                .timeout(Duration.ofSeconds(40)).start().awaitListening(calleePort, false);

        alice = Baresip.start("alice", dir.resolve("alice"), "<sip:alice-desk@127.0.0.1:" + tls
                + ";transport=tls>;auth_pass=alice-secret-1234;regint=60;audio_codecs=PCMU;mediaenc=srtp-mand",
                tone(440));
        alice.awaitRegisteredOverTls("alice-desk", SIGNALLING);

        List<RtpWire.Stream> wire;
        boolean padlock;
        try (LoopbackCapture capture = LoopbackCapture.udpPorts(dir, min, max)) {
            alice.command("dial", "sip:201@127.0.0.1:" + tls);
            alice.awaitCallEvent("CALL_ESTABLISHED", SIGNALLING);
            Thread.sleep(TALK.toMillis());
            padlock = parley.server().liveCalls().getFirst().security().encryptedAllLegs();
            alice.command("hangup", "");
            alice.awaitCallEvent("CALL_CLOSED", SIGNALLING);
            wire = RtpWire.streams(capture.stop());
        }
        Sipp.Result callee = uas.await();
        assertThat(callee.exitCode()).as(callee.describe()).isZero();
        System.out.println("captured:\n  " + String.join("\n  ", wire.stream().map(RtpWire.Stream::toString)
                .toList()));

        // alice hears her own tone: decrypted by Parley, echoed in the clear, encrypted again towards her
        ToneMeter.Result heard = ToneMeter.measure(alice.recording(), 440, 1000);
        double[] level = ToneMeter.level(alice.recording());
        System.out.println("alice heard " + heard + ", level " + level[0]);
        assertThat(heard.toneSeconds()).as("seconds of her own 440 Hz: %s", heard)
                .isGreaterThanOrEqualTo(TALK.toSeconds() - 1.5);
        assertThat(heard.otherFrames()).isLessThanOrEqualTo(5);
        assertThat(level[0]).as("RMS of the echo").isBetween(9000.0, 14000.0);

        assertThat(padlock).as("live padlock").isFalse();
        CallRecord cdr;
        try (Store store = Store.open(parley.databaseUrl(), null, null)) {
            cdr = await().atMost(Duration.ofSeconds(5)).until(() -> store.callRecords().recent(10),
                    r -> !r.isEmpty()).getFirst();
        }
        assertThat(cdr.encryptedAllLegs()).isFalse();
        assertThat(cdr.callerLeg().signalling()).isEqualTo("TLS");
        assertThat(cdr.callerLeg().media()).startsWith("SRTP ");
        assertThat(cdr.calleeLeg().signalling()).isEqualTo("UDP");
        assertThat(cdr.calleeLeg().media()).isEqualTo("RTP");

        // on the wire: SRTP on the streams of the TLS phone, plain G.711 (with the tone) on sipp's
        List<RtpWire.Stream> encrypted = wire.stream().filter(s -> s.packets() > 100 && s.plainG711Frames() == 0)
                .toList();
        List<RtpWire.Stream> plain = wire.stream().filter(s -> s.packets() > 100 && s.plainG711Frames() > 0)
                .toList();
        assertThat(encrypted).as("SRTP streams").hasSize(2).allSatisfy(s -> {
            assertThat(s.entropy()).isGreaterThan(7.5);
            assertThat(s.toneShare(440)).isLessThan(0.02);
        });
        assertThat(plain).as("plain streams").hasSize(2).allSatisfy(s -> {
            assertThat(s.entropy()).isLessThan(7.0);
            assertThat(s.toneShare(440)).isGreaterThan(0.5);
        });
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(parley.freeMediaPortPairs())
                .isEqualTo(parley.mediaPortPairs()));
    }

    private Path tone(int hertz) throws Exception {
        Path wav = dir.resolve("tone-" + hertz + ".wav");
        Process sox = new ProcessBuilder("sox", "-n", "-r", "8000", "-c", "1", "-b", "16", wav.toString(),
                "synth", "30", "sine", Integer.toString(hertz), "vol", "0.5").redirectErrorStream(true).start();
        String output = new String(sox.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(sox.waitFor(30, TimeUnit.SECONDS)).as("sox finished").isTrue();
        assertThat(sox.exitValue()).as("sox: %s", output).isZero();
        return wav;
    }
}
