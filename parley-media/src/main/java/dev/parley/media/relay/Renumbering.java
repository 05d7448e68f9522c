package dev.parley.media.relay;

import java.util.concurrent.ThreadLocalRandom;

/**
 * The RTP numbering of one direction of a bridge whose audio is transcoded: transcoding changes how many packets
 * there are (concealed frames added for lost ones, 30 ms G.711 packets re-cut into 20 ms Opus frames) and the
 * timestamp clock (Opus runs at 48 kHz whatever the audio bandwidth, RFC 7587 §4.1; G.711 at 8 kHz, RFC 3551 §4.5),
 * so the packets sent on get sequence numbers, timestamps and an SSRC of their own. Every packet of the direction
 * — audio and telephone-events alike — is numbered here, so they form one stream.
 *
 * <p>The output SSRC is the input SSRC with a per-instance random mask: a new instance (a new bridge, a change of
 * codecs) is a new source to {@link OutboundStream}, which then continues its sequence and timestamps from where
 * they were instead of following a renumbering that started afresh. Timestamps are mapped from an anchor with
 * exact integer arithmetic, so rounding never accumulates; the anchor moves before the 32-bit difference could
 * overflow (RTP timestamps wrap, RFC 3550 §5.1).
 *
 * <p>{@link #identity()} keeps the incoming numbering: a relayed direction where only telephone-events change
 * their clock rate.
 */
final class Renumbering {
    private static final int REANCHOR = 1 << 29;

    private final boolean identity;
    private final int inputClock;
    private final int outputClock;
    private final int mask;

    private boolean started;
    private int inputSsrc;
    private int inputSequence;
    private int sequence;
    private int anchorIn;
    private int anchorOut;

    private Renumbering(boolean identity, int inputClock, int outputClock, int mask) {
        this.identity = identity;
        this.inputClock = inputClock;
        this.outputClock = outputClock;
        this.mask = mask;
    }

    /** A renumbering from an audio clock to another, e.g. 48000 → 8000 for Opus to G.711. */
    static Renumbering between(int inputClock, int outputClock) {
        int mask;
        do {
            mask = ThreadLocalRandom.current().nextInt();
        } while (mask == 0);
        return new Renumbering(false, inputClock, outputClock, mask);
    }

    /** Keeps sequence numbers, timestamps and SSRC as they arrive. */
    static Renumbering identity() {
        return new Renumbering(true, 1, 1, 0);
    }

    boolean sameClocks(int in, int out) {
        return !identity && inputClock == in && outputClock == out;
    }

    /** Notes the packet that is being transcoded now; call before numbering what it yields. */
    void source(int ssrc, int sequenceNumber, int timestamp) {
        inputSequence = sequenceNumber;
        if (!started || ssrc != inputSsrc) {
            started = true;
            inputSsrc = ssrc;
            sequence = sequenceNumber;
            anchorIn = timestamp;
            anchorOut = (int) (Integer.toUnsignedLong(timestamp) * outputClock / inputClock);
        }
    }

    /** The next sequence number to send. */
    int nextSequence() {
        return identity ? inputSequence : sequence++ & 0xFFFF;
    }

    /** {@code inputTimestamp} in the output clock. */
    int timestamp(int inputTimestamp) {
        if (identity) {
            return inputTimestamp;
        }
        int delta = inputTimestamp - anchorIn;
        int out = anchorOut + (int) Math.floorDiv((long) delta * outputClock, inputClock);
        if (delta > REANCHOR || delta < -REANCHOR) {
            // Move the anchor by whole seconds: both clocks advance by an integer, so the mapping stays exact.
            int seconds = delta / inputClock;
            anchorIn += seconds * inputClock;
            anchorOut += seconds * outputClock;
        }
        return out;
    }

    int ssrc() {
        return inputSsrc ^ mask;
    }
}
