package dev.parley.rtp.event;

import dev.parley.rtp.RtpPacket;

/**
 * Turns the telephone-event packets of one RTP stream into "this event ended", once per event, without I/O,
 * timers or allocation. An event is identified by its RTP timestamp (RFC 4733 §2.5.1.2: every packet of one
 * event carries the timestamp of its start). The sender repeats the final packet, E bit set, three times
 * (§2.5.1.4); only the first of them that arrives reports {@link Result#ENDED}, the rest are
 * {@link Result#ALREADY_ENDED}.
 *
 * <p>If every end packet of an event is lost, the event is reported {@link Result#ENDED} (with
 * {@link #endSeen()} false) when the first packet of the next event arrives. Not handled: an event whose end
 * packets are all lost and after which no event follows (the caller may time it out), and RFC 4733 §2.5.1.3
 * long-duration segments, which are reported as separate events. The caller filters the stream's
 * telephone-event payload type before calling {@link #offer}.
 */
public final class TelephoneEventDetector {
    public enum Result {
        /** The payload is too short to hold an event. */
        MALFORMED,
        /** The first packet of a new event. */
        STARTED,
        /** A further packet of the event in progress. */
        CONTINUING,
        /** The event is over: {@link #event()}, {@link #duration()} and {@link #timestamp()} describe it. */
        ENDED,
        /** A repeated end packet (or a late packet) of an event already reported. */
        ALREADY_ENDED
    }

    private boolean active;
    private int activeTimestamp;
    private int activeEvent;
    private int activeDuration;
    private int activeVolume;

    private boolean haveEnded;
    private int endedTimestamp;
    private int endedEvent;
    private int endedDuration;
    private int endedVolume;
    private boolean endSeen;

    /** Offers one packet of the telephone-event stream (already validated, e.g. by {@link RtpPacket#wrap}). */
    public Result offer(RtpPacket packet) {
        return offer(packet.timestamp(), packet.array(), packet.payloadOffset(), packet.payloadLength());
    }

    /** Offers the payload of one telephone-event packet whose RTP timestamp is {@code timestamp}. */
    public Result offer(int timestamp, byte[] a, int payloadOffset, int payloadLength) {
        if (!TelephoneEvent.fits(payloadLength)) {
            return Result.MALFORMED;
        }
        if (haveEnded && timestamp == endedTimestamp) {
            return Result.ALREADY_ENDED;
        }
        int event = TelephoneEvent.event(a, payloadOffset);
        int duration = TelephoneEvent.duration(a, payloadOffset);
        int volume = TelephoneEvent.volume(a, payloadOffset);
        boolean end = TelephoneEvent.end(a, payloadOffset);

        if (active && timestamp != activeTimestamp) {
            // a new event while the previous one never showed its end: all its end packets were lost
            finish(activeTimestamp, activeEvent, activeDuration, activeVolume, false);
            start(timestamp, event, duration, volume);
            if (end) {
                active = false; // a one-packet event right after a lost end: only the lost one can be reported
            }
            return Result.ENDED;
        }
        if (!active) {
            start(timestamp, event, duration, volume);
            if (!end) {
                return Result.STARTED;
            }
        }
        if (end) {
            active = false;
            finish(timestamp, event, duration, volume, true);
            return Result.ENDED;
        }
        activeDuration = Math.max(activeDuration, duration); // reordered packets must not shorten it
        return Result.CONTINUING;
    }

    private void start(int timestamp, int event, int duration, int volume) {
        active = true;
        activeTimestamp = timestamp;
        activeEvent = event;
        activeDuration = duration;
        activeVolume = volume;
    }

    private void finish(int timestamp, int event, int duration, int volume, boolean sawEnd) {
        haveEnded = true;
        endedTimestamp = timestamp;
        endedEvent = event;
        endedDuration = duration;
        endedVolume = volume;
        endSeen = sawEnd;
    }

    /** The event code of the last event reported {@link Result#ENDED}. */
    public int event() {
        return endedEvent;
    }

    /** Its duration in RTP timestamp units (from its end packet, or the longest seen if that was lost). */
    public int duration() {
        return endedDuration;
    }

    public int volume() {
        return endedVolume;
    }

    /** Its RTP timestamp, which identifies it. */
    public int timestamp() {
        return endedTimestamp;
    }

    /** False when the event was closed because the next one started, its end packets all lost. */
    public boolean endSeen() {
        return endSeen;
    }
}
