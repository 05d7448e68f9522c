package dev.parley.media.dtls;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.media.browser.ChromiumPage;
import dev.parley.rtp.PacketBuffer;
import dev.parley.rtp.PacketKind;
import dev.parley.rtp.RtpPacket;
import dev.parley.rtp.dtls.DtlsCertificate;
import dev.parley.rtp.dtls.DtlsConnection;
import dev.parley.rtp.dtls.DtlsFailure;
import dev.parley.rtp.dtls.DtlsFingerprint;
import dev.parley.rtp.dtls.DtlsRole;
import dev.parley.rtp.dtls.DtlsSettings;
import dev.parley.rtp.dtls.DtlsSrtpSession;
import dev.parley.rtp.srtp.SrtpProfile;
import dev.parley.rtp.srtp.SrtpReceiver;
import dev.parley.rtp.srtp.SrtpStatus;
import dev.parley.rtp.stun.StunClass;
import dev.parley.rtp.stun.StunKey;
import dev.parley.rtp.stun.StunMessage;
import dev.parley.rtp.stun.StunStatus;
import dev.parley.rtp.stun.StunWriter;
import dev.parley.rtp.stun.TransportAddress;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * "Test it first" for browsers as phones: Debian's Chromium, driven by Playwright, offers audio to a page; the
 * test answers as Parley will (ICE-lite, a host candidate on 127.0.0.1, {@code a=setup:passive}, Parley's
 * certificate fingerprint) and plays the far end on one UDP socket: it answers Chromium's STUN Binding requests
 * with H5's {@code dev.parley.rtp.stun} writer, feeds DTLS to {@link DtlsSrtpSession} as server, and decrypts
 * Chromium's SRTP with the exported keys.
 *
 * <p>Proves: Chromium (which offers DTLS 1.3 with a post-quantum key share in a ClientHello split over several
 * records) completes a DTLS 1.2 handshake with the engine; the certificate it presents is the one its offer's
 * {@code a=fingerprint} names; the negotiated profile; and its Opus packets decrypt. What Chromium's first flight
 * looked like is written to {@code target/chromium-dtls-clienthello.txt}.
 *
 * <p>The media plane's WebRTC endpoint, which wires this engine behind ICE, is proven end to end in
 * {@code ChromiumWebRtcIT}; this test keeps what only the bare engine shows (Chromium's first flight, Parley as DTLS
 * client). Browser harness: {@link ChromiumPage}.
 */
class ChromiumDtlsIT {
    private static final Pattern FINGERPRINT = Pattern.compile("a=fingerprint:(\\S+ [0-9A-Fa-f:]+)");
    private static final Pattern OPUS = Pattern.compile("a=rtpmap:(\\d+) opus/48000/2", Pattern.CASE_INSENSITIVE);
    private static final Pattern MID = Pattern.compile("a=mid:(\\S+)");

    private static final String PAGE = """
            <!doctype html><meta charset="utf-8"><title>parley dtls</title>
            <script>
            const log = (m) => console.log(m);
            (async () => {
              const stream = await navigator.mediaDevices.getUserMedia({audio: true});
              const pc = new RTCPeerConnection({iceServers: []});
              stream.getTracks().forEach((t) => pc.addTrack(t, stream));
              pc.onconnectionstatechange = () => {
                log('connectionState ' + pc.connectionState);
                if (pc.connectionState === 'connected' || pc.connectionState === 'failed') {
                  window.parleyResult = {state: pc.connectionState};
                }
              };
              pc.oniceconnectionstatechange = () => log('iceConnectionState ' + pc.iceConnectionState);
              await pc.setLocalDescription(await pc.createOffer());
              const answer = await (await fetch('/offer', {method: 'POST', body: pc.localDescription.sdp})).text();
              await pc.setRemoteDescription({type: 'answer', sdp: answer});
              fetch('/stop').then(() => { window.parleyStop = true; });
            })().catch((e) => { window.parleyResult = {state: 'error', error: String(e)}; });
            </script>
            """;

    @Test
    void chromiumCompletesDtls12WithParleyAsServerAndItsOpusDecrypts() throws Exception {
        Call call = call(DtlsRole.SERVER, false);
        Far far = call.far();
        Files.writeString(Path.of("target/chromium-dtls-clienthello.txt"), far.clientHelloReport());
        assertThat(far.failure).as("DTLS failure").isNull();
        assertThat(far.connection).as("DTLS handshake with Chromium completed").isNotNull();
        // The certificate Chromium presented is the one its offer named (the session would have failed
        // otherwise; checked again here on the certificate itself).
        assertThat(call.offered().matches(far.connection.remoteCertificate())).isTrue();
        assertThat(far.connection.keys().profile()).isEqualTo(SrtpProfile.AEAD_AES_128_GCM);
        assertThat(far.clientHelloVersions).as("Chromium offered DTLS 1.3 and 1.2").contains(0xFEFC, 0xFEFD);
        assertThat(far.decrypted).as("Opus packets from Chromium that decrypted").isGreaterThanOrEqualTo(5);
        assertThat(far.wrongPayloadType).isZero();
        assertThat(far.srtpFailures).isZero();
    }

    /** RFC 5763 §5: when the certificate is not the one the SDP named, there are no keys and no media. */
    @Test
    void aFingerprintThatIsNotChromiumsFailsTheHandshake() throws Exception {
        Far far = call(DtlsRole.SERVER, true).far();
        assertThat(far.failure).isNotNull();
        assertThat(far.failure.reason()).isEqualTo(DtlsFailure.Reason.FINGERPRINT_MISMATCH);
        assertThat(far.connection).isNull();
        assertThat(far.decrypted).isZero();
    }

    /**
     * The other role: Parley answers {@code a=setup:active} and is the DTLS client, Chromium (BoringSSL) the
     * server. Parley starts its handshake once Chromium's connectivity check has shown its address.
     */
    @Test
    void chromiumAsDtlsServerAcceptsParleysClientHello() throws Exception {
        Call call = call(DtlsRole.CLIENT, false);
        Far far = call.far();
        assertThat(far.failure).as("DTLS failure").isNull();
        assertThat(far.connection).as("DTLS handshake with Chromium as server completed").isNotNull();
        assertThat(call.offered().matches(far.connection.remoteCertificate())).isTrue();
        assertThat(far.decrypted).as("Opus packets from Chromium that decrypted").isGreaterThanOrEqualTo(5);
        assertThat(far.srtpFailures).isZero();
    }

    private record Call(Far far, DtlsFingerprint offered) {
    }

    /**
     * One call from Chromium with Parley in {@code role}; with {@code wrongFingerprint}, the session expects
     * another certificate's fingerprint than Chromium's.
     */
    private Call call(DtlsRole role, boolean wrongFingerprint) throws Exception {
        DtlsCertificate certificate = DtlsCertificate.generate();
        String ufrag = ChromiumPage.token(8);
        String pwd = ChromiumPage.token(24);
        List<AutoCloseable> cleanup = new ArrayList<>();
        try (DatagramSocket udp = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
                ChromiumPage page = ChromiumPage.open(PAGE,
                        sdp -> answer(sdp, udp.getLocalPort(), ufrag, pwd, certificate, role),
                        Path.of("target/chromium-dtls.log"), null, 40)) {
            udp.setSoTimeout(100);
            String offered = page.offer(Duration.ofSeconds(40));
            DtlsFingerprint chromiumFingerprint = DtlsFingerprint.parse(group(FINGERPRINT, offered)).orElseThrow();
            int opus = Integer.parseInt(group(OPUS, offered));

            Far far = new Far(udp, StunKey.shortTerm(pwd), ufrag);
            DtlsFingerprint expected = wrongFingerprint ? DtlsCertificate.generate().fingerprint()
                    : chromiumFingerprint;
            far.starter = () -> {
                DtlsSrtpSession session = DtlsSrtpSession.start(role, certificate, List.of(expected),
                        DtlsSettings.defaults(), far, Runnable::run);
                cleanup.add(session::close);
                return session;
            };
            if (role == DtlsRole.SERVER) {
                far.session = far.starter.get(); // waits for Chromium's ClientHello
            }
            far.run(opus, System.nanoTime() + TimeUnit.SECONDS.toNanos(40));
            return new Call(far, chromiumFingerprint);
        } finally {
            for (int i = cleanup.size() - 1; i >= 0; i--) {
                cleanup.get(i).close();
            }
        }
    }

    /** The far end on one UDP socket: STUN answers (ICE-lite), DTLS into the session, SRTP out of it. */
    private static final class Far implements DtlsSrtpSession.Listener {
        private final DatagramSocket udp;
        private final StunKey key;
        private final String ufrag;
        private volatile InetSocketAddress peer;
        Supplier<DtlsSrtpSession> starter;
        DtlsSrtpSession session;
        private volatile boolean serverSpoke;
        volatile DtlsConnection connection;
        volatile DtlsFailure failure;
        int decrypted;
        int wrongPayloadType;
        int srtpFailures;
        int clientHelloDatagrams;
        int clientHelloRecords;
        int clientHelloOctets;
        final List<Integer> clientHelloDatagramSizes = new ArrayList<>();
        final List<DtlsRecords.Fragment> clientHelloFragments = new ArrayList<>();
        List<Integer> clientHelloVersions = List.of();
        DtlsRecords.Offer clientHelloOffer;

        Far(DatagramSocket udp, StunKey key, String ufrag) {
            this.udp = udp;
            this.key = key;
            this.ufrag = ufrag;
        }

        @Override
        public void onSend(byte[] datagram) {
            serverSpoke = true;
            InetSocketAddress to = peer;
            if (to != null) {
                try {
                    udp.send(new DatagramPacket(datagram, datagram.length, to));
                } catch (IOException e) {
                    // the test's socket closed: the assertions report what was reached
                }
            }
        }

        @Override
        public void onConnected(DtlsConnection established) {
            connection = established;
        }

        @Override
        public void onFailed(DtlsFailure failed) {
            failure = failed;
        }

        void run(int opus, long deadline) throws IOException {
            byte[] buffer = new byte[2048];
            DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
            StunMessage stun = new StunMessage();
            SrtpReceiver receiver = null;
            while (System.nanoTime() < deadline && failure == null && decrypted < 5) {
                try {
                    packet.setData(buffer);
                    udp.receive(packet);
                } catch (SocketTimeoutException e) {
                    continue;
                }
                // Only the loopback: a pair from another local interface is never answered.
                if (!packet.getAddress().isLoopbackAddress()) {
                    continue;
                }
                int length = packet.getLength();
                switch (PacketKind.of(buffer, 0, length)) {
                    case STUN -> answerStun(stun, buffer, length, (InetSocketAddress) packet.getSocketAddress());
                    case DTLS -> {
                        if (!serverSpoke) {
                            noteClientHello(buffer, length);
                        }
                        if (session != null) {
                            session.receive(buffer, 0, length);
                        }
                    }
                    case RTP -> {
                        DtlsConnection ready = connection;
                        if (ready == null) {
                            continue;
                        }
                        if (receiver == null) {
                            receiver = ready.keys().newReceiver();
                        }
                        PacketBuffer srtp = PacketBuffer.copyOf(java.util.Arrays.copyOf(buffer, length), 0);
                        if (receiver.unprotectRtp(srtp) == SrtpStatus.OK) {
                            RtpPacket rtp = new RtpPacket();
                            rtp.wrap(srtp);
                            if (rtp.payloadType() == opus) {
                                decrypted++;
                            } else {
                                wrongPayloadType++;
                            }
                        } else {
                            srtpFailures++;
                        }
                    }
                    default -> { }
                }
            }
        }

        /**
         * Test scaffolding until the ICE-lite agent lands: RFC 8445 §7.3 answer to a Binding request whose USERNAME
         * starts with our ufrag and whose MESSAGE-INTEGRITY verifies with our password.
         */
        private void answerStun(StunMessage stun, byte[] buffer, int length, InetSocketAddress from)
                throws IOException {
            if (stun.wrap(buffer, 0, length) != StunStatus.OK || !stun.isBindingRequest()
                    || !stun.hasUsername() || !stun.username().startsWith(ufrag + ":")
                    || !key.verify(stun).ok()) {
                return;
            }
            PacketBuffer out = new PacketBuffer(512);
            StunWriter writer = new StunWriter().beginResponse(out, stun, StunClass.SUCCESS_RESPONSE)
                    .xorMappedAddress(TransportAddress.of(from.getAddress().getAddress(), from.getPort()))
                    .messageIntegrity(key)
                    .fingerprint();
            if (writer.finish(out)) {
                udp.send(new DatagramPacket(out.array(), out.offset(), out.length(), from));
                peer = from;
                if (session == null) {
                    session = starter.get(); // Parley as DTLS client: the ClientHello goes to the checked address
                }
            }
        }

        private void noteClientHello(byte[] buffer, int length) {
            int[] records = new int[1];
            List<DtlsRecords.Fragment> fragments = DtlsRecords.handshakeFragments(buffer, length, records);
            clientHelloDatagrams++;
            clientHelloRecords += records[0];
            clientHelloOctets += length;
            clientHelloDatagramSizes.add(length);
            clientHelloFragments.addAll(fragments);
            byte[] hello = DtlsRecords.reassemble(clientHelloFragments, 1, 0);
            if (hello != null && clientHelloOffer == null) {
                clientHelloOffer = DtlsRecords.readClientHello(hello);
                clientHelloVersions = clientHelloOffer.supportedVersions();
            }
        }

        String clientHelloReport() {
            StringBuilder text = new StringBuilder();
            text.append("Chromium's first flight before Parley answered (retransmissions included):\n");
            text.append("datagrams ").append(clientHelloDatagrams).append(", records ").append(clientHelloRecords)
                    .append(", octets ").append(clientHelloOctets).append(", datagram sizes ")
                    .append(clientHelloDatagramSizes).append('\n');
            text.append("handshake fragments (record version, type, message_seq, length, offset, fragment):\n");
            for (DtlsRecords.Fragment f : clientHelloFragments) {
                text.append(String.format("  %04x %d %d %d %d %d%n", f.recordVersion(), f.handshakeType(),
                        f.messageSeq(), f.length(), f.fragmentOffset(), f.fragment().length));
            }
            if (clientHelloOffer != null) {
                text.append("supported_versions ").append(hex(clientHelloOffer.supportedVersions()))
                        .append("\nkey_share groups ").append(hex(clientHelloOffer.keyShareGroups()))
                        .append("\nuse_srtp profiles ").append(hex(clientHelloOffer.srtpProfiles())).append('\n');
            }
            if (connection != null) {
                text.append("negotiated ").append(connection).append('\n');
            }
            return text.toString();
        }

        private static String hex(List<Integer> values) {
            return values.stream().map(v -> String.format("0x%04x", v)).toList().toString();
        }
    }

    /** Parley's answer: ICE-lite, one host candidate, Parley's fingerprint, setup:passive (server) or active. */
    private static String answer(String offer, int port, String ufrag, String pwd, DtlsCertificate certificate,
            DtlsRole role) {
        String mid = group(MID, offer);
        String opus = group(OPUS, offer);
        return String.join("\r\n",
                "v=0",
                "o=- 4611731400430051336 2 IN IP4 127.0.0.1",
                "s=-",
                "t=0 0",
                "a=group:BUNDLE " + mid,
                "a=ice-lite",
                "m=audio " + port + " UDP/TLS/RTP/SAVPF " + opus,
                "c=IN IP4 127.0.0.1",
                "a=mid:" + mid,
                "a=rtcp-mux",
                "a=recvonly",
                "a=ice-ufrag:" + ufrag,
                "a=ice-pwd:" + pwd,
                "a=fingerprint:" + certificate.fingerprint().toSdpValue(),
                "a=setup:" + (role == DtlsRole.SERVER ? "passive" : "active"),
                "a=rtpmap:" + opus + " opus/48000/2",
                "a=candidate:1 1 udp 2130706431 127.0.0.1 " + port + " typ host",
                "a=end-of-candidates",
                "");
    }

    private static String group(Pattern pattern, String text) {
        return ChromiumPage.group(pattern, text);
    }
}
