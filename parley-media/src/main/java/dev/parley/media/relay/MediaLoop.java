package dev.parley.media.relay;

import io.netty.channel.EventLoop;
import io.netty.util.concurrent.AbstractEventExecutor;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * One Netty event loop seen by the media plane: the endpoints it owns and the periodic tick that sends their RTCP
 * reports and checks their media timeouts. Everything here runs on that loop, so none of it needs a lock.
 *
 * <p>Each endpoint is visited once per tick period, but not all at once: the period is cut into slices of about
 * {@value #SLICE_MILLIS} ms and each slice visits its share of the endpoints ({@link SlicedRound}), so the loop is
 * never away from the packets for long.
 */
public final class MediaLoop {
    /** How often a slice runs: short enough that a slice's reports cost the packets little latency. */
    static final int SLICE_MILLIS = 10;

    private final EventLoop loop;
    private final long sliceNanos;
    private final SlicedRound round;
    private final List<Endpoint> endpoints = new ArrayList<>();
    private final Consumer<Endpoint> visit = this::visit;
    private final List<Runnable> everySlice = new ArrayList<>();
    private long now;

    public MediaLoop(EventLoop loop, long tickNanos) {
        this.loop = loop;
        long slice = TimeUnit.MILLISECONDS.toNanos(SLICE_MILLIS);
        int slices = (int) Math.max(1, Math.min(1000, tickNanos / slice));
        this.round = new SlicedRound(slices);
        this.sliceNanos = tickNanos / slices;
    }

    public void start() {
        loop.scheduleAtFixedRate(this::tick, sliceNanos, sliceNanos, TimeUnit.NANOSECONDS);
    }

    /** Runs {@code task} at every slice of the tick, after the slice's endpoints; call on the loop. */
    public void atEverySlice(Runnable task) {
        everySlice.add(task);
    }

    public EventLoop eventLoop() {
        return loop;
    }

    void execute(Runnable task) {
        loop.execute(task);
    }

    /**
     * Runs {@code task} on this loop at its next wake-up without waking it now (Netty's {@code lazyExecute}: no
     * {@code eventfd} write when the loop sleeps in {@code epoll_wait}). The next wake-up is a datagram, a task
     * {@link #execute}d, or the next slice of the tick ({@link #start}): it runs within one slice
     * ({@value #SLICE_MILLIS} to twice that many ms).
     * For work that can wait that long and that no packet needs at once: a close only frees its ports and stops
     * relaying; an endpoint's first parameters and a bridge of two unconfigured endpoints wait for the first
     * datagram, which the endpoint keeps ({@code EarlyPackets}) and whose wake-up runs them right after the read.
     */
    void executeLazily(Runnable task) {
        if (loop instanceof AbstractEventExecutor executor) {
            executor.lazyExecute(task);
        } else {
            loop.execute(task);
        }
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
        // A listener reacting to a timeout closes the endpoint through a task, not during the visit; the round
        // copes with a list that changes between slices.
        now = System.nanoTime();
        round.visit(endpoints, visit);
        for (Runnable task : everySlice) {
            task.run();
        }
    }

    private void visit(Endpoint endpoint) {
        endpoint.tick(now);
    }
}
