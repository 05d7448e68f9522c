package dev.parley.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AotTrainingTest {
    @TempDir
    Path dir;

    @Test
    void theCacheBeingTrainedIsReadFromTheJvmsOptionsTheLastOneWinning() {
        assertThat(AotTraining.cacheBeingTrained(List.of("-Xmx1g", "-XX:AOTCacheOutput=/a/one.aot",
                "-XX:AOTCacheOutput=/b/two.aot"))).contains(Path.of("/b/two.aot"));
        assertThat(AotTraining.cacheBeingTrained(List.of("-XX:AOTCache=/a/one.aot"))).isEmpty();
        assertThat(AotTraining.cacheBeingTrained(List.of("-XX:AOTCacheOutput="))).isEmpty();
    }

    @Test
    void aRunThatServedLongEnoughLeavesTheMarkerBesideItsCache() {
        Path cache = dir.resolve("parley-jdk25.0.3.aot");

        AotTraining.markIfTrained(List.of("-XX:AOTCacheOutput=" + cache), AotTraining.ENOUGH);

        assertThat(dir.resolve("parley-jdk25.0.3.aot.trained")).exists();
        assertThat(AotTraining.markerOf(cache)).isEqualTo(dir.resolve("parley-jdk25.0.3.aot.trained"));
    }

    @Test
    void aRunStoppedTooSoonLeavesNoMarkerSoTheNextStartTrainsAgain() throws Exception {
        Path cache = dir.resolve("parley.aot");

        AotTraining.markIfTrained(List.of("-XX:AOTCacheOutput=" + cache),
                AotTraining.ENOUGH.minusSeconds(1));

        try (var files = Files.list(dir)) {
            assertThat(files).isEmpty();
        }
    }

    @Test
    void aRunThatTrainsNothingWritesNothing() throws Exception {
        AotTraining.markIfTrained(List.of("-Xmx1g"), Duration.ofHours(1));

        try (var files = Files.list(dir)) {
            assertThat(files).isEmpty();
        }
    }

    @Test
    void anUnwritableMarkerDoesNotFailTheShutdown() {
        Path cache = dir.resolve("missing-directory").resolve("parley.aot");

        AotTraining.markIfTrained(List.of("-XX:AOTCacheOutput=" + cache), Duration.ofHours(1));

        assertThat(AotTraining.markerOf(cache)).doesNotExist();
    }
}
