package dev.parley.media.relay;

import io.netty.channel.EventLoop;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One Netty event loop seen by the media plane: the endpoints it owns and the periodic tick that sends their RTCP
 * reports and checks their media timeouts. Everything here runs on that loop, so none of it needs a lock.
 */
public final class MediaLoop {
    private final EventLoop loop;
    private final long tickNanos;
    private final List<Endpoint> endpoints = new ArrayList<>();

    public MediaLoop(EventLoop loop, long tickNanos) {
        this.loop = loop;
        this.tickNanos = tickNanos;
    }

    public void start() {
        loop.scheduleAtFixedRate(this::tick, tickNanos, tickNanos, TimeUnit.NANOSECONDS);
    }

    public EventLoop eventLoop() {
        return loop;
    }

    void execute(Runnable task) {
        loop.execute(task);
    }

    boolean inLoop() {
        return loop.inEventLoop();
    }

    void add(Endpoint endpoint) {
        endpoints.add(endpoint);
    }

    void remove(Endpoint endpoint) {
        endpoints.remove(endpoint);
    }

    private void tick() {
        long now = System.nanoTime();
        // Backwards by index: a tick may close an endpoint (a listener reacting to a timeout does so through a
        // task, but be safe against removal during iteration anyway).
        for (int i = endpoints.size() - 1; i >= 0; i--) {
            if (i < endpoints.size()) {
                endpoints.get(i).tick(now);
            }
        }
    }
}
