package dev.parley.media;

import static dev.parley.media.Packets.payload;
import static dev.parley.media.Packets.rtp;
import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.mediaapi.Direction;
import dev.parley.mediaapi.EndpointParameters;
import dev.parley.mediaapi.LocalMedia;
import dev.parley.mediaapi.MediaEvent;
import dev.parley.mediaapi.PayloadFormat;
import dev.parley.mediaapi.Protection;
import dev.parley.mediaapi.SrtpSuite;
import dev.parley.rtp.PacketBuffer;
import dev.parley.rtp.srtp.SrtpProfile;
import dev.parley.rtp.srtp.SrtpReceiver;
import dev.parley.rtp.srtp.SrtpSender;
import dev.parley.rtp.srtp.SrtpStatus;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * SDES-SRTP legs over real sockets: each peer protects with the key it announced and decrypts with the key Parley
 * announced to it; the relay re-protects per leg with independent keys. The peers' SRTP is parley-rtp's, which its
 * own tests check against RFC 3711/7714 vectors and jitsi-srtp.
 */
class SrtpIT extends MediaTestSupport {
    private static final SecureRandom RANDOM = new SecureRandom();

    /** One direction's key, as both sides of a leg know it after offer/answer. */
    record Key(SrtpSuite suite, byte[] key, byte[] salt) {
        static Key fresh(SrtpSuite suite) {
            byte[] key = new byte[suite.masterKeyLength()];
            byte[] salt = new byte[suite.masterSaltLength()];
            RANDOM.nextBytes(key);
            RANDOM.nextBytes(salt);
            return new Key(suite, key, salt);
        }

        Protection protection() {
            return new Protection.Sdes(suite, key, salt);
        }

        SrtpProfile profile() {
            return SrtpProfile.fromSdesName(suite.sdesName()).orElseThrow();
        }

        SrtpSender sender() {
            return new SrtpSender(profile(), key, salt);
        }

        SrtpReceiver receiver() {
            return new SrtpReceiver(profile(), key, salt);
        }
    }

    /** A peer's side of an SRTP leg: what it sends is protected with {@code peerSends}. */
    record SrtpPeer(Peer socket, SrtpSender sender, SrtpReceiver receiver) {
        /** Protects and sends; returns the datagram as it went on the wire. */
        byte[] send(byte[] plain, InetSocketAddress to) {
            PacketBuffer packet = PacketBuffer.copyOf(plain, 64);
            assertThat(sender.protectRtp(packet)).isEqualTo(SrtpStatus.OK);
            byte[] wire = packet.toByteArray();
            socket.send(wire, to);
            return wire;
        }

        byte[] receive() {
            PacketBuffer packet = PacketBuffer.copyOf(socket.receive(), 0);
            assertThat(receiver.unprotectRtp(packet)).as("decrypts with the key Parley announced")
                    .isEqualTo(SrtpStatus.OK);
            return packet.toByteArray();
        }
    }

    private static EndpointParameters srtp(InetSocketAddress remote, Key peerSends, Key parleySends,
            PayloadFormat... formats) {
        return new EndpointParameters(remote, null, false, List.of(formats), Direction.SENDRECV,
                peerSends.protection(), parleySends.protection());
    }

    @Test
    void relaysBetweenAnSrtpLegAndAPlainLegBothWays() {
        NettyMediaService media = start(settings());
        Key aliceSends = Key.fresh(SrtpSuite.AES_CM_128_HMAC_SHA1_80);
        Key parleySendsAlice = Key.fresh(SrtpSuite.AES_CM_128_HMAC_SHA1_80);
        SrtpPeer alice = new SrtpPeer(peer(), aliceSends.sender(), parleySendsAlice.receiver());
        Peer bob = peer();
        Legs legs = bridged(media, srtp(alice.socket().address(), aliceSends, parleySendsAlice, PCMU),
                plain(bob.address(), Direction.SENDRECV, PCMU));
        LocalMedia a = legs.a();
        LocalMedia b = legs.b();

        for (int i = 0; i < 5; i++) {
            alice.send(rtp(0, 10 + i, 160L * i, 0xA, Packets.bytes(160, i)), a.rtp());
            assertThat(payload(bob.receive())).isEqualTo(Packets.bytes(160, i));
            bob.send(rtp(0, 20 + i, 160L * i, 0xB, Packets.bytes(160, 100 + i)), b.rtp());
            assertThat(payload(alice.receive())).isEqualTo(Packets.bytes(160, 100 + i));
        }
        assertThat(media.stats(a.id()).srtpFailures()).isZero();
    }

    @Test
    void reEncryptsBetweenTwoSrtpLegsWithFourIndependentKeysAndDifferentSuites() {
        NettyMediaService media = start(settings());
        Key aliceSends = Key.fresh(SrtpSuite.AES_CM_128_HMAC_SHA1_80);
        Key parleySendsAlice = Key.fresh(SrtpSuite.AES_CM_128_HMAC_SHA1_80);
        Key bobSends = Key.fresh(SrtpSuite.AEAD_AES_128_GCM);
        Key parleySendsBob = Key.fresh(SrtpSuite.AEAD_AES_128_GCM);
        SrtpPeer alice = new SrtpPeer(peer(), aliceSends.sender(), parleySendsAlice.receiver());
        SrtpPeer bob = new SrtpPeer(peer(), bobSends.sender(), parleySendsBob.receiver());
        Legs legs = bridged(media, srtp(alice.socket().address(), aliceSends, parleySendsAlice, PCMU),
                srtp(bob.socket().address(), bobSends, parleySendsBob, PCMA));
        LocalMedia a = legs.a();
        LocalMedia b = legs.b();

        byte[] silence = new byte[160];
        Arrays.fill(silence, (byte) 0xFF);
        for (int i = 0; i < 5; i++) {
            alice.send(rtp(0, 100 + i, 160L * i, 0xA, silence), a.rtp());
            byte[] atBob = bob.receive();
            assertThat(Packets.payloadType(atBob)).as("μ-law converted to A-law inside SRTP").isEqualTo(8);
            assertThat(payload(atBob)).containsOnly((byte) 0xD5);
            bob.send(rtp(8, 7 + i, 160L * i, 0xB, Packets.bytes(160, i)), b.rtp());
            assertThat(Packets.payloadType(alice.receive())).isZero();
        }
    }

    @Test
    void dropsPacketsThatDoNotAuthenticateAndNeverLatchToTheirSource() throws Exception {
        // Unconnected: the forger's replay from another address reaches the latch and is counted there (a connected
        // socket would have the kernel refuse it uncounted; RelayIT)
        NettyMediaService media = start(settings().withRelatchAfterSilence(Duration.ofMinutes(1))
                .withConnectedLatchedSockets(false));
        Key aliceSends = Key.fresh(SrtpSuite.AES_CM_128_HMAC_SHA1_80);
        Key parleySendsAlice = Key.fresh(SrtpSuite.AES_CM_128_HMAC_SHA1_80);
        SrtpPeer alice = new SrtpPeer(peer(), aliceSends.sender(), parleySendsAlice.receiver());
        SrtpPeer forger = new SrtpPeer(peer(), Key.fresh(SrtpSuite.AES_CM_128_HMAC_SHA1_80).sender(),
                parleySendsAlice.receiver());
        Peer bob = peer();
        Legs legs = bridged(media, srtp(alice.socket().address(), aliceSends, parleySendsAlice, PCMU),
                plain(bob.address(), Direction.SENDRECV, PCMU));
        LocalMedia a = legs.a();
        LocalMedia b = legs.b();

        // The forger is first, from another address, with the right SSRC but the wrong key.
        forger.send(rtp(0, 1, 160, 0xA, Packets.bytes(160, 66)), a.rtp());
        alice.send(rtp(0, 1, 160, 0xA, Packets.bytes(160, 1)), a.rtp());
        assertThat(payload(bob.receive())).isEqualTo(Packets.bytes(160, 1));
        assertThat(media.stats(a.id()).srtpFailures()).isEqualTo(1);
        assertThat(media.stats(a.id()).latchedSource()).isEqualTo(alice.socket().address());

        // Replays of Alice's own packet: from the forger's address it is dropped unread (Alice is the live
        // source); from Alice's address it decrypts to a packet index already seen and is refused.
        byte[] wire = alice.send(rtp(0, 2, 320, 0xA, Packets.bytes(160, 2)), a.rtp());
        assertThat(payload(bob.receive())).isEqualTo(Packets.bytes(160, 2));
        forger.socket().send(wire, a.rtp());
        alice.socket().send(wire, a.rtp());
        alice.send(rtp(0, 3, 480, 0xA, Packets.bytes(160, 3)), a.rtp());
        assertThat(payload(bob.receive())).as("neither replay was relayed").isEqualTo(Packets.bytes(160, 3));
        assertThat(media.stats(a.id()).srtpFailures()).as("the forgery and the replay from Alice's address")
                .isEqualTo(2);
        assertThat(media.stats(a.id()).packetsDropped()).isEqualTo(3);
        assertThat(events.stream().filter(e -> e instanceof MediaEvent.SourceLatched)).isEmpty();
    }

    @Test
    void protectsItsRtcpReportsWithTheLegsKey() {
        NettyMediaService media = start(settings().withRtcpInterval(Duration.ofMillis(200)));
        Key aliceSends = Key.fresh(SrtpSuite.AES_CM_128_HMAC_SHA1_32);
        Key parleySendsAlice = Key.fresh(SrtpSuite.AES_CM_128_HMAC_SHA1_32);
        Peer rtpSocket = peer();
        SrtpPeer alice = new SrtpPeer(rtpSocket, aliceSends.sender(), parleySendsAlice.receiver());
        LocalMedia a = open(media, "alice");
        LocalMedia b = open(media, "bob");
        configure(media, a, new EndpointParameters(rtpSocket.address(), null, true, List.of(PCMU),
                Direction.SENDRECV, aliceSends.protection(), parleySendsAlice.protection()));
        media.bridged(a.id(), b.id()).join();
        alice.send(rtp(0, 1, 160, 0xA, Packets.bytes(160, 1)), a.rtp());

        // rtcp-mux: the report arrives on the RTP socket, as SRTCP.
        PacketBuffer report = PacketBuffer.copyOf(rtpSocket.receiveRtcp(), 0);
        assertThat(alice.receiver().unprotectRtcp(report)).isEqualTo(SrtpStatus.OK);
        byte[] plain = report.toByteArray();
        assertThat(plain[1] & 0xFF).as("an RR: Parley has sent nothing to Alice yet").isEqualTo(201);
        assertThat(Packets.u32(plain, 8)).as("report block about Alice's stream").isEqualTo(0xA);
    }
}
