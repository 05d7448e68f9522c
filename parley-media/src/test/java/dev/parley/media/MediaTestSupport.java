package dev.parley.media;

import dev.parley.mediaapi.Direction;
import dev.parley.mediaapi.EndpointParameters;
import dev.parley.mediaapi.EndpointRequest;
import dev.parley.mediaapi.LocalMedia;
import dev.parley.mediaapi.MediaEvent;
import dev.parley.mediaapi.PayloadFormat;
import dev.parley.mediaapi.Protection;
import java.net.InetAddress;
import org.junit.jupiter.api.AfterEach;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/** Starts media services on bounded port ranges of 127.0.0.1 and cleans up after each test. */
abstract class MediaTestSupport {
    static final PayloadFormat PCMU = PayloadFormat.of(0, "PCMU", 8000);
    static final PayloadFormat PCMA = PayloadFormat.of(8, "PCMA", 8000);

    /**
     * Each test class draws its own 1000 ports somewhere in 10000–19999; each service gets 50 of them. Below the
     * server ITs' media blocks (20000–32499) and below the kernel's ephemeral range (32768+), where other programs'
     * sockets come and go and stray datagrams land: a stray kept by an endpoint before its configure could latch it.
     */
    private static final int CLASS_BASE = 10000 + ThreadLocalRandom.current().nextInt(10) * 1000;
    private final AtomicInteger nextSlice = new AtomicInteger();

    final List<AutoCloseable> cleanup = new ArrayList<>();
    final LinkedBlockingQueue<MediaEvent> events = new LinkedBlockingQueue<>();

    @AfterEach
    void cleanUp() throws Exception {
        for (int i = cleanup.size() - 1; i >= 0; i--) {
            cleanup.get(i).close();
        }
    }

    static MediaSettings settings() {
        InetAddress loopback = InetAddress.getLoopbackAddress();
        return MediaSettings.defaults(loopback, loopback).withEventLoops(2);
    }

    /** A started service on the next 50-port slice of this class's range. */
    NettyMediaService start(MediaSettings settings) {
        int base = CLASS_BASE + (nextSlice.getAndIncrement() % 20) * 50;
        NettyMediaService media = new NettyMediaService(settings.withPortRange(base, base + 49));
        media.addListener(events::add);
        media.start();
        cleanup.add(media);
        return media;
    }

    /** A fake phone that hears only this class's media services (see {@link Peer}). */
    Peer peer() {
        Peer peer = new Peer(CLASS_BASE, CLASS_BASE + 999);
        cleanup.add(peer);
        return peer;
    }

    static LocalMedia open(NettyMediaService media, String label) {
        return media.open(new EndpointRequest(label)).toCompletableFuture().join();
    }

    /** Opens an endpoint near {@code near}'s (on its event loop, as the PBX opens a call's callee leg). */
    static LocalMedia openNear(NettyMediaService media, String label, LocalMedia near) {
        return media.open(new EndpointRequest(label, near.id())).toCompletableFuture().join();
    }

    static EndpointParameters plain(InetSocketAddress remote, Direction direction, PayloadFormat... formats) {
        return new EndpointParameters(remote, null, false, List.of(formats), direction, Protection.none(),
                Protection.none());
    }

    /** Two open endpoints, as a call's caller and callee legs. */
    record Legs(LocalMedia a, LocalMedia b) {
    }

    /** Opens two endpoints, configures each, bridges them, and returns once media can flow. */
    static Legs bridged(NettyMediaService media, EndpointParameters forA, EndpointParameters forB) {
        LocalMedia a = open(media, "a");
        LocalMedia b = open(media, "b");
        configure(media, a, forA);
        configure(media, b, forB);
        media.bridged(a.id(), b.id()).join();
        return new Legs(a, b);
    }

    static void configure(NettyMediaService media, LocalMedia leg, EndpointParameters parameters) {
        media.configured(leg.id(), parameters).join();
    }

    MediaEvent nextEvent(Duration within) throws InterruptedException {
        MediaEvent event = events.poll(within.toMillis(), TimeUnit.MILLISECONDS);
        if (event == null) {
            throw new AssertionError("no media event within " + within);
        }
        return event;
    }
}
