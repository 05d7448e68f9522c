package dev.parley.rtp.dtls;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.rtp.PacketBuffer;
import dev.parley.rtp.RtpPacket;
import dev.parley.rtp.srtp.SrtpProfile;
import dev.parley.rtp.srtp.SrtpReceiver;
import dev.parley.rtp.srtp.SrtpSender;
import dev.parley.rtp.srtp.SrtpStatus;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Two DTLS-SRTP sessions wired back to back in memory (Bouncy Castle server against Bouncy Castle client, Parley
 * in each role): RFC 5764 key export, RFC 5763 fingerprint checks, use_srtp negotiation, close_notify.
 */
class DtlsSrtpSessionTest {
    private static final DtlsCertificate ALICE = DtlsCertificate.generate();
    private static final DtlsCertificate BOB = DtlsCertificate.generate();
    private static final Executor DIRECT = Runnable::run;

    /** A wired pair: the server is ALICE, the client is BOB unless told otherwise. */
    private record Pair(DtlsSrtpSession server, RecordingListener serverEvents, DtlsSrtpSession client,
            RecordingListener clientEvents) {
        void close() {
            server.close();
            client.close();
        }
    }

    private static Pair pair(DtlsSettings serverSettings, DtlsSettings clientSettings,
            List<DtlsFingerprint> serverExpects, List<DtlsFingerprint> clientExpects,
            Predicate<byte[]> serverToClientDrop) {
        RecordingListener serverEvents = new RecordingListener();
        RecordingListener clientEvents = new RecordingListener();
        Wire toClient = new Wire(serverToClientDrop);
        Wire toServer = new Wire();
        serverEvents.wire(toClient::send);
        clientEvents.wire(toServer::send);
        DtlsSrtpSession server = DtlsSrtpSession.start(DtlsRole.SERVER, ALICE, serverExpects, serverSettings,
                serverEvents, DIRECT);
        toServer.connect(server);
        DtlsSrtpSession client = DtlsSrtpSession.start(DtlsRole.CLIENT, BOB, clientExpects, clientSettings,
                clientEvents, DIRECT);
        toClient.connect(client);
        return new Pair(server, serverEvents, client, clientEvents);
    }

    private static Pair pair(DtlsSettings serverSettings, DtlsSettings clientSettings) {
        return pair(serverSettings, clientSettings, List.of(BOB.fingerprint()), List.of(ALICE.fingerprint()),
                datagram -> false);
    }

    private static byte[] rtp(int seq) {
        byte[] packet = new byte[12 + 160];
        RtpPacket.writeHeader(packet, 0, false, 111, seq, seq * 960, 0x5EED_1234);
        for (int i = 12; i < packet.length; i++) {
            packet[i] = (byte) (i * 31 + seq);
        }
        return packet;
    }

    /** An RTP packet protected by {@code sender} must authenticate and decrypt to itself at {@code receiver}. */
    private static void assertSrtpFlows(SrtpSender sender, SrtpReceiver receiver) {
        for (int seq = 1; seq <= 3; seq++) {
            byte[] plain = rtp(seq);
            PacketBuffer buffer = PacketBuffer.copyOf(plain, 32);
            assertThat(sender.protectRtp(buffer)).isEqualTo(SrtpStatus.OK);
            assertThat(buffer.toByteArray()).isNotEqualTo(plain);
            assertThat(receiver.unprotectRtp(buffer)).isEqualTo(SrtpStatus.OK);
            assertThat(buffer.toByteArray()).isEqualTo(plain);
        }
    }

    @ParameterizedTest
    @EnumSource(SrtpProfile.class)
    void rfc5764KeysMatchAcrossRolesAndSrtpFlowsBothWays(SrtpProfile profile) throws Exception {
        DtlsSettings settings = DtlsSettings.defaults().withProfiles(List.of(profile));
        Pair pair = pair(settings, settings);
        try {
            DtlsConnection server = pair.serverEvents().awaitConnected();
            DtlsConnection client = pair.clientEvents().awaitConnected();

            assertThat(server.keys().profile()).isEqualTo(profile);
            assertThat(client.keys().profile()).isEqualTo(profile);
            // RFC 5764 §4.2: the client writes with the client key, which the server reads with.
            assertThat(client.keys().localMasterKey()).isEqualTo(server.keys().remoteMasterKey());
            assertThat(client.keys().localMasterSalt()).isEqualTo(server.keys().remoteMasterSalt());
            assertThat(server.keys().localMasterKey()).isEqualTo(client.keys().remoteMasterKey());
            assertThat(server.keys().localMasterSalt()).isEqualTo(client.keys().remoteMasterSalt());
            assertThat(client.keys().localMasterKey()).isNotEqualTo(client.keys().remoteMasterKey());
            assertThat(client.keys().localMasterKey()).hasSize(profile.masterKeyLength());
            assertThat(client.keys().localMasterSalt()).hasSize(profile.masterSaltLength());

            assertSrtpFlows(client.keys().newSender(), server.keys().newReceiver());
            assertSrtpFlows(server.keys().newSender(), client.keys().newReceiver());

            // Each side saw the other's real certificate.
            assertThat(server.remoteFingerprint()).isEqualTo(BOB.fingerprint());
            assertThat(client.remoteFingerprint()).isEqualTo(ALICE.fingerprint());
            assertThat(pair.server().state()).isEqualTo(DtlsSrtpSession.State.CONNECTED);
            assertThat(pair.client().state()).isEqualTo(DtlsSrtpSession.State.CONNECTED);
        } finally {
            pair.close();
        }
    }

    @Test
    void everyDatagramFitsTheMtu() throws Exception {
        Pair pair = pair(DtlsSettings.defaults(), DtlsSettings.defaults());
        try {
            pair.serverEvents().awaitConnected();
            pair.clientEvents().awaitConnected();
            assertThat(pair.serverEvents().sent).allSatisfy(d -> assertThat(d.length).isLessThanOrEqualTo(1200));
            assertThat(pair.clientEvents().sent).allSatisfy(d -> assertThat(d.length).isLessThanOrEqualTo(1200));
        } finally {
            pair.close();
        }
    }

    @Test
    void theServerPicksItsOwnFirstPreferenceAmongTheOffered() throws Exception {
        DtlsSettings server = DtlsSettings.defaults().withProfiles(
                List.of(SrtpProfile.AES_CM_128_HMAC_SHA1_32, SrtpProfile.AES_CM_128_HMAC_SHA1_80));
        DtlsSettings client = DtlsSettings.defaults().withProfiles(
                List.of(SrtpProfile.AES_CM_128_HMAC_SHA1_80, SrtpProfile.AES_CM_128_HMAC_SHA1_32));
        Pair pair = pair(server, client);
        try {
            assertThat(pair.clientEvents().awaitConnected().keys().profile())
                    .isEqualTo(SrtpProfile.AES_CM_128_HMAC_SHA1_32);
        } finally {
            pair.close();
        }
    }

    @Test
    void noCommonSrtpProfileMeansNoKeys() throws Exception {
        Pair pair = pair(DtlsSettings.defaults().withProfiles(List.of(SrtpProfile.AEAD_AES_128_GCM)),
                DtlsSettings.defaults().withProfiles(List.of(SrtpProfile.AES_CM_128_HMAC_SHA1_80)));
        try {
            assertThat(pair.serverEvents().awaitFailed().reason()).isEqualTo(DtlsFailure.Reason.NO_SRTP_PROFILE);
            assertThat(pair.clientEvents().awaitFailed().reason()).isEqualTo(DtlsFailure.Reason.ALERT_RECEIVED);
        } finally {
            pair.close();
        }
    }

    @Test
    void rfc5763ServerRefusesAClientCertificateThatIsNotTheOneInItsSdp() throws Exception {
        DtlsCertificate stranger = DtlsCertificate.generate();
        Pair pair = pair(DtlsSettings.defaults(), DtlsSettings.defaults(), List.of(stranger.fingerprint()),
                List.of(ALICE.fingerprint()), d -> false);
        try {
            DtlsFailure failure = pair.serverEvents().awaitFailed();
            assertThat(failure.reason()).isEqualTo(DtlsFailure.Reason.FINGERPRINT_MISMATCH);
            assertThat(failure.detail()).contains(BOB.fingerprint().toSdpValue());
            assertThat(pair.clientEvents().awaitFailed().reason()).isEqualTo(DtlsFailure.Reason.ALERT_RECEIVED);
            assertThat(pair.serverEvents().connected).isNotDone();
            assertThat(pair.clientEvents().connected).isNotDone();
            assertThat(pair.server().state()).isEqualTo(DtlsSrtpSession.State.FAILED);
        } finally {
            pair.close();
        }
    }

    @Test
    void rfc5763ClientRefusesAServerCertificateThatIsNotTheOneInItsSdp() throws Exception {
        DtlsCertificate stranger = DtlsCertificate.generate();
        Pair pair = pair(DtlsSettings.defaults(), DtlsSettings.defaults(), List.of(BOB.fingerprint()),
                List.of(stranger.fingerprint()), d -> false);
        try {
            assertThat(pair.clientEvents().awaitFailed().reason())
                    .isEqualTo(DtlsFailure.Reason.FINGERPRINT_MISMATCH);
            assertThat(pair.serverEvents().awaitFailed().reason()).isEqualTo(DtlsFailure.Reason.ALERT_RECEIVED);
            assertThat(pair.serverEvents().connected).isNotDone();
        } finally {
            pair.close();
        }
    }

    @Test
    void anyOfSeveralFingerprintsWithAnotherHashFunctionMatches() throws Exception {
        DtlsFingerprint sha1 = DtlsFingerprint.of("sha-1", BOB.der());
        DtlsFingerprint wrong = DtlsCertificate.generate().fingerprint();
        Pair pair = pair(DtlsSettings.defaults(), DtlsSettings.defaults(), List.of(wrong, sha1),
                List.of(ALICE.fingerprint()), d -> false);
        try {
            assertThat(pair.serverEvents().awaitConnected().remoteFingerprint()).isEqualTo(BOB.fingerprint());
        } finally {
            pair.close();
        }
    }

    @Test
    void rfc6347RetransmissionRecoversALostFlight() throws Exception {
        AtomicInteger dropped = new AtomicInteger();
        // Lose the whole first flight from the server (ServerHello..ServerHelloDone): the client resends its
        // ClientHello after its retransmission timer, and the server resends the flight.
        DtlsSettings fast = new DtlsSettings(DtlsSettings.defaults().profiles(), Duration.ofSeconds(20),
                Duration.ofMillis(100), 1200, 64);
        Pair pair = pair(fast, fast, List.of(BOB.fingerprint()), List.of(ALICE.fingerprint()),
                datagram -> datagram[0] == 22 && dropped.getAndIncrement() < 3);
        try {
            pair.serverEvents().awaitConnected();
            pair.clientEvents().awaitConnected();
            assertThat(dropped.get()).isGreaterThanOrEqualTo(3);
        } finally {
            pair.close();
        }
    }

    @Test
    void garbageBeforeTheClientHelloIsIgnored() throws Exception {
        RecordingListener serverEvents = new RecordingListener();
        DtlsSrtpSession server = DtlsSrtpSession.start(DtlsRole.SERVER, ALICE, List.of(BOB.fingerprint()),
                DtlsSettings.defaults(), serverEvents, DIRECT);
        Random random = new Random(7);
        for (int i = 0; i < 20; i++) {
            byte[] junk = new byte[random.nextInt(200)];
            random.nextBytes(junk);
            if (junk.length > 0) {
                junk[0] = (byte) (20 + random.nextInt(44)); // looks like DTLS by RFC 7983's first octet
            }
            server.receive(junk, 0, junk.length);
        }
        // A record header that claims more than the datagram holds, and one of epoch 1 before any keys.
        byte[] truncated = HexFormat.of().parseHex("16fefd000000000000000000ff0100");
        server.receive(truncated, 0, truncated.length);
        RecordingListener clientEvents = new RecordingListener();
        Wire toClient = new Wire();
        serverEvents.wire(toClient::send);
        clientEvents.wire(datagram -> server.receive(datagram, 0, datagram.length));
        DtlsSrtpSession client = DtlsSrtpSession.start(DtlsRole.CLIENT, BOB, List.of(ALICE.fingerprint()),
                DtlsSettings.defaults(), clientEvents, DIRECT);
        toClient.connect(client);
        try {
            assertThat(serverEvents.awaitConnected().keys()).isNotNull();
            assertThat(clientEvents.awaitConnected().keys()).isNotNull();
        } finally {
            server.close();
            client.close();
        }
    }

    @Test
    void closeSendsCloseNotifyAndThePeerSeesItClosed() throws Exception {
        Pair pair = pair(DtlsSettings.defaults(), DtlsSettings.defaults());
        pair.serverEvents().awaitConnected();
        pair.clientEvents().awaitConnected();
        pair.client().close();
        pair.serverEvents().closed.get(10, TimeUnit.SECONDS);
        assertThat(pair.server().state()).isEqualTo(DtlsSrtpSession.State.CLOSED);
        assertThat(pair.serverEvents().failed).isNotDone();
        byte[] late = rtp(1);
        assertThat(pair.server().receive(late, 0, late.length)).isFalse();
        pair.server().close();
    }

    @Test
    void aSilentPeerEndsInTimeout() throws Exception {
        RecordingListener events = new RecordingListener();
        DtlsSrtpSession client = DtlsSrtpSession.start(DtlsRole.CLIENT, BOB, List.of(ALICE.fingerprint()),
                DtlsSettings.defaults().withHandshakeTimeout(Duration.ofMillis(300)), events, DIRECT);
        try {
            assertThat(events.awaitFailed().reason()).isEqualTo(DtlsFailure.Reason.TIMEOUT);
            assertThat(events.sent).isNotEmpty(); // it did send its ClientHello
        } finally {
            client.close();
        }
    }

    @Test
    void keysNeverAppearInText() throws Exception {
        Pair pair = pair(DtlsSettings.defaults(), DtlsSettings.defaults());
        try {
            DtlsConnection connection = pair.serverEvents().awaitConnected();
            String text = connection + " " + connection.keys();
            for (byte[] secret : List.of(connection.keys().localMasterKey(), connection.keys().remoteMasterKey(),
                    connection.keys().localMasterSalt())) {
                assertThat(text.toLowerCase()).doesNotContain(HexFormat.of().formatHex(secret));
            }
            assertThat(text).contains("redacted");
        } finally {
            pair.close();
        }
    }
}
