package dev.parley.sipstack.lane;

import java.time.Duration;
import java.util.concurrent.ThreadFactory;

/**
 * A fixed set of lanes and the rule that picks one for a Call-ID.
 *
 * <p>A B2BUA's two legs have different Call-IDs but one call state, so both must land on the same lane. Call-IDs
 * that Parley creates therefore carry their lane: {@link #newCallId(Lane)} ends them in {@code -p<lane>}; every
 * other Call-ID is spread by hash.
 */
public final class Lanes implements AutoCloseable {
    private static final String LANE_MARK = "-p";

    private final Lane[] lanes;

    public Lanes(int count) {
        if (count < 1 || count > 1024) {
            throw new IllegalArgumentException("lane count must be 1..1024, not " + count);
        }
        lanes = new Lane[count];
        for (int i = 0; i < count; i++) {
            String name = "parley-lane-" + i;
            ThreadFactory thread = r -> {
                Thread t = new Thread(r, name);
                t.setDaemon(true);
                return t;
            };
            lanes[i] = new Lane(i, thread);
        }
    }

    public int size() {
        return lanes.length;
    }

    public Lane get(int index) {
        return lanes[index];
    }

    /** The lane for a Call-ID: the one it names if Parley made it, else by hash. */
    public Lane forCallId(String callId) {
        int mark = callId.lastIndexOf(LANE_MARK);
        if (mark >= 0 && mark + LANE_MARK.length() < callId.length()) {
            int index = parseIndex(callId, mark + LANE_MARK.length());
            if (index >= 0 && index < lanes.length) {
                return lanes[index];
            }
        }
        return lanes[Math.floorMod(callId.hashCode(), lanes.length)];
    }

    /** A fresh Call-ID that {@link #forCallId} maps to {@code lane} (RFC 3261 §8.1.1.4: globally unique). */
    public String newCallId(Lane lane, String random) {
        return random + LANE_MARK + lane.index();
    }

    private static int parseIndex(String s, int from) {
        int v = 0;
        for (int i = from; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9' || i - from > 4) {
                return -1;
            }
            v = v * 10 + (c - '0');
        }
        return v;
    }

    @Override
    public void close() {
        for (Lane lane : lanes) {
            lane.shutdown(Duration.ofSeconds(2));
        }
    }
}
