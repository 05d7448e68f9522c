package dev.parley.media.relay;

import dev.parley.common.Scheduler;
import dev.parley.media.protect.PlainRtp;
import dev.parley.media.protect.Protections;
import dev.parley.media.protect.ReceiveProtection;
import dev.parley.media.protect.SendProtection;
import dev.parley.media.webrtc.WebRtcLeg;
import dev.parley.media.webrtc.WebRtcSetup;
import dev.parley.mediaapi.EndpointId;
import dev.parley.mediaapi.EndpointParameters;
import dev.parley.mediaapi.EndpointStats;
import dev.parley.mediaapi.MediaEvent;
import dev.parley.mediaapi.PayloadFormat;
import dev.parley.mediaapi.Protection;
import dev.parley.mediaapi.WebRtcTransport;
import dev.parley.rtp.PacketKind;
import dev.parley.rtp.PacketBuffer;
import dev.parley.rtp.RtpPacket;
import dev.parley.rtp.RtpStatus;
import dev.parley.rtp.event.TelephoneEventDetector;
import dev.parley.rtp.rtcp.RtcpStatus;
import dev.parley.rtp.srtp.SrtpReceiver;
import dev.parley.rtp.srtp.SrtpSender;
import dev.parley.rtp.srtp.SrtpStatus;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.DatagramPacket;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One leg's media: an RTP socket and an RTCP socket (or RTP and RTCP multiplexed on the first, RFC 5761), the
 * protection of each direction, source latching, the outgoing stream, reception statistics and the bridge partner.
 *
 * <p>Threading. An endpoint belongs to one event loop, its <em>home</em>; its sockets are registered there and
 * every packet, command and timer runs there to completion: receive, unprotect, rewrite, protect, send. The two
 * endpoints of a bridge share a home, so relaying is a direct call into the partner with no hand-off. Commands from
 * the control plane arrive through {@link #submit}. Bridging two endpoints that live on different loops moves the
 * second one: its sockets are deregistered from the old loop and registered on the new one (the kernel keeps queuing
 * datagrams meanwhile, so nothing is lost), and commands submitted during the move are parked and replayed in
 * submission order on the new home. Datagrams read before the first parameters arrived are kept briefly and
 * processed once they have ({@link EarlyPackets}): a loop may read them ahead of a configure task queued earlier.
 *
 * <p>A browser's endpoint ({@link #enableWebRtc}) has a {@link WebRtcLeg} in front of the relay: its RTP socket is
 * demultiplexed by first octet (RFC 7983) into STUN (answered by the ICE-lite agent, even before the parameters
 * are known), DTLS (into the handshake) and SRTP/SRTCP (rtcp-mux only, accepted only from addresses that passed
 * an ICE check). The ICE-selected pair replaces symmetric-RTP latching, and the DTLS-exported keys replace the
 * SDES contexts; its RTCP socket is bound but unused.
 */
public final class Endpoint {
    private static final Logger log = LoggerFactory.getLogger(Endpoint.class);
    private static final VarHandle PACKETS_RECEIVED = counter("packetsReceived");
    private static final VarHandle BYTES_RECEIVED = counter("bytesReceived");
    private static final VarHandle PACKETS_SENT = counter("packetsSent");
    private static final VarHandle BYTES_SENT = counter("bytesSent");

    private final EndpointId id;
    private final String label;
    private final int port;
    private final RelayTimings timings;
    private final Consumer<MediaEvent> events;
    private final byte[] cname;

    // Ownership: written under homeLock, read on the home loop.
    private final Object homeLock = new Object();
    private MediaLoop home;
    private List<Parked> parked;
    private long submissions;

    private MediaSocket rtpSocket;
    private MediaSocket rtcpSocket;
    /** The port this browser's endpoint shares with others, or null when it has sockets of its own. */
    private SharedWebRtcPort shared;
    /** Takes the sockets at close instead of closing them, or null. */
    private SocketKeeper keeper;

    // Loop-confined state.
    private EndpointParameters parameters;
    private ReceiveProtection receive = PlainRtp.INSTANCE;
    private SendProtection send = PlainRtp.INSTANCE;
    // receive's and send's SRTP contexts when they only pass packets on to one (see srtpReceiver()), else null:
    // the RTP path calls these directly, one cold object fewer per direction. Set with receive and send.
    private SrtpReceiver srtpReceive;
    private SrtpSender srtpSend;
    private Endpoint partner;
    private PayloadRoute inbound = PayloadRoute.NONE;
    // The payload type of the last packet and its route word (PayloadRoute.lookup), and whether the route
    // transcodes anything: a leg sends one payload type nearly always, and these fields spare each packet the
    // route and its table (two objects, each a likely cache miss in a relay of thousands of legs). Reset with
    // the route in updateRoutes().
    private int lastPayloadType = -1;
    private long lastRoute;
    private boolean inboundTranscodes;
    /**
     * {@code parameters.direction().parleySends()}, kept with the parameters (false until they are set): read for
     * every relayed packet.
     */
    private boolean parleySends;
    /** The bundled video of a browser bridged to a browser: relayed as it is, see {@link VideoRoute}. */
    private VideoRoute videoInbound = VideoRoute.NONE;
    /** The SSRCs this browser sent video from: RTCP about them crosses to the partner ({@link VideoFeedback}). */
    private final VideoSources videoSources = new VideoSources();
    private final Latch rtpLatch;
    private final Latch rtcpLatch;
    private final ReceptionStats reception;
    private final OutboundStream outbound;
    private long lastReceivedNanos;
    private boolean timeoutRaised;
    /**
     * Whether the RTP socket is {@code connect}ed to the latched source once a packet from it authenticated
     * ({@link #connectRtpSocketWhenLatched}); false for a browser's leg and once a socket refused.
     */
    private boolean connectsRtp;
    /** The latched source the RTP socket is connected to (the latch's own object), or null. */
    private InetSocketAddress rtpConnectedTo;
    /** Where the last datagram went, as sendto takes it (made again only when the target changes). */
    private SendAddress sendingTo;
    private long nextReportNanos;
    private final TelephoneEventDetector telephoneEvents = new TelephoneEventDetector();
    /** What arrived before the parameters: processed once they are here (see {@link EarlyPackets}). */
    private final EarlyPackets early = new EarlyPackets();
    /** ICE-lite and DTLS-SRTP for a browser's leg, or null for an RTP leg. */
    private WebRtcLeg webRtc;
    private volatile boolean closed;
    /** Set (from any thread) once the control plane has submitted parameters: until then nothing is relayed. */
    private volatile boolean parametersSubmitted;

    // Counters: written by the home loop only, read from any thread. The four every packet moves are plain fields
    // stored with opaque writes (a plain store on x86: atomic and eventually seen by stats(), which reads them
    // opaque too) instead of volatile ones, each of which cost a full fence (lock-prefixed) per store: four per
    // relayed packet. No reader needs an order between them.
    private long packetsReceived;
    private long bytesReceived;
    private long packetsSent;
    private long bytesSent;
    private volatile long packetsDropped;
    private volatile long srtpFailures;
    private volatile InetSocketAddress latchedSource;

    public Endpoint(EndpointId id, String label, int port, MediaLoop home, RelayTimings timings,
            Consumer<MediaEvent> events) {
        this.id = id;
        this.label = label;
        this.port = port;
        this.home = home;
        this.timings = timings;
        this.events = events;
        ThreadLocalRandom random = ThreadLocalRandom.current();
        this.outbound = new OutboundStream(random.nextInt(), random.nextInt(), random.nextInt());
        this.rtpLatch = new Latch(timings.relatchAfterNanos());
        this.rtcpLatch = new Latch(timings.relatchAfterNanos());
        this.reception = new ReceptionStats(System.nanoTime());
        byte[] token = new byte[8];
        random.nextBytes(token);
        // RFC 7022: a random CNAME per leg, so reports do not link a user's calls.
        this.cname = HexFormat.of().formatHex(token).getBytes(StandardCharsets.US_ASCII);
    }

    private static VarHandle counter(String name) {
        try {
            return MethodHandles.lookup().findVarHandle(Endpoint.class, name, long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    public EndpointId id() {
        return id;
    }

    public int port() {
        return port;
    }

    /**
     * Makes this a browser's endpoint (ICE-lite, DTLS-SRTP, rtcp-mux); call once, before its sockets are bound.
     * Returns what its SDP must advertise.
     */
    public WebRtcTransport enableWebRtc(WebRtcSetup setup) {
        if (webRtc != null) {
            throw new IllegalStateException(id + " is a WebRTC endpoint already");
        }
        webRtc = new WebRtcLeg(id, setup, new HomeScheduler(), this::submit, new WebRtcHost());
        return webRtc.advertised();
    }

    /** The handler for the RTP socket's channel ({@code rtcpPort == false}) or the RTCP socket's. */
    public ChannelHandler receiver(boolean rtcpPort) {
        return new Receiver(rtcpPort);
    }

    /** What the RTP socket ({@code rtcpPort == false}) or the RTCP socket hands its datagrams to, when native. */
    public NativeUdpSocket.Listener listener(boolean rtcpPort) {
        return new Receiver(rtcpPort);
    }

    /**
     * Connects the RTP socket ({@link MediaSocket#connect}) to the source this leg latches to, while that source is
     * live, so that the relay's packets to it leave without a route lookup each; call before {@link #attach}. The
     * kernel then refuses every other source's datagrams, which is what the {@link Latch} does while the latched source
     * is live: the socket is disconnected again before the latch may move (a quarter of the relatch period of silence,
     * checked by {@link #tick}: the media plane ticks at least every third of that period, and a tick may skip an
     * endpoint once, so 1/4 + 2/3 < 1), at every new set of parameters (a re-INVITE: a new SDP address resets the
     * latch, hold and resume) and when the pair goes idle. Nothing for a browser's leg (ICE chooses its address).
     */
    public void connectRtpSocketWhenLatched() {
        connectsRtp = true;
    }

    /** Called once, on the home loop, when both sockets are bound. */
    public void attach(MediaSocket rtp, MediaSocket rtcp) {
        this.rtpSocket = rtp;
        this.rtcpSocket = rtcp;
        home.add(this);
    }

    /**
     * {@link #attach}, and on {@link #close} the still-bound sockets go to {@code keeper} (an {@link IdlePairs}
     * cache) instead of being closed when it takes them. All per-call state is this object's, so an endpoint on a
     * reused pair starts afresh: latch, keys, counters, routes.
     */
    public void attach(MediaSocket rtp, MediaSocket rtcp, SocketKeeper keeper) {
        this.keeper = keeper;
        attach(rtp, rtcp);
    }

    // ---- commands (run on the home loop through submit) ----

    /**
     * Makes this WebRTC endpoint live on {@code port} instead of sockets of its own; call once, on the home loop,
     * after its ufrag is registered there.
     */
    public void attachShared(SharedWebRtcPort port) {
        if (webRtc == null) {
            throw new IllegalStateException(id + " is not a WebRTC endpoint");
        }
        this.shared = port;
        this.rtpSocket = new ChannelSocket(port.channel());
        home.add(this);
    }

    /** Whether this endpoint lives on a shared port (and so holds no port of the pool). */
    public boolean isShared() {
        return shared != null;
    }

    /**
     * A datagram the shared port routed here; called on the port's loop. Processed in place when this endpoint
     * lives on that loop and is not moving, else copied into a task on its home.
     */
    void deliverShared(ByteBuf content, InetSocketAddress from) {
        boolean atHome;
        synchronized (homeLock) {
            atHome = parked == null && home.inLoop();
        }
        if (atHome) {
            onDatagram(false, content, from);
            return;
        }
        ByteBuf copy = Unpooled.copiedBuffer(content);
        submit(() -> {
            try {
                onDatagram(false, copy, from);
            } finally {
                copy.release();
            }
        });
    }

    /** Runs {@code task} on this endpoint's home loop, in submission order, wherever the endpoint lives by then. */
    public void submit(Runnable task) {
        submit(task, false);
    }

    /**
     * {@link #submit} without waking the home loop: the task runs at the loop's next wake-up, at most one slice of
     * its tick later ({@link MediaLoop#executeLazily}), still in submission order with the others.
     */
    public void submitLazily(Runnable task) {
        submit(task, true);
    }

    private void submit(Runnable task, boolean lazily) {
        MediaLoop target;
        long sequence;
        synchronized (homeLock) {
            sequence = ++submissions;
            if (parked != null) {
                parked.add(new Parked(sequence, task));
                return;
            }
            target = home;
        }
        Runnable atHome = () -> runAtHome(sequence, task);
        if (lazily) {
            target.executeLazily(atHome);
        } else {
            target.execute(atHome);
        }
    }

    private void runAtHome(long sequence, Runnable task) {
        synchronized (homeLock) {
            if (parked != null) {
                parked.add(new Parked(sequence, task));
                return;
            }
            if (!home.inLoop()) {
                MediaLoop target = home;
                target.execute(() -> runAtHome(sequence, task));
                return;
            }
        }
        task.run();
    }

    /** Notes that parameters were submitted for this endpoint ({@link #configure} follows as a task); any thread. */
    public void parametersSubmitted() {
        parametersSubmitted = true;
    }

    /**
     * Whether nothing can be relayed to or from this endpoint yet, read from any thread: no parameters submitted,
     * and an endpoint without parameters drops (or keeps as {@link EarlyPackets}) what it receives and sends nothing.
     */
    public boolean awaitsParameters() {
        return !parametersSubmitted;
    }

    /** Whether this and {@code other} live on the same loop now, neither of them moving; any thread, a snapshot. */
    public boolean sharesHomeWith(Endpoint other) {
        MediaLoop mine;
        synchronized (homeLock) {
            if (parked != null) {
                return false;
            }
            mine = home;
        }
        synchronized (other.homeLock) {
            return other.parked == null && other.home == mine;
        }
    }

    /** The loop this endpoint lives on, or null while it moves between loops; any thread, a snapshot. */
    public MediaLoop settledHome() {
        synchronized (homeLock) {
            return parked == null ? home : null;
        }
    }

    /** The loop this endpoint lives on; call on that loop. */
    public MediaLoop home() {
        return home;
    }

    public void configure(EndpointParameters p) {
        if (closed) {
            return;
        }
        boolean browser = p.receive() instanceof Protection.DtlsSrtp || p.send() instanceof Protection.DtlsSrtp;
        if (browser != (webRtc != null)) {
            throw new IllegalArgumentException(webRtc != null
                    ? "a WebRTC endpoint needs DTLS-SRTP parameters (EndpointParameters.webRtc)"
                    : "DTLS-SRTP needs an endpoint opened with EndpointKind.WEBRTC");
        }
        if (webRtc != null) {
            webRtc.configure(p); // throws before anything changed when p is not a browser leg's
        }
        EndpointParameters old = parameters;
        // Whatever changed (the peer's address, hold or resume), the socket hears from anyone again until the
        // next authenticated packet connects it to the latched source: connected, it could not see a new source.
        disconnectRtp();
        if (old == null || !Objects.equals(old.remoteRtp(), p.remoteRtp())) {
            // The peer's SDP moved its media (a re-INVITE after transfer, a new device): follow the new address
            // and latch afresh instead of holding on to the old source.
            rtpLatch.reset();
            rtcpLatch.reset();
        }
        if (old == null || !old.receive().equals(p.receive())) {
            receiveWith(Protections.receiving(p.receive()));
        }
        if (old == null || !old.send().equals(p.send())) {
            sendWith(Protections.sending(p.send()));
        }
        parameters = p;
        parleySends = p.direction().parleySends();
        long now = System.nanoTime();
        lastReceivedNanos = now;
        timeoutRaised = false;
        if (old == null) {
            // RFC 3550 §6.2: the first report goes out after half an interval.
            nextReportNanos = now + randomizedInterval() / 2;
        }
        updateRoutes();
        if (partner != null) {
            partner.updateRoutes();
        }
        // Early packets are processed in a task of their own, behind the partner's parameters when the PBX
        // submitted those together with these (an answer configures both legs): relayed, not dropped for a
        // partner that is one task away from being configured.
        if (!early.isEmpty()) {
            submit(this::processEarlyWhenReady);
        }
        if (partner != null && !partner.early.isEmpty()) {
            partner.submit(partner::processEarlyWhenReady);
        }
    }

    /**
     * Moves this endpoint to {@code target} (when it is not there already) and then runs {@code then} on
     * {@code target}. Call on the current home loop, through {@link #submit}.
     */
    public void moveTo(MediaLoop target, Runnable then) {
        if (closed || home == target) {
            then.run();
            return;
        }
        MediaLoop from = home;
        synchronized (homeLock) {
            parked = new ArrayList<>();
        }
        unlink();
        from.remove(this);
        if (shared != null) {
            // No sockets of its own to move: the barrier alone (tasks queued on the old loop have parked).
            from.execute(() -> target.execute(() -> finishMove(target, then, true)));
            return;
        }
        // Both leave the old loop now, on it (no read there afterwards); the second report finishes the move.
        AtomicInteger reports = new AtomicInteger();
        AtomicBoolean allMoved = new AtomicBoolean(true);
        Consumer<Boolean> moved = ok -> {
            if (!ok) {
                allMoved.set(false);
            }
            if (reports.incrementAndGet() < 2) {
                return;
            }
            if (!allMoved.get()) {
                log.error("{} could not move its sockets between event loops; closing it", id);
            }
            // Barrier: tasks queued on the old loop before the move parked themselves by now.
            from.execute(() -> target.execute(() -> finishMove(target, then, allMoved.get())));
        };
        rtpSocket.moveTo(target, moved);
        rtcpSocket.moveTo(target, moved);
    }

    private void finishMove(MediaLoop target, Runnable then, boolean moved) {
        List<Parked> replay;
        synchronized (homeLock) {
            home = target;
            replay = parked;
            parked = null;
        }
        target.add(this);
        if (!moved) {
            closeChannels(() -> { });
            closed = true;
        } else {
            then.run();
        }
        replay.sort(Comparator.comparingLong(Parked::sequence));
        for (Parked p : replay) {
            p.task().run();
        }
    }

    /** Bridges two endpoints that share a home loop; call on it. Replaces any earlier bridge of either. */
    public static boolean link(Endpoint a, Endpoint b) {
        if (a.closed || b.closed || a.home != b.home || !a.home.inLoop()) {
            return false;
        }
        a.unlink();
        b.unlink();
        a.partner = b;
        b.partner = a;
        long now = System.nanoTime();
        for (Endpoint e : new Endpoint[] {a, b}) {
            e.lastReceivedNanos = now;
            e.timeoutRaised = false;
            e.updateRoutes();
        }
        return true;
    }

    public void unlink() {
        Endpoint old = partner;
        if (old != null) {
            partner = null;
            old.partner = null;
            old.updateRoutes();
            updateRoutes();
        }
    }

    /** Stops everything and closes the sockets; {@code onClosed} runs once both are closed (the ports are free). */
    public void close(Runnable onClosed) {
        if (closed) {
            // Already closed (a failed move between loops closes its sockets): the ports are free.
            onClosed.run();
            return;
        }
        closed = true;
        packetsDropped += early.clear();
        if (webRtc != null) {
            webRtc.close();
        }
        unlink();
        home.remove(this);
        if (keeper != null && shared == null && keeper.keep(home, port, rtpSocket, rtcpSocket)) {
            onClosed.run(); // the pair rests bound in the keeper's cache
            return;
        }
        closeChannels(onClosed);
    }

    private void closeChannels(Runnable onClosed) {
        if (shared != null) {
            shared.remove(this); // the shared socket stays open for the others
            onClosed.run();
            return;
        }
        MediaSocket rtcp = rtcpSocket;
        rtpSocket.close(() -> rtcp.close(onClosed));
    }

    public boolean isClosed() {
        return closed;
    }

    public EndpointStats stats() {
        return new EndpointStats((long) PACKETS_RECEIVED.getOpaque(this), (long) PACKETS_SENT.getOpaque(this),
                (long) BYTES_RECEIVED.getOpaque(this), (long) BYTES_SENT.getOpaque(this), packetsDropped,
                srtpFailures, latchedSource);
    }

    private void updateRoutes() {
        List<PayloadFormat> mine = parameters == null ? List.of() : parameters.formats();
        List<PayloadFormat> theirs = partner == null || partner.parameters == null
                ? List.of() : partner.parameters.formats();
        inbound = PayloadRoute.between(mine, theirs, inbound);
        inboundTranscodes = inbound.transcodes();
        lastPayloadType = -1;
        videoInbound = VideoRoute.between(parameters == null ? List.of() : parameters.video(),
                partner == null || partner.parameters == null ? List.of() : partner.parameters.video());
    }

    // ---- timers ----

    void tick(long now) {
        if (closed || parameters == null) {
            return;
        }
        if (rtpConnectedTo != null && now - rtpLatch.lastHeardNanos() >= timings.relatchAfterNanos() / 4) {
            // Before the latch may move to another source (see connectRtpSocketWhenLatched): the kernel must let
            // that source's packets through by then. The latched source's next packet connects again.
            disconnectRtp();
        }
        if (partner != null && parameters.direction().peerSends() && !timeoutRaised
                && now - lastReceivedNanos >= timings.mediaTimeoutNanos()) {
            timeoutRaised = true;
            emit(new MediaEvent.MediaTimeout(id));
        }
        if (now - nextReportNanos >= 0) {
            nextReportNanos = now + randomizedInterval();
            sendReport(now);
        }
    }

    /** RFC 3550 §6.3.5: a random 0.5–1.5 of the interval, so reports of many endpoints do not synchronise. */
    private long randomizedInterval() {
        return (long) (timings.rtcpIntervalNanos() * (0.5 + ThreadLocalRandom.current().nextDouble()));
    }

    private void sendReport(long now) {
        InetSocketAddress to = rtcpTarget();
        if (to == null) {
            return;
        }
        Workspace w = Workspace.current();
        if (RtcpReports.write(w, outbound, reception, cname, now) == RtcpStatus.OK
                && send.protectRtcp(w.buffer) == SrtpStatus.OK) {
            transmit(parameters.rtcpMux() ? rtpSocket : rtcpSocket, w.buffer, to);
        }
    }

    // ---- packets ----

    private final class Receiver extends ChannelInboundHandlerAdapter implements NativeUdpSocket.Listener {
        private final boolean rtcpPort;

        Receiver(boolean rtcpPort) {
            this.rtcpPort = rtcpPort;
        }

        @Override
        public void handlerAdded(ChannelHandlerContext ctx) {
            // Before the first read: native sockets read into their loop's one buffer (onDatagram copies at once)
            ReceiveBuffer.install(ctx.channel());
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            DatagramPacket datagram = (DatagramPacket) msg;
            try {
                Endpoint.this.onDatagram(rtcpPort, datagram.content(), datagram.sender());
            } finally {
                datagram.release();
            }
        }

        @Override
        public void onDatagram(ByteBuf content, InetSocketAddress from) {
            Endpoint.this.onDatagram(rtcpPort, content, from);
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            log.debug("{} socket error: {}", id, cause.toString());
        }
    }

    private void onDatagram(boolean rtcpPort, ByteBuf content, InetSocketAddress from) {
        int length = content.readableBytes();
        PACKETS_RECEIVED.setOpaque(this, packetsReceived + 1); // the home loop is the only writer
        BYTES_RECEIVED.setOpaque(this, bytesReceived + length);
        if (closed || length > Workspace.MAX_DATAGRAM) {
            packetsDropped++;
            return;
        }
        if (webRtc != null) {
            if (rtcpPort) {
                packetsDropped++; // rtcp-mux only: nothing is expected on the RTCP socket
                return;
            }
            Workspace w = Workspace.current();
            w.copyIn(content, length);
            if (PacketKind.of(w.array, 0, length) == PacketKind.STUN) {
                // ICE checks are answered at once, before the parameters too: the browser's checks may overtake
                // the answer that carries its ufrag (the agent authenticates with Parley's password either way).
                webRtc.onStun(w.array, 0, length, from);
                return;
            }
        }
        if (parameters == null || partnerAwaitsItsParameters()) {
            packetsDropped += early.keep(rtcpPort, content, from, System.nanoTime());
            return;
        }
        if (!early.isEmpty()) {
            processEarly(); // first, so the stream keeps its order
        }
        Workspace w = Workspace.current();
        w.copyIn(content, length);
        dispatch(rtcpPort, w, length, from);
    }

    private void dispatch(boolean rtcpPort, Workspace w, int length, InetSocketAddress from) {
        w.buffer.set(w.array, 0, length);
        long now = System.nanoTime();
        if (webRtc != null && !admittedByIce(w, length, from)) {
            return;
        }
        if (srtpReceive == null && !receive.keyed()) { // a context of its own is keyed: receive not read
            packetsDropped++;
            return;
        }
        if (rtcpPort || RtpPacket.isRtcp(w.array, 0, length)) {
            onRtcp(w, from, rtcpPort, now);
        } else {
            onRtp(w, from, now);
        }
    }

    /**
     * RFC 7983 demultiplexing of a browser's datagram that is not STUN: DTLS goes to the handshake, SRTP/SRTCP on
     * to the relay when its source passed an ICE check (RFC 8445 §7.3), the rest is dropped. True: relay it.
     */
    private boolean admittedByIce(Workspace w, int length, InetSocketAddress from) {
        PacketKind kind = PacketKind.of(w.array, 0, length);
        if (kind == PacketKind.DTLS) {
            if (!webRtc.onDtls(w.array, 0, length, from)) {
                packetsDropped++;
            }
            return false;
        }
        if ((kind == PacketKind.RTP || kind == PacketKind.RTCP) && webRtc.admits(from)) {
            return true;
        }
        packetsDropped++;
        return false;
    }

    /**
     * Whether the bridged partner's parameters were submitted and are not applied yet: an answer configures both legs
     * as two tasks, and the datagram the loop reads between them would meet a partner with no formats and be
     * dropped. It is kept instead; the partner's configure() has it processed. Call on the home loop.
     */
    private boolean partnerAwaitsItsParameters() {
        Endpoint to = partner;
        return to != null && to.parameters == null && to.parametersSubmitted;
    }

    /** Processes the early packets once this endpoint and its partner, if any, are configured. */
    private void processEarlyWhenReady() {
        if (!closed && parameters != null && (partner == null || partner.parameters != null)) {
            processEarly();
        }
        // else: the partner's configure() calls again; a packet arriving meanwhile processes them first
    }

    private void processEarly() {
        packetsDropped += early.drain((rtcpPort, data, length, from) -> {
            Workspace w = Workspace.current();
            System.arraycopy(data, 0, w.array, 0, length);
            dispatch(rtcpPort, w, length, from);
        }, System.nanoTime());
    }

    private void receiveWith(ReceiveProtection protection) {
        receive = protection;
        srtpReceive = protection.srtpReceiver();
    }

    private void sendWith(SendProtection protection) {
        send = protection;
        srtpSend = protection.srtpSender();
    }

    private SrtpStatus unprotectRtp(PacketBuffer buffer) {
        SrtpReceiver srtp = srtpReceive;
        return srtp != null ? srtp.unprotectRtp(buffer) : receive.unprotectRtp(buffer);
    }

    private SrtpStatus protectRtp(PacketBuffer buffer) {
        SrtpSender srtp = srtpSend;
        return srtp != null ? srtp.protectRtp(buffer) : send.protectRtp(buffer);
    }

    private void onRtp(Workspace w, InetSocketAddress from, long now) {
        PacketBuffer buffer = w.buffer;
        RtpPacket rtp = w.rtp;
        // Before decryption only the header can be checked: SRTP encrypts the padding (RFC 3711 §3.1).
        if (rtp.wrapHeader(buffer.array(), buffer.offset(), buffer.length()) != RtpStatus.OK
                || webRtc == null && !rtpLatch.admits(from, now)) {
            packetsDropped++;
            return;
        }
        // Authenticate before the source may latch or any state changes: the RTP header is not encrypted, so an
        // unauthenticated packet must not be trusted for anything.
        SrtpStatus verdict = unprotectRtp(buffer);
        if (verdict != SrtpStatus.OK || rtp.wrap(buffer) != RtpStatus.OK) {
            if (verdict != SrtpStatus.OK) {
                srtpFailures++;
            }
            packetsDropped++;
            return;
        }
        if (webRtc != null) {
            if (latchedSource != from) {
                latchedSource = from; // ICE chose the address (RFC 8445 §12.1); there is nothing to latch
                webRtc.onMedia(from); // unless the browser moved its media to another valid pair
            }
        } else {
            if (rtpLatch.heard(from, now)) {
                latchedSource = from;
                if (!from.equals(parameters.remoteRtp())) {
                    // Symmetric RTP (RFC 4961): send to where the media really comes from, not to the SDP's address.
                    emit(new MediaEvent.SourceLatched(id, from));
                }
            }
            if (connectsRtp && rtpConnectedTo != rtpLatch.source()) {
                connectRtp(rtpLatch.source());
            }
        }
        lastReceivedNanos = now;
        timeoutRaised = false;
        int type = rtp.payloadType();
        if (videoInbound.isVideo(type)) {
            onVideo(w, type);
            return;
        }
        long route;
        if (type == lastPayloadType) {
            route = lastRoute; // every question below is answered from this one word
        } else {
            route = inbound.lookup(type);
            lastRoute = route;
            lastPayloadType = type;
        }
        int clockRate = PayloadRoute.inputClockRateOf(route);
        reception.onPacket(rtp.ssrc(), rtp.sequenceNumber(), rtp.timestamp(), clockRate, now);
        if (PayloadRoute.isTelephoneEventOf(route)) {
            onTelephoneEvent(rtp, clockRate);
        }
        Endpoint to = partner;
        int outputType = PayloadRoute.outputTypeOf(route);
        if (to == null || outputType == PayloadRoute.DROP) {
            packetsDropped++;
            return;
        }
        Transcoder transcoder = inboundTranscodes ? inbound.transcoder(type) : null;
        if (transcoder != null) {
            transcode(w, transcoder, to, outputType, PayloadRoute.outputClockRateOf(route), now);
        } else if (!to.relay(w, outputType, PayloadRoute.conversionOf(route), PayloadRoute.outputClockRateOf(route),
                now)) {
            packetsDropped++;
        }
    }

    /** RFC 4733 §2.5.1.4: the end packet is repeated; the detector reports each event once. */
    private void onTelephoneEvent(RtpPacket rtp, int clockRate) {
        if (telephoneEvents.offer(rtp) == TelephoneEventDetector.Result.ENDED) {
            emit(new MediaEvent.TelephoneEvent(id, telephoneEvents.event(),
                    (int) (telephoneEvents.duration() * 1000L / Math.max(1, clockRate))));
        }
    }

    /** Transcoded: the packet may yield none, one or several for the other leg, each sent as it is written. */
    private void transcode(Workspace w, Transcoder transcoder, Endpoint to, int outputType, int outputClockRate,
            long now) {
        if (!transcoder.accept(w.rtp)) {
            packetsDropped++;
        }
        while (transcoder.next(w)) {
            to.relay(w, outputType, Conversion.NONE, outputClockRate, now);
        }
    }

    /**
     * A browser's video packet (RFC 8843: the same transport as its audio, told apart by payload type): to the
     * partner browser with its SSRC, sequence number and timestamp as they are, so that the receiver's NACK, PLI
     * and FIR name what the sender knows. Not in the audio's reception statistics (another SSRC, another clock).
     */
    private void onVideo(Workspace w, int type) {
        videoSources.add(w.rtp.ssrc());
        Endpoint to = partner;
        int outputType = videoInbound.outputType(type);
        if (to == null || outputType == VideoRoute.DROP || !to.sendVideo(w, outputType)) {
            packetsDropped++;
        }
    }

    /** Sends a video packet relayed from the partner browser, renumbered to {@code payloadType} only. */
    private boolean sendVideo(Workspace w, int payloadType) {
        if (closed || !parleySends) {
            return false;
        }
        InetSocketAddress to = rtpTarget();
        if (to == null) {
            return false;
        }
        w.rtp.payloadType(payloadType);
        // A retransmission (RFC 4585 generic NACK answered without rtx) of a packet already relayed repeats its
        // SRTP index, which the sender refuses (RFC 3711 §9.1: no keystream twice): it is dropped here.
        if (protectRtp(w.buffer) != SrtpStatus.OK) {
            return false;
        }
        transmit(rtpSocket, w.buffer, to);
        return true;
    }

    /** RTCP about the relayed video from the partner browser, as it came (see {@link VideoFeedback}). */
    private void forwardVideoRtcp(Workspace w) {
        if (closed || parameters == null || parameters.video().isEmpty()) {
            return;
        }
        InetSocketAddress to = rtcpTarget();
        if (to != null && send.protectRtcp(w.buffer) == SrtpStatus.OK) {
            transmit(rtpSocket, w.buffer, to); // a WebRTC leg muxes RTCP (RFC 8829 §5.1.1)
        }
    }

    /** Sends a packet relayed from the partner to this leg's peer. Returns false when it was not sent. */
    private boolean relay(Workspace w, int payloadType, Conversion conversion, int clockRate, long now) {
        if (closed || !parleySends) {
            // Hold (RFC 3264 §8.4): the SDP Parley sent this peer says Parley does not send.
            return false;
        }
        InetSocketAddress to = rtpTarget();
        if (to == null) {
            return false;
        }
        RtpPacket rtp = w.rtp;
        int payloadOctets = rtp.payloadLength();
        conversion.apply(rtp.array(), rtp.payloadOffset(), rtp.payloadOffset() + payloadOctets);
        outbound.rewrite(rtp, payloadType, clockRate, now);
        if (protectRtp(w.buffer) != SrtpStatus.OK) {
            return false;
        }
        outbound.sent(payloadOctets);
        transmit(rtpSocket, w.buffer, to);
        return true;
    }

    private void onRtcp(Workspace w, InetSocketAddress from, boolean rtcpPort, long now) {
        Latch latch = rtcpPort ? rtcpLatch : rtpLatch;
        PacketBuffer buffer = w.buffer;
        if (buffer.length() < 8 || (buffer.array()[0] & 0xC0) != 0x80
                || webRtc == null && !latch.admits(from, now)) {
            packetsDropped++;
            return;
        }
        if (receive.unprotectRtcp(buffer) != SrtpStatus.OK) {
            srtpFailures++;
            packetsDropped++;
            return;
        }
        if (rtcpPort) {
            rtcpLatch.heard(from, now);
        }
        // A peer that suppresses silence (DTX, VAD) may send nothing but RTCP for a long time: that is still a
        // live peer, so RTCP counts against the media timeout.
        lastReceivedNanos = now;
        timeoutRaised = false;
        if (!RtcpReports.read(w, buffer, reception, now)) {
            packetsDropped++;
            return;
        }
        Endpoint to = partner;
        if (to != null && !parameters.video().isEmpty() && w.videoFeedback.concernsVideo(buffer.array(),
                buffer.offset(), buffer.length(), videoSources, to.videoSources)) {
            to.forwardVideoRtcp(w);
        }
    }

    /** Connects the RTP socket to the latched {@code source} (see {@link #connectRtpSocketWhenLatched}). */
    private void connectRtp(InetSocketAddress source) {
        if (rtpSocket.connect(source)) {
            rtpConnectedTo = source;
        } else {
            rtpConnectedTo = null;
            // This socket does not connect (a Netty channel; a wildcard bind whose route back to the source leaves by
            // another local address than the one the source sends to, or an IPv6 source): not tried again this call.
            // A wildcard socket asked for an early packet (handed on here, not by the socket) waits for the next.
            connectsRtp = rtpSocket.connectsLater();
        }
    }

    private void disconnectRtp() {
        if (rtpConnectedTo != null) {
            rtpConnectedTo = null;
            rtpSocket.disconnect();
        }
    }

    private InetSocketAddress rtpTarget() {
        if (webRtc != null) {
            return webRtc.target();
        }
        InetSocketAddress latched = rtpLatch.source();
        return latched != null ? latched : parameters.remoteRtp();
    }

    private InetSocketAddress rtcpTarget() {
        if (parameters.rtcpMux()) {
            return rtpTarget();
        }
        if (rtcpLatch.source() != null) {
            return rtcpLatch.source();
        }
        if (parameters.remoteRtcp() != null) {
            return parameters.remoteRtcp();
        }
        InetSocketAddress rtp = parameters.remoteRtp();
        // RFC 3550 §11: without an a=rtcp attribute, RTCP goes to the RTP port + 1.
        return rtp == null ? null : new InetSocketAddress(rtp.getAddress(), rtp.getPort() + 1);
    }

    private void transmit(MediaSocket socket, PacketBuffer p, InetSocketAddress to) {
        PACKETS_SENT.setOpaque(this, packetsSent + 1); // the home loop is the only writer
        BYTES_SENT.setOpaque(this, bytesSent + p.length());
        SendAddress target = sendingTo;
        if (target == null || target.address() != to) {
            sendingTo = target = SendAddress.of(to); // the target is the same object while it does not change
        }
        if (!socket.send(p, target)) {
            packetsDropped++;
        }
    }

    private void emit(MediaEvent event) {
        events.accept(event);
    }

    @Override
    public String toString() {
        return id + " (" + label + ", port " + port + ")";
    }

    private record Parked(long sequence, Runnable task) {
    }

    /** The WebRTC leg's view of this endpoint; everything runs on the home loop. */
    private final class WebRtcHost implements WebRtcLeg.Host {
        @Override
        public void send(byte[] array, int offset, int length, InetSocketAddress to) {
            if (closed || rtpSocket == null) {
                return;
            }
            // STUN answers and DTLS records: not media, so not in the media counters.
            rtpSocket.send(array, offset, length, to);
        }

        @Override
        public void protect(ReceiveProtection receiving, SendProtection sending) {
            receiveWith(receiving);
            sendWith(sending);
        }

        @Override
        public void emit(MediaEvent event) {
            Endpoint.this.emit(event);
        }

        @Override
        public void validated(InetSocketAddress remote) {
            if (shared != null) {
                shared.admit(Endpoint.this, remote);
            }
        }

        @Override
        public void selected(InetSocketAddress remote) {
            if (shared != null) {
                shared.select(Endpoint.this, remote);
            }
        }
    }

    /**
     * The ICE agent's timers on this endpoint's loop, wherever it lives by then: a timer fires on the loop that
     * was home when it was set and runs the task through {@link #submit}, so a move between loops cannot run it
     * beside the endpoint's other work.
     */
    private final class HomeScheduler implements Scheduler {
        @Override
        public long nanoTime() {
            return System.nanoTime();
        }

        @Override
        public Timer schedule(Duration delay, Runnable task) {
            HomeTimer timer = new HomeTimer();
            timer.future = home.eventLoop().schedule(() -> submit(() -> {
                if (!timer.cancelled) {
                    task.run();
                }
            }), Math.max(0, delay.toNanos()), TimeUnit.NANOSECONDS);
            return timer;
        }
    }

    private static final class HomeTimer implements Scheduler.Timer {
        private volatile boolean cancelled;
        private io.netty.util.concurrent.Future<?> future;

        @Override
        public void cancel() {
            cancelled = true;
            if (future != null) {
                future.cancel(false);
            }
        }

        @Override
        public boolean isCancelled() {
            return cancelled;
        }
    }
}
