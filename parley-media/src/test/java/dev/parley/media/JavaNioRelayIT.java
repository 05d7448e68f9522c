package dev.parley.media;

import static dev.parley.media.Packets.payload;
import static dev.parley.media.Packets.rtp;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.parley.mediaapi.Direction;
import dev.parley.mediaapi.LocalMedia;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * The relay on Java NIO (the transport where epoll does not load): its sockets stay Netty channels
 * ({@code relay.ChannelSocket}), sent to through the pipeline, moved between loops by deregistering and registering,
 * closed by the channel. Real UDP on 127.0.0.1.
 */
class JavaNioRelayIT extends MediaTestSupport {
    @Test
    void legsOpenedOnTwoLoopsAreBridgedRelayBothWaysAndGiveTheirPortsBack() {
        NettyMediaService media = start(settings().withPreferNative(false));
        assertThat(media.transport()).startsWith("Java NIO");
        int free = media.freePortPairs();
        Peer alice = peer();
        Peer bob = peer();
        LocalMedia a = open(media, "caller");
        LocalMedia b = open(media, "callee"); // no hint: the next loop in turn, so the bridge moves b
        assertThat(media.eventLoopOf(b.id()).join()).isNotSameAs(media.eventLoopOf(a.id()).join());
        configure(media, a, plain(alice.address(), Direction.SENDRECV, PCMU));
        configure(media, b, plain(bob.address(), Direction.SENDRECV, PCMU));
        media.bridged(a.id(), b.id()).join();
        assertThat(media.eventLoopOf(b.id()).join()).as("moved to a's loop")
                .isSameAs(media.eventLoopOf(a.id()).join());

        for (int i = 0; i < 5; i++) {
            byte[] voice = Packets.bytes(160, i);
            alice.send(rtp(0, i, 160 * i, 0x1111, voice), a.rtp());
            assertThat(payload(bob.receive())).isEqualTo(voice);
            byte[] back = Packets.bytes(160, 100 + i);
            bob.send(rtp(0, i, 160 * i, 0x2222, back), b.rtp());
            assertThat(payload(alice.receive())).isEqualTo(back);
        }
        assertThat(media.stats(a.id()).packetsDropped()).isZero();
        assertThat(media.stats(b.id()).packetsDropped()).isZero();

        media.close(a.id());
        media.close(b.id());
        // No idle pairs on NIO: both pairs are closed and free again.
        await().atMost(Duration.ofSeconds(5)).until(() -> media.freePortPairs() == free);
        assertThat(media.idlePortPairs()).isZero();
    }
}
