package dev.parley.media;

import static dev.parley.media.Packets.rtp;
import static dev.parley.media.Packets.u32;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.parley.mediaapi.Direction;
import dev.parley.mediaapi.EndpointParameters;
import dev.parley.mediaapi.EndpointRequest;
import dev.parley.mediaapi.LocalMedia;
import dev.parley.mediaapi.MediaEvent;
import dev.parley.mediaapi.MediaUnavailableException;
import dev.parley.mediaapi.Protection;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Lifecycle, ports, RTCP and timeouts of the media service over real sockets on 127.0.0.1. */
class MediaServiceIT extends MediaTestSupport {

    @Test
    void sendsSenderReportsWithCnameAndAReportBlockForWhatItReceives() {
        NettyMediaService media = start(settings().withRtcpInterval(Duration.ofMillis(200)));
        Peer alice = peer();
        Peer aliceRtcp = peer();
        Peer bob = peer();
        Legs legs = bridged(media, new EndpointParameters(alice.address(), aliceRtcp.address(), false,
                List.of(PCMU), Direction.SENDRECV, Protection.none(),
                Protection.none()),
                plain(bob.address(), Direction.SENDRECV, PCMU));
        LocalMedia a = legs.a();
        LocalMedia b = legs.b();

        for (int i = 0; i < 10; i++) {
            bob.send(rtp(0, i, 160L * i, 0xB0B, Packets.bytes(160, i)), b.rtp());
            alice.send(rtp(0, 50 + i * 2, 160L * i, 0xA11CE, Packets.bytes(160, i)), a.rtp());
        }
        long relayedSsrc = 0;
        for (int i = 0; i < 10; i++) {
            relayedSsrc = Packets.ssrc(alice.receive());
        }
        // Reports describe what was sent and received: wait for one that covers all ten packets each way.
        byte[] sr;
        do {
            sr = aliceRtcp.receiveRtcp();
        } while ((sr[1] & 0xFF) != 200 || u32(sr, 20) < 10);
        assertThat(sr[0] & 0x1F).as("one report block").isEqualTo(1);
        assertThat(u32(sr, 4)).as("SR's SSRC is the RTP stream's").isEqualTo(relayedSsrc);
        assertThat(u32(sr, 8)).as("NTP seconds after 2020").isGreaterThan(3_786_825_600L);
        assertThat(u32(sr, 20)).as("packet count").isEqualTo(10);
        assertThat(u32(sr, 24)).as("octet count").isEqualTo(1600);
        assertThat(u32(sr, 28)).as("reports on Alice's stream").isEqualTo(0xA11CE);
        assertThat(u32(sr, 32) & 0xFFFFFF).as("cumulative lost: every other sequence number").isEqualTo(9);
        assertThat(u32(sr, 36) & 0xFFFF).as("extended highest sequence").isEqualTo(68);
        int sdes = 28 + 24;
        assertThat(sr[sdes + 1] & 0xFF).isEqualTo(202);
        assertThat(u32(sr, sdes + 4)).isEqualTo(relayedSsrc);
        assertThat(sr[sdes + 8]).as("CNAME item").isEqualTo((byte) 1);
        String cname = new String(sr, sdes + 10, sr[sdes + 9], StandardCharsets.US_ASCII);
        assertThat(cname).hasSize(16);
        assertThat(media.stats(a.id()).packetsSent()).isGreaterThanOrEqualTo(11);
    }

    @Test
    void raisesMediaTimeoutOnceForABridgedPeerThatShouldSendButIsSilent() throws Exception {
        NettyMediaService media = start(settings().withMediaTimeout(Duration.ofMillis(300)));
        Peer alice = peer();
        Peer bob = peer();
        LocalMedia a = open(media, "alice");
        LocalMedia b = open(media, "bob");
        LocalMedia idle = open(media, "not bridged");
        configure(media, a, plain(alice.address(), Direction.SENDRECV, PCMU));
        configure(media, b, plain(bob.address(), Direction.SENDONLY, PCMU));
        configure(media, idle, plain(bob.address(), Direction.SENDRECV, PCMU));
        media.bridged(a.id(), b.id()).join();

        MediaEvent event = nextEvent(Duration.ofSeconds(10));
        assertThat(event).isEqualTo(new MediaEvent.MediaTimeout(a.id()));
        // Bob is held (Parley only sends to him) and the third endpoint is not bridged: neither times out, and
        // Alice's timeout is not repeated.
        Thread.sleep(1000);
        assertThat(events).isEmpty();

        // Media that comes back re-arms the timeout.
        alice.send(rtp(0, 1, 160, 1, Packets.bytes(160, 1)), a.rtp());
        assertThat(nextEvent(Duration.ofSeconds(10))).isEqualTo(new MediaEvent.MediaTimeout(a.id()));
    }

    @Test
    void runsOutOfPortsWithMediaUnavailableAndGetsThemBackOnClose() throws Exception {
        NettyMediaService media = start(settings());
        List<LocalMedia> open = new ArrayList<>();
        while (true) {
            try {
                open.add(open(media, "leg " + open.size()));
            } catch (CompletionException e) {
                assertThat(e.getCause()).isInstanceOf(MediaUnavailableException.class)
                        .hasMessageContaining("no free media port pair");
                break;
            }
        }
        // 25 pairs in the slice; ports another process happens to hold (ephemeral ports) are skipped.
        assertThat(open).hasSizeGreaterThan(15);
        int freeButBusy = media.freePortPairs();
        for (LocalMedia leg : open) {
            assertThat(leg.rtp().getPort() % 2).isZero();
            assertThat(leg.rtcp().getPort()).isEqualTo(leg.rtp().getPort() + 1);
        }

        LocalMedia first = open.getFirst();
        media.close(first.id());
        media.close(first.id());
        await().atMost(10, TimeUnit.SECONDS).until(() -> media.freePortPairs() == freeButBusy + 1);
        assertThat(media.stats(first.id())).isNull();
        // The port is really free: the next open binds a pair again.
        assertThat(open(media, "again").rtp().getPort() % 2).isZero();
    }

    @Test
    void closesWithinATickOfItsLoopThoughNothingElseWakesIt() {
        // A close is queued lazily (no eventfd write to an idle loop); the loop's slice tick (10-20 ms) bounds the
        // wait. Nothing else here wakes the loop: no datagram, no other command, no cache sweep within the second.
        NettyMediaService media = start(settings().withEventLoops(1));
        LocalMedia leg = open(media, "leg");
        int free = media.freePortPairs();
        media.close(leg.id());
        await().atMost(1, TimeUnit.SECONDS).pollInterval(5, TimeUnit.MILLISECONDS)
                .until(() -> media.stats(leg.id()) == null);
        assertThat(media.freePortPairs()).isEqualTo(free + 1);
    }

    @Test
    void capsTheNumberOfEndpoints() {
        NettyMediaService media = start(settings().withMaxEndpoints(2));
        open(media, "one");
        open(media, "two");
        assertThatThrownBy(() -> open(media, "three")).hasCauseInstanceOf(MediaUnavailableException.class)
                .hasMessageContaining("maximum of 2");
    }

    @Test
    void skipsPortsThatAnotherProcessHolds() throws Exception {
        int base = 10000 + ThreadLocalRandom.current().nextInt(4990) * 2;
        try (DatagramSocket squatter = new DatagramSocket(
                new InetSocketAddress(InetAddress.getLoopbackAddress(), base + 1))) {
            NettyMediaService media = new NettyMediaService(settings().withPortRange(base, base + 7));
            cleanup.add(media);
            media.start();
            LocalMedia leg = open(media, "skips the busy pair");
            assertThat(leg.rtp().getPort()).as("the first pair's RTCP port is taken").isNotEqualTo(base)
                    .isBetween(base + 2, base + 6);
            assertThat(squatter.getLocalPort()).isEqualTo(base + 1);
        }
    }

    @Test
    void refusesToOpenWhenNotStarted() {
        NettyMediaService media = new NettyMediaService(settings());
        assertThatThrownBy(() -> media.open(new EndpointRequest("x")).toCompletableFuture().join())
                .hasCauseInstanceOf(MediaUnavailableException.class);
    }
}
