package dev.parley.media.ice;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.common.VirtualScheduler;
import dev.parley.media.browser.ChromiumPage;
import dev.parley.rtp.PacketBuffer;
import dev.parley.rtp.PacketKind;
import dev.parley.rtp.dtls.DtlsCertificate;
import dev.parley.rtp.ice.IceCheckOutcome;
import dev.parley.rtp.ice.IceCredentials;
import dev.parley.rtp.ice.IceDemuxTable;
import dev.parley.rtp.ice.IceLiteAgent;
import dev.parley.rtp.ice.IceLiteSettings;
import dev.parley.rtp.stun.TransportAddress;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * parley-rtp's ICE-lite agent and demux table against a real full ICE agent: Debian's Chromium (Playwright, fake
 * microphone) offers audio; the answer is ICE-lite with one host candidate on 127.0.0.1 and the agent's
 * credentials. One UDP socket plays Parley's shared media port: every datagram goes through an
 * {@link IceDemuxTable} (keyed by the {@code InetSocketAddress} the socket gives, as parley-media will) that also
 * holds a decoy endpoint, and STUN goes to the {@link IceLiteAgent}, whose answers are sent back. The agent's
 * timer runs on a {@link VirtualScheduler} advanced with the wall clock on the socket's thread, the way an event
 * loop would run it. DTLS is not answered (that is {@code ChromiumDtlsIT}).
 *
 * <p>Proves: Chromium's checks authenticate with the local password and are answered; Chromium accepts the answers
 * (its {@code iceConnectionState} becomes connected, so integrity, fingerprint and XOR-MAPPED-ADDRESS verified on
 * its side); its USE-CANDIDATE selects the pair it checks from; it keeps sending consent checks, each of which
 * refreshes the pair; after the browser closes, consent expires at the configured timeout after its last check;
 * every DTLS datagram is routed to the endpoint by address (the ClientHello comes after the first successful
 * check but before the nominating one: routing only selected pairs would lose the first flight). Chromium's check interval and the measured
 * expiry delay are written to {@code target/chromium-ice-lite.txt}. The demux table is not yet used by parley-media's
 * endpoints (one port per WebRTC endpoint); {@code ChromiumWebRtcIT} proves the endpoint itself. Browser harness:
 * {@link ChromiumPage}.
 */
class ChromiumIceLiteIT {
    private static final Pattern OPUS = Pattern.compile("a=rtpmap:(\\d+) opus/48000/2", Pattern.CASE_INSENSITIVE);
    private static final Pattern MID = Pattern.compile("a=mid:(\\S+)");
    private static final Pattern ICE_UFRAG = Pattern.compile("a=ice-ufrag:(\\S+)");
    private static final Duration CONSENT = Duration.ofSeconds(8);

    private static final String PAGE = """
            <!doctype html><meta charset="utf-8"><title>parley ice-lite</title>
            <script>
            const log = (m) => console.log(m);
            (async () => {
              const stream = await navigator.mediaDevices.getUserMedia({audio: true});
              const pc = new RTCPeerConnection({iceServers: []});
              stream.getTracks().forEach((t) => pc.addTrack(t, stream));
              pc.oniceconnectionstatechange = () => {
                log('iceConnectionState ' + pc.iceConnectionState);
                if (['connected', 'completed', 'failed'].includes(pc.iceConnectionState)) {
                  window.parleyResult = {state: pc.iceConnectionState};
                }
              };
              await pc.setLocalDescription(await pc.createOffer());
              const answer = await (await fetch('/offer', {method: 'POST', body: pc.localDescription.sdp})).text();
              await pc.setRemoteDescription({type: 'answer', sdp: answer});
              fetch('/stop').then(() => { window.parleyStop = true; });
            })().catch((e) => { window.parleyResult = {state: 'error', error: String(e)}; });
            </script>
            """;

    @Test
    void chromiumChecksAreAnsweredItNominatesAndConsentExpiresAfterItLeaves() throws Exception {
        SecureRandom random = new SecureRandom();
        IceCredentials local = IceCredentials.random(random);
        VirtualScheduler time = new VirtualScheduler();
        List<String> events = new ArrayList<>();
        List<TransportAddress> selected = new ArrayList<>();
        List<TransportAddress> validated = new ArrayList<>();
        long[] expiredAt = {-1};
        IceLiteAgent agent = new IceLiteAgent(local, IceLiteSettings.defaults().withConsentTimeout(CONSENT), time,
                new IceLiteAgent.Listener() {
                    @Override
                    public void onPairValidated(TransportAddress remote) {
                        validated.add(remote);
                        events.add(time.elapsed().toMillis() + " ms: validated " + remote);
                    }

                    @Override
                    public void onPairSelected(TransportAddress remote) {
                        selected.add(remote);
                        events.add(time.elapsed().toMillis() + " ms: selected " + remote);
                    }

                    @Override
                    public void onConsentExpired(TransportAddress remote) {
                        expiredAt[0] = time.nanoTime();
                        events.add(time.elapsed().toMillis() + " ms: consent expired " + remote);
                    }
                });
        IceDemuxTable<InetSocketAddress, IceLiteAgent> table = new IceDemuxTable<>();
        IceLiteAgent decoy = new IceLiteAgent(IceCredentials.random(random), IceLiteSettings.defaults(), time,
                new IceLiteAgent.Listener() {
                    @Override
                    public void onPairSelected(TransportAddress remote) {
                        events.add("decoy selected");
                    }

                    @Override
                    public void onConsentExpired(TransportAddress remote) {
                    }
                });
        assertThat(table.register(decoy.localCredentials().ufrag(), decoy)).isTrue();
        assertThat(table.register(local.ufrag(), agent)).isTrue();

        String fingerprint = DtlsCertificate.generate().fingerprint().toSdpValue();
        CompletableFuture<String> offer = new CompletableFuture<>();
        boolean stopped = false;
        Map<IceCheckOutcome, Integer> outcomes = new EnumMap<>(IceCheckOutcome.class);
        List<Long> validChecksAt = new ArrayList<>();
        int dtlsRouted = 0;
        int unrouted = 0;
        List<String> unroutedKinds = new ArrayList<>();
        String remoteUfrag = null;
        long lastValidCheck = -1;
        Path log = Path.of("target/chromium-ice-lite.log");
        try (DatagramSocket udp = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
                ChromiumPage page = ChromiumPage.open(PAGE, sdp -> {
                    offer.complete(sdp);
                    return answer(sdp, udp.getLocalPort(), local, fingerprint);
                }, log, null, 60)) {
            udp.setSoTimeout(50);

            byte[] buffer = new byte[2048];
            PacketBuffer response = new PacketBuffer(1500);
            DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
            long start = System.nanoTime();
            long last = start;
            long deadline = start + TimeUnit.SECONDS.toNanos(75);
            while (System.nanoTime() < deadline && expiredAt[0] < 0) {
                long now = System.nanoTime();
                time.advance(Duration.ofNanos(now - last)); // the agent's timer, on this (the socket's) thread
                last = now;
                if (remoteUfrag == null && offer.isDone()) {
                    remoteUfrag = group(ICE_UFRAG, offer.get());
                    agent.remoteUfrag(remoteUfrag);
                }
                // Enough consent checks seen after the nomination: let the page go, so Chromium closes.
                if (!stopped && !selected.isEmpty() && validChecksAt.size() >= 4
                        && time.elapsed().toMillis() - validChecksAt.get(0) > 12_000) {
                    page.stop();
                    stopped = true;
                }
                try {
                    packet.setData(buffer);
                    udp.receive(packet);
                } catch (SocketTimeoutException e) {
                    continue;
                }
                InetSocketAddress from = (InetSocketAddress) packet.getSocketAddress();
                if (!from.getAddress().isLoopbackAddress()) {
                    continue; // only pairs on the loopback are part of this test
                }
                int length = packet.getLength();
                IceLiteAgent endpoint = table.route(buffer, 0, length, from);
                if (endpoint == null) {
                    unrouted++;
                    unroutedKinds.add(time.elapsed().toMillis() + " ms " + PacketKind.of(buffer, 0, length));
                    continue;
                }
                assertThat(endpoint).as("only this call's credentials are in Chromium's checks").isSameAs(agent);
                PacketKind kind = PacketKind.of(buffer, 0, length);
                if (kind == PacketKind.DTLS) {
                    dtlsRouted++;
                    continue;
                }
                if (kind != PacketKind.STUN) {
                    continue;
                }
                TransportAddress source = TransportAddress.of(from.getAddress().getAddress(), from.getPort());
                int selectionsBefore = selected.size();
                int validatedBefore = validated.size();
                IceCheckOutcome outcome = agent.receive(buffer, 0, length, source, response);
                outcomes.merge(outcome, 1, Integer::sum);
                if (outcome.hasResponse()) {
                    udp.send(new DatagramPacket(response.array(), response.offset(), response.length(), from));
                }
                if (outcome == IceCheckOutcome.ANSWERED && source.equals(agent.selected())) {
                    validChecksAt.add(time.elapsed().toMillis());
                    lastValidCheck = time.nanoTime();
                }
                // The media plane's reactions to onPairValidated and onPairSelected (both come from this check).
                if (validated.size() > validatedBefore) {
                    table.admit(agent, from);
                }
                if (selected.size() > selectionsBefore) {
                    table.select(agent, from);
                }
            }
        }
        String browserLog = Files.readString(log);
        List<Long> intervals = new ArrayList<>();
        for (int i = 1; i < validChecksAt.size(); i++) {
            intervals.add(validChecksAt.get(i) - validChecksAt.get(i - 1));
        }
        long expiryDelayMs = expiredAt[0] < 0 ? -1 : TimeUnit.NANOSECONDS.toMillis(expiredAt[0] - lastValidCheck);
        String report = "outcomes " + outcomes + "\nevents " + events + "\nvalid checks on the selected pair at (ms) "
                + validChecksAt + "\nintervals (ms) " + intervals + "\nconsent expired " + expiryDelayMs
                + " ms after the last valid check (timeout " + CONSENT.toMillis() + " ms)\nDTLS datagrams routed by address "
                + dtlsRouted + ", datagrams without an endpoint " + unrouted + " " + unroutedKinds + "\n";
        Files.writeString(Path.of("target/chromium-ice-lite.txt"), report);

        assertThat(browserLog).as("Chromium accepted Parley's answers:\n%s\n%s", browserLog, report)
                .containsPattern("RESULT \\{\"state\":\"(connected|completed)\"");
        assertThat(outcomes.getOrDefault(IceCheckOutcome.ANSWERED, 0)).as(report).isGreaterThanOrEqualTo(5);
        assertThat(outcomes).as("Chromium's checks always authenticate").doesNotContainKeys(
                IceCheckOutcome.UNAUTHENTICATED_ANSWERED, IceCheckOutcome.BAD_REQUEST_ANSWERED,
                IceCheckOutcome.ROLE_CONFLICT_ANSWERED, IceCheckOutcome.MALFORMED);
        assertThat(selected).as(report).isNotEmpty();
        assertThat(selected.get(0).octet(0)).isEqualTo(127);
        assertThat(validChecksAt.size()).as("consent checks after the nomination: %s", report).isGreaterThanOrEqualTo(4);
        assertThat(events).doesNotContain("decoy selected");
        assertThat(dtlsRouted).as("Chromium's DTLS ClientHello, routed by the validated address").isPositive();
        assertThat(unroutedKinds).as("nothing from Chromium dropped for want of a route").isEmpty();
        assertThat(expiredAt[0]).as("consent expired after Chromium left: %s", report).isPositive();
        // The timer fires at the timeout after the last valid check, give or take the loop's 50 ms receive timeout.
        assertThat(expiryDelayMs).as(report).isBetween(CONSENT.toMillis(), CONSENT.toMillis() + 500);
        assertThat(agent.state()).isEqualTo(IceLiteAgent.State.CLOSED);
    }

    /** Parley's answer: ICE-lite, one host candidate, the agent's credentials; a certificate no one will check. */
    private static String answer(String offer, int port, IceCredentials local, String fingerprint) {
        String mid = group(MID, offer);
        String opus = group(OPUS, offer);
        return String.join("\r\n",
                "v=0",
                "o=- 4611731400430051337 2 IN IP4 127.0.0.1",
                "s=-",
                "t=0 0",
                "a=group:BUNDLE " + mid,
                "a=ice-lite",
                "m=audio " + port + " UDP/TLS/RTP/SAVPF " + opus,
                "c=IN IP4 127.0.0.1",
                "a=mid:" + mid,
                "a=rtcp-mux",
                "a=recvonly",
                "a=ice-ufrag:" + local.ufrag(),
                "a=ice-pwd:" + local.password(),
                "a=fingerprint:" + fingerprint,
                "a=setup:passive",
                "a=rtpmap:" + opus + " opus/48000/2",
                "a=candidate:1 1 udp 2130706431 127.0.0.1 " + port + " typ host",
                "a=end-of-candidates",
                "");
    }

    private static String group(Pattern pattern, String text) {
        return ChromiumPage.group(pattern, text);
    }
}
