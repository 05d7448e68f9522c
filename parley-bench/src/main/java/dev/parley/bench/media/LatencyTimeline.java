package dev.parley.bench.media;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * A step's window in 10 ms slots: per slot (by a packet's send time) the worst one-way latency (make-to-read) and
 * how many packets took over 1 ms, the worst send-to-socket latency (the relay without the generator's own delays,
 * from the kernel's stamps: {@link LoadGenerator}), and the generator's own longest gap between two passes of its
 * loop (by the pass's start). A p99 says how much of a step was slow, not when: with wall-clock slot times, a tail
 * can be laid beside the relay's GC, safepoint and JIT logs (which print UTC), and a slot whose latency is the
 * generator's own stall (a pass gap as long as the latency, a send-to-socket maximum far below it) told apart from
 * one where the relay held the packets.
 */
final class LatencyTimeline {
    static final long SLOT_NANOS = 10_000_000L;
    static final String HEADER = "step,mode,relay,calls,attempt,slot_utc,max_us,over_1ms,samples,generator_gap_us,"
            + "send_to_sock_max_us,generator_late_us,generator_sent";

    private final long fromNanos;
    private final long fromEpochMicros;
    private final int[] maxMicros;
    private final int[] over1ms;
    private final int[] samples;
    private final int[] gapMicros;
    private final int[] sendToSocketMaxMicros;
    private final int[] lateMicros;
    private final int[] sent;

    /** {@code fromNanos}: the window's start in {@link System#nanoTime()}; it lasts {@code seconds}. */
    LatencyTimeline(long fromNanos, int seconds) {
        this.fromNanos = fromNanos;
        this.fromEpochMicros = System.currentTimeMillis() * 1000 + (fromNanos - System.nanoTime()) / 1000;
        int slots = (int) (seconds * 1_000_000_000L / SLOT_NANOS);
        maxMicros = new int[slots];
        over1ms = new int[slots];
        samples = new int[slots];
        gapMicros = new int[slots];
        sendToSocketMaxMicros = new int[slots];
        lateMicros = new int[slots];
        sent = new int[slots];
    }

    void recordLatency(long sentAtNanos, long latencyNanos) {
        int slot = slot(sentAtNanos);
        if (slot < 0) {
            return;
        }
        int micros = (int) Math.min(Integer.MAX_VALUE, latencyNanos / 1000);
        samples[slot]++;
        if (micros > maxMicros[slot]) {
            maxMicros[slot] = micros;
        }
        if (micros > 1000) {
            over1ms[slot]++;
        }
    }

    /** A stamped packet made at {@code sentAtNanos} took {@code latencyNanos} send-to-socket. */
    void recordSendToSocket(long sentAtNanos, long latencyNanos) {
        int slot = slot(sentAtNanos);
        int micros = (int) Math.max(0, Math.min(Integer.MAX_VALUE, latencyNanos / 1000));
        if (slot >= 0 && micros > sendToSocketMaxMicros[slot]) {
            sendToSocketMaxMicros[slot] = micros;
        }
    }

    /** A pass of the generator's loop began at {@code atNanos}, {@code gapNanos} after the one before it. */
    void recordPassGap(long atNanos, long gapNanos) {
        int slot = slot(atNanos);
        int micros = (int) Math.min(Integer.MAX_VALUE, gapNanos / 1000);
        if (slot >= 0 && micros > gapMicros[slot]) {
            gapMicros[slot] = micros;
        }
    }

    /** The generator sent a window's packet at {@code sentAtNanos}, {@code latenessNanos} after it was due. */
    void recordSend(long sentAtNanos, long latenessNanos) {
        int slot = slot(sentAtNanos);
        if (slot < 0) {
            return;
        }
        sent[slot]++;
        int micros = (int) Math.max(0, Math.min(Integer.MAX_VALUE, latenessNanos / 1000));
        if (micros > lateMicros[slot]) {
            lateMicros[slot] = micros;
        }
    }

    /** Slots whose worst latency was over {@code micros}. */
    int slotsOver(long micros) {
        int n = 0;
        for (int max : maxMicros) {
            if (max > micros) {
                n++;
            }
        }
        return n;
    }

    int slots() {
        return maxMicros.length;
    }

    /**
     * CSV rows (after {@code prefix}: step, mode, relay, calls, attempt) for the slots whose worst latency, generator
     * gap or generator lateness was over {@code micros}; the quiet slots are left out.
     */
    List<String> rowsOver(String prefix, long micros) {
        List<String> rows = new ArrayList<>();
        for (int i = 0; i < maxMicros.length; i++) {
            if (maxMicros[i] > micros || gapMicros[i] > micros || lateMicros[i] > micros) {
                Instant at = Instant.ofEpochSecond(0, (fromEpochMicros + i * SLOT_NANOS / 1000) * 1000);
                rows.add(prefix + "," + at + "," + maxMicros[i] + "," + over1ms[i] + "," + samples[i] + ","
                        + gapMicros[i] + "," + sendToSocketMaxMicros[i] + "," + lateMicros[i] + "," + sent[i]);
            }
        }
        return rows;
    }

    private int slot(long atNanos) {
        long offset = atNanos - fromNanos;
        if (offset < 0) {
            return -1;
        }
        long slot = offset / SLOT_NANOS;
        return slot < maxMicros.length ? (int) slot : -1;
    }
}
