package dev.parley.sipstack.lane;

import dev.parley.common.Scheduler;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * A lane's timers kept in one first-in first-out queue per distinct delay instead of one priority queue.
 *
 * <p>Why: nearly every timer a lane sets has one of a few constant durations — RFC 3261 §17's 64·T1 for Timers
 * B, F, H, J and RFC 6026's L and M, T4 for I and K, T1·2ⁿ for A, E and G, a call's no-answer timeout — and
 * timers of one duration set on one monotonic clock expire in the order they were set. A queue per duration
 * therefore stays sorted by itself: setting a timer is an append, cancelling one a flag, and only the head of each
 * queue is armed on the lane's executor. Under load a lane holds ~250,000 timers (six per call of the last 32 s);
 * in a single priority queue each insertion and removal cost O(log n) and its entries several objects.
 *
 * <p>A cancelled timer stays in its queue, without its task, until its deadline reaches the head or the queue is
 * compacted: when more than half of a queue's entries (and at least {@link #COMPACT_MIN} of them) are cancelled, the
 * next {@link #offer} of that delay removes them all in one pass, which keeps the order. Why: most of a lane's timers
 * are cancelled within milliseconds (Timer A and B by the first response, H and G by the ACK, F by the final
 * response), and 32 s queues kept them for their whole 32 s — 429,000 entries at 1,600 calls/s, two thirds of them
 * cancelled, each copied by the young collections until it was promoted (docs/benchmarks.md, fourteenth session,
 * statecut). A pass costs one visit per entry and comes after at least as many cancellations: O(1) per timer.
 * At most {@link #MAX_QUEUES} delays have a queue at a time; {@link #offer} returns null for a further distinct
 * delay and the caller schedules that timer another way. A queue is dropped when it empties.
 *
 * <p>Not thread-safe: {@link #offer} and the queues' expiries run on the lane; {@link Scheduler.Timer#cancel}
 * may come from any thread (a volatile write).
 */
final class DelayQueues {
    /** More distinct delays than this at once are not expected (a dozen in practice): the rest go elsewhere. */
    static final int MAX_QUEUES = 64;

    /** A queue with fewer cancelled entries than this is not compacted: the pass would not pay for itself. */
    static final int COMPACT_MIN = 64;

    /**
     * Every queue is armed for the first multiple of this (on the lane's clock) at or after its head's deadline:
     * timers fire on one grid, late by less than one tick, never early, and the lane wakes at most once per tick
     * for all its queues together. Why: under load each queue's head is due every millisecond or so (a timer per
     * call per delay, most of them already cancelled, as Timer A is by the first response), and a dozen queues
     * armed apart woke a sleeping lane thousands of times a second for timers alone — each wake a futex
     * round trip, issue 3's largest share of the lanes' CPU after the messages. RFC 3261's timers are multiples
     * of T1 = 500 ms or T4 = 5 s (§17, Table 4), so 10 ms of lateness is 2 % of the shortest.
     */
    static final long TICK_NANOS = 10_000_000;

    /** Arms {@code queue} to {@link Queue#expire} on the lane after {@code delayNanos}. */
    interface Arm {
        void arm(Queue queue, long delayNanos);
    }

    private final LongSupplier clock;
    private final Arm arm;
    private final Consumer<Runnable> runner;
    /** At most {@link #MAX_QUEUES}, a dozen in practice: scanned, so that a timer costs no boxed key. */
    private final List<Queue> queues = new ArrayList<>();

    /**
     * @param clock  monotonic nanoseconds (the lane's)
     * @param arm    how a queue's head is waited for (the lane's executor)
     * @param runner runs one timer's task (the lane's guard that keeps the lane alive when a task throws)
     */
    DelayQueues(LongSupplier clock, Arm arm, Consumer<Runnable> runner) {
        this.clock = clock;
        this.arm = arm;
        this.runner = runner;
    }

    /** A timer for {@code task} after {@code delayNanos} (> 0), or null when no queue may be made for that delay. */
    Scheduler.Timer offer(long delayNanos, Runnable task) {
        Queue queue = queueFor(delayNanos);
        if (queue == null) {
            if (queues.size() >= MAX_QUEUES) {
                return null;
            }
            queue = new Queue(delayNanos);
            queues.add(queue);
        }
        queue.compactIfWorth();
        long now = clock.getAsLong();
        Entry entry = new Entry(queue, now + delayNanos, task);
        queue.entries.addLast(entry);
        if (!queue.armed) {
            queue.armed = true;
            arm.arm(queue, untilTick(entry.deadline, now));
        }
        return entry;
    }

    /**
     * Nanoseconds from {@code now} to the first tick at or after {@code deadline} (at least one: a queue run at its
     * tick re-arms for the next). Ticks are the multiples of {@link #TICK_NANOS} of the clock, which is
     * {@code System.nanoTime()} on a lane and may be negative, hence the floor modulus.
     */
    static long untilTick(long deadline, long now) {
        long late = Math.floorMod(deadline, TICK_NANOS);
        long tick = late == 0 ? deadline : deadline - late + TICK_NANOS;
        return Math.max(1, tick - now);
    }

    private Queue queueFor(long delayNanos) {
        for (int i = 0; i < queues.size(); i++) {
            Queue q = queues.get(i);
            if (q.delayNanos == delayNanos) {
                return q;
            }
        }
        return null;
    }

    /** Distinct delays with a queue now (tests). */
    int queueCount() {
        return queues.size();
    }

    /** Timers queued, cancelled ones included (tests). */
    int queued() {
        int n = 0;
        for (Queue q : queues) {
            n += q.entries.size();
        }
        return n;
    }

    /** The timers of one delay, in the order they were set and therefore of their deadlines. */
    final class Queue {
        private final long delayNanos;
        private final ArrayDeque<Entry> entries = new ArrayDeque<>();
        private boolean armed;
        /**
         * Entries cancelled while in {@link #entries}: counted by {@link Entry#cancel}, which may run on another
         * thread, so only an estimate there (a lost count delays a compaction, it never removes a live timer).
         */
        private int cancelled;

        private Queue(long delayNanos) {
            this.delayNanos = delayNanos;
        }

        /** Removes the cancelled entries when they are more than half of the queue (see the class documentation). */
        private void compactIfWorth() {
            if (cancelled >= COMPACT_MIN && cancelled * 2 > entries.size()) {
                entries.removeIf(Entry::isCancelled);
                cancelled = 0;
            }
        }

        /** Runs every due timer of this queue, then re-arms for the next head or drops the queue when empty. */
        void expire() {
            // still armed while it runs: a task that sets a timer of this delay must not arm it a second time
            long now = clock.getAsLong();
            Entry head;
            while ((head = entries.peekFirst()) != null && head.deadline - now <= 0) {
                entries.pollFirst();
                if (head.cancelled && cancelled > 0) {
                    cancelled--;
                }
                Runnable task = head.take();
                if (task != null) {
                    runner.accept(task); // may set timers of this very delay: appended behind, due later
                }
            }
            if (head == null) {
                armed = false;
                queues.remove(this);
            } else {
                arm.arm(this, untilTick(head.deadline, now));
            }
        }
    }

    /** One timer; its task is dropped when it runs or is cancelled, so a waiting entry holds nothing alive. */
    private static final class Entry implements Scheduler.Timer {
        private final Queue queue;
        private final long deadline;
        private volatile Runnable task;
        private volatile boolean cancelled;

        private Entry(Queue queue, long deadline, Runnable task) {
            this.queue = queue;
            this.deadline = deadline;
            this.task = task;
        }

        private Runnable take() {
            Runnable t = task;
            task = null;
            return t;
        }

        @Override
        public void cancel() {
            if (task != null) {
                cancelled = true;
                task = null;
                queue.cancelled++;
            }
        }

        @Override
        public boolean isCancelled() {
            return cancelled;
        }
    }
}
