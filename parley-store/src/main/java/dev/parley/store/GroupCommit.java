package dev.parley.store;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Group commit: writes that arrive while a transaction is running wait, and the next transaction carries all of
 * them, so a burst of writes pays for one {@code BEGIN … COMMIT} (and, on SQLite, one set of WAL frames per page
 * touched) instead of one each. {@link #submit} returns only after the transaction that holds its work committed,
 * so a caller that answers after it answers for durable data, exactly as with a transaction of its own.
 *
 * <p>No thread of its own: the first caller that finds no transaction running runs one (the <em>leader</em>) with
 * every work item queued at that moment, its own included; callers that find one running park until their item is
 * done or they are handed the lead. A lone caller therefore runs its own transaction at once, as before, with no
 * hand-off to another thread. Each leader, after releasing the lead, looks at the queue and wakes the oldest waiting
 * caller to lead the next batch; a caller enqueues before it tries the lead, and a leader releases before it looks,
 * so one of the two always sees the other (no item is left waiting with nobody to run it).
 *
 * <p>Failure isolation: if a batch's transaction fails, it rolled back whole, and each item is run again alone, so
 * only the items that fail on their own fail (with their own exception); the others commit.
 *
 * <table>
 *   <caption>Limits</caption>
 *   <tr><td>items per transaction</td><td>at most {@code maxBatch}; the rest wait for the next</td></tr>
 *   <tr><td>items waiting</td><td>one per blocked caller: the callers bound it</td></tr>
 * </table>
 *
 * @param <T> a work item
 * @param <R> its result
 */
final class GroupCommit<T, R> {
    /** Runs a batch in one transaction. */
    @FunctionalInterface
    interface Committer<T, R> {
        /**
         * Does every item of {@code batch} in one transaction and commits it; returns the results in the batch's
         * order. Throws if the transaction did not commit (it is then rolled back whole).
         */
        List<R> commit(List<T> batch);
    }

    private static final int PENDING = 0;
    private static final int LEAD = 1;
    private static final int DONE = 2;

    /** One caller's item, waiting in the queue or in a running batch. */
    private static final class Entry<T, R> {
        private static final AtomicIntegerFieldUpdater<Entry> STATE =
                AtomicIntegerFieldUpdater.newUpdater(Entry.class, "state");

        final T work;
        final Thread caller = Thread.currentThread();
        volatile int state = PENDING;
        R result;
        RuntimeException failure;

        Entry(T work) {
            this.work = work;
        }

        /** Done: publish the outcome (the volatile write of {@code state} carries it) and wake the caller. */
        void complete(R value, RuntimeException error) {
            result = value;
            failure = error;
            state = DONE;
            if (caller != Thread.currentThread()) {
                LockSupport.unpark(caller);
            }
        }

        /** Asks a parked caller to run the next batch; false if it is done already. */
        boolean promote() {
            if (STATE.compareAndSet(this, PENDING, LEAD)) {
                LockSupport.unpark(caller);
                return true;
            }
            return false;
        }
    }

    private final Committer<T, R> committer;
    private final int maxBatch;
    private final ConcurrentLinkedQueue<Entry<T, R>> queue = new ConcurrentLinkedQueue<>();
    private final ReentrantLock lead = new ReentrantLock();

    GroupCommit(Committer<T, R> committer, int maxBatch) {
        this.committer = Objects.requireNonNull(committer, "committer");
        if (maxBatch < 1) {
            throw new IllegalArgumentException("maxBatch must be at least 1: " + maxBatch);
        }
        this.maxBatch = maxBatch;
    }

    /**
     * Does {@code work} in a transaction, possibly together with other callers' work, and returns its result once
     * that transaction committed. Blocks.
     *
     * @throws RuntimeException what the committer threw for this item run alone
     */
    R submit(T work) {
        Entry<T, R> mine = new Entry<>(work);
        queue.add(mine);
        while (true) {
            if (lead.tryLock()) {
                try {
                    // only a leader takes items off the queue, and mine went on before this lead was taken, so the
                    // batches run here reach it (the queue is first-in first-out)
                    while (mine.state != DONE) {
                        runBatch();
                    }
                } finally {
                    lead.unlock();
                    handOff();
                }
                break;
            }
            // another caller leads: it takes mine into its batch, or a later leader hands me the lead
            while (mine.state == PENDING) {
                LockSupport.park(this);
            }
            if (mine.state == DONE || !Entry.STATE.compareAndSet(mine, LEAD, PENDING)) {
                break;
            }
        }
        if (mine.failure != null) {
            throw mine.failure;
        }
        return mine.result;
    }

    /** Items waiting now (tests and diagnostics). */
    int waiting() {
        return queue.size();
    }

    /** After releasing the lead: wake the oldest waiting caller to lead the next batch, if any waits. */
    private void handOff() {
        for (Entry<T, R> next = queue.peek(); next != null; next = queue.peek()) {
            if (next.state != PENDING || next.promote()) {
                return; // promoted now, or already promoted and not yet awake
            }
            // done meanwhile (a leader took it after my peek): look again
        }
    }

    /** Takes up to {@code maxBatch} items and commits them together; never throws for an item's failure. */
    private void runBatch() {
        List<Entry<T, R>> batch = new ArrayList<>(Math.min(maxBatch, 16));
        for (Entry<T, R> e; batch.size() < maxBatch && (e = queue.poll()) != null; ) {
            batch.add(e);
        }
        if (batch.isEmpty()) {
            return;
        }
        try {
            List<R> results;
            try {
                results = committer.commit(works(batch));
            } catch (RuntimeException e) {
                if (batch.size() == 1) {
                    batch.getFirst().complete(null, e);
                    return;
                }
                // the transaction rolled back whole: run each item alone, so only the ones that fail alone fail
                for (Entry<T, R> entry : batch) {
                    try {
                        entry.complete(committer.commit(List.of(entry.work)).getFirst(), null);
                    } catch (RuntimeException alone) {
                        entry.complete(null, alone);
                    }
                }
                return;
            }
            if (results.size() != batch.size()) {
                throw new IllegalStateException("committer returned " + results.size() + " results for "
                        + batch.size() + " items");
            }
            for (int i = 0; i < batch.size(); i++) {
                batch.get(i).complete(results.get(i), null);
            }
        } finally {
            // an Error, or a committer that broke its contract: nobody may wait for ever
            for (Entry<T, R> entry : batch) {
                if (entry.state != DONE) {
                    entry.complete(null, new IllegalStateException("group commit failed"));
                }
            }
        }
    }

    private static <T, R> List<T> works(List<Entry<T, R>> batch) {
        List<T> works = new ArrayList<>(batch.size());
        for (Entry<T, R> e : batch) {
            works.add(e.work);
        }
        return works;
    }
}
