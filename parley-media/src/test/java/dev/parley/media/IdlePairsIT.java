package dev.parley.media;

import static dev.parley.media.Packets.payload;
import static dev.parley.media.Packets.rtp;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.parley.media.SrtpIT.Key;
import dev.parley.media.SrtpIT.SrtpPeer;
import dev.parley.mediaapi.Direction;
import dev.parley.mediaapi.EndpointParameters;
import dev.parley.mediaapi.EndpointRequest;
import dev.parley.mediaapi.LocalMedia;
import dev.parley.mediaapi.MediaEvent;
import dev.parley.mediaapi.SrtpSuite;
import dev.parley.rtp.PacketBuffer;
import dev.parley.rtp.srtp.SrtpStatus;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Closed endpoints' sockets kept bound for the next endpoint ({@code relay.IdlePairs}), over real sockets on
 * 127.0.0.1: nothing of the old call reaches the new one (datagrams queued while idle, the latch, the SRTP keys), a
 * pair is reused only after its quarantine, the cache keeps no more than its cap, and idle pairs count as free and
 * are closed at shutdown. One event loop, so that every endpoint lands on the cache that holds the closed pairs.
 */
class IdlePairsIT extends MediaTestSupport {
    private static final Duration QUARANTINE = Duration.ofMillis(300);

    private NettyMediaService start(int cap) {
        return start(cap, QUARANTINE);
    }

    private NettyMediaService start(int cap, Duration quarantine) {
        return start(settings().withEventLoops(1).withIdlePairs(cap, quarantine));
    }

    private static void rest() throws InterruptedException {
        rest(QUARANTINE);
    }

    private static void rest(Duration quarantine) throws InterruptedException {
        Thread.sleep(quarantine.toMillis() + 200);
    }

    private static void awaitIdle(NettyMediaService media, int pairs) {
        await().atMost(5, TimeUnit.SECONDS).until(() -> media.idlePortPairs() == pairs);
    }

    @Test
    void prebindFillsTheCacheAtStartAndTheFirstCallRelaysOnBoundPairsWithoutWaitingAQuarantine() throws Exception {
        // a quarantine far longer than the test: a pair bound ahead never carried a call and needs none
        NettyMediaService media = start(settings().withEventLoops(1).withIdlePairs(6, Duration.ofMinutes(1))
                .withPrebindIdlePairs(true));
        awaitIdle(media, 6);
        int free = media.freePortPairs();
        assertThat(free).as("the range (25 pairs) less nothing: idle pairs count as free").isEqualTo(25);
        Peer alice = peer();
        Peer bob = peer();
        Legs call = bridged(media, plain(alice.address(), Direction.SENDRECV, PCMU),
                plain(bob.address(), Direction.SENDRECV, PCMU));
        assertThat(media.reusedIdlePairs()).isEqualTo(2);
        assertThat(media.freshlyBoundPairs()).isZero();
        assertThat(media.idlePortPairs()).isEqualTo(4);
        alice.send(rtp(0, 1, 160, 0xA, Packets.bytes(160, 1)), call.a().rtp());
        assertThat(payload(bob.receive())).isEqualTo(Packets.bytes(160, 1));
        media.close(call.a().id());
        media.close(call.b().id());
        // the closed pairs rest behind the four bound ahead, and the cache keeps its cap
        awaitIdle(media, 6);
        assertThat(media.freePortPairs()).isEqualTo(free);
    }

    @Test
    void aReusedPairDeliversNothingSentToItBeforeItsReuseAndLatchesAfresh() throws Exception {
        NettyMediaService media = start(4);
        int free = media.freePortPairs();
        Peer alice = peer();
        Peer bob = peer();
        Legs old = bridged(media, plain(alice.address(), Direction.SENDRECV, PCMU),
                plain(bob.address(), Direction.SENDRECV, PCMU));
        alice.send(rtp(0, 1, 160, 0xA, Packets.bytes(160, 1)), old.a().rtp());
        assertThat(payload(bob.receive())).isEqualTo(Packets.bytes(160, 1));
        assertThat(media.stats(old.a().id()).latchedSource()).isEqualTo(alice.address());
        media.close(old.a().id());
        media.close(old.b().id());
        awaitIdle(media, 2);
        assertThat(media.freePortPairs()).as("an idle pair counts as free").isEqualTo(free);
        assertThat(media.freshlyBoundPairs()).isEqualTo(2);
        assertThat(media.reusedIdlePairs()).isZero();

        // The old call's peers go on sending to the idle pairs: RTP, and RTCP to the RTCP ports.
        for (int i = 0; i < 5; i++) {
            alice.send(rtp(0, 2 + i, 160L * (2 + i), 0xA, Packets.bytes(160, 50 + i)), old.a().rtp());
            bob.send(rtp(0, 2 + i, 160L * (2 + i), 0xB, Packets.bytes(160, 60 + i)), old.b().rtp());
        }
        alice.send(new byte[] {(byte) 0x80, (byte) 201, 0, 1, 0, 0, 0, 0xA}, old.a().rtcp());
        rest();

        Peer carol = peer();
        Peer dave = peer();
        // Carol's SDP names an address she does not send from: the new endpoint must latch her real source.
        InetSocketAddress carolInSdp = new InetSocketAddress(InetAddress.getLoopbackAddress(), 9);
        LocalMedia c = open(media, "carol");
        LocalMedia d = open(media, "dave");
        assertThat(List.of(c.rtp().getPort(), d.rtp().getPort())).as("the idle pairs, oldest first")
                .containsExactly(old.a().rtp().getPort(), old.b().rtp().getPort());
        assertThat(media.idlePortPairs()).isZero();
        assertThat(media.reusedIdlePairs()).isEqualTo(2);
        assertThat(media.freshlyBoundPairs()).isEqualTo(2);
        configure(media, c, plain(carolInSdp, Direction.SENDRECV, PCMU));
        configure(media, d, plain(dave.address(), Direction.SENDRECV, PCMU));
        media.bridged(c.id(), d.id()).join();

        carol.send(rtp(0, 500, 8000, 0xC, Packets.bytes(160, 7)), c.rtp());
        byte[] atDave = dave.receiveWithin(5000).orElseThrow(() -> new AssertionError("nothing reached Dave; "
                + media.stats(c.id()) + ", " + media.stats(d.id()) + ", events " + events));
        assertThat(payload(atDave)).as("Carol's packet, not one Alice sent while the pair was idle")
                .isEqualTo(Packets.bytes(160, 7));
        dave.send(rtp(0, 900, 16000, 0xD, Packets.bytes(160, 8)), d.rtp());
        assertThat(payload(carol.receive())).as("sent to Carol's source, not to the old call's Alice")
                .isEqualTo(Packets.bytes(160, 8));
        // Other programs' datagrams may land on a peer's ephemeral port (see Peer), so compare contents.
        assertThat(heardWithin(alice, 300)).as("the new call's media does not go to the old call's Alice")
                .noneMatch(b -> isRtpWith(b, Packets.bytes(160, 8)));
        assertThat(heardWithin(dave, 200)).as("none of what Alice and Bob sent to the idle pairs reached Dave")
                .noneMatch(b -> isRtpWith(b, Packets.bytes(160, 50)) || isRtpWith(b, Packets.bytes(160, 60)));

        assertThat(media.stats(c.id()).packetsReceived()).as("only Carol's packet was read").isEqualTo(1);
        assertThat(media.stats(d.id()).packetsReceived()).isEqualTo(1);
        assertThat(media.stats(c.id()).latchedSource()).isEqualTo(carol.address());
        assertThat(events).contains(new MediaEvent.SourceLatched(c.id(), carol.address()));
        // each of the three sockets sent to got at least one datagram, read and dropped while it rested
        assertThat(media.drainedFromIdlePairs()).as("what arrived while idle was drained")
                .isGreaterThanOrEqualTo(3);
    }

    @Test
    void anOpenOnARestedPairCompletesOnTheCallersThreadAndKeepsWhatArrivesBeforeItsLoopAttachesIt() throws Exception {
        NettyMediaService media = start(4);
        Peer alice = peer();
        Peer bob = peer();
        Legs old = bridged(media, plain(alice.address(), Direction.SENDRECV, PCMU),
                plain(bob.address(), Direction.SENDRECV, PCMU));
        media.close(old.a().id());
        media.close(old.b().id());
        awaitIdle(media, 2);
        // rested the quarantine, the loop sets them aside at a slice of its tick for opens on any thread
        await().atMost(5, TimeUnit.SECONDS).until(() -> media.readyPortPairs() == 2);
        alice.send(rtp(0, 2, 320, 0xA, Packets.bytes(160, 70)), old.a().rtp());
        Peer carol = peer();
        Peer dave = peer();

        CompletableFuture<LocalMedia> opening = media.open(new EndpointRequest("carol")).toCompletableFuture();
        assertThat(opening).as("completed on this thread: no task for the loop to run and answer").isDone();
        LocalMedia c = opening.join();
        CompletableFuture<LocalMedia> near = media.open(new EndpointRequest("dave", c.id())).toCompletableFuture();
        assertThat(near).as("near Carol's endpoint, on its loop's ready pairs").isDone();
        // Carol sends at once, before her endpoint has parameters: the loop, woken by her datagram, reads it before
        // it runs its queued tasks (the attach among them) and must hand it to her endpoint, which keeps it.
        carol.send(rtp(0, 500, 8000, 0xC, Packets.bytes(160, 7)), c.rtp());
        LocalMedia d = near.join();
        assertThat(List.of(c.rtp().getPort(), d.rtp().getPort())).as("the rested pairs, oldest first")
                .containsExactly(old.a().rtp().getPort(), old.b().rtp().getPort());
        assertThat(media.reusedIdlePairs()).isEqualTo(2);
        assertThat(media.openedOnReadyPairs()).isEqualTo(2);
        await().atMost(5, TimeUnit.SECONDS).until(() -> media.stats(c.id()).packetsReceived() == 1);
        media.bridge(c.id(), d.id());
        CompletableFuture<Void> carolConfigured = media.configured(c.id(),
                plain(carol.address(), Direction.SENDRECV, PCMU));
        CompletableFuture<Void> daveConfigured = media.configured(d.id(),
                plain(dave.address(), Direction.SENDRECV, PCMU));
        CompletableFuture.allOf(carolConfigured, daveConfigured).join();
        byte[] atDave = dave.receiveWithin(5000).orElseThrow(() -> new AssertionError("nothing reached Dave; "
                + media.stats(c.id()) + ", " + media.stats(d.id())));
        assertThat(payload(atDave)).as("Carol's first packet, kept, not one Alice sent to the resting pair")
                .isEqualTo(Packets.bytes(160, 7));
        assertThat(media.stats(c.id()).packetsDropped()).isZero();
        assertThat(media.stats(c.id()).latchedSource()).isEqualTo(carol.address());
        dave.send(rtp(0, 900, 16000, 0xD, Packets.bytes(160, 8)), d.rtp());
        assertThat(payload(carol.receive())).isEqualTo(Packets.bytes(160, 8));
        assertThat(heardWithin(dave, 200)).as("nothing Alice sent to the resting pair reached Dave")
                .noneMatch(b -> isRtpWith(b, Packets.bytes(160, 70)));
    }

    @Test
    void anEndpointOnAReusedPairKnowsNothingOfTheOldCallsKeys() throws Exception {
        NettyMediaService media = start(4);
        Key aliceSends = Key.fresh(SrtpSuite.AES_CM_128_HMAC_SHA1_80);
        Key parleySendsAlice = Key.fresh(SrtpSuite.AES_CM_128_HMAC_SHA1_80);
        SrtpPeer alice = new SrtpPeer(peer(), aliceSends.sender(), parleySendsAlice.receiver());
        Peer bob = peer();
        Legs old = bridged(media, srtp(alice.socket().address(), aliceSends, parleySendsAlice),
                plain(bob.address(), Direction.SENDRECV, PCMU));
        alice.send(rtp(0, 1, 160, 0xA, Packets.bytes(160, 1)), old.a().rtp());
        assertThat(payload(bob.receive())).isEqualTo(Packets.bytes(160, 1));
        bob.send(rtp(0, 1, 160, 0xB, Packets.bytes(160, 2)), old.b().rtp());
        assertThat(payload(alice.receive())).isEqualTo(Packets.bytes(160, 2));
        media.close(old.a().id());
        media.close(old.b().id());
        awaitIdle(media, 2);
        rest();

        Key carolSends = Key.fresh(SrtpSuite.AES_CM_128_HMAC_SHA1_80);
        Key parleySendsCarol = Key.fresh(SrtpSuite.AES_CM_128_HMAC_SHA1_80);
        SrtpPeer carol = new SrtpPeer(peer(), carolSends.sender(), parleySendsCarol.receiver());
        Peer dave = peer();
        Legs now = bridged(media, srtp(carol.socket().address(), carolSends, parleySendsCarol),
                plain(dave.address(), Direction.SENDRECV, PCMU));
        assertThat(now.a().rtp().getPort()).as("Alice's old pair").isEqualTo(old.a().rtp().getPort());

        // Alice, still keyed for the old call, sends to the reused pair: it does not authenticate there.
        alice.send(rtp(0, 2, 320, 0xA, Packets.bytes(160, 3)), now.a().rtp());
        await().atMost(5, TimeUnit.SECONDS).until(() -> media.stats(now.a().id()).srtpFailures() == 1);
        carol.send(rtp(0, 40, 3200, 0xC, Packets.bytes(160, 4)), now.a().rtp());
        assertThat(payload(dave.receive())).as("Carol's packet; Alice's was not relayed")
                .isEqualTo(Packets.bytes(160, 4));
        assertThat(media.stats(now.a().id()).latchedSource()).isEqualTo(carol.socket().address());

        dave.send(rtp(0, 70, 5600, 0xD, Packets.bytes(160, 5)), now.b().rtp());
        byte[] wire = carol.socket().receive();
        PacketBuffer withOldKey = PacketBuffer.copyOf(wire, 0);
        assertThat(parleySendsAlice.receiver().unprotectRtp(withOldKey)).as("not protected with the old call's key")
                .isNotEqualTo(SrtpStatus.OK);
        PacketBuffer withNewKey = PacketBuffer.copyOf(wire, 0);
        assertThat(parleySendsCarol.receiver().unprotectRtp(withNewKey)).isEqualTo(SrtpStatus.OK);
        assertThat(payload(withNewKey.toByteArray())).isEqualTo(Packets.bytes(160, 5));
        assertThat(heardWithin(alice.socket(), 200)).as("nothing of the new call goes to Alice")
                .noneMatch(b -> parleySendsCarol.receiver().unprotectRtp(PacketBuffer.copyOf(b, 0)) == SrtpStatus.OK);
    }

    @Test
    void reusesAPairOnlyAfterItsQuarantine() throws Exception {
        Duration quarantine = Duration.ofSeconds(2); // long enough that a loaded machine opens within it
        NettyMediaService media = start(4, quarantine);
        LocalMedia first = open(media, "first");
        media.close(first.id());
        awaitIdle(media, 1);

        LocalMedia soon = open(media, "at once");
        assertThat(soon.rtp().getPort()).as("a pair that has not rested is not reused while others are free")
                .isNotEqualTo(first.rtp().getPort());
        assertThat(media.idlePortPairs()).isEqualTo(1);
        rest(quarantine);
        LocalMedia later = open(media, "after the rest");
        assertThat(later.rtp().getPort()).isEqualTo(first.rtp().getPort());
        assertThat(media.idlePortPairs()).isZero();
    }

    @Test
    void keepsNoMoreThanItsCapBoundAndClosesTheRest() throws Exception {
        NettyMediaService media = start(2);
        int free = media.freePortPairs();
        List<LocalMedia> legs = List.of(open(media, "1"), open(media, "2"), open(media, "3"), open(media, "4"));
        assertThat(media.freePortPairs()).isEqualTo(free - 4);
        for (LocalMedia leg : legs) {
            media.close(leg.id());
        }
        await().atMost(5, TimeUnit.SECONDS).until(() -> media.freePortPairs() == free);
        assertThat(media.idlePortPairs()).isEqualTo(2);
        assertThat(legs.stream().filter(leg -> isBound(leg.rtp().getPort()) && isBound(leg.rtcp().getPort())))
                .as("two pairs idle, still bound").hasSize(2);
        assertThat(legs.stream().filter(leg -> !isBound(leg.rtp().getPort()) && !isBound(leg.rtcp().getPort())))
                .as("the others closed").hasSize(2);
    }

    @Test
    void keepsNoMoreThanEachLoopsShareOfTheRangeIdleWhateverItsCap() {
        // the range holds 25 pairs (see MediaTestSupport): 12 per loop on two loops
        NettyMediaService media = start(settings().withEventLoops(2).withIdlePairs(1000, QUARANTINE));
        int free = media.freePortPairs();
        List<LocalMedia> legs = new ArrayList<>();
        for (int i = 0; i < 25; i++) {
            legs.add(open(media, "leg " + i));
        }
        legs.forEach(leg -> media.close(leg.id()));
        await().atMost(5, TimeUnit.SECONDS).until(() -> media.freePortPairs() == free);
        assertThat(media.idlePortPairs()).isEqualTo(2 * (25 / 2));
    }

    /**
     * More opens per second than the range can quarantine for: an idle pair that rested less than the quarantine
     * is still taken when the only free port was released after it began to rest, and not while a port that rested
     * longer (here: never used) is free.
     */
    @Test
    void takesAnIdlePairBeforeItsQuarantineOnlyWhenNoFreePortRestedLonger() {
        NettyMediaService media = start(2, Duration.ofSeconds(30)); // the range holds 25 pairs
        LocalMedia first = open(media, "first");
        LocalMedia second = open(media, "second");
        LocalMedia third = open(media, "third");
        media.close(first.id());
        awaitIdle(media, 1);
        media.close(second.id());
        awaitIdle(media, 2);
        media.close(third.id()); // the cache is full: closed, its port back in the range after the idle ones
        await().atMost(5, TimeUnit.SECONDS).until(() -> !isBound(third.rtp().getPort()));

        List<Integer> ports = new ArrayList<>();
        for (int i = 0; i < 22; i++) {
            ports.add(open(media, "never used " + i).rtp().getPort());
        }
        assertThat(ports).as("ports never used rested longer than the idle pairs")
                .doesNotContain(first.rtp().getPort(), second.rtp().getPort(), third.rtp().getPort());
        assertThat(media.reusedIdlePairs()).isZero();

        LocalMedia next = open(media, "next");
        assertThat(next.rtp().getPort()).as("the oldest idle pair, not the port released after it")
                .isEqualTo(first.rtp().getPort());
        assertThat(media.reusedIdlePairs()).isEqualTo(1);
        assertThat(media.freshlyBoundPairs()).isEqualTo(3 + 22);
    }

    @Test
    void closesItsIdlePairsWhenStopped() throws Exception {
        NettyMediaService media = start(4);
        LocalMedia a = open(media, "a");
        LocalMedia b = open(media, "b");
        media.close(a.id());
        media.close(b.id());
        awaitIdle(media, 2);
        assertThat(isBound(a.rtp().getPort())).isTrue();

        media.stop();
        for (LocalMedia leg : List.of(a, b)) {
            assertThat(isBound(leg.rtp().getPort())).isFalse();
            assertThat(isBound(leg.rtcp().getPort())).isFalse();
        }
        assertThat(media.idlePortPairs()).isZero();
    }

    @Test
    void withoutTheCacheEveryCloseFreesItsPorts() throws Exception {
        NettyMediaService media = start(0);
        LocalMedia a = open(media, "a");
        media.close(a.id());
        await().atMost(5, TimeUnit.SECONDS).until(() -> !isBound(a.rtp().getPort()));
        assertThat(isBound(a.rtcp().getPort())).isFalse();
        assertThat(media.idlePortPairs()).isZero();
    }

    private static EndpointParameters srtp(InetSocketAddress remote, Key peerSends, Key parleySends) {
        return new EndpointParameters(remote, null, false, List.of(PCMU), Direction.SENDRECV,
                peerSends.protection(), parleySends.protection());
    }

    /** Everything {@code peer} hears from the class's services within {@code millis}. */
    private static List<byte[]> heardWithin(Peer peer, int millis) {
        List<byte[]> heard = new ArrayList<>();
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        long left;
        while ((left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())) > 0) {
            peer.receiveWithin((int) left).ifPresent(heard::add);
        }
        return heard;
    }

    private static boolean isRtpWith(byte[] datagram, byte[] payload) {
        return datagram.length == 12 + payload.length && Arrays.equals(payload(datagram), payload);
    }

    /** Whether a socket of 127.0.0.1 holds {@code port}: binding it here fails. */
    private static boolean isBound(int port) {
        try (DatagramSocket probe = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(),
                port))) {
            return false;
        } catch (SocketException e) {
            return true;
        }
    }
}
