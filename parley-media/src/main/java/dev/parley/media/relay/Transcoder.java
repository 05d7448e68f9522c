package dev.parley.media.relay;

import dev.parley.mediaapi.PayloadFormat;
import dev.parley.rtp.RtpPacket;

/**
 * Turns the packets of one payload type arriving on a leg into packets for the other leg when the two share no
 * codec. Push, then pull: {@link #accept} takes the packet (and everything it needs from it) in, then
 * {@link #next} writes each packet it yields into the workspace, one at a time, each sent before the next is
 * written. A packet may yield none (a 10 ms G.711 packet is half an Opus frame), one, or several (concealed frames
 * for lost ones, then its own). Instances keep codec state, are confined to their endpoint's event loop and reuse
 * their buffers: the packet path allocates nothing of its own.
 */
abstract class Transcoder {
    final PayloadFormat input;
    final PayloadFormat output;
    final Renumbering numbering;

    Transcoder(PayloadFormat input, PayloadFormat output, Renumbering numbering) {
        this.input = input;
        this.output = output;
        this.numbering = numbering;
    }

    /** Takes the packet {@code rtp} views in; false when it was unusable (malformed, duplicate, late) and dropped. */
    abstract boolean accept(RtpPacket rtp);

    /** Writes the next packet to send into {@code w} ({@code w.buffer} and {@code w.rtp}); false when none is left. */
    abstract boolean next(Workspace w);

    /** Whether this instance already does what a rebuilt route asks for, so its codec state can carry on. */
    boolean serves(PayloadFormat in, PayloadFormat out, Renumbering renumbering) {
        return numbering == renumbering && input.equals(in) && output.equals(out);
    }

    /** Finishes a packet written at {@code w.array[0..length)}. */
    static void wrote(Workspace w, int length) {
        w.buffer.set(w.array, 0, length);
        w.rtp.wrap(w.buffer);
    }
}
