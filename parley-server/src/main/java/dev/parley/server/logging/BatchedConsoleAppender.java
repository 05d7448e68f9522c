package dev.parley.server.logging;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Logback's console appender, writing the lines of a few milliseconds in one {@code write}: INFO and below are
 * buffered and flushed by a thread of its own at most {@link #FLUSH_DELAY_MILLIS} ms after the first of them; a WARN
 * or ERROR line flushes at once, with everything before it, so a failure's lines are out before what follows it.
 *
 * <p>Why: under call load the call log is three INFO lines per call, written on the lane that handles the call, and
 * Logback's console appender writes each line with its own {@code write(2)} through {@code System.out}: 3.7 % of the
 * lanes' CPU in the SIP load benchmark at 1,600 calls/s, the system call and the file system under it
 * (docs/benchmarks.md, "tenth session, lanecpu"). Batched, a lane only copies the line into the buffer.
 *
 * <p>The cost: an INFO line reaches standard output up to {@link #FLUSH_DELAY_MILLIS} ms later than before, and the
 * lines of that last moment are lost if the JVM is killed (SIGKILL) rather than stopped. A normal exit loses none:
 * once the JVM shuts down (a shutdown hook of this appender) every line is written at once, because the server's
 * own shutdown hook still logs while it drains and stops, and the JVM halts as soon as the hooks are done — sooner
 * than the flusher's delay after the last line ("stopped" was lost that way). Lines keep their order, and each line
 * is written whole: the buffer holds whole encoded events, and one larger than the buffer is written on its own.
 */
public final class BatchedConsoleAppender extends ConsoleAppender<ILoggingEvent> {
    /** How long an INFO line may wait for others to share its {@code write}; short enough to read as "at once". */
    static final long FLUSH_DELAY_MILLIS = 20;

    private static final int BUFFER_BYTES = 64 * 1024;

    /** Set by the thread that writes the first line after a flush; the flusher clears it just before flushing. */
    private volatile boolean pending;
    private volatile boolean running;
    /** Set when the JVM starts shutting down: from then on every line is written at once. */
    private volatile boolean writeThrough;
    private Thread flusher;
    private Thread shutdownHook;

    @Override
    public void start() {
        setImmediateFlush(false);
        super.start();
        if (!isStarted()) {
            return;
        }
        running = true;
        flusher = Thread.ofPlatform().daemon().name("parley-log-flush").unstarted(this::flushLoop);
        flusher.start();
        shutdownHook = Thread.ofPlatform().name("parley-log-flush-at-exit").unstarted(this::writeThrough);
        try {
            Runtime.getRuntime().addShutdownHook(shutdownHook);
        } catch (IllegalStateException alreadyShuttingDown) {
            shutdownHook = null;
        }
    }

    @Override
    public void stop() {
        running = false;
        Thread t = flusher;
        if (t != null) {
            LockSupport.unpark(t);
        }
        flush();
        if (shutdownHook != null) {
            try {
                Runtime.getRuntime().removeShutdownHook(shutdownHook);
            } catch (IllegalStateException alreadyShuttingDown) {
                // the hook runs (or ran) anyway: it only flushes
            }
            shutdownHook = null;
        }
        super.stop();
    }

    @Override
    protected OutputStream wrapTarget(OutputStream target) {
        // ConsoleTarget's stream hands each write to System.out, which flushes it at once: this buffer in front of it
        // makes one write of many lines
        return new BufferedOutputStream(super.wrapTarget(target), BUFFER_BYTES);
    }

    @Override
    protected void subAppend(ILoggingEvent event) {
        super.subAppend(event);
        if (writeThrough || event.getLevel().isGreaterOrEqual(Level.WARN)) {
            flush();
        } else if (!pending) {
            // racing writers may both wake the flusher: harmless, a spare unpark
            pending = true;
            LockSupport.unpark(flusher);
        }
    }

    /**
     * From now on every line is written at once, and what is buffered now too (the JVM is shutting down). Set before
     * the flush: a line buffered before this flush goes with it, one appended after it sees the flag.
     */
    void writeThrough() {
        writeThrough = true;
        flush();
    }

    /** Writes out what is buffered, under the lock Logback holds while it writes a line. */
    void flush() {
        streamWriteLock.lock();
        try {
            OutputStream out = getOutputStream();
            if (out != null) {
                out.flush();
            }
        } catch (IOException e) {
            addError("could not flush the console", e);
        } finally {
            streamWriteLock.unlock();
        }
    }

    private void flushLoop() {
        while (running) {
            if (!pending) {
                LockSupport.park(this);
                continue;
            }
            // let the lines of the next few milliseconds join this one's write
            LockSupport.parkNanos(this, TimeUnit.MILLISECONDS.toNanos(FLUSH_DELAY_MILLIS));
            // cleared before the flush: a line written after this point sets it again and gets a flush of its own
            pending = false;
            flush();
        }
    }
}
