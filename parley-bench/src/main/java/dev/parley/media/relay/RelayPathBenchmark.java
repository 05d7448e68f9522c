package dev.parley.media.relay;

import dev.parley.mediaapi.Direction;
import dev.parley.mediaapi.EndpointId;
import dev.parley.mediaapi.EndpointParameters;
import dev.parley.mediaapi.PayloadFormat;
import dev.parley.mediaapi.Protection;
import dev.parley.mediaapi.SrtpSuite;
import dev.parley.rtp.PacketBuffer;
import dev.parley.rtp.RtpPacket;
import dev.parley.rtp.srtp.SrtpProfile;
import dev.parley.rtp.srtp.SrtpSender;
import dev.parley.rtp.srtp.SrtpStatus;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.DefaultEventLoop;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The media relay's Java work per relayed packet, without the kernel: {@code calls} bridged endpoint pairs (both
 * legs SDES-SRTP with keys of their own, re-keyed, or both plain RTP), fed 20 ms PCMU packets round-robin over
 * every stream of every call (each stream's next packet only after all others', as the relay sees them, so what a
 * call keeps is cold in the CPU caches at 2,000 calls), each handed to the endpoint's socket listener from a direct
 * buffer as {@code NativeUdpSocket} hands it over, and "sent" by a socket that only counts. What is measured is the
 * endpoint's path from its listener to its socket's send: copy in, RTP/RTCP demux, latch, SRTP unprotect, route,
 * statistics, header rewrite, SRTP protect. Not measured: recvmsg, sendto, epoll, Netty's loop (61 % of the relay's
 * CPU in a perf profile at 1,500 SRTP calls; see docs/benchmarks.md).
 *
 * <p>In this package (dev.parley.media.relay, a split package on the benchmark's class path) because sockets and
 * their send addresses are package-private. One invocation relays {@value #PACKETS} packets, rounds of every stream,
 * on the event loop's thread; the packets are protected in the iteration's set-up, outside the measured time. Fewer
 * calls ({@code -p calls=20}) relay more rounds each, the same packets per shot, with every call's state warm in the
 * caches: the difference to 2,000 calls is what cold per-call state costs. The score is wall time per packet: run
 * it pinned and ahead of other work, as the media load's relays run, e.g.
 * {@code nice -n -10 taskset -c 1 java -jar benchmarks.jar RelayPathBenchmark}. (The CPU-time profiler does not
 * help here: its process CPU time includes the iteration's set-up and moves in 10 ms ticks, a sixth of a shot.)
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 20)
@Measurement(iterations = 20)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g", "-XX:+UseSerialGC", "--add-opens",
        "java.base/sun.security.provider=ALL-UNNAMED", "--add-opens", "java.base/com.sun.crypto.provider=ALL-UNNAMED"})
public class RelayPathBenchmark {
    /** Packets per shot: 16 rounds of every stream of 2,000 calls. */
    static final int PACKETS = 64_000;
    /**
     * Calls (two streams each); 2,000 is as many as Parley's relay keeps up with on one core of this host with
     * SRTP. Must divide {@value #PACKETS} / 2.
     */
    @Param({"2000"})
    public int calls;
    private static final List<PayloadFormat> PCMU = List.of(PayloadFormat.of(0, "PCMU", 8000));
    private static final int PAYLOAD = 160;

    @Param({"srtp", "rtp"})
    public String mode;

    private DefaultEventLoop loop;
    private Endpoint[] endpoints;
    private NativeUdpSocket.Listener[] listeners;
    private InetSocketAddress[] sources;
    private SrtpSender[] peers; // what each stream's sender (the peer) protects with, or null for RTP
    private int[] sequences;
    private int[] timestamps;
    private byte[][] packets; // [round * streams + stream]
    private int[] lengths;
    private int rounds;
    private final ByteBuf received = Unpooled.wrappedBuffer(ByteBuffer.allocateDirect(ReceiveBuffer.CAPACITY));
    private final CountingSocket socket = new CountingSocket();

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        boolean srtp = mode.equals("srtp");
        Random random = new Random(7);
        loop = new DefaultEventLoop();
        MediaLoop media = new MediaLoop(loop, TimeUnit.SECONDS.toNanos(5)); // not started: no reports, no timeouts
        RelayTimings timings = new RelayTimings(TimeUnit.SECONDS.toNanos(30), TimeUnit.SECONDS.toNanos(2),
                TimeUnit.SECONDS.toNanos(5));
        Consumer<dev.parley.mediaapi.MediaEvent> events = e -> { };
        int streams = 2 * calls;
        if (PACKETS % streams != 0) {
            throw new IllegalArgumentException("calls must divide " + PACKETS / 2 + ": " + calls);
        }
        rounds = PACKETS / streams;
        endpoints = new Endpoint[streams];
        listeners = new NativeUdpSocket.Listener[streams];
        sources = new InetSocketAddress[streams];
        peers = new SrtpSender[streams];
        sequences = new int[streams];
        timestamps = new int[streams];
        packets = new byte[PACKETS][];
        lengths = new int[PACKETS];
        loop.submit(() -> {
            for (int e = 0; e < streams; e++) {
                int port = 20000 + 2 * e;
                endpoints[e] = new Endpoint(new EndpointId(e + 1), "bench", port, media, timings, events);
                endpoints[e].attach(socket, socket);
                listeners[e] = endpoints[e].listener(false);
                sources[e] = new InetSocketAddress("127.0.0.1", 40000 + e % 20000);
                Protection receive = Protection.none();
                Protection send = Protection.none();
                if (srtp) {
                    byte[] key = new byte[16];
                    byte[] salt = new byte[14];
                    random.nextBytes(key);
                    random.nextBytes(salt);
                    receive = new Protection.Sdes(SrtpSuite.AES_CM_128_HMAC_SHA1_80, key, salt);
                    peers[e] = new SrtpSender(SrtpProfile.AES_CM_128_HMAC_SHA1_80, key, salt);
                    byte[] ours = new byte[16];
                    byte[] oursSalt = new byte[14];
                    random.nextBytes(ours);
                    random.nextBytes(oursSalt);
                    send = new Protection.Sdes(SrtpSuite.AES_CM_128_HMAC_SHA1_80, ours, oursSalt);
                }
                endpoints[e].configure(new EndpointParameters(sources[e], null, true, PCMU, Direction.SENDRECV,
                        receive, send));
                sequences[e] = random.nextInt(65536);
                timestamps[e] = random.nextInt();
            }
            for (int c = 0; c < calls; c++) {
                if (!Endpoint.link(endpoints[2 * c], endpoints[2 * c + 1])) {
                    throw new IllegalStateException("could not bridge call " + c);
                }
            }
        }).get(60, TimeUnit.SECONDS);
        for (int i = 0; i < packets.length; i++) {
            packets[i] = new byte[RtpPacket.FIXED_HEADER_LENGTH + PAYLOAD + 16];
        }
    }

    /** The next rounds of packets of every stream, protected with its peer's key as the peer would. */
    @Setup(Level.Iteration)
    public void nextPackets() {
        int streams = endpoints.length;
        PacketBuffer buffer = new PacketBuffer(new byte[0], 0, 0);
        for (int round = 0; round < rounds; round++) {
            for (int s = 0; s < streams; s++) {
                int i = round * streams + s;
                byte[] p = packets[i];
                int length = RtpPacket.writeHeader(p, 0, false, 0, sequences[s], timestamps[s], 0x1000 + s);
                for (int k = 0; k < PAYLOAD; k++) {
                    p[length + k] = (byte) (k + s);
                }
                length += PAYLOAD;
                sequences[s] = (sequences[s] + 1) & 0xFFFF;
                timestamps[s] += PAYLOAD;
                if (peers[s] != null) {
                    buffer.set(p, 0, length);
                    if (peers[s].protectRtp(buffer) != SrtpStatus.OK) {
                        throw new IllegalStateException("protect failed");
                    }
                    length = buffer.length();
                }
                lengths[i] = length;
            }
        }
    }

    @Benchmark
    @OperationsPerInvocation(PACKETS)
    public long relay() throws Exception {
        // on the loop's thread, as in the relay (a FastThreadLocalThread: Workspace and NativeReceive are per thread)
        return loop.submit(this::relayAll).get(60, TimeUnit.SECONDS);
    }

    private long relayAll() {
        long before = socket.sent;
        int streams = endpoints.length;
        ByteBuf in = received;
        for (int round = 0; round < rounds; round++) {
            int base = round * streams;
            for (int s = 0; s < streams; s++) {
                int length = lengths[base + s];
                in.setBytes(0, packets[base + s], 0, length);
                in.setIndex(0, length);
                listeners[s].onDatagram(in, sources[s]);
            }
        }
        long sent = socket.sent - before;
        if (sent != (long) rounds * streams) {
            throw new IllegalStateException("relayed " + sent + " of " + rounds * streams);
        }
        return sent;
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        loop.shutdownGracefully(0, 1, TimeUnit.SECONDS);
        received.release();
    }

    /** A socket that counts what it is asked to send and sends nothing. */
    private static final class CountingSocket implements MediaSocket {
        long sent;
        long octets;

        @Override
        public boolean send(PacketBuffer packet, SendAddress to) {
            sent++;
            octets += packet.length();
            return true;
        }

        @Override
        public void send(byte[] array, int offset, int length, InetSocketAddress to) {
            sent++;
        }

        @Override
        public void moveTo(MediaLoop target, Consumer<Boolean> moved) {
            moved.accept(true);
        }

        @Override
        public void close(Runnable closed) {
            closed.run();
        }
    }
}
