package dev.parley.media.relay;

import dev.parley.media.codec.G711;
import dev.parley.media.codec.OpusDecoding;
import dev.parley.mediaapi.PayloadFormat;
import dev.parley.rtp.RtpPacket;

/**
 * Opus (RFC 7587) from one leg to PCMU or PCMA on the other: each packet is decoded to 8 kHz and sent as one G.711
 * packet of the same duration and sampling instant.
 *
 * <p>Loss. A gap in sequence numbers of up to {@value #MAX_CONCEALED} packets is filled before the packet that
 * ends it is decoded: the last missing one is recovered from that packet's in-band FEC when the sender put some in
 * (RFC 6716 §2.1.7; browsers do by default), earlier ones by the decoder's loss concealment (RFC 6716 §4.4). The
 * G.711 side so gets every 20 ms of the timeline, and the decoder's state stays as libopus expects after a loss. A
 * longer gap is left as a gap (concealment would have faded to silence by then). The gap is seen only when the next
 * packet arrives, so concealed frames go out late, at once, with their own timestamps: a relay that waited for
 * missing packets would add that wait to every packet's delay. A duplicate or late packet was concealed already and
 * is dropped; decoding it now would disturb the decoder's state.
 */
final class OpusToG711 extends Transcoder {
    static final int MAX_CONCEALED = 5;

    private final OpusDecoding decoder = new OpusDecoding();
    private final boolean ulaw;
    private final int inputTicksPerSample;
    private final short[] pcm = new short[(MAX_CONCEALED + 1) * OpusDecoding.MAX_SAMPLES];
    private final int[] frameAt = new int[MAX_CONCEALED + 1];
    private final int[] frameSamples = new int[MAX_CONCEALED + 1];
    private final int[] frameTimestamp = new int[MAX_CONCEALED + 1];
    private final boolean[] frameMarker = new boolean[MAX_CONCEALED + 1];
    private int frames;
    private int sent;

    private boolean started;
    private int ssrc;
    private int lastSequence;
    private int lastSamples;
    private long concealed;
    private long recovered;

    OpusToG711(PayloadFormat input, PayloadFormat output, Renumbering numbering) {
        super(input, output, numbering);
        this.ulaw = output.encodingName().equalsIgnoreCase("PCMU");
        this.inputTicksPerSample = input.clockRate() / OpusDecoding.SAMPLE_RATE;
    }

    @Override
    boolean accept(RtpPacket rtp) {
        frames = 0;
        sent = 0;
        int sequence = rtp.sequenceNumber();
        int timestamp = rtp.timestamp();
        if (!started || rtp.ssrc() != ssrc) {
            if (started) {
                decoder.reset(); // another encoder now: its first packet must not be read as a continuation
            }
            started = true;
            ssrc = rtp.ssrc();
            lastSequence = sequence - 1;
            lastSamples = 0;
        }
        int delta = (sequence - lastSequence) & 0xFFFF;
        if (delta == 0 || delta >= 0x8000) {
            return false;
        }
        numbering.source(rtp.ssrc(), sequence, timestamp);
        byte[] array = rtp.array();
        int offset = rtp.payloadOffset();
        int length = rtp.payloadLength();
        int at = 0;
        int missing = delta - 1;
        if (missing > 0 && missing <= MAX_CONCEALED && lastSamples > 0) {
            for (int k = missing; k >= 1; k--) {
                // The missing packets were, most likely, as long as the last one that arrived.
                int n = k == 1
                        ? decoder.recover(array, offset, length, pcm, at, lastSamples)
                        : decoder.conceal(pcm, at, lastSamples);
                if (n <= 0) {
                    break;
                }
                if (k == 1) {
                    recovered++;
                } else {
                    concealed++;
                }
                stage(at, n, timestamp - k * lastSamples * inputTicksPerSample, false);
                at += n;
            }
        }
        lastSequence = sequence;
        int n = decoder.decode(array, offset, length, pcm, at);
        if (n <= 0) {
            return frames > 0;
        }
        stage(at, n, timestamp, rtp.marker());
        lastSamples = n;
        return true;
    }

    private void stage(int at, int samples, int timestamp, boolean marker) {
        frameAt[frames] = at;
        frameSamples[frames] = samples;
        frameTimestamp[frames] = timestamp;
        frameMarker[frames] = marker;
        frames++;
    }

    @Override
    boolean next(Workspace w) {
        if (sent == frames) {
            return false;
        }
        int i = sent++;
        int header = RtpPacket.writeHeader(w.array, 0, frameMarker[i], output.payloadType(), numbering.nextSequence(),
                numbering.timestamp(frameTimestamp[i]), numbering.ssrc());
        G711.encode(ulaw, pcm, frameAt[i], frameSamples[i], w.array, header);
        wrote(w, header + frameSamples[i]);
        return true;
    }

    /** Frames made up by loss concealment, and frames recovered from in-band FEC (for statistics and tests). */
    long concealed() {
        return concealed;
    }

    long recovered() {
        return recovered;
    }
}
