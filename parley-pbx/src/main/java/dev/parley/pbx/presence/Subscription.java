package dev.parley.pbx.presence;

import dev.parley.pbx.directory.UserId;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * One reader of a user's events (an open event stream). The engine {@linkplain #offer offers} events without ever
 * waiting; a reader that falls {@link #capacity} events behind is cut off ({@link PbxEvent.End#TOO_SLOW}) rather
 * than let the queue grow or the engine wait: a slow or dead client costs a bounded queue, never the PBX's time.
 * Thread-safe: one thread offers, one reads.
 */
public final class Subscription implements AutoCloseable {
    private final UserId user;
    private final int capacity;
    private final BlockingQueue<PbxEvent> queue;
    private final Runnable onClose;
    private volatile PbxEvent.End ended;
    private volatile boolean closed;

    Subscription(UserId user, int capacity, Runnable onClose) {
        this.user = Objects.requireNonNull(user, "user");
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be at least 1: " + capacity);
        }
        this.capacity = capacity;
        this.queue = new ArrayBlockingQueue<>(capacity);
        this.onClose = onClose;
    }

    public UserId user() {
        return user;
    }

    public int capacity() {
        return capacity;
    }

    /** Queues {@code event}; when the queue is full the subscription ends instead. Never blocks. */
    void offer(PbxEvent event) {
        if (closed) {
            return;
        }
        if (!queue.offer(event)) {
            end(PbxEvent.End.TOO_SLOW);
        }
    }

    /** Ends the subscription from the PBX's side; the reader sees it after the events already queued. */
    void end(PbxEvent.End why) {
        if (ended == null) {
            ended = why;
        }
        close();
    }

    /**
     * The next event, waiting at most {@code wait}; empty when none came in time or the subscription ended (then
     * {@link #ended()} says why, once the queue is drained).
     */
    public Optional<PbxEvent> next(Duration wait) throws InterruptedException {
        PbxEvent e = queue.poll();
        if (e != null || closed) {
            return Optional.ofNullable(e);
        }
        return Optional.ofNullable(queue.poll(wait.toNanos(), TimeUnit.NANOSECONDS));
    }

    /** True once closed and every queued event was read. */
    public boolean isOver() {
        return closed && queue.isEmpty();
    }

    /** Why the PBX ended it, or empty when it is open or the reader closed it. */
    public Optional<PbxEvent.End> ended() {
        return Optional.ofNullable(ended);
    }

    /** The reader is done (its client went away or its session ended). */
    @Override
    public void close() {
        if (!closed) {
            closed = true;
            if (onClose != null) {
                onClose.run();
            }
        }
    }
}
