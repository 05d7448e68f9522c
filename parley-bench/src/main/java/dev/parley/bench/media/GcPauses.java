package dev.parley.bench.media;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The Parley relay's collector pauses in a step, read from its unified GC log ({@code -Xlog:gc:...:utctime,...},
 * written by media-load.sh with {@code GC_LOG=1}): how many, the longest and their sum, during the step's call
 * set-up and warm-up and during its measured window, and the heap after the last of them. The set-up collections
 * are the ones that copy newly set-up calls' state (docs/benchmarks.md, media relay): a step's p99 is read beside
 * them. Lines are matched by their {@code [utctime]} decoration and the summary line of each pause, e.g.
 * {@code [2026-12-06T13:29:15.123+0000][19.563s][info][gc] GC(0) Pause Young (Allocation Failure) 137M->13M(494M)
 * 14.510ms}.
 */
final class GcPauses {
    private static final Pattern PAUSE = Pattern.compile(
            "^\\[([0-9T:.+\\-]+)\\].*\\[gc\\s*\\] GC\\(\\d+\\) Pause \\w+.* (\\d+)M->(\\d+)M\\(\\d+M\\) ([0-9.]+)ms");
    private static final DateTimeFormatter UTC_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSZ",
            Locale.ROOT);

    /** One pause: when it ended (epoch ms), how long it took, the heap after it. */
    record Pause(long endMillis, double millis, int heapAfterMb) {
    }

    /** The CSV header of {@link #columns}. */
    static final String HEADER = "gc_setup_pauses,gc_setup_max_ms,gc_window_pauses,gc_window_max_ms,"
            + "gc_window_total_ms,gc_heap_after_mb";

    private final Path log;

    GcPauses(Path log) {
        this.log = log;
    }

    /** Every pause in the log, in order; an unreadable or absent log has none. */
    List<Pause> read() {
        List<Pause> pauses = new ArrayList<>();
        List<String> lines;
        try {
            lines = Files.readAllLines(log);
        } catch (IOException e) {
            return pauses;
        }
        for (String line : lines) {
            Matcher m = PAUSE.matcher(line);
            if (m.find()) {
                long end = OffsetDateTime.parse(m.group(1), UTC_TIME).toInstant().toEpochMilli();
                pauses.add(new Pause(end, Double.parseDouble(m.group(4)), Integer.parseInt(m.group(3))));
            }
        }
        return pauses;
    }

    /**
     * The step's six CSV columns: pauses ending in [{@code setupFrom}, {@code windowFrom}) and in
     * [{@code windowFrom}, {@code windowUntil}] (epoch ms).
     */
    String columns(long setupFrom, long windowFrom, long windowUntil) {
        List<Pause> all = read();
        List<Pause> setup = all.stream().filter(p -> p.endMillis() >= setupFrom && p.endMillis() < windowFrom)
                .toList();
        List<Pause> window = all.stream().filter(p -> p.endMillis() >= windowFrom && p.endMillis() <= windowUntil)
                .toList();
        int heapAfter = all.stream().filter(p -> p.endMillis() >= setupFrom && p.endMillis() <= windowUntil)
                .mapToInt(Pause::heapAfterMb).reduce((a, b) -> b).orElse(-1);
        return String.format(Locale.ROOT, "%d,%.1f,%d,%.1f,%.1f,%s", setup.size(), max(setup), window.size(),
                max(window), window.stream().mapToDouble(Pause::millis).sum(), heapAfter < 0 ? "" : heapAfter);
    }

    /** As {@link #columns}, for the step's log line. */
    String describe(long setupFrom, long windowFrom, long windowUntil) {
        String[] c = columns(setupFrom, windowFrom, windowUntil).split(",", -1);
        return String.format(Locale.ROOT, " | gc set-up %s (max %s ms), window %s (max %s ms, sum %s ms), heap %s MB",
                c[0], c[1], c[2], c[3], c[4], c[5]);
    }

    private static double max(List<Pause> pauses) {
        return pauses.stream().mapToDouble(Pause::millis).max().orElse(0);
    }
}
