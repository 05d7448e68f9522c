package dev.parley.media.relay;

import dev.parley.media.codec.G711;
import dev.parley.media.codec.OpusEncoding;
import dev.parley.media.codec.OpusFormat;
import dev.parley.mediaapi.PayloadFormat;
import dev.parley.rtp.RtpPacket;

/**
 * PCMU or PCMA from one leg to Opus (RFC 7587) on the other: samples are decoded to 8 kHz linear and queued, and
 * every 20 ms of them becomes one Opus packet, whatever the G.711 packet size (10, 20, 30 ms...). The Opus packet
 * carries the sampling instant of its first sample, in the 48 kHz clock RFC 7587 §4.1 prescribes.
 *
 * <p>A gap or jump in the G.711 timeline (loss, silence suppression, a new source) drops the unfinished frame (less
 * than 20 ms) and starts the queue afresh at the new packet: padding it would invent audio, and the encoder copes
 * with a discontinuity as it would with any onset. Duplicate and late packets are dropped.
 */
final class G711ToOpus extends Transcoder {
    private final OpusEncoding encoder;
    private final boolean ulaw;
    private final short[] queue = new short[Workspace.CAPACITY + OpusEncoding.FRAME_SAMPLES];
    private int queued;
    private int queueTimestamp;
    private boolean marker;

    private boolean started;
    private int ssrc;
    private int lastSequence;

    G711ToOpus(PayloadFormat input, PayloadFormat output, Renumbering numbering) {
        super(input, output, numbering);
        this.ulaw = input.encodingName().equalsIgnoreCase("PCMU");
        this.encoder = new OpusEncoding(OpusFormat.parse(output.fmtp()));
    }

    @Override
    boolean accept(RtpPacket rtp) {
        int sequence = rtp.sequenceNumber();
        int timestamp = rtp.timestamp();
        int length = rtp.payloadLength();
        if (!started || rtp.ssrc() != ssrc) {
            started = true;
            ssrc = rtp.ssrc();
            lastSequence = sequence - 1;
            queued = 0;
        }
        int delta = (sequence - lastSequence) & 0xFFFF;
        if (delta == 0 || delta >= 0x8000 || length == 0) {
            return false;
        }
        lastSequence = sequence;
        numbering.source(rtp.ssrc(), sequence, timestamp);
        if (queued > 0 && timestamp != queueTimestamp + queued) {
            queued = 0;
        }
        if (queued == 0) {
            queueTimestamp = timestamp;
        }
        marker |= rtp.marker();
        G711.decode(ulaw, rtp.array(), rtp.payloadOffset(), length, queue, queued);
        queued += length;
        return true;
    }

    @Override
    boolean next(Workspace w) {
        while (queued >= OpusEncoding.FRAME_SAMPLES) {
            int header = RtpPacket.FIXED_HEADER_LENGTH;
            int length = encoder.encode(queue, 0, w.array, header);
            int timestamp = queueTimestamp;
            boolean first = marker;
            queued -= OpusEncoding.FRAME_SAMPLES;
            queueTimestamp += OpusEncoding.FRAME_SAMPLES;
            System.arraycopy(queue, OpusEncoding.FRAME_SAMPLES, queue, 0, queued);
            if (length <= 0) {
                continue;
            }
            marker = false;
            RtpPacket.writeHeader(w.array, 0, first, output.payloadType(), numbering.nextSequence(),
                    numbering.timestamp(timestamp), numbering.ssrc());
            wrote(w, header + length);
            return true;
        }
        return false;
    }

    /** The encoder's bitrate in bits per second. */
    int bitrate() {
        return encoder.bitrate();
    }
}
