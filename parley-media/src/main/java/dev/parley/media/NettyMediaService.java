package dev.parley.media;

import dev.parley.media.port.PortPool;
import dev.parley.media.relay.ChannelSocket;
import dev.parley.media.relay.Endpoint;
import dev.parley.media.relay.IdlePairs;
import dev.parley.media.relay.ReadyPairs;
import dev.parley.media.relay.MediaLoop;
import dev.parley.media.relay.MediaSocket;
import dev.parley.media.relay.NativeUdpSocket;
import dev.parley.media.relay.RelayTimings;
import dev.parley.media.relay.SharedWebRtcPort;
import dev.parley.media.relay.Transcodings;
import dev.parley.media.webrtc.WebRtcSetup;
import dev.parley.mediaapi.EndpointKind;
import dev.parley.mediaapi.EndpointId;
import dev.parley.mediaapi.EndpointParameters;
import dev.parley.mediaapi.EndpointRequest;
import dev.parley.mediaapi.EndpointStats;
import dev.parley.mediaapi.LocalMedia;
import dev.parley.mediaapi.MediaEvent;
import dev.parley.mediaapi.MediaService;
import dev.parley.mediaapi.MediaUnavailableException;
import dev.parley.mediaapi.PayloadFormat;
import dev.parley.mediaapi.WebRtcTransport;
import dev.parley.rtp.dtls.DtlsCertificate;
import dev.parley.rtp.dtls.DtlsSettings;
import dev.parley.rtp.ice.IceLiteSettings;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoEventLoop;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.EventExecutor;
import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The media plane on Netty: {@code new NettyMediaService(settings)}, {@link #start()}, drive it through
 * {@link MediaService}, {@link #stop()}.
 *
 * <p>Each endpoint is opened on the next event loop in turn, or on the loop of {@link EndpointRequest#near()} when
 * that endpoint is still open: the PBX opens a callee's endpoint near the caller's, so bridging the two later moves
 * nothing. {@link #bridge} still moves the second endpoint onto the first one's loop when they differ (see
 * {@link Endpoint}), since a transfer bridges legs that were opened for different calls; a move deregisters and
 * re-registers the sockets, and packets arriving meanwhile may be lost, which is why the hint exists.
 *
 * <p>A {@link EndpointKind#WEBRTC} endpoint is a browser's leg: ICE-lite and DTLS-SRTP on its RTP port (see
 * {@link Endpoint#enableWebRtc}). All of them present one DTLS certificate, made when the service is created.
 * With {@link MediaSettings#webRtcPort()} set, they all share that one UDP port ({@link SharedWebRtcPort}) instead
 * of taking a pair of the range each.
 *
 * <p>A closed endpoint's RTP/RTCP sockets stay bound, idle, in its loop's {@link IdlePairs} (up to
 * {@link MediaSettings#idlePairsPerLoop()}, and no more than the loop's share of the range), and a later endpoint
 * on that loop takes the oldest pair that has rested {@link MediaSettings#idleQuarantine()} (or, when the range is
 * too small for that rate, rested longer than any free port), drained of whatever arrived meanwhile, instead of
 * binding a new one. An
 * idle pair counts as free ({@link #freePortPairs()}); when the range has nothing else, an idle pair is taken
 * before its rest is over, or another loop's is closed and its port bound again.
 *
 * <p>All methods may be called from any thread and return at once; the work runs on the endpoint's loop.
 */
public final class NettyMediaService implements MediaService, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(NettyMediaService.class);

    private final MediaSettings settings;
    private final IoFlavor flavor;
    /**
     * Whether endpoints' sockets are {@link NativeUdpSocket}s (epoll, Netty's native recvmsg reachable) rather than
     * Netty channels.
     */
    private final boolean nativeSockets;
    private final PortPool pool;
    private final RelayTimings timings;
    private final Map<EndpointId, Endpoint> endpoints = new ConcurrentHashMap<>();
    private final List<Listener> listeners = new CopyOnWriteArrayList<>();
    private final AtomicLong ids = new AtomicLong();
    private final AtomicInteger slots = new AtomicInteger();
    private final AtomicInteger nextLoop = new AtomicInteger();
    /** Endpoints opened on an idle pair, and on native sockets bound afresh: how often reuse works under load. */
    private final LongAdder reusedPairs = new LongAdder();
    private final LongAdder readyOpens = new LongAdder();
    private final LongAdder boundPairs = new LongAdder();

    private final WebRtcSetup webRtc;

    private volatile EventLoopGroup group;
    private volatile List<MediaLoop> loops = List.of();
    private volatile SharedWebRtcPort sharedPort;
    /** Each loop's idle pairs; empty when the cache is off or the service is not running. */
    private volatile Map<MediaLoop, IdlePairs> idle = Map.of();
    /** Each loop's rested idle pairs that an open takes on its own thread; empty when the cache is off. */
    private volatile Map<MediaLoop, ReadyPairs> ready = Map.of();
    /** Set while stopping: closing endpoints close their sockets instead of leaving them idle. */
    private volatile boolean stopping;

    /** An idle pair that rested this long is closed: an idle server keeps nothing bound. */
    private static final Duration IDLE_LIFETIME = Duration.ofSeconds(60);

    public NettyMediaService(MediaSettings settings) {
        this.settings = settings;
        this.flavor = IoFlavor.choose(settings.preferNative());
        this.nativeSockets = flavor.isNative() && NativeUdpSocket.unavailable() == null;
        this.ipv4Only = settings.advertisedAddress() instanceof Inet4Address;
        this.pool = new PortPool(settings.portMin(), settings.portMax());
        this.timings = new RelayTimings(settings.mediaTimeout().toNanos(), settings.relatchAfterSilence().toNanos(),
                settings.rtcpInterval().toNanos());
        this.webRtc = new WebRtcSetup(DtlsCertificate.generate(),
                IceLiteSettings.defaults().withConsentTimeout(settings.consentTimeout()), DtlsSettings.defaults(),
                new SecureRandom());
    }

    /** Starts the event loops. */
    public synchronized void start() {
        if (group != null) {
            return;
        }
        EventLoopGroup g = new MultiThreadIoEventLoopGroup(settings.eventLoops(),
                new DefaultThreadFactory("parley-media", true), flavor.handlers());
        // The tick sends due RTCP reports and checks timeouts: often enough for both, at most once a second.
        long tick = Math.max(Duration.ofMillis(20).toNanos(), Math.min(Duration.ofSeconds(1).toNanos(),
                Math.min(timings.mediaTimeoutNanos(), timings.rtcpIntervalNanos()) / 5));
        if (settings.connectLatchedSockets()) {
            // A connected socket is disconnected by the tick before its latch may move: at least every third of the
            // relatch period (Endpoint.connectRtpSocketWhenLatched; with the default 2 s, 667 ms instead of 1 s).
            tick = Math.min(tick, timings.relatchAfterNanos() / 3);
        }
        List<MediaLoop> created = new ArrayList<>();
        for (EventExecutor executor : g) {
            MediaLoop loop = new MediaLoop((EventLoop) executor, tick);
            loop.start();
            created.add(loop);
        }
        loops = List.copyOf(created);
        idle = idlePairs(created);
        ready = readyPairs(idle);
        stopping = false;
        group = g;
        if (settings.webRtcPort() != 0) {
            bindSharedPort(created.get(0));
        }
        if (settings.prebindIdlePairs()) {
            idle.forEach((loop, pairs) -> loop.eventLoop().execute(() -> prebind(loop, pairs)));
        }
        log.info("media plane started: {} event loop(s) on {} ({}), ports {}-{} on {}, advertised as {}",
                created.size(), flavor.why(), nativeSockets ? "sockets without channels"
                        : flavor.isNative() ? "channels: " + NativeUdpSocket.unavailable() : "channels",
                settings.portMin(), settings.portMax(),
                settings.bindAddress().getHostAddress(), settings.advertisedAddress().getHostAddress());
    }

    private Map<MediaLoop, IdlePairs> idlePairs(List<MediaLoop> created) {
        if (settings.idlePairsPerLoop() == 0 || !nativeSockets) {
            return Map.of();
        }
        Map<MediaLoop, IdlePairs> caches = new HashMap<>();
        long lifetime = Math.max(IDLE_LIFETIME.toNanos(), 2 * settings.idleQuarantine().toNanos());
        // Each loop's share of the range at most. Not half of it, as before: at 1,600 calls/s a 2-loop server whose
        // range holds 4,450 pairs reused only a minority of its pairs (docs/benchmarks.md, 7 December, sipcpu2).
        // A loop that finds nothing free closes another loop's oldest idle pair (fallBackToIdle).
        int perLoop = Math.min(settings.idlePairsPerLoop(), Math.max(1, pool.capacity() / created.size()));
        for (MediaLoop loop : created) {
            IdlePairs pairs = new IdlePairs((IoEventLoop) loop.eventLoop(), perLoop,
                    settings.idleQuarantine().toNanos(), lifetime, pool::discard);
            loop.eventLoop().scheduleAtFixedRate(() -> pairs.expire(System.nanoTime()), 5, 5, TimeUnit.SECONDS);
            caches.put(loop, pairs);
        }
        return Map.copyOf(caches);
    }

    /**
     * Rested pairs each loop sets aside for opens on other threads ({@link ReadyPairs}), refilled at each slice of
     * its tick (10-20 ms): enough for 3,200 opens/s on one loop between two slices.
     */
    private static final int READY_PAIRS_PER_LOOP = 64;

    private Map<MediaLoop, ReadyPairs> readyPairs(Map<MediaLoop, IdlePairs> caches) {
        Map<MediaLoop, ReadyPairs> sets = new HashMap<>();
        long lifetime = Math.max(IDLE_LIFETIME.toNanos(), 2 * settings.idleQuarantine().toNanos());
        caches.forEach((loop, pairs) -> {
            ReadyPairs set = new ReadyPairs(loop, pairs, READY_PAIRS_PER_LOOP,
                    this::noFreePortRestedSince, this::closeIdle);
            loop.eventLoop().execute(() -> loop.atEverySlice(() -> set.refill(System.nanoTime())));
            loop.eventLoop().scheduleAtFixedRate(() -> set.expire(System.nanoTime(), lifetime), 5, 5,
                    TimeUnit.SECONDS);
            sets.put(loop, set);
        });
        return Map.copyOf(sets);
    }

    /** Closes a pair that rested unused and gives its port back to the pool; on its loop. */
    private void closeIdle(IdlePairs.Pair pair) {
        pair.rtp().close();
        pair.rtcp().close();
        pool.discard(pair.port());
    }

    /** Pairs {@link #prebind} binds per task: the loop serves the opens queued meanwhile between two batches. */
    private static final int PREBIND_BATCH = 64;

    /**
     * On {@code loop}: binds free pairs of the range into its idle cache until the cache is full or the range has
     * none left, a batch per task ({@link MediaSettings#withPrebindIdlePairs}). Each rests since a quarantine ago:
     * it never carried a call, so no late packet of one can reach it. A port another process holds is skipped (back
     * to the pool). Stops when the service stops or restarts.
     */
    private void prebind(MediaLoop loop, IdlePairs pairs) {
        long fitForUse = System.nanoTime() - settings.idleQuarantine().toNanos();
        IoEventLoop io = (IoEventLoop) loop.eventLoop();
        for (int i = 0; i < PREBIND_BATCH; i++) {
            if (stopping || idle.get(loop) != pairs || pairs.isFull()) {
                return;
            }
            OptionalInt leased = pool.acquire();
            if (leased.isEmpty()) {
                return;
            }
            int port = leased.getAsInt();
            NativeUdpSocket[] bound = bindNativePair(port);
            if (bound == null) {
                pool.release(port);
                continue;
            }
            NativeUdpSocket rtpSocket = bound[0];
            NativeUdpSocket rtcp = bound[1];
            // no listener: registered for EPOLLIN, it reads and drops what arrives, as a resting pair does
            rtpSocket.register(io, null, rtpFailed -> rtcp.register(io, null, rtcpFailed -> {
                if (rtpFailed != null || rtcpFailed != null || stopping || idle.get(loop) != pairs
                        || !pairs.park(port, rtpSocket, rtcp, fitForUse)) {
                    rtpSocket.close();
                    rtcp.close();
                    pool.release(port);
                    return;
                }
                pool.park(port);
            }));
        }
        loop.eventLoop().execute(() -> prebind(loop, pairs));
    }

    /**
     * Receive buffer of the one socket every browser sends to. The default (net.core.rmem_default, 208 KiB here)
     * holds about 1 500 SRTP packets: 500 browser calls at 50 packets/s fill it in 60 ms when the loop is busy, and
     * the browser-load benchmark counted kernel drops there at 500 calls while the relay's core was 30 % busy. The
     * kernel caps this at net.core.rmem_max.
     */
    private static final int SHARED_PORT_RECEIVE_BUFFER = 4 << 20;

    private void bindSharedPort(MediaLoop loop) {
        SharedWebRtcPort port = new SharedWebRtcPort(loop);
        ChannelFuture bound = new Bootstrap()
                .group(loop.eventLoop())
                .channel(flavor.datagram())
                .option(ChannelOption.ALLOCATOR, MEDIA_ALLOCATOR)
                .handler(port.receiver())
                .option(ChannelOption.SO_RCVBUF, SHARED_PORT_RECEIVE_BUFFER)
                .bind(new InetSocketAddress(settings.bindAddress(), settings.webRtcPort()))
                .awaitUninterruptibly();
        if (!bound.isSuccess()) {
            stop();
            throw new IllegalStateException("the shared WebRTC port " + settings.webRtcPort() + " cannot be bound ("
                    + bound.cause() + "): choose another or free it");
        }
        port.attach(bound.channel());
        sharedPort = port;
    }

    /** Closes every endpoint and idle pair and stops the event loops; waits up to five seconds for each. */
    public synchronized void stop() {
        EventLoopGroup g = group;
        if (g == null) {
            return;
        }
        stopping = true;
        CountDownLatch closed = new CountDownLatch(endpoints.size());
        for (EndpointId id : List.copyOf(endpoints.keySet())) {
            closeThen(id, closed::countDown);
        }
        await(closed);
        Map<MediaLoop, IdlePairs> caches = idle;
        Map<MediaLoop, ReadyPairs> readySets = ready;
        idle = Map.of();
        ready = Map.of();
        CountDownLatch idleClosed = new CountDownLatch(caches.size());
        caches.forEach((loop, pairs) -> loop.eventLoop().execute(() -> {
            ReadyPairs set = readySets.get(loop);
            if (set != null) {
                set.closeAll();
            }
            pairs.closeAll(idleClosed::countDown);
        }));
        await(idleClosed);
        SharedWebRtcPort port = sharedPort;
        if (port != null) {
            sharedPort = null;
            port.close();
        }
        group = null;
        loops = List.of();
        g.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
        log.info("media plane stopped; {} endpoints opened on idle pairs ({} with no round trip through their loop),"
                + " {} on pairs bound afresh", reusedPairs.sum(), readyOpens.sum(), boundPairs.sum());
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        stop();
    }

    /** Which I/O implementation runs: native epoll, or Java NIO and why. */
    public String transport() {
        return flavor.why();
    }

    /** PCMU ↔ PCMA, and either ↔ Opus (see {@link Transcodings}). */
    @Override
    public List<PayloadFormat> convertibleFormats() {
        return Transcodings.CONVERTIBLE;
    }

    /** Datagrams the shared WebRTC port could not route to an endpoint (0 without a shared port). */
    public long unroutedOnSharedPort() {
        SharedWebRtcPort port = sharedPort;
        return port == null ? 0 : port.unrouted();
    }

    /** How many RTP/RTCP port pairs are free: unbound ones and idle ones (bound, resting for reuse). */
    public int freePortPairs() {
        return pool.available();
    }

    /** How many of the free pairs rest bound in the loops' idle caches. */
    public int idlePortPairs() {
        return pool.parked();
    }

    /** How many rested idle pairs wait for an open on any thread ({@link ReadyPairs}); for tests. */
    int readyPortPairs() {
        int sum = 0;
        for (ReadyPairs pairs : ready.values()) {
            sum += pairs.size();
        }
        return sum;
    }

    /** Endpoints opened on an idle pair (since the service was created). */
    public long reusedIdlePairs() {
        return reusedPairs.sum();
    }

    /**
     * Of {@link #reusedIdlePairs}, the endpoints opened on a {@link ReadyPairs ready pair} by the opening thread
     * itself, with no round trip through the loop.
     */
    public long openedOnReadyPairs() {
        return readyOpens.sum();
    }

    /** Endpoints opened on native sockets bound afresh (since the service was created). */
    public long freshlyBoundPairs() {
        return boundPairs.sum();
    }

    /** Datagrams that reached idle pairs and were dropped when the pairs were reused. */
    public long drainedFromIdlePairs() {
        long sum = 0;
        for (IdlePairs pairs : idle.values()) {
            sum += pairs.drained();
        }
        for (ReadyPairs pairs : ready.values()) {
            sum += pairs.drained();
        }
        return sum;
    }

    @Override
    public CompletionStage<LocalMedia> open(EndpointRequest request) {
        CompletableFuture<LocalMedia> result = new CompletableFuture<>();
        List<MediaLoop> current = loops;
        if (current.isEmpty()) {
            result.completeExceptionally(new MediaUnavailableException("the media plane is not running"));
            return result;
        }
        if (slots.incrementAndGet() > settings.maxEndpoints()) {
            slots.decrementAndGet();
            result.completeExceptionally(new MediaUnavailableException("the media plane already serves its maximum of "
                    + settings.maxEndpoints() + " endpoints"));
            return result;
        }
        Endpoint near = request.near() == null ? null : endpoints.get(request.near());
        SharedWebRtcPort port = sharedPort;
        if (request.kind() == EndpointKind.WEBRTC && port != null) {
            if (near == null) {
                openShared(request, nextLoop(current), port, result);
            } else {
                near.submit(() -> openShared(request, near.isClosed() ? nextLoop(current) : near.home(), port,
                        result));
            }
        } else if (near == null) {
            MediaLoop loop = nextLoop(current);
            if (!openReady(request, loop, result)) {
                openPair(request, loop, result);
            }
        } else {
            MediaLoop nearHome = near.isClosed() ? null : near.settledHome();
            if (nearHome == null || !openReady(request, nearHome, result)) {
                // Read near's home on that home (it is loop-confined) and open there; a near endpoint that closed
                // meanwhile is no hint any more.
                near.submit(() -> openPair(request, near.isClosed() ? nextLoop(current) : near.home(), result));
            }
        }
        return result;
    }

    /**
     * Opens a plain endpoint on one of {@code loop}'s ready pairs ({@link ReadyPairs}) on this thread, completing
     * {@code result} at once: no task for the loop to run and answer. The endpoint's loop-confined state follows
     * in a lazily queued attach, ahead of its configure, bridge and close. False when no pair is ready (or the
     * request is a browser's): open through the loop.
     */
    private boolean openReady(EndpointRequest request, MediaLoop loop, CompletableFuture<LocalMedia> result) {
        ReadyPairs set = request.kind() == EndpointKind.WEBRTC ? null : ready.get(loop);
        IdlePairs.Pair pair = set == null ? null : set.take();
        if (pair == null) {
            return false;
        }
        pool.unpark(pair.port());
        Endpoint endpoint = new Endpoint(new EndpointId(ids.incrementAndGet()), request.label(), pair.port(), loop,
                timings, this::publish);
        boolean[] attached = {false};
        Runnable attach = () -> {
            if (attached[0]) {
                return; // run by the first datagram read after the claim, before its queued task
            }
            attached[0] = true;
            boolean resumed = set.resume(pair, endpoint.listener(false), endpoint.listener(true));
            attachOnLoop(endpoint, pair.rtp(), pair.rtcp(), null);
            set.refill(System.nanoTime());
            if (!resumed) {
                // the loop is shutting down (nothing else closes a taken pair): close it as any endpoint
                closeThen(endpoint.id(), () -> { });
            }
        };
        reusedPairs.increment();
        readyOpens.increment();
        ReadyPairs.claim(pair, attach);
        // queued before the endpoint can be found: whatever is queued for it later (a stop's close too) runs after
        endpoint.submitLazily(attach);
        endpoints.put(endpoint.id(), endpoint);
        result.complete(localMedia(endpoint, null));
        return true;
    }

    /** On {@code loop}: its oldest idle pair when that has rested its quarantine, else a pair bound afresh. */
    private void openPair(EndpointRequest request, MediaLoop loop, CompletableFuture<LocalMedia> result) {
        if (!loop.eventLoop().inEventLoop()) {
            try {
                loop.eventLoop().execute(() -> openPair(request, loop, result));
            } catch (RejectedExecutionException e) {
                slots.decrementAndGet();
                result.completeExceptionally(new MediaUnavailableException("the media plane is not running"));
            }
            return;
        }
        try {
            IdlePairs own = idle.get(loop);
            IdlePairs.Pair rested = own == null ? null
                    : own.takeForReuse(System.nanoTime(), this::noFreePortRestedSince);
            if (rested != null) {
                reuse(request, loop, rested, result);
            } else {
                bindPair(request, loop, pool.capacity(), false, result);
            }
        } catch (RuntimeException e) {
            // A task that throws on the loop completes nothing: without this the caller's open would wait forever.
            log.warn("opening a media endpoint failed: {}", e.toString());
            if (result.completeExceptionally(new MediaUnavailableException("opening a media endpoint failed: "
                    + e.getMessage()))) {
                slots.decrementAndGet();
            }
        }
    }

    /** Whether the range has no free port released before {@code nanos}: the rule of {@link IdlePairs#takeForReuse}. */
    private boolean noFreePortRestedSince(long nanos) {
        return !pool.hasFreePortReleasedBefore(nanos);
    }

    /** A new endpoint on an idle pair taken from {@code loop}'s cache (drained); call on that loop. */
    private void reuse(EndpointRequest request, MediaLoop loop, IdlePairs.Pair pair,
            CompletableFuture<LocalMedia> result) {
        pool.unpark(pair.port());
        Endpoint endpoint = new Endpoint(new EndpointId(ids.incrementAndGet()), request.label(), pair.port(), loop,
                timings, this::publish);
        WebRtcTransport browser = request.kind() == EndpointKind.WEBRTC ? endpoint.enableWebRtc(webRtc) : null;
        if (!IdlePairs.resume(pair, endpoint.listener(false), endpoint.listener(true))) {
            pair.rtp().close();
            pair.rtcp().close();
            pool.release(pair.port());
            bindPair(request, loop, pool.capacity(), true, result);
            return;
        }
        reusedPairs.increment();
        attached(endpoint, pair.rtp(), pair.rtcp(), browser, result);
    }

    /**
     * The range has no pair left to bind: take this loop's oldest idle pair even before its rest is over (as the
     * pool hands out a port released a moment ago when it is the last one), else close another loop's oldest and
     * bind its port here. False when there is no idle pair either (or one was closed for this open already).
     */
    private boolean fallBackToIdle(EndpointRequest request, MediaLoop loop, boolean evicted,
            CompletableFuture<LocalMedia> result) {
        IdlePairs own = idle.get(loop);
        IdlePairs.Pair oldest = own == null ? null : own.takeOldest();
        if (oldest != null) {
            reuse(request, loop, oldest, result);
            return true;
        }
        if (evicted) {
            return false;
        }
        for (Map.Entry<MediaLoop, IdlePairs> other : idle.entrySet()) {
            if (other.getKey() != loop && other.getValue().size() > 0) {
                Runnable retry = () -> loop.eventLoop().execute(() -> bindPair(request, loop, pool.capacity(), true,
                        result));
                other.getKey().eventLoop().execute(() -> {
                    if (!other.getValue().closeOldest(retry)) {
                        retry.run();
                    }
                });
                return true;
            }
        }
        return false;
    }

    /** A browser's endpoint on the shared port: no socket of its own, its ufrag registered for routing. */
    private void openShared(EndpointRequest request, MediaLoop loop, SharedWebRtcPort port,
            CompletableFuture<LocalMedia> result) {
        Endpoint endpoint = new Endpoint(new EndpointId(ids.incrementAndGet()), request.label(),
                settings.webRtcPort(), loop, timings, this::publish);
        WebRtcTransport browser = endpoint.enableWebRtc(webRtc);
        endpoint.submit(() -> {
            endpoint.attachShared(port);
            port.register(browser.ice().ufrag(), endpoint, registered -> {
                if (!registered) {
                    // 48 random bits make this all but impossible; the caller may simply try again.
                    endpoint.submit(() -> endpoint.close(() -> { }));
                    slots.decrementAndGet();
                    result.completeExceptionally(new MediaUnavailableException("ICE ufrag collision on the shared "
                            + "WebRTC port: try again"));
                    return;
                }
                endpoints.put(endpoint.id(), endpoint);
                InetSocketAddress address = new InetSocketAddress(settings.advertisedAddress(), settings.webRtcPort());
                result.complete(new LocalMedia(endpoint.id(), address, address, browser));
            });
        });
    }

    private MediaLoop nextLoop(List<MediaLoop> current) {
        return current.get(Math.floorMod(nextLoop.getAndIncrement(), current.size()));
    }

    /** The event loop {@code id} lives on once its queued work has run, or {@code null} when it is not open. */
    CompletableFuture<EventLoop> eventLoopOf(EndpointId id) {
        CompletableFuture<EventLoop> home = new CompletableFuture<>();
        Endpoint endpoint = endpoints.get(id);
        if (endpoint == null) {
            home.complete(null);
        } else {
            endpoint.submit(() -> home.complete(endpoint.home().eventLoop()));
        }
        return home;
    }

    /**
     * Takes the next free pair and binds RTP and RTCP. A port another process holds fails to bind: it goes back to
     * the pool and the next pair is tried, up to one pass over the range.
     */
    private void bindPair(EndpointRequest request, MediaLoop loop, int attemptsLeft, boolean evicted,
            CompletableFuture<LocalMedia> result) {
        OptionalInt leased = attemptsLeft > 0 ? pool.acquire() : OptionalInt.empty();
        if (leased.isEmpty()) {
            if (fallBackToIdle(request, loop, evicted, result)) {
                return;
            }
            slots.decrementAndGet();
            result.completeExceptionally(new MediaUnavailableException("no free media port pair in "
                    + settings.portMin() + "-" + settings.portMax() + ": widen the media port range"));
            return;
        }
        int port = leased.getAsInt();
        Endpoint endpoint = new Endpoint(new EndpointId(ids.incrementAndGet()), request.label(), port, loop, timings,
                this::publish);
        WebRtcTransport browser = request.kind() == EndpointKind.WEBRTC ? endpoint.enableWebRtc(webRtc) : null;
        if (nativeSockets) {
            bindNative(request, loop, endpoint, browser, attemptsLeft, evicted, result);
            return;
        }
        bind(loop, endpoint, port, false).addListener((ChannelFuture rtp) -> {
            if (!rtp.isSuccess()) {
                log.debug("media port {} is busy ({}); trying the next pair", port, rtp.cause().toString());
                pool.release(port);
                bindPair(request, loop, attemptsLeft - 1, evicted, result);
                return;
            }
            bind(loop, endpoint, port + 1, true).addListener((ChannelFuture rtcp) -> {
                if (!rtcp.isSuccess()) {
                    log.debug("media port {} is busy ({}); trying the next pair", port + 1, rtcp.cause().toString());
                    rtp.channel().close().addListener(x -> {
                        pool.release(port);
                        bindPair(request, loop, attemptsLeft - 1, evicted, result);
                    });
                    return;
                }
                attached(endpoint, new ChannelSocket(rtp.channel()), new ChannelSocket(rtcp.channel()), browser,
                        result);
            });
        });
    }

    /**
     * Whether the media sockets are IPv4 sockets even on the wildcard {@code 0.0.0.0} (the default bind): when the
     * address Parley advertises (every SDP {@code c=} and ICE candidate it writes) is IPv4, the peers send over IPv4,
     * and an IPv4 socket skips the IPv6 layer and, connected, the route lookup of every send, which a dual-stack
     * socket connected to an IPv4-mapped peer still does (docs/benchmarks.md, eleventh session). A bind to
     * {@code ::} or an IPv6 advertised address keeps dual-stack sockets (IPv6 phones).
     */
    private final boolean ipv4Only;

    /** RTP and RTCP sockets bound on {@code port} and {@code port + 1}; null (nothing left open) when one is busy. */
    private NativeUdpSocket[] bindNativePair(int port) {
        NativeUdpSocket rtp = null;
        try {
            rtp = NativeUdpSocket.bind(new InetSocketAddress(settings.bindAddress(), port), ipv4Only);
            return new NativeUdpSocket[] {rtp,
                NativeUdpSocket.bind(new InetSocketAddress(settings.bindAddress(), port + 1), ipv4Only)};
        } catch (IOException | RuntimeException e) {
            log.debug("media port pair {} is busy: {}", port, e.toString());
            if (rtp != null) {
                rtp.close();
            }
            return null;
        }
    }

    /**
     * {@link #bindPair} with {@link NativeUdpSocket}s: bound at once on the loop (a port another process holds:
     * back to the pool, the next pair), then registered with the endpoint's listeners.
     */
    private void bindNative(EndpointRequest request, MediaLoop loop, Endpoint endpoint, WebRtcTransport browser,
            int attemptsLeft, boolean evicted, CompletableFuture<LocalMedia> result) {
        int port = endpoint.port();
        NativeUdpSocket[] bound = bindNativePair(port);
        if (bound == null) {
            pool.release(port);
            // Not recursion: a range held by another process must not grow the loop's stack
            loop.eventLoop().execute(() -> bindPair(request, loop, attemptsLeft - 1, evicted, result));
            return;
        }
        IoEventLoop io = (IoEventLoop) loop.eventLoop();
        NativeUdpSocket rtpSocket = bound[0];
        NativeUdpSocket rtcp = bound[1];
        rtpSocket.register(io, endpoint.listener(false), rtpFailed -> rtcp.register(io, endpoint.listener(true),
                rtcpFailed -> {
                    if (rtpFailed == null && rtcpFailed == null) {
                        boundPairs.increment();
                        attached(endpoint, rtpSocket, rtcp, browser, result);
                        return;
                    }
                    rtpSocket.close();
                    rtcp.close();
                    pool.release(port);
                    slots.decrementAndGet();
                    Throwable cause = rtpFailed != null ? rtpFailed : rtcpFailed;
                    result.completeExceptionally(new MediaUnavailableException("media port pair " + port
                            + " could not be registered on its event loop: " + cause));
                }));
    }

    private void attached(Endpoint endpoint, MediaSocket rtp, MediaSocket rtcp, WebRtcTransport browser,
            CompletableFuture<LocalMedia> result) {
        attachOnLoop(endpoint, rtp, rtcp, browser);
        endpoints.put(endpoint.id(), endpoint);
        result.complete(localMedia(endpoint, browser));
    }

    /** Gives the endpoint its sockets, on its loop. */
    private void attachOnLoop(Endpoint endpoint, MediaSocket rtp, MediaSocket rtcp, WebRtcTransport browser) {
        if (settings.connectLatchedSockets() && browser == null) {
            endpoint.connectRtpSocketWhenLatched();
            // Bound to the wildcard (the default): it connects once its peer's datagram shows that the address the
            // kernel fixes for the peer is the one the peer sends to. Once per socket (idle pairs keep it).
            rtp.watchArrivalAddress();
        }
        endpoint.attach(rtp, rtcp, this::keep);
    }

    private LocalMedia localMedia(Endpoint endpoint, WebRtcTransport browser) {
        int port = endpoint.port();
        InetSocketAddress rtpAddress = new InetSocketAddress(settings.advertisedAddress(), port);
        // A browser's leg is rtcp-mux only: its one host candidate is the RTP address.
        return new LocalMedia(endpoint.id(), rtpAddress, browser != null ? rtpAddress
                : new InetSocketAddress(settings.advertisedAddress(), port + 1), browser);
    }

    /** A closing endpoint's pair rests bound in its loop's cache, unless that is full or the service stops. */
    private boolean keep(MediaLoop home, int port, MediaSocket rtp, MediaSocket rtcp) {
        IdlePairs pairs = idle.get(home);
        if (stopping || pairs == null || !pairs.park(port, rtp, rtcp, System.nanoTime())) {
            return false;
        }
        pool.park(port);
        return true;
    }

    /**
     * The allocator of every media socket's receive buffers. Netty 4.2's default (adaptive) allocator hands each
     * datagram over in a new slice object; the pooled allocator recycles its slices, an object less per packet.
     */
    private static final ByteBufAllocator MEDIA_ALLOCATOR = PooledByteBufAllocator.DEFAULT;

    private ChannelFuture bind(MediaLoop loop, Endpoint endpoint, int port, boolean rtcp) {
        return new Bootstrap()
                .group(loop.eventLoop())
                .channel(flavor.datagram())
                .option(ChannelOption.ALLOCATOR, MEDIA_ALLOCATOR)
                .handler(endpoint.receiver(rtcp))
                .bind(new InetSocketAddress(settings.bindAddress(), port));
    }

    @Override
    public void configure(EndpointId id, EndpointParameters parameters) {
        configured(id, parameters);
    }

    /** {@link #configure}, completing once the endpoint's loop has applied the parameters. */
    CompletableFuture<Void> configured(EndpointId id, EndpointParameters parameters) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        Endpoint endpoint = endpoints.get(id);
        if (endpoint == null) {
            done.complete(null);
            return done;
        }
        boolean first = endpoint.awaitsParameters();
        endpoint.parametersSubmitted();
        Runnable configure = () -> {
            try {
                endpoint.configure(parameters);
                done.complete(null);
            } catch (RuntimeException e) {
                log.warn("{} rejected its parameters: {}", endpoint, e.getMessage());
                done.completeExceptionally(e);
            }
        };
        // An endpoint's first parameters ride on its loop's next wake-up instead of waking it: until they are
        // applied the endpoint keeps what arrives (EarlyPackets: 16 datagrams, 500 ms) and relays nothing, exactly
        // as between its open and an immediate configure, and the first datagram that comes wakes the loop, which
        // runs its queued tasks, this one included, right after that read (Netty runs tasks after each I/O pass),
        // then relays the kept datagrams. Without media the task waits at most one tick slice (10-20 ms). An answer
        // configures both legs of a call whose loop is idle in the SIP benchmark: one eventfd write and one
        // epoll_wait return saved per call (docs/benchmarks.md, 7 December, lanes3). Later parameters (hold, a
        // new address, new keys) change what the endpoint already relays: they go at once.
        if (first) {
            endpoint.submitLazily(configure);
        } else {
            endpoint.submit(configure);
        }
        return done;
    }

    @Override
    public void bridge(EndpointId a, EndpointId b) {
        bridged(a, b);
    }

    /** {@link #bridge}, completing once media flows between the two (or one of them closed). */
    CompletableFuture<Void> bridged(EndpointId a, EndpointId b) {
        if (a.equals(b)) {
            throw new IllegalArgumentException("cannot bridge " + a + " with itself");
        }
        CompletableFuture<Void> done = new CompletableFuture<>();
        Endpoint first = endpoints.get(a);
        Endpoint second = endpoints.get(b);
        if (first == null || second == null) {
            log.debug("bridge {}-{} ignored: not open", a, b);
            done.complete(null);
            return done;
        }
        Runnable bridge = () -> {
            // Both live here (the PBX opens the callee's endpoint near the caller's): linked at once, so that what
            // runs next on this loop, an answer's lazily queued configures and the early datagrams they release,
            // finds the two bridged instead of relaying into a partner that is two tasks away.
            if (first.sharesHomeWith(second) && Endpoint.link(first, second)) {
                done.complete(null);
                return;
            }
            MediaLoop home = first.home();
            second.submit(() -> second.moveTo(home, () -> first.submit(() -> {
                if (Endpoint.link(first, second) || first.isClosed() || second.isClosed()) {
                    done.complete(null);
                } else {
                    // One of them moved meanwhile (a concurrent bridge): try again from the top.
                    bridged(a, b).whenComplete((x, e) -> done.complete(null));
                }
            })));
        };
        // The PBX bridges a caller's endpoint with its callee's as soon as both are open, long before the answer
        // configures them (Call.branchMediaOpened): nothing can flow until then, and the configure that lets it
        // flow is queued behind this task on the same loop, so the bridge rides on that configure's wake-up (or the
        // loop's next tick) instead of waking an idle loop (docs/benchmarks.md, 7 December, mediactl). Endpoints
        // on two loops bridge at once: the move between loops must be over before any media comes.
        if (first.awaitsParameters() && second.awaitsParameters() && first.sharesHomeWith(second)) {
            first.submitLazily(bridge);
        } else {
            first.submit(bridge);
        }
        return done;
    }

    @Override
    public void unbridge(EndpointId id) {
        Endpoint endpoint = endpoints.get(id);
        if (endpoint != null) {
            endpoint.submit(endpoint::unlink);
        }
    }

    /**
     * Closes the endpoint at its loop's next wake-up, without waking the loop for it: within one slice of the
     * loop's tick (10–20 ms, see {@code MediaLoop.executeLazily}), sooner when a datagram or another command wakes
     * it. A hang-up closes two endpoints whose loop is idle in a call without media (the SIP benchmark): an
     * {@code eventfd} write and an {@code epoll_wait} return saved per call (docs/benchmarks.md, 7 December,
     * mediactl). Meanwhile the endpoint may still relay what arrives, as it would between the BYE and an immediate
     * close.
     */
    @Override
    public void close(EndpointId id) {
        closeThen(id, true, () -> { });
    }

    /** Closes it as soon as its loop can, waking the loop; {@code done} runs once it is closed. */
    private void closeThen(EndpointId id, Runnable done) {
        closeThen(id, false, done);
    }

    private void closeThen(EndpointId id, boolean lazily, Runnable done) {
        Endpoint endpoint = endpoints.get(id);
        if (endpoint == null) {
            done.run();
            return;
        }
        Runnable close = () -> endpoint.close(() -> {
            // Only now are both sockets closed and the ports free to be bound again (or the pair is parked idle,
            // which release leaves alone).
            if (endpoints.remove(id) != null) {
                if (!endpoint.isShared()) {
                    pool.release(endpoint.port());
                }
                slots.decrementAndGet();
            }
            done.run();
        });
        if (lazily) {
            endpoint.submitLazily(close);
        } else {
            endpoint.submit(close);
        }
    }

    @Override
    public EndpointStats stats(EndpointId id) {
        Endpoint endpoint = endpoints.get(id);
        return endpoint == null ? null : endpoint.stats();
    }

    @Override
    public void addListener(Listener listener) {
        listeners.add(listener);
    }

    private void publish(MediaEvent event) {
        for (Listener listener : listeners) {
            try {
                listener.onMediaEvent(event);
            } catch (RuntimeException e) {
                log.warn("media event listener failed on {}", event, e);
            }
        }
    }
}
