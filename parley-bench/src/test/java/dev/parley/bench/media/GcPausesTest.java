package dev.parley.bench.media;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GcPausesTest {
    private static long at(String utc) {
        return OffsetDateTime.parse(utc).toInstant().toEpochMilli();
    }

    @Test
    void splitsTheRelaysPausesIntoSetUpAndMeasuredWindow(@TempDir Path dir) throws Exception {
        Path log = dir.resolve("parley-gc.log");
        // as -Xlog:gc*,safepoint:file=...:utctime,uptime,level,tags writes them (start, heap and cpu lines ignored)
        Files.writeString(log, """
                [2026-12-06T13:29:10.000+0000][19.548s][info][gc,start    ] GC(0) Pause Young (Allocation Failure)
                [2026-12-06T13:29:10.015+0000][19.563s][info][gc,heap     ] GC(0) Tenured: 1166K(349568K)->1166K(349568K)
                [2026-12-06T13:29:10.015+0000][19.563s][info][gc          ] GC(0) Pause Young (Allocation Failure) 137M->13M(494M) 14.510ms
                [2026-12-06T13:29:10.015+0000][19.563s][info][gc,cpu      ] GC(0) User=0.01s Sys=0.00s Real=0.01s
                [2026-12-06T13:29:15.500+0000][25.000s][info][gc          ] GC(1) Pause Young (Allocation Failure) 150M->18M(494M) 16.923ms
                [2026-12-06T13:29:20.100+0000][30.600s][info][gc          ] GC(2) Pause Young (Allocation Failure) 155M->19M(494M) 4.264ms
                [2026-12-06T13:29:40.000+0000][50.500s][info][gc          ] GC(3) Pause Young (Allocation Failure) 155M->22M(494M) 9.000ms
                """);
        GcPauses gc = new GcPauses(log);
        assertThat(gc.read()).hasSize(4);

        String columns = gc.columns(at("2026-12-06T13:29:09Z"), at("2026-12-06T13:29:13Z"),
                at("2026-12-06T13:29:23Z"));
        assertThat(columns).isEqualTo("1,14.5,2,16.9,21.2,19");
        assertThat(gc.describe(at("2026-12-06T13:29:09Z"), at("2026-12-06T13:29:13Z"), at("2026-12-06T13:29:23Z")))
                .contains("set-up 1 (max 14.5 ms)", "window 2 (max 16.9 ms, sum 21.2 ms)", "heap 19 MB");
    }

    @Test
    void aStepWithoutPausesOrWithoutALogHasEmptyFigures(@TempDir Path dir) {
        GcPauses missing = new GcPauses(dir.resolve("absent.log"));
        assertThat(missing.read()).isEmpty();
        assertThat(missing.columns(0, 1, 2)).isEqualTo("0,0.0,0,0.0,0.0,");
    }
}
