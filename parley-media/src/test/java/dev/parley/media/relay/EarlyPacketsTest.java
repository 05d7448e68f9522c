package dev.parley.media.relay;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.mediaapi.Direction;
import dev.parley.mediaapi.EndpointId;
import dev.parley.mediaapi.EndpointParameters;
import dev.parley.mediaapi.PayloadFormat;
import dev.parley.mediaapi.Protection;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.channel.socket.DatagramPacket;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A caller's RTP that an endpoint reads before its parameters are applied (the PBX submitted them before it
 * answered, but the loop ran its I/O before its queued tasks: see {@link EarlyPackets}) is relayed once they are,
 * in order, and not dropped. Two bridged endpoints on one {@link EmbeddedChannel} loop, no sockets: the order of
 * I/O and tasks is the test's to choose.
 */
class EarlyPacketsTest {
    private static final InetSocketAddress CALLER = new InetSocketAddress("127.0.0.1", 40000);
    private static final InetSocketAddress CALLEE = new InetSocketAddress("127.0.0.1", 50000);
    private static final RelayTimings TIMINGS = new RelayTimings(TimeUnit.SECONDS.toNanos(30),
            TimeUnit.SECONDS.toNanos(2), TimeUnit.SECONDS.toNanos(5));

    private final EmbeddedChannel callerRtp = new EmbeddedChannel();
    private final EmbeddedChannel callerRtcp = new EmbeddedChannel();
    private final EmbeddedChannel calleeRtp = new EmbeddedChannel();
    private final EmbeddedChannel calleeRtcp = new EmbeddedChannel();
    private final MediaLoop loop = new MediaLoop(callerRtp.eventLoop(), TimeUnit.MILLISECONDS.toNanos(20));
    private final Endpoint caller = endpoint(1, callerRtp, callerRtcp);
    private final Endpoint callee = endpoint(2, calleeRtp, calleeRtcp);

    private Endpoint endpoint(long id, EmbeddedChannel rtp, EmbeddedChannel rtcp) {
        Endpoint e = new Endpoint(new EndpointId(id), "test-" + id, 20000 + 2 * (int) id, loop, TIMINGS, x -> { });
        rtp.pipeline().addLast(e.receiver(false));
        rtcp.pipeline().addLast(e.receiver(true));
        e.attach(new ChannelSocket(rtp), new ChannelSocket(rtcp));
        return e;
    }

    private static EndpointParameters towards(InetSocketAddress peer) {
        return new EndpointParameters(peer, null, false, List.of(PayloadFormat.of(0, "PCMU", 8000)),
                Direction.SENDRECV, Protection.none(), Protection.none());
    }

    /** A PCMU packet whose first payload octet is {@code index}. */
    private static DatagramPacket rtp(int index) {
        ByteBuf b = Unpooled.buffer(12 + 160);
        b.writeByte(0x80).writeByte(0).writeShort(index).writeInt(index * 160).writeInt(0x5eed1234);
        b.writeByte(index);
        b.writeZero(159);
        return new DatagramPacket(b, new InetSocketAddress("127.0.0.1", 20002), CALLER);
    }

    /** The payload's first octet of every packet the callee's endpoint sent. */
    private List<Integer> relayedToCallee() {
        List<Integer> out = new ArrayList<>();
        DatagramPacket p;
        while ((p = calleeRtp.readOutbound()) != null) {
            assertThat(p.recipient()).isEqualTo(CALLEE);
            out.add((int) p.content().getUnsignedByte(12));
            p.release();
        }
        return out;
    }

    @Test
    void packetsReadBeforeBothLegsAreConfiguredAreRelayedOnceTheyAre() {
        assertThat(Endpoint.link(caller, callee)).isTrue();
        // the answer's parameters are queued (callee's leg, then caller's); the loop reads the caller's first
        // packets before it gets to them
        callerRtp.writeInbound(rtp(0));
        callerRtp.writeInbound(rtp(1));
        assertThat(relayedToCallee()).isEmpty();

        callee.configure(towards(CALLEE));
        caller.configure(towards(CALLER));
        callerRtp.runPendingTasks();
        callerRtp.writeInbound(rtp(2));

        assertThat(relayedToCallee()).containsExactly(0, 1, 2);
        assertThat(caller.stats().packetsDropped()).isZero();
    }

    @Test
    void theCallersPacketsWaitForTheCalleesParametersQueuedBehindItsOwn() {
        assertThat(Endpoint.link(caller, callee)).isTrue();
        callerRtp.writeInbound(rtp(0));
        // a delayed offer configures the caller's leg first; the callee's parameters come in the next task
        caller.configure(towards(CALLER));
        callee.submit(() -> callee.configure(towards(CALLEE)));
        callerRtp.runPendingTasks();

        assertThat(relayedToCallee()).containsExactly(0);
        assertThat(caller.stats().packetsDropped()).isZero();
    }

    @Test
    void anEndpointKeepsOnlyTheNewestEarlyPacketsAndCountsTheRestAsDropped() {
        assertThat(Endpoint.link(caller, callee)).isTrue();
        int sent = EarlyPackets.MAX_PACKETS + 4;
        for (int i = 0; i < sent; i++) {
            callerRtp.writeInbound(rtp(i));
        }
        callee.configure(towards(CALLEE));
        caller.configure(towards(CALLER));
        callerRtp.runPendingTasks();

        List<Integer> relayed = relayedToCallee();
        assertThat(relayed).hasSize(EarlyPackets.MAX_PACKETS).first().isEqualTo(4);
        assertThat(caller.stats().packetsDropped()).isEqualTo(4);
        assertThat(caller.stats().packetsReceived()).isEqualTo(sent);
    }

    @Test
    void theQueueExistsOnlyWhileDatagramsWaitForTheParameters() {
        EarlyPackets early = new EarlyPackets();
        assertThat(early.holdsQueue()).as("nothing is allocated for an endpoint configured in time").isFalse();
        assertThat(early.isEmpty()).isTrue();
        DatagramPacket first = rtp(7);
        DatagramPacket second = rtp(8);
        early.keep(false, first.content(), CALLER, 0);
        early.keep(false, second.content(), CALLER, 1);
        first.release();
        second.release();
        assertThat(early.holdsQueue()).isTrue();
        assertThat(early.isEmpty()).isFalse();

        List<Integer> drained = new ArrayList<>();
        assertThat(early.drain((rtcpPort, data, length, from) -> drained.add(data[12] & 0xFF), 2)).isZero();
        assertThat(drained).containsExactly(7, 8);
        assertThat(early.holdsQueue()).as("dropped once drained").isFalse();

        DatagramPacket late = rtp(9);
        early.keep(true, late.content(), CALLER, 3);
        late.release();
        assertThat(early.clear()).isEqualTo(1);
        assertThat(early.holdsQueue()).as("dropped at close").isFalse();
        assertThat(early.drain((rtcpPort, data, length, from) -> drained.add(-1), 4)).isZero();
        assertThat(drained).containsExactly(7, 8);
    }

    @Test
    void earlyPacketsOfAnEndpointThatClosesAreCountedAsDropped() {
        callerRtp.writeInbound(rtp(0));
        caller.close(() -> { });
        assertThat(caller.stats().packetsDropped()).isEqualTo(1);
    }
}
