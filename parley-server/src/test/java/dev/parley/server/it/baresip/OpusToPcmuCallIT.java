package dev.parley.server.it.baresip;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.server.it.ParleyUnderTest;
import dev.parley.sipstack.flow.Transport;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.AfterTestExecutionCallback;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Transcoding with real phones: a baresip that speaks only Opus calls a baresip that speaks only PCMU. They share
 * no codec, so Parley offers the callee the caller's Opus and then what its media plane converts to (PCMU, PCMA),
 * answers the caller with Opus, and transcodes each direction (parley-media's {@code OpusToG711} /
 * {@code G711ToOpus}). Each phone plays a tone (440 Hz, 1000 Hz); the test measures in what the other phone
 * decoded that the right tone arrived for most of the call, and reads in each phone's log the codec it used.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class OpusToPcmuCallIT {
    private static final Duration SIGNALLING = Duration.ofSeconds(10);
    private static final Duration HOLD = Duration.ofSeconds(3);

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

    @Test
    void anOpusOnlyPhoneAndAPcmuOnlyPhoneHearEachOtherThroughParleysTranscoder() throws Exception {
        Files.createDirectories(dir.resolve("parley"));
        // baresip 1.0.0 answers MD5 digest only (see BaresipTlsCallIT).
        parley = ParleyUnderTest.start(dir.resolve("parley"), Map.of("PARLEY_PBX_DIGEST_ALGORITHMS", "MD5"));
        parley.addPhone("alice", "101", "alice-desk", "alice-secret-1234");
        parley.addPhone("bob", "102", "bob-desk", "bob-secret-1234");
        int tls = parley.port(Transport.TLS);

        Baresip alice = phone("alice", "<sip:alice-desk@127.0.0.1:" + tls + ";transport=tls>"
                + ";auth_pass=alice-secret-1234;regint=60;audio_codecs=opus/48000/2", tone(440, 48000, 2), List.of("opus.so"));
        Baresip bob = phone("bob", "<sip:bob-desk@127.0.0.1:" + tls + ";transport=tls>"
                + ";auth_pass=bob-secret-1234;regint=60;audio_codecs=PCMU;answermode=auto", tone(1000, 8000, 1), List.of());
        alice.awaitRegisteredOverTls("alice-desk", SIGNALLING);
        bob.awaitRegisteredOverTls("bob-desk", SIGNALLING);

        alice.command("dial", "sip:102@127.0.0.1:" + tls);
        alice.awaitCallEvent("CALL_ESTABLISHED", SIGNALLING);
        bob.awaitCallEvent("CALL_ESTABLISHED", SIGNALLING);
        Thread.sleep(HOLD.toMillis());
        assertThat(alice.events("CALL_CLOSED")).as("alice's call ended during the hold").isEmpty();
        assertThat(bob.events("CALL_CLOSED")).as("bob's call ended during the hold").isEmpty();
        alice.command("hangup", "");
        alice.awaitCallEvent("CALL_CLOSED", SIGNALLING);
        bob.awaitCallEvent("CALL_CLOSED", SIGNALLING);

        // Each phone used its own codec: the audio crossed a transcoder, not a shared codec.
        assertThat(alice.log()).contains("Set audio encoder: opus 48000Hz").contains("Set audio decoder: opus 48000Hz")
                .doesNotContain("Set audio encoder: PCMU").doesNotContain("Set audio decoder: PCMU");
        assertThat(bob.log()).contains("Set audio encoder: PCMU 8000Hz").contains("Set audio decoder: PCMU 8000Hz")
                .doesNotContain("Set audio encoder: opus").doesNotContain("Set audio decoder: opus");

        ToneMeter.Result bobHeard = ToneMeter.measure(bob.recording(), 440, 1000);
        ToneMeter.Result aliceHeard = ToneMeter.measure(to8k(alice.recording()), 1000, 440);
        System.out.println("PCMU phone heard " + bobHeard + "; Opus phone heard " + aliceHeard);
        assertThat(bobHeard.toneSeconds()).as("seconds of alice's 440 Hz (sent as Opus) in bob's PCMU: %s", bobHeard)
                .isGreaterThanOrEqualTo(2.0);
        assertThat(aliceHeard.toneSeconds()).as("seconds of bob's 1000 Hz (sent as PCMU) in alice's Opus: %s",
                aliceHeard).isGreaterThanOrEqualTo(2.0);
        assertThat(bobHeard.otherFrames()).as("frames of another sound in bob's audio: %s", bobHeard)
                .isLessThanOrEqualTo(5);
        assertThat(aliceHeard.otherFrames()).as("frames of another sound in alice's audio: %s", aliceHeard)
                .isLessThanOrEqualTo(5);
    }

    private Baresip phone(String name, String account, Path microphone, List<String> modules) throws IOException {
        Baresip phone = Baresip.start(name, dir.resolve(name), account, microphone, modules);
        phones.add(phone);
        return phone;
    }

    /**
     * 30 s of a sine at half scale, 16-bit, at the codec's rate and channels: baresip 1.0.0's aufile does not
     * resample ("input file must have sample-rate 48000 Hz" for Opus).
     */
    private Path tone(int hertz, int rate, int channels) throws IOException, InterruptedException {
        Path wav = dir.resolve("tone-" + hertz + ".wav");
        sox("-n", "-r", Integer.toString(rate), "-c", Integer.toString(channels), "-b", "16", wav.toString(), "synth",
                "30", "sine", Integer.toString(hertz), "vol", "0.5");
        return wav;
    }

    /** The Opus phone's decoder dump is 48 kHz: sox resamples it to the 8 kHz mono ToneMeter reads. */
    private Path to8k(Path wav) throws IOException, InterruptedException {
        Path out = dir.resolve("alice-heard-8k.wav");
        sox(wav.toString(), "-r", "8000", "-c", "1", "-b", "16", out.toString());
        return out;
    }

    private static void sox(String... arguments) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("sox"));
        command.addAll(List.of(arguments));
        Process sox = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(sox.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(sox.waitFor(30, TimeUnit.SECONDS)).as("sox finished").isTrue();
        assertThat(sox.exitValue()).as("sox %s: %s", command, output).isZero();
    }
}
