package dev.parley.media;

import static dev.parley.media.Packets.payload;
import static dev.parley.media.Packets.rtp;
import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.mediaapi.Direction;
import dev.parley.mediaapi.LocalMedia;
import dev.parley.mediaapi.MediaEvent;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * The relay's receive path over real UDP on 127.0.0.1: a native socket reads every datagram into its loop's one
 * reused buffer ({@code relay.ReceiveBuffer}), so no datagram may carry another's octets, and one longer than the
 * relay takes is dropped whole, never relayed cut short. Latching is unchanged by it (RelayIT has the rest).
 */
class ReceivePathIT extends MediaTestSupport {
    /** The largest datagram relayed (Workspace.MAX_DATAGRAM): 12-octet header + payload. */
    private static final int LARGEST = 4032;

    private static byte[] packet(int totalLength, int sequence, int seed) {
        return rtp(0, sequence, 160L * sequence, 0xA1A1, Packets.bytes(totalLength - 12, seed));
    }

    @Test
    void aBurstOfDatagramsOfMixedSizesIsRelayedWholeAndInOrder() {
        NettyMediaService media = start(settings());
        Peer alice = peer();
        Peer bob = peer();
        Legs legs = bridged(media, plain(alice.address(), Direction.SENDRECV, PCMU),
                plain(bob.address(), Direction.SENDRECV, PCMU));
        // Large after small and small after large, sent back to back so that the loop reads several per wake-up;
        // 2049 and up were cut to 2048 octets by Netty's default receive buffer.
        int[] sizes = {LARGEST, 13, 172, 3000, 2049, 600, 2048, 182};
        int count = 48;
        for (int i = 0; i < count; i++) {
            alice.send(packet(sizes[i % sizes.length], i + 1, i + 7), legs.a().rtp());
        }
        for (int i = 0; i < count; i++) {
            byte[] atBob = bob.receive();
            int size = sizes[i % sizes.length];
            assertThat(atBob).as("packet %d", i).hasSize(size);
            assertThat(payload(atBob)).as("packet %d's payload", i).isEqualTo(Packets.bytes(size - 12, i + 7));
        }
        assertThat(media.stats(legs.a().id()).packetsDropped()).isZero();
    }

    @Test
    void aDatagramLongerThanTheRelayTakesIsDroppedWholeNotRelayedCutShort() {
        NettyMediaService media = start(settings());
        Peer alice = peer();
        Peer bob = peer();
        Legs legs = bridged(media, plain(alice.address(), Direction.SENDRECV, PCMU),
                plain(bob.address(), Direction.SENDRECV, PCMU));
        alice.send(packet(LARGEST + 1, 1, 1), legs.a().rtp());
        alice.send(packet(9000, 2, 2), legs.a().rtp());
        alice.send(packet(172, 3, 3), legs.a().rtp());

        byte[] atBob = bob.receive();
        assertThat(atBob).as("the first relayed is the 172-octet packet").hasSize(172);
        assertThat(payload(atBob)).isEqualTo(Packets.bytes(160, 3));
        assertThat(bob.receiveWithin(300)).isEmpty();
        assertThat(media.stats(legs.a().id()).packetsDropped()).isEqualTo(2);
        assertThat(media.stats(legs.a().id()).packetsReceived()).isEqualTo(3);
    }

    @Test
    void aStrangersLargeDatagramLeavesNothingInTheNextPacketFromTheLatchedSource() throws Exception {
        // Unconnected, so that the stranger's datagram reaches the socket's buffer (connected, the kernel refuses it)
        NettyMediaService media = start(settings().withRelatchAfterSilence(Duration.ofMinutes(1))
                .withConnectedLatchedSockets(false));
        Peer alice = peer();
        Peer stranger = peer();
        Peer bob = peer();
        Legs legs = bridged(media, plain(alice.address(), Direction.SENDRECV, PCMU),
                plain(bob.address(), Direction.SENDRECV, PCMU));
        LocalMedia a = legs.a();
        alice.send(packet(172, 1, 1), a.rtp());
        assertThat(payload(bob.receive())).isEqualTo(Packets.bytes(160, 1));

        stranger.send(packet(3000, 2, 66), a.rtp());
        alice.send(packet(40, 3, 3), a.rtp());
        byte[] atBob = bob.receive();
        assertThat(atBob).as("the stranger's datagram was not relayed, nor any of its octets").hasSize(40);
        assertThat(payload(atBob)).isEqualTo(Packets.bytes(28, 3));
        assertThat(media.stats(a.id()).packetsDropped()).isEqualTo(1);
        assertThat(media.stats(a.id()).latchedSource()).isEqualTo(alice.address());
        assertThat(stranger.receiveWithin(200)).isEmpty();
    }

    @Test
    void anotherSourceLatchesOnlyAfterTheLatchedOneFellSilent() throws Exception {
        NettyMediaService media = start(settings().withRelatchAfterSilence(Duration.ofMillis(300)));
        Peer first = peer();
        Peer second = peer();
        Peer bob = peer();
        Legs legs = bridged(media, plain(first.address(), Direction.SENDRECV, PCMU),
                plain(bob.address(), Direction.SENDRECV, PCMU));
        LocalMedia a = legs.a();
        first.send(packet(LARGEST, 1, 1), a.rtp());
        assertThat(bob.receive()).hasSize(LARGEST);

        Thread.sleep(600);
        second.send(packet(100, 2, 2), a.rtp());
        byte[] atBob = bob.receive();
        assertThat(atBob).hasSize(100);
        assertThat(payload(atBob)).isEqualTo(Packets.bytes(88, 2));
        MediaEvent event = nextEvent(Duration.ofSeconds(5));
        while (!(event instanceof MediaEvent.SourceLatched latched) || !latched.source().equals(second.address())) {
            event = nextEvent(Duration.ofSeconds(5));
        }
        bob.send(rtp(0, 1, 160, 0xB0B0, Packets.bytes(160, 9)), legs.b().rtp());
        assertThat(payload(second.receive())).isEqualTo(Packets.bytes(160, 9));
        assertThat(first.receiveWithin(200)).isEmpty();
    }
}
