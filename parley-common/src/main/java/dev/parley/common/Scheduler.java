package dev.parley.common;

import java.time.Duration;

/**
 * Monotonic time and timers for protocol engines (SIP timers A–K, DTLS retransmission, ICE consent, registration
 * expiry). Engines take a {@code Scheduler} instead of reading the system clock, so tests run them in virtual time
 * ({@link VirtualScheduler}) where 32 seconds of timer logic take microseconds.
 */
public interface Scheduler {

    /** A scheduled task that has not necessarily run yet. */
    interface Timer {
        /** Stops the task if it has not started; harmless after it ran or was cancelled. */
        void cancel();

        boolean isCancelled();
    }

    /** Monotonic nanoseconds from an arbitrary origin; only differences mean anything. */
    long nanoTime();

    /** Runs {@code task} once after {@code delay}; a zero or negative delay means as soon as possible. */
    Timer schedule(Duration delay, Runnable task);
}
