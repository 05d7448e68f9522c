package dev.parley.server.it.baresip;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.parley.pbx.call.CallView;
import dev.parley.pbx.cdr.CallRecord;
import dev.parley.server.it.LogCapture;
import dev.parley.server.it.LoopbackCapture;
import dev.parley.server.it.ParleyUnderTest;
import dev.parley.server.it.RtpWire;
import dev.parley.server.it.TestDatabase;
import dev.parley.server.it.UdpPathBlock;
import dev.parley.server.it.browser.BrowserPhone;
import dev.parley.sipstack.flow.Transport;
import dev.parley.store.Store;
import java.io.IOException;
import java.io.InputStream;
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
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A browser and a desk phone call each other through Parley, encrypted on both legs: Debian's Chromium (headless,
 * via Playwright, a 1000 Hz wav as its microphone) opens Parley's test page {@code /test/phone.html} over HTTPS,
 * whose JsSIP 3.13.8 registers over WSS with Digest; baresip 1.0 is registered over TLS with SDES
 * ({@code srtp-mand}), plays 440 Hz and answers by itself. One test has the browser call the phone (Parley answers
 * the browser's offer), the other the phone call the browser (Parley offers WebRTC SDP over the WebSocket). The
 * browser's leg is ICE-lite + DTLS-SRTP, the phone's SDES-SRTP; Parley re-protects between them.
 *
 * <p>Asserted each time: baresip's recording is the browser's tone (ToneMeter); the browser's {@code getStats()}
 * shows DTLS connected with an SRTP cipher and audio packets received and decoded to non-silence
 * ({@code totalAudioEnergy > 0}), and a Web Audio FFT of what it plays peaks at 440 Hz; Parley's SDP to the browser
 * is ICE-lite DTLS-SRTP without {@code a=crypto}; the padlock says encrypted on both legs, live and in the CDR.
 * {@code pbx.digest-algorithms: [MD5]} for baresip 1.0, which fails on any challenge that is not MD5 (the browser
 * gets MD5 alone over WSS with the defaults too). How Chromium trusts Parley's certificate: {@link BrowserPhone}.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class BrowserToBaresipIT {
    private static final Duration SIGNALLING = Duration.ofSeconds(10);
    private static final int TALK_SECONDS = 4;
    /** Talk time of the path-change test: a second before the cut, the browser's move, then seconds on the new path. */
    private static final int MOVE_TALK_SECONDS = 12;
    /** {@code media.webrtc-consent-timeout} of the browser-vanishes test (the default is 30 s). */
    private static final int CONSENT_SECONDS = 10;

    @TempDir
    Path dir;

    private ParleyUnderTest parley;
    private final List<Baresip> phones = new ArrayList<>();
    private BrowserPhone alice;

    @AfterEach
    void stop() {
        if (alice != null) {
            alice.close();
        }
        phones.forEach(Baresip::close);
        if (parley != null) {
            parley.close();
        }
    }

    /** Parley with alice (a browser, extension 101) and bob (baresip over TLS + SDES, 102, auto-answer, 440 Hz). */
    private Baresip setUp() throws Exception {
        return setUp(Map.of());
    }

    private Baresip setUp(Map<String, String> settings) throws Exception {
        return setUp(settings, 30);
    }

    private Baresip setUp(Map<String, String> settings, int toneSeconds) throws Exception {
        Files.createDirectories(dir.resolve("parley"));
        Map<String, String> all = new java.util.HashMap<>(settings);
        all.put("PARLEY_PBX_DIGEST_ALGORITHMS", "MD5");
        parley = ParleyUnderTest.start(dir.resolve("parley"), TestDatabase.SQLITE.settings(all));
        parley.addPhone("alice", "101", "alice-web", "alice-secret-1234");
        parley.addPhone("bob", "102", "bob-desk", "bob-secret-1234");
        for (String device : List.of("alice-web", "bob-desk")) {
            assertThat(parley.cli("device", "set", device, "--media-policy", "required")).as(parley.cliOutput())
                    .isZero();
        }
        int tls = parley.port(Transport.TLS);
        Baresip bob = Baresip.start("bob", dir.resolve("bob"), "<sip:bob-desk@127.0.0.1:" + tls + ";transport=tls>"
                + ";auth_pass=bob-secret-1234;regint=60;audio_codecs=PCMU;answermode=auto;mediaenc=srtp-mand",
                tone(440, 8000, toneSeconds));
        phones.add(bob);
        bob.awaitRegisteredOverTls("bob-desk", SIGNALLING);
        return bob;
    }

    /** Opens the test page as alice (1000 Hz microphone); {@code target} null: it waits for a call. */
    private void openBrowser(String target) throws Exception {
        alice = BrowserPhone.open(parley, "alice-web", "alice-secret-1234", target, TALK_SECONDS, true,
                tone(1000, 48_000));
    }

    @Test
    void browserOverWssCallsBaresipOverTlsWithSdes() throws Exception {
        Baresip bob = setUp();
        CallView live;
        List<LoopbackCapture.Datagram> wire;
        try (LoopbackCapture capture = captureMediaPorts()) {
            openBrowser("102");
            live = awaitDtlsConnected();
            assertCallWorked(bob, live, Transport.WSS, Transport.TLS);
            wire = capture.stop();
        }
        assertOnlySrtpOnTheWire(wire);
        assertThat(cdr().callerLeg().signalling()).isEqualTo("WSS");
        assertThat(cdr().callerLeg().media()).startsWith("DTLS-SRTP ");
        assertThat(cdr().calleeLeg().media()).startsWith("SRTP AES_CM_128_HMAC_SHA1_");
    }

    @Test
    void baresipCallsTheBrowser_parleyOffersItWebRtcOverTheWebSocket() throws Exception {
        Baresip bob = setUp();
        openBrowser(null);
        alice.awaitRegistered(SIGNALLING);
        CallView live;
        JsonNode stats;
        List<LoopbackCapture.Datagram> wire;
        try (LoopbackCapture capture = captureMediaPorts()) {
            bob.command("dial", "sip:101@127.0.0.1:" + parley.port(Transport.TLS));
            live = awaitDtlsConnected();
            stats = assertCallWorked(bob, live, Transport.TLS, Transport.WSS);
            wire = capture.stop();
        }
        assertOnlySrtpOnTheWire(wire);
        // Parley's offer to the browser: ICE-lite, actpass, no SDES; Chromium answered active (it is the client)
        assertThat(stats.path("remoteSdp").asText()).contains("a=setup:actpass");
        assertThat(cdr().calleeLeg().signalling()).isEqualTo("WSS");
        assertThat(cdr().calleeLeg().media()).startsWith("DTLS-SRTP ");
        assertThat(cdr().callerLeg().media()).startsWith("SRTP AES_CM_128_HMAC_SHA1_");
    }

    /**
     * The browser goes silent mid-call (Chromium and its driver stopped with SIGSTOP: no BYE, no DTLS close_notify,
     * and its WebSocket stays open, as when a laptop sleeps or a network path dies without a reset; a browser whose
     * WebSocket closes ends its calls at once, WebphoneResilienceIT): its ICE consent expires {@value #CONSENT_SECONDS} s ({@code media.webrtc-consent-timeout}) after its last check
     * (RFC 7675) and Parley ends the call, BYE to the phone with {@code Reason: SIP;cause=408;text="ICE consent
     * expired"}, and frees the ports. The media timeout is set to 60 s so that only consent can end the call in
     * time. Chromium checks every ~5 s, so the BYE comes between the limit minus one check interval and the limit
     * plus a margin for the consent timer's own tick.
     */
    @Test
    void aBrowserThatGoesSilentLosesConsentAndParleyEndsTheCall() throws Exception {
        Baresip bob = setUp(Map.of("PARLEY_MEDIA_TIMEOUT", "60s",
                "PARLEY_MEDIA_WEBRTC_CONSENT_TIMEOUT", CONSENT_SECONDS + "s"), 40);
        openBrowser("102");
        assertThat(awaitDtlsConnected()).as("call up with DTLS connected").isNotNull();
        bob.awaitCallEvent("CALL_ESTABLISHED", SIGNALLING);
        Thread.sleep(1_000);
        alice.freeze();
        long killed = System.nanoTime();

        JsonNode closed;
        String logs;
        try (LogCapture capture = LogCapture.trace()) {
            closed = bob.awaitCallEvent("CALL_CLOSED", Duration.ofSeconds(CONSENT_SECONDS + 10));
            logs = capture.text();
        }
        double seconds = (System.nanoTime() - killed) / 1e9;
        assertThat(logs).as("Parley ended the call for the lost consent").contains("lost ICE consent");
        System.out.println("bob's call closed " + seconds + " s after Chromium was stopped: " + closed);
        assertThat(seconds).as("consent limit %d s after the browser's last check", CONSENT_SECONDS)
                .isBetween(CONSENT_SECONDS - 6.0, CONSENT_SECONDS + 5.0);
        CallRecord cdr = cdr();
        System.out.println("CDR " + cdr);
        assertThat(cdr.cause()).isEqualTo("media-timeout");
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(parley.freeMediaPortPairs())
                .as("media port pairs free after the call").isEqualTo(parley.mediaPortPairs()));
    }

    /**
     * The browser moves its media to another path mid-call, as after a network change, and Parley follows at once.
     * Chromium here has two host candidates that reach Parley's one (its 192.0.2.x socket and, with
     * {@code --allow-loopback-in-peer-connection}, its 127.0.0.1 one). Once the call's audio flows, the path the
     * browser sends on is cut both ways ({@link UdpPathBlock}); Chromium finds its checks there unanswered, selects
     * the other pair, nominates it (USE-CANDIDATE on that pair's checks) and sends from it. Parley must send there
     * from that nomination on, not into the dead path until its consent runs out (30 s by default; the call would
     * be one-way until then). Asserted on the capture after the cut: the browser's RTP comes from another port;
     * Parley's RTP goes to that port no later than 1 s after the browser's first packet from it, and as many packets
     * as the browser sends there (90 %); and the browser plays bob's 440 Hz again in its last two seconds.
     */
    @Test
    void aBrowserThatMovesToAnotherPathIsFollowed() throws Exception {
        Baresip bob = setUp();
        alice = BrowserPhone.open(parley, "alice-web", "alice-secret-1234", "102", MOVE_TALK_SECONDS, true,
                tone(1000, 48_000));
        assertThat(awaitDtlsConnected()).as("call up with DTLS connected").isNotNull();
        bob.awaitCallEvent("CALL_ESTABLISHED", SIGNALLING);
        int webRtcPort = parley.webRtcPort();
        int before;
        try (LoopbackCapture look = captureMediaPorts()) {
            Thread.sleep(1_000);
            before = browserSendingPort(look.stop(), webRtcPort);
        }
        List<LoopbackCapture.Datagram> wire;
        JsonNode stats;
        long cut;
        try (LoopbackCapture capture = captureMediaPorts();
                UdpPathBlock block = UdpPathBlock.between(before, webRtcPort)) {
            cut = System.currentTimeMillis() * 1_000;
            stats = alice.result(Duration.ofSeconds(40));
            wire = capture.stop();
        }
        int after = browserSendingPort(wire, webRtcPort);
        assertThat(after).as("the browser's RTP after port %d was cut", before).isNotEqualTo(before);
        long browserFirst = firstRtp(wire, after, webRtcPort);
        long parleyFirst = firstRtp(wire, webRtcPort, after);
        List<RtpWire.Stream> streams = RtpWire.streams(wire);
        int fromBrowser = packets(streams, after, webRtcPort);
        int toBrowser = packets(streams, webRtcPort, after);
        System.out.printf("cut the browser's port %d at 0 ms; its RTP from port %d from %d ms (%d packets);"
                + " Parley's RTP to it from %d ms (%d packets)%n", before, after, (browserFirst - cut) / 1_000,
                fromBrowser, parleyFirst == Long.MAX_VALUE ? -1 : (parleyFirst - cut) / 1_000, toBrowser);
        System.out.println("the browser's candidate pairs at the end: " + stats.path("pairs"));
        assertThat(parleyFirst).as("Parley's first RTP to the browser's new port %d (the browser's came %d ms after"
                + " the cut)", after, (browserFirst - cut) / 1_000).isLessThan(browserFirst + 1_000_000);
        assertThat(fromBrowser).as("the browser's RTP on its new path").isGreaterThan(100);
        assertThat(toBrowser).as("Parley's RTP to the browser's new path, against the browser's %d", fromBrowser)
                .isGreaterThanOrEqualTo(fromBrowser * 9 / 10);
        List<Integer> peaks = new ArrayList<>();
        stats.path("peaks").forEach(p -> peaks.add(p.path("hz").asInt()));
        List<Integer> last = peaks.subList(Math.max(0, peaks.size() - 20), peaks.size());
        System.out.println("alice's browser FFT peaks, last 2 s: " + last);
        assertThat(last).as("the browser plays bob's 440 Hz again at the end (FFT bins are 5.9 Hz)")
                .hasSize(20).filteredOn(hz -> Math.abs(hz - 440) <= 6).hasSizeGreaterThanOrEqualTo(15);
    }

    /** The port the browser's RTP comes from: the biggest RTP stream to Parley's WebRTC port. */
    private static int browserSendingPort(List<LoopbackCapture.Datagram> wire, int webRtcPort) {
        return RtpWire.streams(wire).stream().filter(st -> st.destinationPort() == webRtcPort).findFirst()
                .orElseThrow(() -> new AssertionError("no RTP to Parley's WebRTC port " + webRtcPort)).sourcePort();
    }

    /** When the first RTP (RFC 7983: first byte 128-191) went from {@code from} to {@code to}; MAX_VALUE if none. */
    private static long firstRtp(List<LoopbackCapture.Datagram> wire, int from, int to) {
        return wire.stream().filter(d -> d.sourcePort() == from && d.destinationPort() == to
                && firstByte(d) >= 128 && firstByte(d) <= 191).mapToLong(LoopbackCapture.Datagram::micros).min()
                .orElse(Long.MAX_VALUE);
    }

    private static int packets(List<RtpWire.Stream> streams, int from, int to) {
        return streams.stream().filter(st -> st.sourcePort() == from && st.destinationPort() == to)
                .mapToInt(RtpWire.Stream::packets).sum();
    }

    /** UDP on this server's media block: the shared WebRTC port (its first port) and the phone's relay ports. */
    private LoopbackCapture captureMediaPorts() throws IOException, InterruptedException {
        return LoopbackCapture.udpPorts(dir, parley.server().config().media().portMin(),
                parley.server().config().media().portMax());
    }

    /**
     * The capture of a browser ↔ baresip call. The browser's leg is everything to or from the shared WebRTC port:
     * RFC 7983 §7 tells its packets apart by the first byte (0-3 STUN, 20-63 DTLS, 128-191 RTP/RTCP): there are ICE
     * checks and a DTLS handshake, and its RTP in both directions is SRTP (no 160-byte μ-law payload, no tone
     * decodable, ciphertext entropy). The phone's leg, the other ports of the block, carries RTP only (no STUN or
     * DTLS: SDES needs neither), and it is SRTP too: each payload longer than the 160-byte frame by the auth tag
     * (RFC 3711 §4.2), nothing decodable. {@code RtpWire}'s tone check does find the tones in plain RTP
     * ({@code SrtpCallIT.plainRtpWithPolicyOff_theSameChecksSeeTheAudio}).
     */
    private void assertOnlySrtpOnTheWire(List<LoopbackCapture.Datagram> wire) {
        int webRtcPort = parley.webRtcPort();
        assertThat(webRtcPort).as("the shared WebRTC port is on, the block's first port")
                .isEqualTo(parley.server().config().media().portMin());
        List<LoopbackCapture.Datagram> browserLeg = wire.stream()
                .filter(d -> d.sourcePort() == webRtcPort || d.destinationPort() == webRtcPort).toList();
        List<LoopbackCapture.Datagram> phoneLeg = wire.stream()
                .filter(d -> d.sourcePort() != webRtcPort && d.destinationPort() != webRtcPort).toList();
        long stun = browserLeg.stream().filter(d -> firstByte(d) <= 3).count();
        long dtls = browserLeg.stream().filter(d -> firstByte(d) >= 20 && firstByte(d) <= 63).count();
        System.out.println("captured " + wire.size() + " datagrams: browser leg (port " + webRtcPort + ") "
                + browserLeg.size() + " (" + stun + " STUN, " + dtls + " DTLS), phone leg " + phoneLeg.size());
        assertThat(stun).as("ICE checks on the shared port").isGreaterThanOrEqualTo(2);
        assertThat(dtls).as("a DTLS handshake on the shared port").isGreaterThanOrEqualTo(4);

        List<RtpWire.Stream> browserRtp = RtpWire.streams(browserLeg);
        List<RtpWire.Stream> phoneRtp = RtpWire.streams(phoneLeg);
        System.out.println("browser leg RTP:\n  " + String.join("\n  ",
                browserRtp.stream().map(RtpWire.Stream::toString).toList()) + "\nphone leg RTP:\n  "
                + String.join("\n  ", phoneRtp.stream().map(RtpWire.Stream::toString).toList()));
        for (List<RtpWire.Stream> leg : List.of(browserRtp, phoneRtp)) {
            assertThat(leg).as("RTP both ways").hasSizeGreaterThanOrEqualTo(2);
            assertThat(leg.stream().filter(st -> st.sourcePort() == leg.getFirst().destinationPort()
                    && st.destinationPort() == leg.getFirst().sourcePort()).findAny()).as("the reverse of %s",
                    leg.getFirst()).isPresent();
            for (RtpWire.Stream st : leg) {
                assertThat(st.plainG711Frames()).as("plain 160-byte G.711 payloads in %s", st).isZero();
                assertThat(st.toneShare(440)).as("440 Hz decodable in %s", st).isLessThan(0.02);
                assertThat(st.toneShare(1000)).as("1000 Hz decodable in %s", st).isLessThan(0.02);
            }
            for (RtpWire.Stream st : leg.subList(0, 2)) {
                assertThat(st.packets()).as("%s", st).isGreaterThan(100);
                assertThat(st.entropy()).as("entropy of %s", st).isGreaterThan(7.5);
            }
        }
        assertThat(phoneLeg).as("the phone's leg: nothing but RTP/RTCP (RFC 7983 128-191)")
                .allMatch(d -> firstByte(d) >= 128 && firstByte(d) <= 191);
        assertThat(phoneRtp.getFirst().payloads()).as("SRTP payloads: the frame plus the auth tag")
                .allMatch(p -> p.length > RtpWire.G711_FRAME);
    }

    private static int firstByte(LoopbackCapture.Datagram d) {
        return d.payload().length == 0 ? -1 : d.payload()[0] & 0xff;
    }

    /** The live call once both legs are up and DTLS has connected on the browser's leg (null if Chromium ended). */
    private CallView awaitDtlsConnected() {
        AtomicReference<CallView> live = new AtomicReference<>();
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100)).until(() -> {
            List<CallView> calls = parley.server().liveCalls();
            if (!calls.isEmpty() && calls.getFirst().security().callee() != null
                    && calls.getFirst().security().caller().dtls() != calls.getFirst().security().callee().dtls()) {
                var s = calls.getFirst().security();
                if ((s.caller().dtls() ? s.caller() : s.callee()).suite() != null) {
                    live.set(calls.getFirst());
                    return true;
                }
            }
            return !alice.isAlive();
        });
        return live.get();
    }

    /**
     * The page's result: the browser received, decrypted and decoded bob's 440 Hz; bob recorded the browser's
     * 1000 Hz; the padlock said encrypted on both legs while the call was up and in the CDR.
     */
    private JsonNode assertCallWorked(Baresip bob, CallView live, Transport caller, Transport callee)
            throws Exception {
        JsonNode stats = alice.result(Duration.ofSeconds(40));
        // the browser received, decrypted and decoded bob's 440 Hz
        BrowserPhone.assertHeard("alice's browser", stats, TALK_SECONDS, 440);

        // the phone heard the browser's tone (its recording, 8 kHz): most of the talk time, not its own tone
        bob.awaitCallEvent("CALL_CLOSED", SIGNALLING);
        ToneMeter.Result heard = ToneMeter.measure(bob.recording(), 1000, 440);
        System.out.println("bob heard " + heard);
        assertThat(heard.toneSeconds()).as("seconds of the browser's 1000 Hz at bob: %s", heard)
                .isGreaterThanOrEqualTo(TALK_SECONDS - 1.5);
        assertThat(heard.otherFrames()).as("other sounds at bob").isLessThanOrEqualTo(5);

        // the padlock: live, and in the CDR
        assertThat(live).as("a live call with DTLS connected on the browser's leg").isNotNull();
        assertThat(live.security().caller().signalling()).isEqualTo(caller);
        assertThat(live.security().callee().signalling()).isEqualTo(callee);
        assertThat(live.security().encryptedAllLegs()).isTrue();
        CallRecord cdr = cdr();
        System.out.println("CDR " + cdr);
        assertThat(cdr.encryptedAllLegs()).isTrue();
        assertThat(cdr.callerLeg().packetsReceived()).isGreaterThan(100);
        assertThat(cdr.calleeLeg().packetsReceived()).isGreaterThan(100);
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(parley.freeMediaPortPairs())
                .as("media port pairs free after the call").isEqualTo(parley.mediaPortPairs()));
        return stats;
    }

    private CallRecord cdr() {
        try (Store store = Store.open(parley.databaseUrl(), null, null)) {
            return await().atMost(Duration.ofSeconds(5)).until(() -> store.callRecords().recent(10),
                    r -> !r.isEmpty()).getFirst();
        }
    }

    /** 30 s of a sine at half scale, mono 16-bit at {@code rate} (longer than the call). */
    private Path tone(int hertz, int rate) throws IOException, InterruptedException {
        return tone(hertz, rate, 30);
    }

    /** A sine at half scale, mono 16-bit; baresip hangs up when its wav ends, so longer than the call. */
    private Path tone(int hertz, int rate, int seconds) throws IOException, InterruptedException {
        Path wav = dir.resolve("tone-" + hertz + "-" + rate + ".wav");
        Process sox = new ProcessBuilder("sox", "-n", "-r", Integer.toString(rate), "-c", "1", "-b", "16",
                wav.toString(), "synth", Integer.toString(seconds), "sine", Integer.toString(hertz), "vol", "0.5")
                .redirectErrorStream(true).start();
        String out = new String(sox.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(sox.waitFor(30, TimeUnit.SECONDS)).as("sox finished").isTrue();
        assertThat(sox.exitValue()).as("sox: %s", out).isZero();
        return wav;
    }
}
