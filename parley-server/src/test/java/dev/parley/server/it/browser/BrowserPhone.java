package dev.parley.server.it.browser;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.parley.server.it.ParleyUnderTest;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One browser phone for the ITs: Debian's Chromium, driven by {@code src/test/browser/phone.mjs} (Playwright), on
 * Parley's test page {@code /test/phone.html} (JsSIP 3.13.8 over WSS), with a wav as its microphone. The driver and
 * the page's console lines are collected; the page's result is the JSON of its {@code window.parleyResult}.
 *
 * <p>Certificate: Parley generated a self-signed one for the run; Chromium is told to accept exactly its public
 * key ({@code --ignore-certificate-errors-spki-list}, the SHA-256 of its SubjectPublicKeyInfo) rather than every
 * invalid certificate ({@code --ignore-certificate-errors}), and no CA has to be installed in a profile (checked by
 * hand: another key gets {@code ERR_CERT_AUTHORITY_INVALID}).
 */
public final class BrowserPhone implements AutoCloseable {
    static final Path BROWSER_DIR = Path.of("src/test/browser").toAbsolutePath();

    private final String name;
    private final Process process;
    private volatile boolean frozen;
    private final StringBuilder output = new StringBuilder();

    private BrowserPhone(String name, Process process) {
        this.name = name;
        this.process = process;
        Thread.ofVirtual().start(() -> copy(process.getInputStream()));
    }

    /**
     * Opens the test page as {@code user}: it registers, then calls {@code target} (an extension) or, when null,
     * waits for a call and answers it; it reports after {@code talkSeconds} of call and then hangs up unless
     * {@code hangUp} is false.
     */
    public static BrowserPhone open(ParleyUnderTest parley, String user, String password, String target,
            int talkSeconds, boolean hangUp, Path microphone) throws Exception {
        return open(parley, user, password, target, talkSeconds, hangUp, microphone, "");
    }

    /**
     * {@link #open(ParleyUnderTest, String, String, String, int, boolean, Path)} with more of the page's options
     * (see phone.js), e.g. {@code "&video=1"}: the fake camera's test pattern too, and video getStats().
     */
    public static BrowserPhone open(ParleyUnderTest parley, String user, String password, String target,
            int talkSeconds, boolean hangUp, Path microphone, String pageOptions) throws Exception {
        String page = "https://127.0.0.1:" + parley.httpsPort() + "/test/phone.html?user=" + user + "&password="
                + password + "&talk=" + talkSeconds + (target == null ? "" : "&target=" + target)
                + (hangUp ? "" : "&hangup=0") + pageOptions;
        ProcessBuilder node = new ProcessBuilder("node", BROWSER_DIR.resolve("phone.mjs").toString(), page, "40")
                .redirectErrorStream(true);
        node.environment().put("PARLEY_WAV", microphone.toString());
        node.environment().put("PARLEY_SPKI", spki(parley.server().config().certificatePath()));
        return new BrowserPhone(user, node.start());
    }

    /** Waits until the page has registered over WSS. */
    public void awaitRegistered(Duration timeout) {
        await().atMost(timeout).until(() -> text().contains("phone: registered") || !process.isAlive());
        assertThat(text()).as("%s registered", name).contains("phone: registered");
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** The page's result once the driver has finished; fails with everything the browser said if there is none. */
    public JsonNode result(Duration timeout) throws Exception {
        assertThat(process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)).as("%s finished", name).isTrue();
        String log = text();
        System.out.println("==== Chromium " + name + " ====\n" + log);
        String line = log.lines().filter(l -> l.startsWith("RESULT ")).findFirst().orElse(null);
        assertThat(line).as("%s's result; it said:\n%s", name, log).isNotNull();
        JsonNode result = new ObjectMapper().readTree(line.substring("RESULT ".length()));
        assertThat(result.path("ok").asBoolean()).as("%s's call: %s", name, result).isTrue();
        return result.path("stats");
    }

    /**
     * Checks what the page's {@code getStats()} says: DTLS-SRTP connected, audio packets received (about 50 a
     * second) and decoded to non-silence, audio sent; and that the dominant frequency of what it played was
     * {@code hertz} in most of its 100 ms samples. Prints the numbers.
     */
    /**
     * {@code dir/tone-<hertz>.wav}: 30 s of a sine at half scale, 48 kHz mono 16-bit, made by sox (Chromium loops its
     * fake microphone's file).
     */
    public static Path tone(Path dir, int hertz) throws IOException, InterruptedException {
        Path wav = dir.resolve("tone-" + hertz + ".wav");
        Process sox = new ProcessBuilder("sox", "-n", "-r", "48000", "-c", "1", "-b", "16", wav.toString(), "synth",
                "30", "sine", Integer.toString(hertz), "vol", "0.5").redirectErrorStream(true).start();
        String out = new String(sox.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(sox.waitFor(30, TimeUnit.SECONDS)).as("sox finished").isTrue();
        assertThat(sox.exitValue()).as("sox: %s", out).isZero();
        return wav;
    }

    public static void assertHeard(String name, JsonNode stats, int talkSeconds, int hertz) {
        System.out.println(name + " getStats: inbound " + stats.path("inbound") + ", outbound "
                + stats.path("outbound") + ", transport " + stats.path("transport") + ", confirmed after "
                + stats.path("confirmedMillis") + " ms");
        assertThat(stats.path("transport").path("dtlsState").asText()).isEqualTo("connected");
        assertThat(stats.path("transport").path("srtpCipher").asText()).isNotEmpty();
        assertThat(stats.path("inbound").path("packetsReceived").asInt()).as("RTP packets %s received", name)
                .isGreaterThan(talkSeconds * 50 - 60);
        assertThat(stats.path("inbound").path("totalAudioEnergy").asDouble()).as("audio energy %s decoded", name)
                .isGreaterThan(0.0);
        assertThat(stats.path("outbound").path("packetsSent").asInt()).isGreaterThan(talkSeconds * 50 - 60);
        assertThat(stats.path("remoteSdp").asText()).as("Parley's SDP to %s", name).contains("a=ice-lite")
                .contains("UDP/TLS/RTP/SAVPF").doesNotContain("a=crypto");
        List<Integer> peaks = new ArrayList<>();
        stats.path("peaks").forEach(p -> peaks.add(p.path("hz").asInt()));
        // FFT bins are 48000 / 8192 = 5.9 Hz wide
        long at = peaks.stream().filter(hz -> Math.abs(hz - hertz) <= 6).count();
        System.out.println(name + " FFT peaks: " + at + " of " + peaks.size() + " at " + hertz + " Hz: " + peaks);
        assertThat(at).as("samples whose peak is %d Hz, of %s", hertz, peaks)
                .isGreaterThanOrEqualTo(peaks.size() / 2).isGreaterThanOrEqualTo(10);
    }

    /** Makes the browser vanish: SIGKILL to Chromium's processes (the driver's children), then to the driver. */
    public void kill() {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
    }

    /**
     * Makes the browser go silent without closing anything: SIGSTOP to Chromium's processes and the driver. Its
     * sockets stay open (the kernel still acknowledges TCP), so its WebSocket does not close and Parley can learn of
     * the loss only from the media: the ICE consent checks stop (RFC 7675). {@link #close()} kills a frozen browser.
     */
    public void freeze() throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("kill", "-STOP"));
        process.descendants().forEach(p -> command.add(Long.toString(p.pid())));
        command.add(Long.toString(process.pid()));
        frozen = true;
        Process stop = new ProcessBuilder(command).redirectErrorStream(true).start();
        assertThat(stop.waitFor(10, TimeUnit.SECONDS)).as("kill -STOP finished").isTrue();
        assertThat(stop.exitValue()).as("kill -STOP %s", command).isZero();
    }

    public String text() {
        synchronized (output) {
            return output.toString();
        }
    }

    @Override
    public void close() {
        if (frozen) {
            kill(); // a stopped process would hold SIGTERM until it is continued
        } else if (process.isAlive()) {
            process.destroy();
        }
    }

    /** Base64 of the SHA-256 of the certificate's SubjectPublicKeyInfo, as Chromium's SPKI allow-list takes it. */
    static String spki(Path certificate) throws Exception {
        try (InputStream in = Files.newInputStream(certificate)) {
            X509Certificate cert = (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(cert.getPublicKey().getEncoded());
            return Base64.getEncoder().encodeToString(hash);
        }
    }

    private void copy(InputStream in) {
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            String line;
            while ((line = reader.readLine()) != null) {
                synchronized (output) {
                    output.append(line).append('\n');
                }
            }
        } catch (IOException e) {
            synchronized (output) {
                output.append("(output: ").append(e).append(")\n");
            }
        }
    }
}
