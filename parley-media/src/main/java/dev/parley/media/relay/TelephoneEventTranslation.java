package dev.parley.media.relay;

import dev.parley.mediaapi.PayloadFormat;
import dev.parley.rtp.RtpPacket;

/**
 * Carries RFC 4733 telephone-events between legs that clock them differently (8000 on a G.711 leg, often 48000
 * next to Opus): the duration of each event block (RFC 4733 §2.3.5, in timestamp units) is rescaled to the other
 * leg's event clock, and the timestamp (the event's start on the audio timeline, §2.3.4) goes through the
 * direction's {@link Renumbering} with the audio, so events stay where they belong in the stream. The packet is
 * rewritten in place; a duration longer than 16 bits allow after scaling is capped (an event that long is split by
 * its sender anyway, §2.5.1.3).
 */
final class TelephoneEventTranslation extends Transcoder {
    private boolean pending;

    TelephoneEventTranslation(PayloadFormat input, PayloadFormat output, Renumbering numbering) {
        super(input, output, numbering);
    }

    @Override
    boolean accept(RtpPacket rtp) {
        int length = rtp.payloadLength();
        if (length < 4) {
            pending = false;
            return false;
        }
        numbering.source(rtp.ssrc(), rtp.sequenceNumber(), rtp.timestamp());
        byte[] a = rtp.array();
        int end = rtp.payloadOffset() + length - length % 4;
        for (int at = rtp.payloadOffset(); at < end; at += 4) {
            // RFC 4733 §2.3: event (8 bits), E|R|volume (8 bits), duration (16 bits).
            long duration = ((a[at + 2] & 0xFF) << 8) | (a[at + 3] & 0xFF);
            long scaled = Math.min(0xFFFF, duration * output.clockRate() / input.clockRate());
            a[at + 2] = (byte) (scaled >>> 8);
            a[at + 3] = (byte) scaled;
        }
        rtp.sequenceNumber(numbering.nextSequence()).timestamp(numbering.timestamp(rtp.timestamp()))
                .ssrc(numbering.ssrc());
        pending = true;
        return true;
    }

    @Override
    boolean next(Workspace w) {
        // Rewritten in place: w.rtp still views it.
        boolean yes = pending;
        pending = false;
        return yes;
    }
}
