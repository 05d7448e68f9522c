package dev.parley.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The launcher's choice of JVM options for the ahead-of-time cache ({@code aot_cache_options} in {@code ./parley}),
 * run by bash on the real script (sourced: it defines its functions without running a command) against a jar and
 * cache files in a temporary directory. The JVM's side (training, loading) is measured in docs/benchmarks.md.
 */
class LauncherAotCacheTest {
    private static final Path LAUNCHER = Path.of("..", "parley").toAbsolutePath().normalize();

    @TempDir
    Path dir;

    private Path jar;
    private Path cache;
    private Path marker;

    @BeforeEach
    void aJar() throws IOException {
        jar = Files.writeString(dir.resolve("parley.jar"), "jar");
        Files.setLastModifiedTime(jar, FileTime.from(Instant.now().minusSeconds(3600)));
        cache = dir.resolve("parley-jdk25.0.3.aot");
        marker = dir.resolve("parley-jdk25.0.3.aot.trained");
    }

    @Test
    void withoutACacheTheRunTrainsOne() throws Exception {
        assertThat(options("25.0.3", "on", "run")).containsExactly("-XX:AOTCacheOutput=" + cache, "-Xlog:aot*=error");
    }

    @Test
    void aTrainedCacheNewerThanTheJarIsUsed() throws Exception {
        Files.writeString(cache, "cache");
        Files.writeString(marker, "trained");

        assertThat(options("25.0.3", "on", "run")).containsExactly("-XX:AOTCache=" + cache);
    }

    @Test
    void aCacheWithoutItsMarkerIsTrainedAgain() throws Exception {
        Files.writeString(cache, "cache of a run stopped at once");

        assertThat(options("25.0.3", "on", "run")).containsExactly("-XX:AOTCacheOutput=" + cache, "-Xlog:aot*=error");
        assertThat(cache).doesNotExist();
    }

    @Test
    void aCacheOlderThanTheJarIsTrainedAgainAndAnotherJdksIsRemoved() throws Exception {
        Path other = Files.writeString(dir.resolve("parley-jdk25.0.1.aot"), "another JDK's");
        Files.writeString(cache, "cache");
        Files.writeString(marker, "trained");
        Files.setLastModifiedTime(cache, FileTime.from(Instant.now().minusSeconds(7200)));

        assertThat(options("25.0.3", "on", "run")).containsExactly("-XX:AOTCacheOutput=" + cache, "-Xlog:aot*=error");
        assertThat(other).doesNotExist();
        assertThat(marker).doesNotExist();
    }

    @Test
    void nothingBeforeJdk25OrWhenSwitchedOffOrForHelp() throws Exception {
        Files.writeString(cache, "cache");
        Files.writeString(marker, "trained");

        assertThat(options("21.0.5", "on", "run")).isEmpty();
        assertThat(options("25.0.3", "off", "run")).isEmpty();
        assertThat(options("25.0.3", "on", "run", "--help")).isEmpty();
        assertThat(cache).exists();
    }

    @Test
    void aBadSwitchNamesTheVariable() throws Exception {
        Result r = run("25.0.3", "yes", "run");

        assertThat(r.exit).isNotZero();
        assertThat(r.err).contains("PARLEY_AOT_CACHE must be on or off, got 'yes'");
    }

    private List<String> options(String jdkVersion, String setting, String... args) throws Exception {
        Result r = run(jdkVersion, setting, args);
        assertThat(r.exit).as(r.err).isZero();
        return r.out.lines().filter(l -> !l.isEmpty()).toList();
    }

    private record Result(int exit, String out, String err) {
    }

    private Result run(String jdkVersion, String setting, String... args) throws Exception {
        // the function unsets PARLEY_AOT_CACHE before the server could see it: checked by the last line
        String script = "source \"$1\"; shift; JDK_VERSION=\"$1\"; shift; aot_cache_options \"$@\";"
                + " printf '%s\\n' \"${AOT_CACHE_OPTS[@]}\"; [[ -z ${PARLEY_AOT_CACHE+set} ]] || echo still-set";
        ProcessBuilder pb = new ProcessBuilder(concat(List.of("bash", "-c", script, "launcher-test",
                LAUNCHER.toString(), jdkVersion, jar.toString()), args));
        pb.environment().put("PARLEY_AOT_CACHE", setting);
        Path out = dir.resolve("out.txt");
        Path err = dir.resolve("err.txt");
        pb.redirectOutput(out.toFile()).redirectError(err.toFile());
        Process p = pb.start();
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        return new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                Files.readString(err, StandardCharsets.UTF_8));
    }

    private static List<String> concat(List<String> head, String... tail) {
        List<String> all = new ArrayList<>(head);
        all.addAll(List.of(tail));
        return all;
    }
}
