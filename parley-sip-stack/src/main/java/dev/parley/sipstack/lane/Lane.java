package dev.parley.sipstack.lane;

import dev.parley.common.Scheduler;
import io.netty.util.concurrent.DefaultEventExecutor;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.ScheduledFuture;
import java.time.Duration;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One serial lane: tasks and timers run on its single thread, one at a time, in submission order. It is a
 * {@link Scheduler} whose timer tasks run on the lane itself, which is what the transaction layer requires.
 */
public final class Lane implements Executor, Scheduler {
    private static final Logger LOG = LoggerFactory.getLogger(Lane.class);

    private final int index;
    private final EventExecutor executor;
    private final DelayQueues delayQueues;
    /** What {@link #executeArrival} queued, and whether a {@link #runArrival} is in the executor's queue. */
    private final Queue<Runnable> arrivals = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean arrivalQueued = new AtomicBoolean();

    Lane(int index, ThreadFactory threads) {
        this.index = index;
        this.executor = new DefaultEventExecutor(threads);
        this.delayQueues = new DelayQueues(System::nanoTime,
                (queue, delayNanos) -> executor.schedule(queue::expire, delayNanos, TimeUnit.NANOSECONDS),
                this::runGuarded);
    }

    public int index() {
        return index;
    }

    /** True when the caller runs on this lane. */
    public boolean inLane() {
        return executor.inEventLoop();
    }

    @Override
    public void execute(Runnable task) {
        executor.execute(() -> runGuarded(task));
    }

    /**
     * Queues {@code task} behind the lane's other work: tasks given here run one at a time, in the order given,
     * each after whatever {@link #execute} queued before it. With nothing else queued they run at once, one after
     * the other; behind a backlog the lane alternates, one of these per pass over the rest.
     *
     * <p>The SIP stack gives here what starts a new call, so that an overloaded lane first finishes the calls it
     * has (their responses, ACKs, BYEs, media completions and timers hold media ports) and takes new calls as fast
     * as it frees room for them, instead of admitting calls in arrival order until the media ports run out.
     */
    public void executeArrival(Runnable task) {
        arrivals.add(task);
        if (arrivalQueued.compareAndSet(false, true)) {
            executor.execute(this::runArrival);
        }
    }

    /** Runs the oldest arrival, then queues itself again behind what came meanwhile while arrivals remain. */
    private void runArrival() {
        Runnable task = arrivals.poll();
        if (task != null) {
            runGuarded(task);
        }
        if (arrivals.isEmpty()) {
            arrivalQueued.set(false);
            // an arrival added between the isEmpty above and the set saw arrivalQueued true and queued nothing
            if (arrivals.isEmpty() || !arrivalQueued.compareAndSet(false, true)) {
                return;
            }
        }
        executor.execute(this::runArrival);
    }

    /** Arrivals not yet run (see {@link #executeArrival}). */
    public int pendingArrivals() {
        return arrivals.size();
    }

    /** Runs {@code task} now when already on the lane, otherwise queues it. */
    public void run(Runnable task) {
        if (inLane()) {
            runGuarded(task);
        } else {
            execute(task);
        }
    }

    @Override
    public long nanoTime() {
        return System.nanoTime();
    }

    /**
     * On the lane, a timer of positive delay goes to the lane's {@link DelayQueues} (one FIFO per distinct delay:
     * SIP's timers have a few constant durations); from another thread, or beyond the queues' limit, to the
     * executor's own priority queue.
     */
    @Override
    public Timer schedule(Duration delay, Runnable task) {
        long nanos = Math.max(0, delay.toNanos());
        if (nanos > 0 && inLane()) {
            Timer queued = delayQueues.offer(nanos, task);
            if (queued != null) {
                return queued;
            }
        }
        ScheduledFuture<?> f = executor.schedule(() -> runGuarded(task), nanos, TimeUnit.NANOSECONDS);
        return new Timer() {
            @Override
            public void cancel() {
                f.cancel(false);
            }

            @Override
            public boolean isCancelled() {
                return f.isCancelled();
            }
        };
    }

    private void runGuarded(Runnable task) {
        try {
            task.run();
        } catch (RuntimeException | Error e) {
            // a bug in call logic: keep the lane alive for every other call on it
            LOG.error("task failed on lane {}", index, e);
        }
    }

    void shutdown(Duration grace) {
        executor.shutdownGracefully(0, grace.toMillis(), TimeUnit.MILLISECONDS).awaitUninterruptibly();
    }

    @Override
    public String toString() {
        return "Lane[" + index + "]";
    }
}
