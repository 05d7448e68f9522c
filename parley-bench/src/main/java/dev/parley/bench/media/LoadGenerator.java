package dev.parley.bench.media;

import dev.parley.rtp.PacketBuffer;
import dev.parley.rtp.srtp.SrtpProfile;
import dev.parley.rtp.srtp.SrtpSender;
import dev.parley.rtp.srtp.SrtpStatus;
import io.netty.buffer.ByteBuf;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;

/**
 * The load: N calls, each two streams (A→B and B→A) of 20 ms PCMU — 172-byte RTP packets, 50 per second — sent
 * from two sockets (side A and side B) through a relay, all on one thread with batched system calls
 * ({@link BatchUdpSocket}: sendmmsg/recvmmsg, no Java object per datagram).
 *
 * <p>Pacing: the k-th packet of a step, counted over all streams in turn, is due at {@code start + k × 20 ms /
 * streams}, so the offered load is a smooth packet train rather than bursts every 20 ms (a burst of a thousand
 * packets would put queueing delay of its own into every relay's latency). The thread wakes every {@code
 * tickMicros} (or when the next packet is due, if later) or when a datagram arrives (epoll), but at most once per
 * half tick, sends what is due (one sendmmsg per 64 datagrams) and reads what has arrived (one recvmmsg per 64).
 * Each packet carries {@link System#nanoTime()} of its making in the first 8 payload bytes and its stream number in
 * the next 4, so the receiving side measures one-way latency through the relay (including the generator's own
 * wake-up and up to half a tick of waiting in its socket) and checks that the relay delivered it to the right place:
 * the <em>make-to-read</em> latency ({@code p50_us}...).
 *
 * <p>The <em>send-to-socket</em> latency leaves the generator's own queueing out. One packet in {@link #STAMP_EVERY}
 * of each stream is sent in a batch of its own: the socket's queue is flushed first, then the packet is made with a
 * CLOCK_REALTIME stamp in the next 8 payload bytes and sent at once (one {@code sendmmsg} of one datagram; the stamp
 * precedes the system call by the SRTP protection and a copy, well under a microsecond). Its end is the kernel's
 * receive stamp ({@code SO_TIMESTAMPNS}, same clock) at the generator's socket, read from {@code recvmmsg}'s control
 * message ({@link BatchUdpSocket#kernelStampNanos}). On 127.0.0.1 a datagram enters the receiving socket inside the
 * sender's system call, so the figure is: the generator's own send system call of that one datagram up to the
 * relay's socket (a few µs: the {@code direct} relay's figure), plus the relay's queueing in its socket, its wake-up
 * and processing, and its send system call up to the enqueue into the generator's socket. It no longer includes the
 * generator's lateness in making the packet, its place in a 64-datagram batch, the time it waits in the generator's
 * receive socket (up to half a tick) or the generator's loop getting to it. Stamping a sample (1 in 16) keeps the
 * extra system calls to a few % of the generator's core; with SRTP the figure is taken from the stamped packets
 * that are also decrypted (all of them at the default {@code verifyEvery}, their stamp being encrypted).
 *
 * <p>Checking what the relay sends, SRTP: every datagram is counted, for its stream (the relay port it came from,
 * or its SSRC when one port serves several streams), so loss is counted over every packet. Authentication and
 * decryption with jitsi-srtp — an implementation independent of both relays, so an error in Parley's SRTP shows
 * as a failure here instead of cancelling out — cost more than everything else a packet costs the generator, so
 * they are done on a sample: a stream's first packet and one in every {@code verifyEvery} after (16 by default, 1 =
 * all), staggered across streams so that the checks are spread evenly in time (all streams' first few packets
 * checked at once, at a step's start, were a burst of jitsi work long enough to overflow the generator's socket
 * buffers at 3,000 calls). A sampled packet that fails is counted in {@code srtpFailures} (and not as received);
 * one that passes must hold the right stream number and length. SRTP latency is measured on the sampled packets
 * (their send time is encrypted in the others); RTP's on every packet. Sending protects with Parley's SRTP
 * (parley-rtp's {@link SrtpSender}, cheaper per packet); that jitsi verifies what the relay made of it is the
 * interoperability check, both ways.
 *
 * <p>Everything of a step — sending, receiving, counting — runs on the one thread: no locks, and the generator's
 * own CPU use is that one thread (plus GC/JIT), measured and reported beside the relay's.
 */
final class LoadGenerator implements AutoCloseable {
    static final int RTP_HEADER = 12;
    static final int PCMU_PAYLOAD = 160;
    static final int RTP_PACKET = RTP_HEADER + PCMU_PAYLOAD; // 172
    static final int SRTP_TAG = 10; // AES_CM_128_HMAC_SHA1_80
    static final long PACKET_INTERVAL_NANOS = 20_000_000L;
    /** Every stream's first packets received are all verified (they also fix where its loss began). */
    static final int VERIFY_FIRST = 1;
    static final int DEFAULT_VERIFY_EVERY = 16;
    /**
     * One packet in this many per stream (at a phase of its own per stream, the phase of the SRTP sample, so that
     * with the default {@code verifyEvery} every one of them is also decrypted) is sent in a {@code sendmmsg} of its
     * own with a CLOCK_REALTIME stamp taken just before: the send side of the send-to-socket latency.
     */
    static final int STAMP_EVERY = 16;
    /** Where the CLOCK_REALTIME send stamp goes in the payload (0: not stamped), after the nanoTime and stream. */
    static final int WALL_STAMP_AT = RTP_HEADER + 12;
    /** Batches read per socket before the thread turns to sending again. */
    private static final int MAX_BATCHES_PER_PASS = 8;

    private final BatchUdpSocket sideA;
    private final BatchUdpSocket sideB;
    private final ReadinessWait waiter;
    /** A timer alone (no sockets): the least time between two reads. */
    private final ReadinessWait pause;
    private final long tickMicros;
    private final int verifyEvery;

    LoadGenerator(long tickMicros) throws IOException {
        this(tickMicros, DEFAULT_VERIFY_EVERY);
    }

    /** {@code verifyEvery}: how often a stream's SRTP packets are authenticated and decrypted (1: every one). */
    LoadGenerator(long tickMicros, int verifyEvery) throws IOException {
        if (verifyEvery < 1) {
            throw new IllegalArgumentException("verify-every must be at least 1, was " + verifyEvery);
        }
        this.tickMicros = tickMicros;
        this.verifyEvery = verifyEvery;
        // 32 MiB: up to the kernel's net.core.rmem_max (media-load.sh raises it to this for the run)
        sideA = new BatchUdpSocket(32 << 20, 4 << 20);
        BatchUdpSocket b = null;
        try {
            b = new BatchUdpSocket(32 << 20, 4 << 20);
            waiter = new ReadinessWait(sideA.fd(), b.fd());
            pause = new ReadinessWait();
        } catch (IOException | RuntimeException e) {
            sideA.close();
            if (b != null) {
                b.close();
            }
            throw e;
        }
        sideB = b;
    }

    InetSocketAddress addressA() {
        return new InetSocketAddress("127.0.0.1", sideA.port());
    }

    InetSocketAddress addressB() {
        return new InetSocketAddress("127.0.0.1", sideB.port());
    }

    Set<Integer> localPorts() {
        return Set.of(sideA.port(), sideB.port());
    }

    int verifyEvery() {
        return verifyEvery;
    }

    /**
     * Runs one step: sends for {@code warmupSeconds + seconds}, measures latency, packet rate and CPU over the last
     * {@code seconds}, then reads for {@code drainMillis} more for packets still in flight and counts loss over
     * everything.
     */
    StepResult run(int stepNumber, List<Relay.RelayedCall> calls, Relay.Side a, Relay.Side b, boolean srtp,
            long relayPid, int warmupSeconds, int seconds, int drainMillis) throws Exception {
        Step s = new Step(stepNumber, calls, a, b, srtp, relayPid);
        // Collect now, while nothing flows: the step's thousands of SRTP contexts are new, and the first young
        // collection of the step would copy them all on this thread (one took 30 ms at 1,500 calls and cost the
        // first packets of every stream at this generator's full receive buffers). Promoted here, they are not
        // copied again.
        System.gc();
        Thread thread = new Thread(() -> s.runLoop(warmupSeconds, seconds, drainMillis),
                "load-generator-" + stepNumber);
        thread.setDaemon(true);
        thread.start();
        thread.join((warmupSeconds + seconds + 120L) * 1000 + drainMillis);
        if (thread.isAlive()) {
            s.abort = true;
            thread.join(10_000);
            throw new IllegalStateException("step " + stepNumber + " did not end in time");
        }
        if (s.failure != null) {
            throw new IllegalStateException("step " + stepNumber + " failed", s.failure);
        }
        return s.result(calls.size());
    }

    @Override
    public void close() {
        waiter.close();
        pause.close();
        sideA.close();
        sideB.close();
    }

    /**
     * What one step measured. Latencies are one-way, relay included, in µs: make-to-read ({@code latency*}) and
     * send-to-socket ({@code sendToSocket*}, see the class comment; {@code sendToSocketUnstamped}: stamped packets
     * that came without the kernel's receive stamp). Rates over the measurement window.
     */
    record StepResult(int calls, long sent, long received, long lost, long unknown, long rtcp, long misrouted,
            long srtpFailures, double relayedPerSecond, double relayCpuCores, double generatorCpuCores,
            long latencyP50, long latencyP99, long latencyP999, long latencyMax, long latencySamples,
            long sendToSocketP50, long sendToSocketP99, long sendToSocketP999, long sendToSocketMax,
            long sendToSocketSamples, long sendToSocketUnstamped,
            long windowSends, long lateSends, long skipped, long maxLatenessMicros, long generatorSocketDrops,
            long allUdpBufferDrops, long stepSocketDrops, long stepUdpBufferDrops, LossShape lossShape,
            long verified, long sendRefused, long windowSkipped, LatencyTimeline timeline,
            double otherCpuCores) {

        /**
         * Whether the generator, not the relay, set the pace: it used most of its core, or more than 1 % of its
         * sends in the window left over 1 ms behind schedule or were skipped (its core was busy, with its own work
         * or another's). Skips before the window (a stall as a step starts) do not count: {@code skipped} has them.
         */
        boolean generatorLimited() {
            return generatorCpuCores > 0.9 || (lateSends + windowSkipped) * 100 > windowSends;
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

    /** The state of one step, touched only by its thread. */
    private final class Step {
        final int number;
        final int streams;
        final boolean srtp;
        final long relayPid;
        final int ssrcBase;
        final InetSocketAddress[] destination;
        /** Per stream: the socket it is sent from, 0 = side A, 1 = side B. */
        final int[] fromSide;
        /** Parley's SRTP for sending, one per side's master key (each stream its own SSRC in it). */
        final SrtpSender[] protect = new SrtpSender[2];
        /** jitsi-srtp for checking the sampled packets received, per stream. */
        final SrtpStream[] unprotect;
        /** The stream a relay port sends to side A (index 0) or side B (1); -1 none, -2 several (use the SSRC). */
        final int[][] streamBySourcePort = new int[2][65536];
        final int[] sequence;
        /** Per stream: packets made (queued for sending), which picks the ones stamped for send-to-socket. */
        final long[] made;
        final long[] sent;
        final BatchUdpSocket.SentCounter countSent;
        final long[] received;
        /** Per stream: datagrams that came from its relay port, whatever they held (what sampling counts). */
        final long[] arrived;
        /** Per stream: the index of its first packet received (-1 before one), from the send time it carries. */
        final long[] firstReceivedIndex;
        final byte[] template = new byte[RTP_PACKET];
        final byte[] txBuffer = new byte[2048];
        final PacketBuffer txPacket = new PacketBuffer(txBuffer, 0, 0);
        final byte[] rxBuffer = new byte[BatchUdpSocket.SLOT];
        final LatencyHistogram latency = new LatencyHistogram();
        /** From the send stamp just before a sampled packet's own sendmmsg to the kernel's receive stamp. */
        final LatencyHistogram sendToSocket = new LatencyHistogram();
        long unstamped;
        /** The window's latency and the generator's pass gaps in 10 ms slots (made when the step starts). */
        LatencyTimeline timeline;
        volatile boolean abort;
        Throwable failure;
        long start;
        long measureFrom;
        long measureUntil;
        long lastPacket;
        long next;
        long unknown;
        long rtcp;
        long misrouted;
        long srtpFailures;
        long verified;
        long sendRefused;
        long lateSends;
        long windowSends;
        long skipped;
        long windowSkipped;
        long maxLateness;
        long windowReceived;
        boolean inWindow;
        long windowStart;
        long windowEnd;
        long relayCpuAtStart;
        long relayCpuAtEnd;
        long ownCpuAtStart;
        long ownCpuAtEnd;
        long machineBusyAtStart;
        long machineBusyAtEnd;
        /** The generator's sockets' kernel drops a second before the window (read beside the thread) ... */
        CompletableFuture<Long> dropsAtStart;
        /** ... and after the drain (on it): the window's drops with a margin, none of the reads inside it. */
        long dropsAtEnd;
        CompletableFuture<Long> udpErrorsAtStart;
        CompletableFuture<Long> udpErrorsAtEnd;
        long stepSocketDrops;
        long stepUdpErrors;

        Step(int number, List<Relay.RelayedCall> calls, Relay.Side a, Relay.Side b, boolean srtp, long relayPid) {
            this.number = number;
            this.streams = calls.size() * 2;
            this.srtp = srtp;
            this.relayPid = relayPid;
            // a fresh SSRC range per step: a straggler of an earlier step counts as unknown, not as this step's
            this.ssrcBase = 0x10000000 + (number << 16);
            destination = new InetSocketAddress[streams];
            fromSide = new int[streams];
            unprotect = new SrtpStream[streams];
            Arrays.fill(streamBySourcePort[0], -1);
            Arrays.fill(streamBySourcePort[1], -1);
            sequence = new int[streams];
            made = new long[streams];
            sent = new long[streams];
            countSent = stream -> sent[stream]++;
            received = new long[streams];
            arrived = new long[streams];
            firstReceivedIndex = new long[streams];
            Arrays.fill(firstReceivedIndex, -1);
            if (srtp) {
                protect[0] = new SrtpSender(SrtpProfile.AES_CM_128_HMAC_SHA1_80, a.key().key(), a.key().salt(),
                        Math.max(SrtpSender.DEFAULT_MAX_SSRCS, streams));
                protect[1] = new SrtpSender(SrtpProfile.AES_CM_128_HMAC_SHA1_80, b.key().key(), b.key().salt(),
                        Math.max(SrtpSender.DEFAULT_MAX_SSRCS, streams));
            }
            for (int i = 0; i < calls.size(); i++) {
                Relay.RelayedCall call = calls.get(i);
                int ab = 2 * i;
                int ba = 2 * i + 1;
                destination[ab] = call.aSendsTo();
                fromSide[ab] = 0;
                destination[ba] = call.bSendsTo();
                fromSide[ba] = 1;
                // a symmetric relay sends to B from the port B sends to, and to A from A's
                mapSource(1, call.bSendsTo().getPort(), ab);
                mapSource(0, call.aSendsTo().getPort(), ba);
                if (srtp) {
                    // Receivers now, before the step: deriving thousands of them when the first packets arrive
                    // stalled the generator for ~0.4 s, long enough to overflow its sockets' receive buffers.
                    // jitsi takes the SSRC from each packet (RFC 3711 §4.1.1's IV), so a receiver needs no advance
                    // knowledge of the SSRC a relay sends with.
                    unprotect[ab] = SrtpStream.receiver(call.keyToB(), ssrcBase + ab);
                    unprotect[ba] = SrtpStream.receiver(call.keyToA(), ssrcBase + ba);
                }
            }
            for (int s = 0; s < streams; s++) {
                sequence[s] = (s * 7919) & 0xFFFF;
            }
            template[0] = (byte) 0x80; // V=2, no padding, no extension, no CSRC (RFC 3550 §5.1)
            Arrays.fill(template, RTP_HEADER, RTP_PACKET, (byte) 0xFF); // μ-law silence
        }

        private void mapSource(int side, int port, int stream) {
            int[] map = streamBySourcePort[side];
            map[port] = map[port] == -1 ? stream : -2;
        }

        private BatchUdpSocket socket(int side) {
            return side == 0 ? sideA : sideB;
        }

        private long due(long packet) {
            return start + packet * PACKET_INTERVAL_NANOS / streams;
        }

        void runLoop(int warmupSeconds, int seconds, int drainMillis) {
            try {
                loop(warmupSeconds, seconds, drainMillis);
            } catch (Throwable e) {
                failure = e;
            }
        }

        private void loop(int warmupSeconds, int seconds, int drainMillis) {
            // stragglers of an earlier step, read and dropped before this one counts
            for (int i = 0; i < 10_000 && (sideA.receive() > 0 | sideB.receive() > 0); i++) {
                // dropped
            }
            // Kernel drops over the whole step, not only the window: a stall in the first seconds (a relay or this
            // generator deriving thousands of SRTP contexts) shows up here and in "lost", which counts everything.
            long stepDropsAtStart = ProcStats.socketDrops(localPorts());
            long stepUdpErrorsAtStart = ProcStats.udpReceiveBufferErrors();
            long tickNanos = tickMicros * 1000;
            start = System.nanoTime() + 50_000_000L;
            measureFrom = start + warmupSeconds * 1_000_000_000L;
            measureUntil = measureFrom + seconds * 1_000_000_000L;
            lastPacket = (measureUntil - start) * streams / PACKET_INTERVAL_NANOS;
            timeline = new LatencyTimeline(measureFrom, seconds);
            boolean windowBegun = false;
            long drainUntil = Long.MAX_VALUE;
            long readGapNanos = tickNanos / 2;
            long previousPass = System.nanoTime();
            while (!abort) {
                long now = System.nanoTime();
                long passStart = now;
                timeline.recordPassGap(passStart, passStart - previousPass);
                previousPass = passStart;
                if (dropsAtStart == null && now >= measureFrom - DROPS_READ_LEAD_NANOS) {
                    dropsAtStart = CompletableFuture.supplyAsync(() -> ProcStats.socketDrops(localPorts()),
                            PROC_READER);
                }
                if (!windowBegun && now >= measureFrom) {
                    windowBegun = true;
                    beginWindow();
                }
                if (inWindow && now >= measureUntil) {
                    endWindow();
                }
                sendDue(now);
                boolean more = receive(sideA, 0) | receive(sideB, 1);
                if (next >= lastPacket && !inWindow && windowBegun && drainUntil == Long.MAX_VALUE) {
                    drainUntil = System.nanoTime() + drainMillis * 1_000_000L;
                }
                now = System.nanoTime();
                if (now >= drainUntil) {
                    break;
                }
                if (more) {
                    continue; // a socket had more than a pass reads: read on before waiting
                }
                // At most one pass per half tick: a relay's datagrams arrive one by one from another core, and waking
                // for each (epoll_wait, timerfd_settime, two recvmmsg and a context switch for a datagram or two)
                // took the generator's whole core at 1,500 calls. Sleep out the gap on the timer alone (what arrives
                // meanwhile waits in the socket: up to half a tick added to the latency measured, for every relay
                // alike), then wake when a datagram arrives, else a tick from now or when the next packet is due if
                // that is later.
                long gapEnd = passStart + readGapNanos;
                if (now < gapEnd) {
                    pause.await(gapEnd - now);
                    now = System.nanoTime();
                }
                long wake = now + tickNanos;
                if (next < lastPacket) {
                    wake = Math.min(Math.max(wake, due(next)), now + 1_000_000L);
                }
                if (!windowBegun) {
                    wake = Math.min(wake, Math.max(now, measureFrom));
                } else if (inWindow) {
                    wake = Math.min(wake, Math.max(now, measureUntil));
                }
                waiter.await(wake - now);
            }
            long dropsNow = ProcStats.socketDrops(localPorts());
            stepSocketDrops = delta(stepDropsAtStart, dropsNow);
            dropsAtEnd = dropsNow;
            stepUdpErrors = delta(stepUdpErrorsAtStart, ProcStats.udpReceiveBufferErrors());
        }

        private void sendDue(long now) {
            long behind = now - due(next);
            if (behind > PACKET_INTERVAL_NANOS) {
                // The thread did not run for over 20 ms (its core was taken): skip what is overdue rather than send
                // a burst of it, as a phone whose sound card stalled would. A burst would queue dozens of packets on
                // every relay socket at once — rtpengine, for one, stops reading a socket that had over 50 queued
                // five times (MAX_RECV_ITERS) — and measure the stall, not the relay.
                long caughtUp = Math.min(lastPacket, (now - start) * streams / PACKET_INTERVAL_NANOS);
                if (caughtUp > next) {
                    skipped += caughtUp - next;
                    if (due(caughtUp) >= measureFrom) {
                        windowSkipped += caughtUp - Math.max(next, (measureFrom - start) * streams
                                / PACKET_INTERVAL_NANOS);
                    }
                    next = caughtUp;
                }
            }
            while (next < lastPacket) {
                long due = due(next);
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
                    timeline.recordSend(now, lateness);
                }
                int s = (int) (next % streams);
                long packetIndex = next / streams;
                BatchUdpSocket socket = socket(fromSide[s]);
                // by the packets made, not the schedule's index: after a skip (a stall) the n-th packet made is still
                // the n-th received, the one the SRTP sample decrypts
                if ((made[s]++ + s) % STAMP_EVERY == 0) {
                    // a batch of its own, stamped just before it: see the class comment (send-to-socket)
                    sendRefused += socket.flush(countSent);
                    queue(socket, s, packetIndex, true);
                    sendRefused += socket.flush(countSent);
                } else {
                    queue(socket, s, packetIndex, false);
                    if (socket.queued() == BatchUdpSocket.BATCH) {
                        sendRefused += socket.flush(countSent);
                    }
                }
                next++;
                if ((next & 63) == 0) {
                    now = System.nanoTime();
                }
            }
            sendRefused += sideA.flush(countSent);
            sendRefused += sideB.flush(countSent);
        }

        private void queue(BatchUdpSocket socket, int s, long packetIndex, boolean stamped) {
            byte[] p = txBuffer;
            System.arraycopy(template, 0, p, 0, RTP_PACKET);
            int seq = (sequence[s]++) & 0xFFFF;
            p[1] = (byte) (packetIndex == 0 ? 0x80 : 0x00); // marker on the first packet, PT 0 = PCMU (RFC 3551)
            p[2] = (byte) (seq >>> 8);
            p[3] = (byte) seq;
            putInt(p, 4, (int) (packetIndex * 160));
            putInt(p, 8, ssrcBase + s);
            putLong(p, RTP_HEADER, System.nanoTime());
            putInt(p, RTP_HEADER + 8, s);
            putLong(p, WALL_STAMP_AT, stamped ? socket.clockRealtimeNanos() : 0);
            int length = RTP_PACKET;
            if (srtp) {
                txPacket.set(p, 0, RTP_PACKET);
                SrtpStatus status = protect[fromSide[s]].protectRtp(txPacket);
                if (status != SrtpStatus.OK) {
                    throw new IllegalStateException("could not protect a packet: " + status);
                }
                length = txPacket.length();
            }
            socket.queue(p, length, destination[s], s);
        }

        /** Reads what has arrived on one side; true when it had more than one pass takes. */
        private boolean receive(BatchUdpSocket socket, int side) {
            for (int batch = 0; batch < MAX_BATCHES_PER_PASS; batch++) {
                int n = socket.receive();
                long now = System.nanoTime();
                for (int i = 0; i < n; i++) {
                    received(socket, i, side, now);
                }
                if (n < BatchUdpSocket.BATCH) {
                    return false;
                }
            }
            return true;
        }

        private void received(BatchUdpSocket socket, int i, int side, long now) {
            ByteBuf data = socket.data();
            int at = i * BatchUdpSocket.SLOT;
            int length = socket.length(i);
            if (length < RTP_HEADER + 12 || length > BatchUdpSocket.SLOT) {
                unknown++;
                return;
            }
            int packetType = data.getUnsignedByte(at + 1);
            if (packetType >= 200 && packetType <= 204) {
                rtcp++; // RTCP SR/RR/SDES/BYE/APP (RFC 3550 §12.1) that a relay sends of its own, with rtcp-mux
                return;
            }
            // The relay's port tells the stream when it is one relay port per leg (a relay may rewrite SSRC,
            // sequence and timestamp, as Parley does); with no relay (direct) the SSRC does.
            int s = streamBySourcePort[side][socket.sourcePort(i)];
            if (s < 0) {
                s = data.getInt(at + 8) - ssrcBase;
            }
            if (s < 0 || s >= streams) {
                unknown++;
                return;
            }
            long arrival = arrived[s]++;
            long sentAt;
            long wallSentAt;
            if (srtp) {
                if (arrival >= VERIFY_FIRST && (arrival + s) % verifyEvery != 0) {
                    // not sampled: counted by where it came from and its size (plain RTP + the 10-byte tag)
                    if (length != RTP_PACKET + SRTP_TAG) {
                        misrouted++;
                        return;
                    }
                    received[s]++;
                    if (firstReceivedIndex[s] < 0) {
                        // its first (checked) packet failed: where its loss began, from the arrival time
                        firstReceivedIndex[s] = Math.max(0, Math.floorDiv((now - start) * streams
                                / PACKET_INTERVAL_NANOS - s, streams));
                    }
                    if (inWindow) {
                        windowReceived++;
                    }
                    return;
                }
                byte[] p = rxBuffer;
                data.getBytes(at, p, 0, length);
                int plain = unprotect[s].unprotect(p, length);
                if (plain < 0) {
                    srtpFailures++;
                    return;
                }
                verified++;
                if (plain != RTP_PACKET || getInt(p, RTP_HEADER + 8) != s) {
                    misrouted++;
                    return;
                }
                sentAt = getLong(p, RTP_HEADER);
                wallSentAt = getLong(p, WALL_STAMP_AT);
            } else {
                if (length != RTP_PACKET || data.getInt(at + RTP_HEADER + 8) != s) {
                    misrouted++;
                    return;
                }
                sentAt = data.getLong(at + RTP_HEADER);
                wallSentAt = data.getLong(at + WALL_STAMP_AT);
            }
            received[s]++;
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
                timeline.recordLatency(sentAt, now - sentAt);
                if (wallSentAt != 0) {
                    long enteredSocket = socket.kernelStampNanos(i);
                    if (enteredSocket > 0) {
                        sendToSocket.recordNanos(enteredSocket - wallSentAt);
                        timeline.recordSendToSocket(sentAt, enteredSocket - wallSentAt);
                    } else {
                        unstamped++;
                    }
                }
            }
        }

        void beginWindow() {
            windowStart = System.nanoTime();
            relayCpuAtStart = relayPid > 0 ? ProcStats.cpuNanos(relayPid) : -1;
            ownCpuAtStart = ProcStats.cpuNanos(-1);
            machineBusyAtStart = ProcStats.machineBusyNanos();
            udpErrorsAtStart = CompletableFuture.supplyAsync(ProcStats::udpReceiveBufferErrors, PROC_READER);
            inWindow = true;
        }

        void endWindow() {
            inWindow = false;
            windowEnd = System.nanoTime();
            relayCpuAtEnd = relayPid > 0 ? ProcStats.cpuNanos(relayPid) : -1;
            ownCpuAtEnd = ProcStats.cpuNanos(-1);
            machineBusyAtEnd = ProcStats.machineBusyNanos();
            udpErrorsAtEnd = CompletableFuture.supplyAsync(ProcStats::udpReceiveBufferErrors, PROC_READER);
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
            // the rest of the machine's busy time: other processes (a relay without a pid counts as other)
            double otherCores = machineBusyAtStart >= 0 && machineBusyAtEnd >= 0
                    ? (machineBusyAtEnd - machineBusyAtStart) / 1e9 / window - ownCores
                            - (Double.isNaN(relayCores) ? 0 : relayCores) : Double.NaN;
            return new StepResult(calls, totalSent, totalReceived, totalSent - totalReceived, unknown, rtcp,
                    misrouted,
                    srtpFailures, windowReceived / window, relayCores, ownCores, latency.percentileMicros(0.50),
                    latency.percentileMicros(0.99), latency.percentileMicros(0.999), latency.maxMicros(),
                    latency.count(), sendToSocket.percentileMicros(0.50), sendToSocket.percentileMicros(0.99),
                    sendToSocket.percentileMicros(0.999), sendToSocket.maxMicros(), sendToSocket.count(), unstamped,
                    windowSends, lateSends, skipped, maxLateness / 1000,
                    dropsAtStart == null ? -1 : delta(dropsAtStart.join(), dropsAtEnd),
                    delta(udpErrorsAtStart.join(), udpErrorsAtEnd.join()), stepSocketDrops,
                    stepUdpErrors, new LossShape(lossyStreams, lostAtStart, streamsLosingAtStart, maxPerStream),
                    verified, sendRefused, windowSkipped, timeline, otherCores);
        }
    }

    /** How long before the window its socket-drop counters are read (a parse of every UDP socket's line, below). */
    private static final long DROPS_READ_LEAD_NANOS = 1_000_000_000L;

    /**
     * Reads the kernel's drop counters for the window's ends beside the generator's thread: {@code /proc/net/udp6}
     * lists every UDP socket of the machine (over 12,000 with both relays' ports for 3,000 calls), and parsing it on
     * the generator's thread stalled its sending for over 20 ms at each end of the window (the skipped sends of the
     * larger steps). Beside it the read still shares the generator's core, so the window's socket drops are counted
     * from a second before the window (read here) to the end of the drain (read on the generator's thread after its
     * last pass): no read of it inside the window.
     */
    private static final Executor PROC_READER = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "load-generator-proc");
        t.setDaemon(true);
        return t;
    });

    /** A counter's growth, or -1 when either reading failed (so a failed read never looks like "no drops"). */
    private static long delta(long before, long after) {
        return before < 0 || after < 0 ? -1 : after - before;
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
