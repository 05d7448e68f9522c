package dev.parley.bench.media;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.FixedRecvByteBufAllocator;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.epoll.EpollChannelOption;
import io.netty.channel.epoll.EpollDatagramChannel;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.socket.DatagramPacket;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * The load: N calls, each two streams (A→B and B→A) of 20 ms PCMU — 172-byte RTP packets, 50 per second — sent
 * from two sockets (side A and side B) through a relay, all on one Netty epoll event loop (sendmmsg/recvmmsg).
 *
 * <p>Pacing: the k-th packet of a step, counted over all streams in turn, is due at {@code start + k × 20 ms /
 * streams}, so the offered load is a smooth packet train rather than bursts every 20 ms (a burst of a thousand
 * packets would put queueing delay of its own into every relay's latency). A timer every {@code tickMicros} sends
 * what is due and flushes once. Each packet carries {@link System#nanoTime()} of its send in the first 8 payload
 * bytes and its stream number in the next 4, so the receiving side measures one-way latency through the relay
 * and checks that the relay delivered it to the right place.
 *
 * <p>Everything of a step — sending, receiving, counting — runs on the one event loop thread: no locks, and the
 * generator's own CPU use is that one thread (plus GC/JIT), measured and reported beside the relay's.
 */
final class LoadGenerator implements AutoCloseable {
    static final int RTP_HEADER = 12;
    static final int PCMU_PAYLOAD = 160;
    static final int RTP_PACKET = RTP_HEADER + PCMU_PAYLOAD; // 172
    static final long PACKET_INTERVAL_NANOS = 20_000_000L;

    private final EventLoopGroup loop = new MultiThreadIoEventLoopGroup(1, EpollIoHandler.newFactory());
    private final Channel sideA;
    private final Channel sideB;
    private final long tickMicros;
    private volatile Step step;

    LoadGenerator(long tickMicros) throws InterruptedException {
        this.tickMicros = tickMicros;
        Bootstrap bootstrap = new Bootstrap()
                .group(loop)
                .channel(EpollDatagramChannel.class)
                // up to the kernel's net.core.rmem_max (media-load.sh raises it to this for the run)
                .option(ChannelOption.SO_RCVBUF, 32 << 20)
                .option(ChannelOption.SO_SNDBUF, 4 << 20)
                // recvmmsg: up to 32 datagrams per system call
                .option(EpollChannelOption.MAX_DATAGRAM_PAYLOAD_SIZE, 2048)
                .option(ChannelOption.RCVBUF_ALLOCATOR, new FixedRecvByteBufAllocator(2048 * 32))
                .handler(new Receiver());
        sideA = bootstrap.bind(new InetSocketAddress("127.0.0.1", 0)).sync().channel();
        sideB = bootstrap.bind(new InetSocketAddress("127.0.0.1", 0)).sync().channel();
    }

    InetSocketAddress addressA() {
        return (InetSocketAddress) sideA.localAddress();
    }

    InetSocketAddress addressB() {
        return (InetSocketAddress) sideB.localAddress();
    }

    Set<Integer> localPorts() {
        return Set.of(addressA().getPort(), addressB().getPort());
    }

    /**
     * Runs one step: sends for {@code warmupSeconds + seconds}, measures latency, packet rate and CPU over the last
     * {@code seconds}, then waits {@code drainMillis} for packets still in flight and counts loss over everything.
     */
    StepResult run(int stepNumber, List<Relay.RelayedCall> calls, Relay.Side a, Relay.Side b, boolean srtp,
            long relayPid, int warmupSeconds, int seconds, int drainMillis) throws Exception {
        Step s = new Step(stepNumber, calls, a, b, srtp, relayPid);
        // Collect now, while nothing flows: the step's thousands of SRTP contexts are new, and the first young
        // collection of the step would copy them all on this loop (one took 30 ms at 1,500 calls and cost the first
        // packets of every stream at this generator's full receive buffers). Promoted here, they are not copied again.
        System.gc();
        long start = System.nanoTime() + 50_000_000L;
        s.start = start;
        s.measureFrom = start + warmupSeconds * 1_000_000_000L;
        s.measureUntil = s.measureFrom + seconds * 1_000_000_000L;
        s.lastPacket = (s.measureUntil - start) * s.streams / PACKET_INTERVAL_NANOS;
        CompletableFuture<Void> measured = new CompletableFuture<>();
        // Kernel drops over the whole step, not only the window: a stall in the first seconds (a relay or this
        // generator deriving thousands of SRTP contexts) shows up here and in "lost", which counts everything.
        long stepDropsAtStart = ProcStats.socketDrops(localPorts());
        long stepUdpErrorsAtStart = ProcStats.udpReceiveBufferErrors();
        step = s;
        loop.execute(() -> {
            s.tick = loop.next().scheduleAtFixedRate(s::tick, 0, tickMicros, TimeUnit.MICROSECONDS);
            loop.next().schedule(s::beginWindow, s.measureFrom - System.nanoTime(), TimeUnit.NANOSECONDS);
            loop.next().schedule(() -> {
                s.endWindow();
                measured.complete(null);
            }, s.measureUntil - System.nanoTime(), TimeUnit.NANOSECONDS);
        });
        measured.get(warmupSeconds + seconds + 60L, TimeUnit.SECONDS);
        // a generator that fell behind (its core taken by other work) is still sending: drain after its last packet
        s.allSent.get(60, TimeUnit.SECONDS);
        Thread.sleep(drainMillis);
        s.stepSocketDrops = delta(stepDropsAtStart, ProcStats.socketDrops(localPorts()));
        s.stepUdpErrors = delta(stepUdpErrorsAtStart, ProcStats.udpReceiveBufferErrors());
        CompletableFuture<StepResult> result = new CompletableFuture<>();
        loop.execute(() -> {
            s.tick.cancel(false);
            step = null;
            result.complete(s.result(calls.size()));
        });
        return result.get(10, TimeUnit.SECONDS);
    }

    @Override
    public void close() {
        sideA.close().syncUninterruptibly();
        sideB.close().syncUninterruptibly();
        loop.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    /** What one step measured. Latencies are one-way, relay included, in µs; rates over the measurement window. */
    record StepResult(int calls, long sent, long received, long lost, long unknown, long rtcp, long misrouted,
            long srtpFailures, double relayedPerSecond, double relayCpuCores, double generatorCpuCores,
            long latencyP50, long latencyP99, long latencyP999, long latencyMax, long latencySamples,
            long windowSends, long lateSends, long skipped, long maxLatenessMicros, long generatorSocketDrops,
            long allUdpBufferDrops, long stepSocketDrops, long stepUdpBufferDrops, LossShape lossShape) {

        /**
         * Whether the generator, not the relay, set the pace: it used most of its core, or more than 1 % of its
         * sends in the window left over 1 ms behind schedule (its core was busy, with its own work or another's).
         */
        boolean generatorLimited() {
            return generatorCpuCores > 0.9 || (lateSends + skipped) * 100 > windowSends;
        }

        /** Packets relayed per second per core of the relay's CPU; NaN when the relay's CPU is unknown. */
        double perCore() {
            return relayCpuCores > 0 ? relayedPerSecond / relayCpuCores : Double.NaN;
        }
    }

    /**
     * Where a step's losses were: {@code lossyStreams} streams lost packets; {@code lostAtStart} of the lost were a
     * stream's first packets (its first packet received was sent after its first packet sent), {@code
     * streamsLosingAtStart} streams lost some that way; {@code maxPerStream} is the worst stream's loss.
     */
    record LossShape(long lossyStreams, long lostAtStart, long streamsLosingAtStart, long maxPerStream) {
        @Override
        public String toString() {
            return lossyStreams + " streams lossy (worst " + maxPerStream + "), " + lostAtStart + " lost at start in "
                    + streamsLosingAtStart + " streams";
        }
    }

    /** The state of one step, touched only on the event loop. */
    private final class Step {
        final int number;
        final int streams;
        final boolean srtp;
        final long relayPid;
        final int ssrcBase;
        final InetSocketAddress[] destination;
        final Channel[] from;
        final SrtpStream[] protect;
        final SrtpStream[] unprotect;
        /** The stream a relay port sends to side A (index 0) or side B (1); -1 none, -2 several (use the SSRC). */
        final int[][] streamBySourcePort = new int[2][65536];
        final int[] sequence;
        final long[] sent;
        final long[] received;
        /** Per stream: the index of its first packet received (-1 before one), from the send time it carries. */
        final long[] firstReceivedIndex;
        final byte[] txBuffer = new byte[2048];
        final byte[] rxBuffer = new byte[2048];
        final LatencyHistogram latency = new LatencyHistogram();
        long start;
        long measureFrom;
        long measureUntil;
        long lastPacket;
        long next;
        long unknown;
        long rtcp;
        long misrouted;
        long srtpFailures;
        long lateSends;
        long windowSends;
        long skipped;
        long maxLateness;
        long windowReceived;
        boolean inWindow;
        long windowStart;
        long windowEnd;
        long relayCpuAtStart;
        long relayCpuAtEnd;
        long ownCpuAtStart;
        long ownCpuAtEnd;
        long dropsAtStart;
        long dropsAtEnd;
        long udpErrorsAtStart;
        long udpErrorsAtEnd;
        long stepSocketDrops;
        long stepUdpErrors;
        ScheduledFuture<?> tick;
        final CompletableFuture<Void> allSent = new CompletableFuture<>();

        Step(int number, List<Relay.RelayedCall> calls, Relay.Side a, Relay.Side b, boolean srtp, long relayPid) {
            this.number = number;
            this.streams = calls.size() * 2;
            this.srtp = srtp;
            this.relayPid = relayPid;
            // a fresh SSRC range per step: a straggler of an earlier step counts as unknown, not as this step's
            this.ssrcBase = 0x10000000 + (number << 16);
            destination = new InetSocketAddress[streams];
            from = new Channel[streams];
            protect = new SrtpStream[streams];
            unprotect = new SrtpStream[streams];
            java.util.Arrays.fill(streamBySourcePort[0], -1);
            java.util.Arrays.fill(streamBySourcePort[1], -1);
            sequence = new int[streams];
            sent = new long[streams];
            received = new long[streams];
            firstReceivedIndex = new long[streams];
            java.util.Arrays.fill(firstReceivedIndex, -1);
            for (int i = 0; i < calls.size(); i++) {
                Relay.RelayedCall call = calls.get(i);
                int ab = 2 * i;
                int ba = 2 * i + 1;
                destination[ab] = call.aSendsTo();
                from[ab] = sideA;
                destination[ba] = call.bSendsTo();
                from[ba] = sideB;
                // a symmetric relay sends to B from the port B sends to, and to A from A's
                mapSource(1, call.bSendsTo().getPort(), ab);
                mapSource(0, call.aSendsTo().getPort(), ba);
                if (srtp) {
                    // Both directions' contexts now, before the step: deriving thousands of them on the loop when
                    // the first packets arrive stalled it for ~0.4 s, long enough to overflow its sockets'
                    // receive buffers (that was the first-try loss of larger SRTP steps: relays had sent all).
                    // A receiver takes the SSRC from each packet (RFC 3711 §4.1.1's IV), so it needs no advance
                    // knowledge of the SSRC a relay sends with.
                    protect[ab] = SrtpStream.sender(a.key(), ssrcBase + ab);
                    unprotect[ab] = SrtpStream.receiver(call.keyToB(), ssrcBase + ab);
                    protect[ba] = SrtpStream.sender(b.key(), ssrcBase + ba);
                    unprotect[ba] = SrtpStream.receiver(call.keyToA(), ssrcBase + ba);
                }
            }
            for (int s = 0; s < streams; s++) {
                sequence[s] = (s * 7919) & 0xFFFF;
            }
        }

        private void mapSource(int side, int port, int stream) {
            int[] map = streamBySourcePort[side];
            map[port] = map[port] == -1 ? stream : -2;
        }

        void tick() {
            long now = System.nanoTime();
            boolean wrote = false;
            long behind = now - (start + next * PACKET_INTERVAL_NANOS / streams);
            if (behind > PACKET_INTERVAL_NANOS) {
                // The loop did not run for over 20 ms (its core was taken): skip what is overdue rather than send a
                // burst of it, as a phone whose sound card stalled would. A burst would queue dozens of packets on
                // every relay socket at once — rtpengine, for one, stops reading a socket that had over 50 queued
                // five times (MAX_RECV_ITERS) — and measure the stall, not the relay.
                long caughtUp = Math.min(lastPacket, (now - start) * streams / PACKET_INTERVAL_NANOS);
                if (caughtUp > next) {
                    skipped += caughtUp - next;
                    next = caughtUp;
                }
            }
            while (next < lastPacket) {
                long due = start + next * PACKET_INTERVAL_NANOS / streams;
                if (due > now) {
                    break;
                }
                if (due >= measureFrom) {
                    windowSends++;
                    long lateness = now - due;
                    if (lateness > 1_000_000L) {
                        lateSends++;
                    }
                    if (lateness > maxLateness) {
                        maxLateness = lateness;
                    }
                }
                send((int) (next % streams), next / streams);
                next++;
                wrote = true;
                now = System.nanoTime();
            }
            if (wrote) {
                sideA.flush();
                sideB.flush();
            }
            if (next >= lastPacket) {
                allSent.complete(null);
            }
        }

        private void send(int s, long packetIndex) {
            byte[] p = txBuffer;
            int seq = (sequence[s]++) & 0xFFFF;
            int ssrc = ssrcBase + s;
            long timestamp = packetIndex * 160;
            p[0] = (byte) 0x80; // V=2, no padding, no extension, no CSRC (RFC 3550 §5.1)
            p[1] = (byte) (packetIndex == 0 ? 0x80 : 0x00); // marker on the first packet, PT 0 = PCMU (RFC 3551)
            p[2] = (byte) (seq >>> 8);
            p[3] = (byte) seq;
            putInt(p, 4, (int) timestamp);
            putInt(p, 8, ssrc);
            java.util.Arrays.fill(p, RTP_HEADER + 12, RTP_PACKET, (byte) 0xFF); // μ-law silence
            putInt(p, RTP_HEADER + 8, s);
            long sendNanos = System.nanoTime();
            putLong(p, RTP_HEADER, sendNanos);
            int length = RTP_PACKET;
            if (srtp) {
                length = protect[s].protect(p, length);
                if (length < 0) {
                    throw new IllegalStateException("jitsi-srtp could not protect a packet");
                }
            }
            Channel channel = from[s];
            ByteBuf buf = channel.alloc().directBuffer(length).writeBytes(p, 0, length);
            channel.write(new DatagramPacket(buf, destination[s]), channel.voidPromise());
            sent[s]++;
        }

        void receive(int side, ByteBuf content, int sourcePort) {
            long now = System.nanoTime();
            int length = content.readableBytes();
            if (length < RTP_HEADER + 12 || length > rxBuffer.length) {
                unknown++;
                return;
            }
            byte[] p = rxBuffer;
            content.getBytes(content.readerIndex(), p, 0, length);
            int packetType = p[1] & 0xFF;
            if (packetType >= 200 && packetType <= 204) {
                rtcp++; // RTCP SR/RR/SDES/BYE/APP (RFC 3550 §12.1) that a relay sends of its own, with rtcp-mux
                return;
            }
            // The relay's port tells the stream when it is one relay port per leg (a relay may rewrite SSRC,
            // sequence and timestamp, as Parley does); with no relay (direct) the SSRC does.
            int ssrc = getInt(p, 8);
            int s = streamBySourcePort[side][sourcePort];
            if (s < 0) {
                s = ssrc - ssrcBase;
            }
            if (s < 0 || s >= streams) {
                unknown++;
                return;
            }
            if (srtp) {
                length = unprotect[s].unprotect(p, length);
                if (length < 0) {
                    srtpFailures++;
                    return;
                }
            }
            if (length != RTP_PACKET || getInt(p, RTP_HEADER + 8) != s) {
                misrouted++;
                return;
            }
            received[s]++;
            long sentAt = getLong(p, RTP_HEADER);
            if (firstReceivedIndex[s] < 0) {
                // the k-th packet overall is due at start + k × 20 ms / streams and is stream (k % streams)'s
                // (k / streams)-th; it leaves at or after that (up to 20 ms late): invert for the send time
                long slot = (sentAt - start) * streams / PACKET_INTERVAL_NANOS;
                firstReceivedIndex[s] = Math.max(0, Math.floorDiv(slot - s, streams));
            }
            if (inWindow) {
                windowReceived++;
            }
            if (sentAt >= measureFrom && sentAt < measureUntil) {
                latency.recordNanos(now - sentAt);
            }
        }

        void beginWindow() {
            windowStart = System.nanoTime();
            relayCpuAtStart = relayPid > 0 ? ProcStats.cpuNanos(relayPid) : -1;
            ownCpuAtStart = ProcStats.cpuNanos(-1);
            dropsAtStart = ProcStats.socketDrops(localPorts());
            udpErrorsAtStart = ProcStats.udpReceiveBufferErrors();
            inWindow = true;
        }

        void endWindow() {
            inWindow = false;
            windowEnd = System.nanoTime();
            relayCpuAtEnd = relayPid > 0 ? ProcStats.cpuNanos(relayPid) : -1;
            ownCpuAtEnd = ProcStats.cpuNanos(-1);
            dropsAtEnd = ProcStats.socketDrops(localPorts());
            udpErrorsAtEnd = ProcStats.udpReceiveBufferErrors();
        }

        StepResult result(int calls) {
            long totalSent = 0;
            long totalReceived = 0;
            long lossyStreams = 0;
            long lostAtStart = 0;
            long streamsLosingAtStart = 0;
            long maxPerStream = 0;
            for (int s = 0; s < streams; s++) {
                totalSent += sent[s];
                totalReceived += received[s];
                long lost = sent[s] - received[s];
                if (lost > 0) {
                    lossyStreams++;
                    maxPerStream = Math.max(maxPerStream, lost);
                }
                long atStart = firstReceivedIndex[s] < 0 ? sent[s] : Math.min(lost, firstReceivedIndex[s]);
                if (atStart > 0) {
                    lostAtStart += atStart;
                    streamsLosingAtStart++;
                }
            }
            double window = (windowEnd - windowStart) / 1e9;
            double relayCores = relayCpuAtStart >= 0 && relayCpuAtEnd >= 0
                    ? (relayCpuAtEnd - relayCpuAtStart) / 1e9 / window : Double.NaN;
            double ownCores = (ownCpuAtEnd - ownCpuAtStart) / 1e9 / window;
            return new StepResult(calls, totalSent, totalReceived, totalSent - totalReceived, unknown, rtcp,
                    misrouted,
                    srtpFailures, windowReceived / window, relayCores, ownCores, latency.percentileMicros(0.50),
                    latency.percentileMicros(0.99), latency.percentileMicros(0.999), latency.maxMicros(),
                    latency.count(), windowSends, lateSends, skipped, maxLateness / 1000,
                    delta(dropsAtStart, dropsAtEnd), delta(udpErrorsAtStart, udpErrorsAtEnd), stepSocketDrops,
                    stepUdpErrors, new LossShape(lossyStreams, lostAtStart, streamsLosingAtStart, maxPerStream));
        }
    }

    /** A counter's growth, or -1 when either reading failed (so a failed read never looks like "no drops"). */
    private static long delta(long before, long after) {
        return before < 0 || after < 0 ? -1 : after - before;
    }

    @ChannelHandler.Sharable
    private final class Receiver extends SimpleChannelInboundHandler<DatagramPacket> {
        @Override
        protected void channelRead0(ChannelHandlerContext ctx, DatagramPacket packet) {
            Step s = step;
            if (s != null) {
                s.receive(ctx.channel() == sideA ? 0 : 1, packet.content(), packet.sender().getPort());
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            // ICMP port unreachable after a relay closed its ports shows up here; nothing to do
        }
    }

    static void putInt(byte[] b, int at, int v) {
        b[at] = (byte) (v >>> 24);
        b[at + 1] = (byte) (v >>> 16);
        b[at + 2] = (byte) (v >>> 8);
        b[at + 3] = (byte) v;
    }

    static int getInt(byte[] b, int at) {
        return (b[at] & 0xFF) << 24 | (b[at + 1] & 0xFF) << 16 | (b[at + 2] & 0xFF) << 8 | (b[at + 3] & 0xFF);
    }

    static void putLong(byte[] b, int at, long v) {
        putInt(b, at, (int) (v >>> 32));
        putInt(b, at + 4, (int) v);
    }

    static long getLong(byte[] b, int at) {
        return ((long) getInt(b, at) << 32) | (getInt(b, at + 4) & 0xFFFFFFFFL);
    }

    static List<Relay.RelayedCall> setUpCalls(Relay relay, int count, Relay.Side a, Relay.Side b, boolean srtp)
            throws IOException {
        List<Relay.RelayedCall> calls = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            calls.add(relay.setUp(i, a, b, srtp));
        }
        return calls;
    }
}
