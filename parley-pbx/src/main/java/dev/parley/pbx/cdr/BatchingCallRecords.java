package dev.parley.pbx.cdr;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Takes CDR writes off the call path: {@link #save} puts the record in a bounded queue, and one virtual thread
 * writes whatever has queued up with {@link CallRecordRepository#saveAll} — one transaction per batch instead of one
 * per call. Once a record arrives the writer sleeps {@value #LINGER_MILLIS} ms and then takes everything queued
 * (up to {@value #MAX_BATCH}), so under load a batch holds the calls of that moment (at 1,600 calls/s about 160
 * records) rather than the one or two that came while the previous batch was written, and a transaction's commit
 * and statement preparation are paid once per batch; at a low call rate a record is written
 * {@value #LINGER_MILLIS} ms after its call ended. The writer does not wake for each record while it gathers (a
 * wake-up per call cost a virtual thread's unpark and park per call), only when the time is up, when
 * {@link #flush} (and so {@link #recent} and {@link #history}) asks for what is queued, or at {@link #close}: the
 * API sees a call's record at once. {@link #offer} queues from a lane without blocking, so the call path hands a
 * record over without a thread hop.
 *
 * <h2>What is guaranteed</h2>
 * <ul>
 *   <li>A full queue ({@value #CAPACITY} records) makes {@link #save} wait for room: records are not dropped for
 *       being many. {@code save} may wait, so it never runs on a lane; {@link #offer} never waits and answers false
 *       when the queue is full (the caller then calls {@code save} on a virtual thread, see {@code CallRecorder}).</li>
 *   <li>{@link #close()} stops taking records, writes everything queued, and returns (or gives up after a
 *       deadline, with a warning saying how many were left). The server closes the PBX, and so this, on a graceful
 *       stop, before it closes the database.</li>
 *   <li>On a crash ({@code kill -9}, power cut) the records still queued — those of calls that ended in the last
 *       moment: the queue, the {@value #LINGER_MILLIS} ms a batch gathers, and one batch in flight — are lost. A
 *       batch is one transaction, so the database never holds part of a batch or part of a record.</li>
 *   <li>A batch the repository refuses is logged (count and error, never the records' contents) and dropped, as a
 *       failed single save was before.</li>
 * </ul>
 *
 * <p>Call {@link #close()} only once nothing saves any more (the PBX closes it after its CDR tasks have ended): a
 * record saved while it closes may be left unwritten. {@link #recent} first waits until everything saved so far is written, so it sees this process's own records.
 * Thread-safe.
 */
public final class BatchingCallRecords implements CallRecordRepository, AutoCloseable {
    static final int CAPACITY = 10_000;
    static final int MAX_BATCH = 500;
    private static final Logger LOG = LoggerFactory.getLogger(BatchingCallRecords.class);
    private static final long CLOSE_DEADLINE_SECONDS = 10;
    private static final long IDLE_POLL_MILLIS = 100;
    /**
     * How long the writer gathers a batch after its first record: per-batch costs (a transaction's commit, which
     * writes the dirtied pages, and the statement's preparation) then amortise over more records. 20 ms before
     * issue 3's fifth session; the SIP load benchmark's A/B is in docs/benchmarks.md.
     */
    static final long LINGER_MILLIS = 100;

    private final CallRecordRepository target;
    private final BlockingQueue<CallRecord> queue = new ArrayBlockingQueue<>(CAPACITY);
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition progress = lock.newCondition();
    /** Signalled when the gathering writer should stop waiting: a flush or close wants what is queued. */
    private final Condition hurry = lock.newCondition();
    /** Set by {@link #flush} and {@link #close}, cleared by the writer once it took the queue; guarded by lock. */
    private boolean hurried;
    private final Thread writer;
    /** Records accepted by {@link #save} and records written or dropped by the writer; guarded by {@link #lock}. */
    private long accepted;
    private long finished;
    private volatile boolean closed;

    public BatchingCallRecords(CallRecordRepository target) {
        this.target = Objects.requireNonNull(target, "target");
        this.writer = Thread.ofVirtual().name("parley-cdr-writer").start(this::drain);
    }

    /**
     * Queues {@code record} for the writer; waits while the queue is full.
     *
     * @throws IllegalStateException after {@link #close()}
     */
    @Override
    public void save(CallRecord record) {
        Objects.requireNonNull(record, "record");
        if (closed) {
            throw new IllegalStateException("the CDR writer is closed");
        }
        lock.lock();
        try {
            accepted++;
        } finally {
            lock.unlock();
        }
        try {
            queue.put(record);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            finish(1);
            throw new IllegalStateException("interrupted while queueing the CDR of call " + record.id(), e);
        }
    }

    /**
     * Queues {@code record} for the writer if there is room, without waiting: for a lane, which must not block.
     *
     * @return false when the queue is full or the writer has closed (then {@link #save} says why)
     */
    @Override
    public boolean offer(CallRecord record) {
        Objects.requireNonNull(record, "record");
        if (closed) {
            return false;
        }
        lock.lock();
        try {
            accepted++;
        } finally {
            lock.unlock();
        }
        if (queue.offer(record)) {
            return true;
        }
        finish(1); // not taken: what flush() waits for must not count it
        return false;
    }

    /** Waits until every record saved so far is written, then reads the target. */
    @Override
    public List<CallRecord> recent(int limit) {
        flush();
        return target.recent(limit);
    }

    /** Waits until every record saved so far is written, then asks the target. */
    @Override
    public HistoryPage history(HistoryQuery query) {
        flush();
        return target.history(query);
    }

    /** Waits until every record saved before this call has been written (or dropped after a failure). */
    public void flush() {
        lock.lock();
        try {
            long goal = accepted;
            while (finished < goal && writer.isAlive()) {
                hurried = true; // again on every round: a record counted but not yet queued may come after a batch
                hurry.signal();
                progress.await(100, TimeUnit.MILLISECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            lock.unlock();
        }
    }

    /** Stops accepting records, writes the queued ones, and stops the writer. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true; // the writer sees it within IDLE_POLL_MILLIS, once the queue is empty (never interrupted:
        // an interrupt in the middle of a JDBC call may close the database connection)
        lock.lock();
        try {
            hurried = true;
            hurry.signal();
        } finally {
            lock.unlock();
        }
        try {
            if (!writer.join(Duration.ofSeconds(CLOSE_DEADLINE_SECONDS))) {
                LOG.warn("{} CDR(s) still unwritten at close", queue.size());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            LOG.warn("interrupted while writing the last CDRs; {} unwritten", queue.size());
        }
    }

    private void drain() {
        List<CallRecord> batch = new ArrayList<>(MAX_BATCH);
        while (true) {
            CallRecord first;
            try {
                first = queue.poll(IDLE_POLL_MILLIS, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                first = null; // nobody interrupts it on purpose; closing is seen through the flag
            }
            if (first == null) {
                if (closed && queue.isEmpty()) {
                    return;
                }
                continue;
            }
            batch.add(first);
            gather(batch);
            write(batch);
            batch.clear();
        }
    }

    /**
     * Adds what is queued {@link #LINGER_MILLIS} after the first record (sooner when flushed or closed), up to
     * {@link #MAX_BATCH}; at once when the queue already fills a batch (the writer is behind).
     */
    private void gather(List<CallRecord> batch) {
        queue.drainTo(batch, MAX_BATCH - batch.size());
        if (batch.size() < MAX_BATCH) {
            long left = TimeUnit.MILLISECONDS.toNanos(LINGER_MILLIS);
            lock.lock();
            try {
                while (!hurried && !closed && left > 0) {
                    left = hurry.awaitNanos(left);
                }
            } catch (InterruptedException e) {
                // nobody interrupts it on purpose: write what is there
            } finally {
                hurried = false;
                lock.unlock();
            }
            queue.drainTo(batch, MAX_BATCH - batch.size());
        }
    }

    private void write(List<CallRecord> batch) {
        try {
            target.saveAll(List.copyOf(batch));
        } catch (RuntimeException e) {
            LOG.warn("could not save {} CDR(s): {}", batch.size(), e.toString());
        } finally {
            finish(batch.size());
        }
    }

    private void finish(int count) {
        lock.lock();
        try {
            finished += count;
            progress.signalAll();
        } finally {
            lock.unlock();
        }
    }
}
