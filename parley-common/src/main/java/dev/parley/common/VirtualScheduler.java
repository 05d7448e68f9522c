package dev.parley.common;

import java.time.Duration;
import java.util.PriorityQueue;

/**
 * A {@link Scheduler} whose time moves only when a test says so. Tasks due at the same instant run in the order
 * they were scheduled; a task may schedule more tasks, which run within the same {@link #advance} if they fall
 * inside it. Single-threaded by design: drive it from the test thread.
 */
public final class VirtualScheduler implements Scheduler {
    private final PriorityQueue<Task> queue = new PriorityQueue<>();
    private long now;
    private long sequence;

    private static final class Task implements Timer, Comparable<Task> {
        final long due;
        final long order;
        final Runnable action;
        boolean cancelled;

        Task(long due, long order, Runnable action) {
            this.due = due;
            this.order = order;
            this.action = action;
        }

        @Override
        public void cancel() {
            cancelled = true;
        }

        @Override
        public boolean isCancelled() {
            return cancelled;
        }

        @Override
        public int compareTo(Task o) {
            int c = Long.compare(due, o.due);
            return c != 0 ? c : Long.compare(order, o.order);
        }
    }

    @Override
    public long nanoTime() {
        return now;
    }

    /** Virtual time elapsed since creation. */
    public Duration elapsed() {
        return Duration.ofNanos(now);
    }

    @Override
    public Timer schedule(Duration delay, Runnable task) {
        long d = Math.max(0, delay.toNanos());
        Task t = new Task(now + d, sequence++, task);
        queue.add(t);
        return t;
    }

    /** Moves time forward by {@code step}, running every task that falls due on the way, in time order. */
    public void advance(Duration step) {
        long target = now + step.toNanos();
        while (true) {
            Task next = queue.peek();
            if (next == null || next.due > target) {
                break;
            }
            queue.poll();
            now = Math.max(now, next.due);
            if (!next.cancelled) {
                next.action.run();
            }
        }
        now = target;
    }

    /** Runs the tasks already due without moving time. */
    public void runDue() {
        advance(Duration.ZERO);
    }

    /** Tasks scheduled and neither run nor cancelled. */
    public int pending() {
        int n = 0;
        for (Task t : queue) {
            if (!t.cancelled) {
                n++;
            }
        }
        return n;
    }
}
