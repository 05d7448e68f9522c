package dev.parley.media.relay;

import dev.parley.rtp.rtcp.RtcpWriter;

/**
 * What Parley knows about the RTP stream it receives on a leg, for the report block of its RTCP (RFC 3550 §6.4.1):
 * sequence tracking with wrap-around (Appendix A.1), loss (A.3), interarrival jitter (A.8), and the last sender
 * report for round-trip estimates (LSR/DLSR). A new SSRC starts the statistics afresh.
 */
final class ReceptionStats {
    private static final int MAX_DROPOUT = 3000;
    private static final int MAX_MISORDER = 100;
    private static final int SEQ_MOD = 1 << 16;

    private final long originNanos;
    private boolean active;
    private int ssrc;
    private int maxSequence;
    private long cycles;
    private int baseSequence;
    private int badSequence = -1;
    private long received;
    private long expectedPrior;
    private long receivedPrior;
    private boolean haveTransit;
    private int transit;
    private double jitter;
    private boolean haveSenderReport;
    private int lastSenderReport;
    private long lastSenderReportNanos;

    ReceptionStats(long originNanos) {
        this.originNanos = originNanos;
    }

    void onPacket(int packetSsrc, int sequence, int timestamp, int clockRate, long nowNanos) {
        if (!active || packetSsrc != ssrc) {
            start(packetSsrc, sequence);
        } else if (!updateSequence(sequence)) {
            return;
        }
        received++;
        if (clockRate > 0) {
            // RFC 3550 A.8: transit time in timestamp units; its absolute value is meaningless, its change is
            // jitter. Differences are taken modulo 2^32 like the timestamps themselves.
            int arrival = (int) Math.round((nowNanos - originNanos) * (clockRate / 1e9));
            int t = arrival - timestamp;
            if (haveTransit) {
                int d = Math.abs(t - transit);
                jitter += (d - jitter) / 16.0;
            }
            transit = t;
            haveTransit = true;
        }
    }

    /** RFC 3550 A.1 update_seq without probation: the relay forwards from the first packet anyway. */
    private boolean updateSequence(int sequence) {
        int delta = (sequence - maxSequence) & 0xFFFF;
        if (delta < MAX_DROPOUT) {
            if (sequence < maxSequence) {
                cycles += SEQ_MOD;
            }
            maxSequence = sequence;
        } else if (delta <= SEQ_MOD - MAX_MISORDER) {
            // A very large jump: believe it only when the next packet confirms it (the sender restarted).
            if (sequence == badSequence) {
                start(ssrc, sequence);
            } else {
                badSequence = (sequence + 1) & 0xFFFF;
                return false;
            }
        }
        return true;
    }

    private void start(int packetSsrc, int sequence) {
        active = true;
        ssrc = packetSsrc;
        baseSequence = sequence;
        maxSequence = sequence;
        badSequence = -1;
        cycles = 0;
        received = 0;
        expectedPrior = 0;
        receivedPrior = 0;
        haveTransit = false;
        jitter = 0;
        haveSenderReport = false;
    }

    boolean active() {
        return active;
    }

    /** A sender report arrived from {@code senderSsrc}; {@code compactNtp} is the middle of its NTP timestamp. */
    void onSenderReport(int senderSsrc, int compactNtp, long nowNanos) {
        if (active && senderSsrc == ssrc) {
            haveSenderReport = true;
            lastSenderReport = compactNtp;
            lastSenderReportNanos = nowNanos;
        }
    }

    long expected() {
        return cycles + maxSequence - baseSequence + 1;
    }

    long lost() {
        return expected() - received;
    }

    long jitter() {
        return (long) jitter;
    }

    /** Appends the report block of RFC 3550 §6.4.1 (A.3 arithmetic) and starts the next reporting interval. */
    void writeReportBlock(RtcpWriter writer, long nowNanos) {
        long expected = expected();
        long expectedInterval = expected - expectedPrior;
        long receivedInterval = received - receivedPrior;
        expectedPrior = expected;
        receivedPrior = received;
        long lostInterval = expectedInterval - receivedInterval;
        int fraction = expectedInterval == 0 || lostInterval <= 0 ? 0 : (int) ((lostInterval << 8) / expectedInterval);
        // DLSR: the delay since that SR, in units of 1/65536 s; both 0 before any SR arrived.
        long delay = haveSenderReport
                ? Math.min(0xFFFFFFFFL, (nowNanos - lastSenderReportNanos) * 65536L / 1_000_000_000L) : 0;
        // The writer clamps cumulative loss to the signed 24 bits of the block.
        int lost = (int) Math.max(Integer.MIN_VALUE, Math.min(Integer.MAX_VALUE, lost()));
        writer.reportBlock(ssrc, Math.min(fraction, 255), lost, (int) (cycles + maxSequence), (int) jitter,
                haveSenderReport ? lastSenderReport : 0, (int) delay);
    }
}
