package dev.parley.media.relay;

import java.util.List;
import java.util.function.Consumer;

/**
 * Visits the items of a list a slice at a time, round-robin: {@code slices} calls of {@link #visit} visit every item
 * once. The media loop's periodic work (due RTCP reports, media-timeout checks) runs this way so that the reports
 * due in a period leave spread over it rather than in one burst: with 4 000 endpoints a burst of about a thousand
 * reports held the event loop some 5 ms once a second, and every packet that arrived meanwhile waited — that, not
 * the packet path, was the relay's p99 latency at 1 500–2 000 calls (docs/benchmarks.md, media load).
 *
 * <p>The list may change between calls: an item added or removed shifts the others, so within one round an item
 * may be visited twice or be skipped; the next round visits it. Visiting an endpoint is idempotent (a report goes
 * out only when due), so neither matters.
 */
final class SlicedRound {
    private final int slices;
    private int cursor;

    SlicedRound(int slices) {
        if (slices < 1) {
            throw new IllegalArgumentException("slices must be at least 1: " + slices);
        }
        this.slices = slices;
    }

    int slices() {
        return slices;
    }

    /** Visits the next {@code ceil(size / slices)} items, wrapping around. */
    <T> void visit(List<T> items, Consumer<? super T> action) {
        int size = items.size();
        int count = (size + slices - 1) / slices;
        for (int k = 0; k < count; k++) {
            if (cursor >= items.size()) {
                cursor = 0;
                if (items.isEmpty()) {
                    return;
                }
            }
            action.accept(items.get(cursor++));
        }
    }
}
