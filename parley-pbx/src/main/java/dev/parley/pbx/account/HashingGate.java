package dev.parley.pbx.account;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Caps how many Argon2id computations run at once. Each takes {@link PasswordHashing#MEMORY_KIB} KiB (19 MiB) for
 * its duration, so a flood of logins, wrong or right, could otherwise exhaust the heap; with the gate a flood gets
 * {@link Busy} quickly (the web answers {@code 503} with {@code Retry-After}) while the computations already
 * admitted finish.
 *
 * <p>A caller waits at most {@code maxWait} for a permit: long enough to absorb a burst of a few real logins
 * (one computation takes tens of milliseconds), short enough that requests never pile up.
 */
public final class HashingGate {
    /** The share of the maximum heap that Argon2id working memory may take at once. */
    private static final double HEAP_SHARE = 0.25;

    private final Semaphore permits;
    private final int size;
    private final Duration maxWait;

    /** Thrown when no permit came free within the wait: the server is busy hashing. */
    public static final class Busy extends RuntimeException {
        public Busy() {
            super("too many password hashes are being computed; try again shortly", null, false, false);
        }
    }

    public HashingGate(int size, Duration maxWait) {
        if (size < 1) {
            throw new IllegalArgumentException("a hashing gate needs at least one permit, was " + size);
        }
        this.size = size;
        this.permits = new Semaphore(size, true);
        this.maxWait = Objects.requireNonNull(maxWait, "maxWait");
    }

    /**
     * Sized by memory: as many computations as fit in a quarter of {@code maxHeapBytes}, at most two per core, at
     * least one.
     */
    public static HashingGate sizedFor(long maxHeapBytes, int cores, Duration maxWait) {
        return new HashingGate(sizeFor(maxHeapBytes, cores), maxWait);
    }

    /** {@link #sizedFor} this JVM's heap and processors, waiting at most 2 s. */
    public static HashingGate forThisJvm() {
        Runtime rt = Runtime.getRuntime();
        return sizedFor(rt.maxMemory(), rt.availableProcessors(), Duration.ofSeconds(2));
    }

    static int sizeFor(long maxHeapBytes, int cores) {
        long perHash = PasswordHashing.MEMORY_KIB * 1024L;
        long byMemory = (long) (maxHeapBytes * HEAP_SHARE) / perHash;
        return (int) Math.max(1, Math.min(byMemory, 2L * Math.max(1, cores)));
    }

    /** How many computations may run at once. */
    public int size() {
        return size;
    }

    /** Permits free now. */
    public int available() {
        return permits.availablePermits();
    }

    /**
     * Runs {@code hashing} holding a permit.
     *
     * @throws Busy if no permit came free within the wait (or the thread was interrupted while waiting)
     */
    public <T> T run(Supplier<T> hashing) {
        boolean acquired;
        try {
            acquired = permits.tryAcquire(maxWait.toNanos(), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Busy();
        }
        if (!acquired) {
            throw new Busy();
        }
        try {
            return hashing.get();
        } finally {
            permits.release();
        }
    }
}
