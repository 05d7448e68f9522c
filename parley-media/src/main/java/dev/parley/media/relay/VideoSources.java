package dev.parley.media.relay;

/**
 * The SSRCs a browser has sent video from on its leg, as the relay saw them (they cross to the partner browser
 * unchanged, see {@link VideoRoute}): what RTCP about the video must name. Bounded: a browser sends one video
 * stream per transceiver, and Parley answers one video m-line; when full, the oldest is forgotten. Confined to the
 * endpoint's loop.
 */
final class VideoSources {
    static final int CAPACITY = 8;

    private int[] ssrcs; // made by the first video packet: an audio leg (nearly all of them) never needs it
    private int size;
    private int next;

    void add(int ssrc) {
        if (contains(ssrc)) {
            return;
        }
        if (ssrcs == null) {
            ssrcs = new int[CAPACITY];
        }
        ssrcs[next] = ssrc;
        next = (next + 1) % CAPACITY;
        size = Math.min(size + 1, CAPACITY);
    }

    boolean contains(int ssrc) {
        for (int i = 0; i < size; i++) {
            if (ssrcs[i] == ssrc) {
                return true;
            }
        }
        return false;
    }

    void clear() {
        size = 0;
        next = 0;
    }
}
