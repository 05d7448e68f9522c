package dev.parley.media;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.media.browser.ChromiumPage;
import dev.parley.media.codec.Audio;
import dev.parley.media.codec.G711;
import dev.parley.mediaapi.CertificateFingerprint;
import dev.parley.mediaapi.Direction;
import dev.parley.mediaapi.EndpointParameters;
import dev.parley.mediaapi.EndpointRequest;
import dev.parley.mediaapi.EndpointStats;
import dev.parley.mediaapi.IceCredentials;
import dev.parley.mediaapi.LocalMedia;
import dev.parley.mediaapi.MediaEvent;
import dev.parley.mediaapi.PayloadFormat;
import dev.parley.mediaapi.Protection;
import dev.parley.rtp.dtls.DtlsCertificate;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * A browser as a phone, end to end through the media plane: Debian's Chromium (Playwright, fake microphone playing
 * a 600 Hz tone) calls a {@link dev.parley.mediaapi.EndpointKind#WEBRTC} endpoint of {@link NettyMediaService},
 * bridged to a plain PCMU endpoint whose peer is a UDP socket of this test. The answer is built from
 * {@link LocalMedia#webRtc()} (ICE-lite, Parley's fingerprint, {@code a=setup:passive}) and the browser's offer
 * becomes {@link EndpointParameters#webRtc}. Nothing of ICE, DTLS or SRTP is played by the test.
 *
 * <p>Measured: the browser's Opus arrives at the PCMU peer decrypted and transcoded, with the tone at 600 Hz; the
 * PCMU 1 kHz tone the peer sends reaches the browser (getStats: inbound-rtp packets and a non-zero audio level);
 * closing the browser ends in {@link MediaEvent.ConsentExpired} within the configured consent limit; a wrong
 * fingerprint ends in {@link MediaEvent.DtlsFailed} and no media. Numbers go to {@code target/chromium-webrtc.txt}.
 */
class ChromiumWebRtcIT extends MediaTestSupport {
    private static final Duration CONSENT = Duration.ofSeconds(6);
    private static final double BROWSER_HZ = 600;
    private static final double PEER_HZ = 1000;
    private static final Pattern FINGERPRINT = Pattern.compile("a=fingerprint:(\\S+ [0-9A-Fa-f:]+)");
    private static final Pattern OPUS = Pattern.compile("a=rtpmap:(\\d+) opus/48000/2", Pattern.CASE_INSENSITIVE);
    private static final Pattern MID = Pattern.compile("a=mid:(\\S+)");
    private static final Pattern UFRAG = Pattern.compile("a=ice-ufrag:(\\S+)");
    private static final Pattern PWD = Pattern.compile("a=ice-pwd:(\\S+)");
    private static final Pattern SETUP = Pattern.compile("a=setup:(\\S+)");

    /** Offers audio, plays what it receives, reports getStats once audio has arrived (or after 20 s). */
    private static final String PAGE = """
            <!doctype html><meta charset="utf-8"><title>parley webrtc</title>
            <script>
            const log = (m) => console.log(m);
            const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
            const report = async (r) => {
              await fetch('/result', {method: 'POST', body: JSON.stringify(r)});
              window.parleyResult = r;
              fetch('/stop').then(() => { window.parleyStop = true; });
            };
            (async () => {
              // No echo cancellation, noise suppression or gain control: the tone should arrive as it was played.
              const stream = await navigator.mediaDevices.getUserMedia({audio:
                {echoCancellation: false, noiseSuppression: false, autoGainControl: false}});
              const pc = new RTCPeerConnection({iceServers: []});
              stream.getTracks().forEach((t) => pc.addTrack(t, stream));
              let analyser, audioContext;
              pc.ontrack = (e) => {
                const remote = e.streams[0] || new MediaStream([e.track]);
                const audio = new Audio();
                audio.srcObject = remote;
                audio.play().catch((err) => log('play failed ' + err));
                window.remoteAudio = audio;
                // What the browser hears, by frequency: the strongest FFT bin of the received track.
                audioContext = new AudioContext();
                analyser = audioContext.createAnalyser();
                analyser.fftSize = 8192;
                audioContext.createMediaStreamSource(remote).connect(analyser);
              };
              const peakHz = () => {
                if (!analyser) return 0;
                const bins = new Float32Array(analyser.frequencyBinCount);
                analyser.getFloatFrequencyData(bins);
                let best = 1;
                for (let i = 1; i < bins.length; i++) if (bins[i] > bins[best]) best = i;
                return best * audioContext.sampleRate / analyser.fftSize;
              };
              pc.onconnectionstatechange = () => log('connectionState ' + pc.connectionState);
              await pc.setLocalDescription(await pc.createOffer());
              const answer = await (await fetch('/offer', {method: 'POST', body: pc.localDescription.sdp})).text();
              await pc.setRemoteDescription({type: 'answer', sdp: answer});
              const start = Date.now();
              let inbound = {}, outbound = {}, transport = {};
              while (Date.now() - start < 20000 && pc.connectionState !== 'failed') {
                await sleep(500);
                (await pc.getStats()).forEach((s) => {
                  if (s.type === 'inbound-rtp' && s.kind === 'audio') inbound = s;
                  if (s.type === 'outbound-rtp' && s.kind === 'audio') outbound = s;
                  if (s.type === 'transport') transport = s;
                });
                if ((inbound.packetsReceived || 0) >= 150 && (inbound.totalAudioEnergy || 0) > 0) break;
              }
              await report({state: pc.connectionState, dtlsState: transport.dtlsState || '',
                srtpCipher: transport.srtpCipher || '', tlsVersion: transport.tlsVersion || '',
                packetsReceived: inbound.packetsReceived || 0, packetsLost: inbound.packetsLost || 0,
                audioLevel: inbound.audioLevel || 0, totalAudioEnergy: inbound.totalAudioEnergy || 0,
                concealedSamples: inbound.concealedSamples || 0,
                totalSamplesReceived: inbound.totalSamplesReceived || 0, packetsSent: outbound.packetsSent || 0,
                peakHz: peakHz()});
            })().catch((e) => report({state: 'error', error: String(e)}));
            </script>
            """;

    @Test
    void chromiumTalksWithAPcmuPhoneThroughAWebRtcEndpointAndConsentExpiresWhenItLeaves() throws Exception {
        NettyMediaService media = start(settings().withConsentTimeout(CONSENT));
        Peer phone = peer();
        LocalMedia browserLeg = media.open(EndpointRequest.webRtc("browser", null)).toCompletableFuture().join();
        LocalMedia phoneLeg = media.open(new EndpointRequest("phone", browserLeg.id())).toCompletableFuture().join();
        assertThat(browserLeg.isWebRtc()).isTrue();
        assertThat(browserLeg.rtcp()).as("rtcp-mux only").isEqualTo(browserLeg.rtp());
        assertThat(browserLeg.webRtc().ice().toString()).doesNotContain(browserLeg.webRtc().ice().password());

        Path wav = ChromiumPage.writeWav(Path.of("target/chromium-webrtc-600hz.wav"),
                Audio.tone(48000, BROWSER_HZ, 0.5, 0, 10), 48000);
        StringBuilder report = new StringBuilder();
        try (ChromiumPage page = ChromiumPage.open(PAGE, offer -> {
            configure(media, browserLeg, browserParameters(offer, Optional.empty(), "passive"));
            configure(media, phoneLeg, plain(phone.address(), Direction.SENDRECV, PCMU));
            media.bridged(browserLeg.id(), phoneLeg.id()).join();
            return answer(offer, browserLeg, "passive");
        }, Path.of("target/chromium-webrtc.log"), wav, 60)) {
            long t0 = System.nanoTime();
            MediaEvent.WebRtcConnected connected = awaitEvent(MediaEvent.WebRtcConnected.class, Duration.ofSeconds(30));
            report.append("connected after ").append(ms(t0)).append(" ms: ").append(connected).append('\n');
            assertThat(connected.endpoint()).isEqualTo(browserLeg.id());
            // Chromium checks from each of its host candidates; any of them may reach 127.0.0.1 and carry DTLS.
            assertThat(connected.remote()).isNotNull();

            AtomicBoolean sending = new AtomicBoolean(true);
            Thread sender = Thread.ofVirtual().start(() -> sendTone(phone, phoneLeg.rtp(), sending));
            List<byte[]> heard = receivePcmu(phone, 150, Duration.ofSeconds(15));
            String result = page.result(Duration.ofSeconds(40));
            report.append("browser getStats: ").append(result).append('\n');

            short[] pcm = new short[heard.size() * 160];
            for (int i = 0; i < heard.size(); i++) {
                G711.decode(true, heard.get(i), 12, 160, pcm, i * 160);
            }
            int from = pcm.length / 3; // past the browser's start (AGC, encoder ramp)
            double dominant = Audio.dominant(pcm, from, pcm.length, 8000, 400, BROWSER_HZ, 800, PEER_HZ, 1200);
            double toneToRest = Audio.toneToRest(pcm, from, pcm.length, 8000, BROWSER_HZ);
            report.append("PCMU peer heard ").append(heard.size()).append(" packets from the browser, dominant ")
                    .append(dominant).append(" Hz, tone/rest ").append(String.format("%.1f dB", toneToRest))
                    .append('\n');
            EndpointStats browserStats = media.stats(browserLeg.id());
            report.append("browser leg ").append(browserStats).append('\n');

            assertThat(heard).as("browser audio relayed to the PCMU phone").hasSize(150);
            assertThat(dominant).as("the browser's tone, decrypted and transcoded Opus -> PCMU").isEqualTo(BROWSER_HZ);
            assertThat(toneToRest).isGreaterThan(15);
            assertThat(number(result, "packetsReceived")).as("browser inbound-rtp packetsReceived")
                    .isGreaterThanOrEqualTo(100);
            assertThat(number(result, "totalAudioEnergy")).as("browser hears sound, not silence").isPositive();
            assertThat(number(result, "audioLevel")).isPositive();
            assertThat(number(result, "peakHz")).as("the browser hears the phone's 1 kHz (PCMU -> Opus)")
                    .isCloseTo(PEER_HZ, org.assertj.core.data.Offset.offset(10.0));
            assertThat(text(result, "dtlsState")).isEqualTo("connected");
            assertThat(browserStats.srtpFailures()).isZero();

            // The browser goes away: Playwright closes Chromium. Consent must expire within the limit, and from then
            // on nothing is sent towards the browser although the phone keeps talking (RFC 7675 §5.1).
            long closedAt = System.nanoTime();
            page.stop();
            assertThat(page.awaitExit(Duration.ofSeconds(20))).as("Chromium closed").isTrue();
            MediaEvent.ConsentExpired expired = awaitEvent(MediaEvent.ConsentExpired.class,
                    CONSENT.plusSeconds(10));
            long delay = ms(closedAt);
            report.append("consent expired ").append(delay).append(" ms after the browser was told to close (limit ")
                    .append(CONSENT.toMillis()).append(" ms); other events: ").append(seen).append('\n');
            assertThat(expired.endpoint()).isEqualTo(browserLeg.id());
            assertThat(delay).isLessThanOrEqualTo(CONSENT.toMillis() + 1500);
            EndpointStats atExpiry = media.stats(browserLeg.id());
            Thread.sleep(500);
            EndpointStats after = media.stats(browserLeg.id());
            report.append("at expiry ").append(atExpiry).append("\n500 ms later ").append(after).append('\n');
            assertThat(sender.isAlive()).as("the phone is still talking").isTrue();
            assertThat(after.packetsSent()).as("nothing sent to the browser after consent expired")
                    .isEqualTo(atExpiry.packetsSent());
            sending.set(false);
            sender.join();
        } finally {
            Files.writeString(Path.of("target/chromium-webrtc.txt"), report.toString());
        }
    }

    /** RFC 5763 §5: a certificate that is not the one the SDP names gives no keys and no media. */
    @Test
    void aWrongFingerprintFailsTheLegWithoutMedia() throws Exception {
        NettyMediaService media = start(settings().withConsentTimeout(CONSENT));
        Peer phone = peer();
        LocalMedia browserLeg = media.open(EndpointRequest.webRtc("browser", null)).toCompletableFuture().join();
        LocalMedia phoneLeg = media.open(new EndpointRequest("phone", browserLeg.id())).toCompletableFuture().join();
        CertificateFingerprint other = CertificateFingerprint
                .parse(DtlsCertificate.generate().fingerprint().toSdpValue()).orElseThrow();
        try (ChromiumPage page = ChromiumPage.open(PAGE, offer -> {
            configure(media, browserLeg, browserParameters(offer, Optional.of(other), "passive"));
            configure(media, phoneLeg, plain(phone.address(), Direction.SENDRECV, PCMU));
            media.bridged(browserLeg.id(), phoneLeg.id()).join();
            return answer(offer, browserLeg, "passive");
        }, Path.of("target/chromium-webrtc-wrong-fingerprint.log"), null, 60)) {
            MediaEvent.DtlsFailed failed = awaitEvent(MediaEvent.DtlsFailed.class, Duration.ofSeconds(30));
            assertThat(failed.endpoint()).isEqualTo(browserLeg.id());
            assertThat(failed.reason()).startsWith("FINGERPRINT_MISMATCH");
            assertThat(phone.receiveWithin(1000)).as("no media without keys").isEmpty();
            assertThat(seen).noneMatch(e -> e instanceof MediaEvent.WebRtcConnected);
        }
    }

    /**
     * The other DTLS role: Parley answers {@code a=setup:active}, so Parley is the DTLS client and Chromium the
     * server; the leg sends its ClientHello once a check has shown the browser's address.
     */
    @Test
    void parleyAsDtlsClientConnectsAndRelays() throws Exception {
        NettyMediaService media = start(settings().withConsentTimeout(CONSENT));
        Peer phone = peer();
        LocalMedia browserLeg = media.open(EndpointRequest.webRtc("browser", null)).toCompletableFuture().join();
        LocalMedia phoneLeg = media.open(new EndpointRequest("phone", browserLeg.id())).toCompletableFuture().join();
        Path wav = ChromiumPage.writeWav(Path.of("target/chromium-webrtc-600hz.wav"),
                Audio.tone(48000, BROWSER_HZ, 0.5, 0, 10), 48000);
        try (ChromiumPage page = ChromiumPage.open(PAGE, offer -> {
            configure(media, browserLeg, browserParameters(offer, Optional.empty(), "active"));
            configure(media, phoneLeg, plain(phone.address(), Direction.SENDRECV, PCMU));
            media.bridged(browserLeg.id(), phoneLeg.id()).join();
            return answer(offer, browserLeg, "active");
        }, Path.of("target/chromium-webrtc-client.log"), wav, 60)) {
            MediaEvent.WebRtcConnected connected = awaitEvent(MediaEvent.WebRtcConnected.class, Duration.ofSeconds(30));
            assertThat(connected.endpoint()).isEqualTo(browserLeg.id());
            List<byte[]> heard = receivePcmu(phone, 50, Duration.ofSeconds(10));
            assertThat(heard).as("browser audio relayed with Parley as DTLS client").hasSize(50);
            short[] pcm = new short[heard.size() * 160];
            for (int i = 0; i < heard.size(); i++) {
                G711.decode(true, heard.get(i), 12, 160, pcm, i * 160);
            }
            assertThat(Audio.dominant(pcm, pcm.length / 2, pcm.length, 8000, 400, BROWSER_HZ, 800, PEER_HZ))
                    .isEqualTo(BROWSER_HZ);
            assertThat(media.stats(browserLeg.id()).srtpFailures()).isZero();
        }
    }

    /**
     * Two browsers at once on one shared UDP port ({@link MediaSettings#webRtcPort()}): both endpoints advertise
     * the same candidate and take no port of the range, the port routes each browser's checks by ufrag and its
     * DTLS and SRTP by checked source, and each phone hears its own browser's tone (600 Hz and 900 Hz), never the
     * other's.
     */
    @Test
    void twoBrowsersShareOneUdpPortAndEachIsRoutedToItsOwnCall() throws Exception {
        NettyMediaService media = start(settings().withConsentTimeout(CONSENT).withWebRtcPort(freePortOutsideRanges()));
        int freeBefore = media.freePortPairs();
        double[] tones = {BROWSER_HZ, 900};
        List<LocalMedia> browserLegs = new ArrayList<>();
        List<Peer> phones = new ArrayList<>();
        List<ChromiumPage> pages = new ArrayList<>();
        List<AtomicBoolean> sending = new ArrayList<>();
        StringBuilder report = new StringBuilder();
        try {
            for (int i = 0; i < 2; i++) {
                Peer phone = peer();
                LocalMedia browserLeg = media.open(EndpointRequest.webRtc("browser" + i, null))
                        .toCompletableFuture().join();
                LocalMedia phoneLeg = media.open(new EndpointRequest("phone" + i, browserLeg.id()))
                        .toCompletableFuture().join();
                browserLegs.add(browserLeg);
                phones.add(phone);
                Path wav = ChromiumPage.writeWav(Path.of("target/chromium-webrtc-" + (int) tones[i] + "hz.wav"),
                        Audio.tone(48000, tones[i], 0.5, 0, 10), 48000);
                pages.add(ChromiumPage.open(PAGE, offer -> {
                    configure(media, browserLeg, browserParameters(offer, Optional.empty(), "passive"));
                    configure(media, phoneLeg, plain(phone.address(), Direction.SENDRECV, PCMU));
                    media.bridged(browserLeg.id(), phoneLeg.id()).join();
                    return answer(offer, browserLeg, "passive");
                }, Path.of("target/chromium-webrtc-shared-" + i + ".log"), wav, 60));
                AtomicBoolean talking = new AtomicBoolean(true);
                sending.add(talking);
                Thread.ofVirtual().start(() -> sendTone(phone, phoneLeg.rtp(), talking));
            }
            assertThat(browserLegs.get(0).rtp()).isEqualTo(browserLegs.get(1).rtp());
            assertThat(browserLegs.get(0).webRtc().ice().ufrag())
                    .isNotEqualTo(browserLegs.get(1).webRtc().ice().ufrag());
            assertThat(media.freePortPairs()).as("only the phones took pairs of the range").isEqualTo(freeBefore - 2);
            awaitEvent(MediaEvent.WebRtcConnected.class, Duration.ofSeconds(30));
            awaitEvent(MediaEvent.WebRtcConnected.class, Duration.ofSeconds(30));
            for (int i = 0; i < 2; i++) {
                List<byte[]> heard = receivePcmu(phones.get(i), 100, Duration.ofSeconds(15));
                short[] pcm = new short[heard.size() * 160];
                for (int k = 0; k < heard.size(); k++) {
                    G711.decode(true, heard.get(k), 12, 160, pcm, k * 160);
                }
                double dominant = Audio.dominant(pcm, pcm.length / 3, pcm.length, 8000, tones[0], tones[1], PEER_HZ);
                String result = pages.get(i).result(Duration.ofSeconds(40));
                report.append("browser ").append(i).append(": phone heard ").append(heard.size())
                        .append(" packets, dominant ").append(dominant).append(" Hz; getStats ").append(result)
                        .append('\n');
                assertThat(heard).hasSize(100);
                assertThat(dominant).as("phone %d hears its own browser", i).isEqualTo(tones[i]);
                assertThat(number(result, "packetsReceived")).isGreaterThanOrEqualTo(100);
                assertThat(number(result, "totalAudioEnergy")).isPositive();
                assertThat(number(result, "peakHz")).isCloseTo(PEER_HZ, org.assertj.core.data.Offset.offset(10.0));
                assertThat(media.stats(browserLegs.get(i).id()).srtpFailures()).isZero();
            }
            report.append("unrouted on the shared port: ").append(media.unroutedOnSharedPort()).append('\n');
        } finally {
            sending.forEach(talking -> talking.set(false));
            for (ChromiumPage page : pages) {
                page.close();
            }
            Files.writeString(Path.of("target/chromium-webrtc-shared.txt"), report.toString());
        }
    }

    /**
     * A browser calling a browser: two WEBRTC endpoints bridged to each other, Opus relayed as Opus with its SRTP
     * re-encrypted under the other leg's DTLS keys. Each page hears the other's tone (600 Hz, 900 Hz).
     */
    @Test
    void twoBrowsersBridgedHearEachOther() throws Exception {
        NettyMediaService media = start(settings().withConsentTimeout(CONSENT));
        double[] tones = {BROWSER_HZ, 900};
        List<LocalMedia> legs = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            legs.add(media.open(EndpointRequest.webRtc("browser" + i, i == 0 ? null : legs.get(0).id()))
                    .toCompletableFuture().join());
        }
        java.util.concurrent.CountDownLatch configured = new java.util.concurrent.CountDownLatch(2);
        List<ChromiumPage> pages = new ArrayList<>();
        StringBuilder report = new StringBuilder();
        try {
            for (int i = 0; i < 2; i++) {
                LocalMedia leg = legs.get(i);
                Path wav = ChromiumPage.writeWav(Path.of("target/chromium-webrtc-" + (int) tones[i] + "hz.wav"),
                        Audio.tone(48000, tones[i], 0.5, 0, 10), 48000);
                pages.add(ChromiumPage.open(PAGE, offer -> {
                    configure(media, leg, browserParameters(offer, Optional.empty(), "passive"));
                    configured.countDown();
                    return answer(offer, leg, "passive");
                }, Path.of("target/chromium-webrtc-b2b-" + i + ".log"), wav, 60));
            }
            assertThat(configured.await(40, TimeUnit.SECONDS)).isTrue();
            media.bridged(legs.get(0).id(), legs.get(1).id()).join();
            for (int i = 0; i < 2; i++) {
                String result = pages.get(i).result(Duration.ofSeconds(40));
                report.append("browser ").append(i).append(" (").append((int) tones[i]).append(" Hz): ")
                        .append(result).append('\n');
                assertThat(number(result, "packetsReceived")).isGreaterThanOrEqualTo(100);
                assertThat(number(result, "totalAudioEnergy")).isPositive();
                assertThat(number(result, "peakHz")).as("browser %d hears the other browser", i)
                        .isCloseTo(tones[1 - i], org.assertj.core.data.Offset.offset(10.0));
                assertThat(media.stats(legs.get(i).id()).srtpFailures()).isZero();
            }
        } finally {
            for (ChromiumPage page : pages) {
                page.close();
            }
            Files.writeString(Path.of("target/chromium-webrtc-b2b.txt"), report.toString());
        }
    }

    /** An ephemeral port no one holds right now, outside the 10000-19999 the test services take ranges from. */
    private static int freePortOutsideRanges() throws java.io.IOException {
        for (int attempt = 0; attempt < 50; attempt++) {
            try (java.net.DatagramSocket probe = new java.net.DatagramSocket(0)) {
                int port = probe.getLocalPort();
                if (port < 10000 || port > 19999) {
                    return port;
                }
            }
        }
        throw new AssertionError("no free UDP port outside 10000-19999");
    }

    /** The browser leg's parameters from its offer, for Parley's {@code a=setup} {@code parleySetup}. */
    private static EndpointParameters browserParameters(String offer, Optional<CertificateFingerprint> instead,
            String parleySetup) {
        assertThat(ChromiumPage.group(SETUP, offer)).isEqualTo("actpass");
        CertificateFingerprint fingerprint = instead.orElseGet(() ->
                CertificateFingerprint.parse(ChromiumPage.group(FINGERPRINT, offer)).orElseThrow());
        int opus = Integer.parseInt(ChromiumPage.group(OPUS, offer));
        Protection.DtlsSrtp dtls = new Protection.DtlsSrtp(
                Protection.DtlsSrtp.Role.forLocalSetup(parleySetup).orElseThrow(), List.of(fingerprint));
        return EndpointParameters.webRtc(null,
                List.of(new PayloadFormat(opus, "opus", 48000, 2, "minptime=10;useinbandfec=1")),
                Direction.SENDRECV, dtls,
                new IceCredentials(ChromiumPage.group(UFRAG, offer), ChromiumPage.group(PWD, offer)));
    }

    /** Parley's answer as the PBX will write it from {@link LocalMedia#webRtc()}. */
    private static String answer(String offer, LocalMedia leg, String parleySetup) {
        String mid = ChromiumPage.group(MID, offer);
        String opus = ChromiumPage.group(OPUS, offer);
        InetSocketAddress rtp = leg.rtp();
        String host = rtp.getAddress().getHostAddress();
        return String.join("\r\n",
                "v=0",
                "o=- 4611731400430051336 2 IN IP4 " + host,
                "s=-",
                "t=0 0",
                "a=group:BUNDLE " + mid,
                "a=ice-lite",
                "m=audio " + rtp.getPort() + " UDP/TLS/RTP/SAVPF " + opus,
                "c=IN IP4 " + host,
                "a=mid:" + mid,
                "a=rtcp-mux",
                "a=sendrecv",
                "a=ice-ufrag:" + leg.webRtc().ice().ufrag(),
                "a=ice-pwd:" + leg.webRtc().ice().password(),
                "a=fingerprint:" + leg.webRtc().fingerprint().toSdpValue(),
                "a=setup:" + parleySetup,
                "a=rtpmap:" + opus + " opus/48000/2",
                "a=fmtp:" + opus + " minptime=10;useinbandfec=1",
                "a=candidate:1 1 udp 2130706431 " + host + " " + rtp.getPort() + " typ host",
                "a=end-of-candidates",
                "");
    }

    /** A PCMU phone talking: 20 ms packets of a 1 kHz tone, paced in real time, until told to stop. */
    private static void sendTone(Peer phone, InetSocketAddress to, AtomicBoolean sending) {
        short[] tone = Audio.tone(8000, PEER_HZ, 0.5, 0, 1.0);
        long next = System.nanoTime();
        for (int i = 0; sending.get() && i < 3000; i++) {
            byte[] packet = new byte[12 + 160];
            packet[0] = (byte) 0x80;
            packet[2] = (byte) (i >> 8);
            packet[3] = (byte) i;
            int timestamp = i * 160;
            packet[4] = (byte) (timestamp >> 24);
            packet[5] = (byte) (timestamp >> 16);
            packet[6] = (byte) (timestamp >> 8);
            packet[7] = (byte) timestamp;
            packet[8] = 0x12;
            packet[11] = 0x34;
            G711.encode(true, tone, (i % 50) * 160, 160, packet, 12);
            phone.send(packet, to);
            next += TimeUnit.MILLISECONDS.toNanos(20);
            long wait = next - System.nanoTime();
            if (wait > 0) {
                try {
                    TimeUnit.NANOSECONDS.sleep(wait);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }
    }

    /** {@code count} PCMU packets (payload type 0, 160 octets) as they arrive, within {@code within}. */
    private static List<byte[]> receivePcmu(Peer phone, int count, Duration within) {
        List<byte[]> packets = new ArrayList<>();
        long deadline = System.nanoTime() + within.toNanos();
        while (packets.size() < count && System.nanoTime() < deadline) {
            Optional<byte[]> datagram = phone.receiveWithin(200);
            datagram.filter(d -> d.length == 12 + 160 && (d[0] & 0xC0) == 0x80 && (d[1] & 0x7F) == 0)
                    .ifPresent(packets::add);
        }
        return packets;
    }

    private final List<MediaEvent> seen = new ArrayList<>();

    /** The next event of {@code type}; the others are kept in {@link #seen}. */
    private <E extends MediaEvent> E awaitEvent(Class<E> type, Duration within) throws InterruptedException {
        long deadline = System.nanoTime() + within.toNanos();
        while (System.nanoTime() < deadline) {
            MediaEvent event = events.poll(Math.max(1, (deadline - System.nanoTime()) / 1_000_000),
                    TimeUnit.MILLISECONDS);
            if (type.isInstance(event)) {
                return type.cast(event);
            }
            if (event != null) {
                seen.add(event);
            }
        }
        throw new AssertionError("no " + type.getSimpleName() + " within " + within + "; saw " + seen);
    }

    private static double number(String json, String key) {
        var m = Pattern.compile("\"" + key + "\":(-?[0-9.eE+-]+)").matcher(json);
        if (!m.find()) {
            throw new AssertionError("no " + key + " in " + json);
        }
        return Double.parseDouble(m.group(1));
    }

    private static String text(String json, String key) {
        var m = Pattern.compile("\"" + key + "\":\"([^\"]*)\"").matcher(json);
        return m.find() ? m.group(1) : "";
    }

    private static long ms(long since) {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - since);
    }
}
