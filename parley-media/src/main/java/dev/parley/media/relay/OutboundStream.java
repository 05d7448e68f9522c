package dev.parley.media.relay;

import dev.parley.rtp.RtpPacket;

/**
 * The one RTP stream Parley sends to a leg's peer. Whatever arrives from the other leg — a new SSRC after a
 * re-INVITE, a transfer to another party, music on hold, a phone that restarted its stream — the peer sees one
 * SSRC with continuous sequence numbers and timestamps. Peers (and their jitter buffers) handle a changing source
 * badly: some mute for seconds, some drop the stream as a new, unannounced SSRC.
 *
 * <p>On an input SSRC change the offsets are recomputed so the next sequence number follows the last one sent and
 * the timestamp advances by the wall time since the last packet, in the clock of the outgoing format (RFC 3550
 * §5.1: the timestamp reflects the sampling instant). The marker bit is set on that packet: a discontinuity starts
 * a new talkspurt, so the receiver may adapt its playout (RFC 3551 §4.1). SSRC and timestamps are unsigned 32-bit
 * values in {@code int}s; {@code int} arithmetic wraps exactly as RTP does.
 */
final class OutboundStream {
    private final int ssrc;
    private final int initialSequence;
    private final int initialTimestamp;

    private boolean started;
    private int inputSsrc;
    private int sequenceOffset;
    private int timestampOffset;
    private int lastSequence;
    private int lastTimestamp;
    private long lastSentNanos;
    private int lastClockRate = 8000;
    private long packets;
    private long octets;

    OutboundStream(int ssrc, int initialSequence, int initialTimestamp) {
        this.ssrc = ssrc;
        this.initialSequence = initialSequence & 0xFFFF;
        this.initialTimestamp = initialTimestamp;
    }

    /** Rewrites the header of a packet about to be sent: payload type, SSRC, sequence number, timestamp, marker. */
    void rewrite(RtpPacket rtp, int payloadType, int clockRate, long nowNanos) {
        int inSsrc = rtp.ssrc();
        int inSequence = rtp.sequenceNumber();
        int inTimestamp = rtp.timestamp();
        boolean marker = rtp.marker();
        if (!started) {
            // RFC 3550 §5.1: initial sequence number and timestamp are random.
            sequenceOffset = initialSequence - inSequence;
            timestampOffset = initialTimestamp - inTimestamp;
            inputSsrc = inSsrc;
            started = true;
            marker = true;
        } else if (inSsrc != inputSsrc) {
            int elapsed = (int) Math.max(1, Math.round((nowNanos - lastSentNanos) * (clockRate / 1e9)));
            sequenceOffset = lastSequence + 1 - inSequence;
            timestampOffset = lastTimestamp + elapsed - inTimestamp;
            inputSsrc = inSsrc;
            marker = true;
        }
        int sequence = (inSequence + sequenceOffset) & 0xFFFF;
        int timestamp = inTimestamp + timestampOffset;
        rtp.payloadType(payloadType).marker(marker).sequenceNumber(sequence).timestamp(timestamp).ssrc(ssrc);
        // A reordered (older) packet must not pull the continuation point back.
        if (packets == 0 || isNewer(sequence, lastSequence)) {
            lastSequence = sequence;
            lastTimestamp = timestamp;
            lastSentNanos = nowNanos;
            lastClockRate = clockRate;
        }
    }

    /** Counts a packet that was protected and sent, for the sender report. */
    void sent(int payloadOctets) {
        packets++;
        octets += payloadOctets;
    }

    int ssrc() {
        return ssrc;
    }

    long packets() {
        return packets;
    }

    long octets() {
        return octets;
    }

    /** The RTP timestamp that corresponds to {@code nowNanos}, for the sender report (RFC 3550 §6.4.1). */
    int timestampAt(long nowNanos) {
        if (!started) {
            return initialTimestamp;
        }
        return lastTimestamp + (int) Math.round((nowNanos - lastSentNanos) * (lastClockRate / 1e9));
    }

    private static boolean isNewer(int a, int b) {
        int delta = (a - b) & 0xFFFF;
        return delta != 0 && delta < 0x8000;
    }
}
