package dev.parley.server.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whether this run trained the JVM's ahead-of-time cache well enough for later starts to use it.
 *
 * <p>On a JDK 25 or newer, {@code ./parley run} starts the first server without a cache with JEP 514's
 * {@code -XX:AOTCacheOutput=<file>}: the JVM records the classes this run loads and links (JEP 483) and the methods'
 * profiles (JEP 515), and writes the cache when it exits, so later starts skip that work and reach compiled code
 * sooner. It writes the cache whatever the run did: a run stopped at once (a bad setting, a port in use) would leave
 * a cache of the start-up alone, without one call's profile, and every later start would use it. So a run that
 * served at least {@link #ENOUGH} says so in {@code <file>.trained} as it stops, and the launcher uses a cache only
 * with that file beside it; otherwise the next run trains again.
 */
final class AotTraining {
    private static final Logger LOG = LoggerFactory.getLogger(AotTraining.class);

    /** How long a run must have served for its cache to be worth keeping. */
    static final Duration ENOUGH = Duration.ofMinutes(1);

    private static final String OUTPUT_OPTION = "-XX:AOTCacheOutput=";

    private AotTraining() {
    }

    /** The cache this JVM writes when it exits, from its command-line options; empty when it trains none. */
    static Optional<Path> cacheBeingTrained(List<String> jvmOptions) {
        return jvmOptions.stream()
                .filter(o -> o.startsWith(OUTPUT_OPTION) && o.length() > OUTPUT_OPTION.length())
                .reduce((first, last) -> last) // the JVM takes the last of a repeated option
                .map(o -> Path.of(o.substring(OUTPUT_OPTION.length())));
    }

    /** The file whose presence tells the launcher that {@code cache} came from a run that served long enough. */
    static Path markerOf(Path cache) {
        return cache.resolveSibling(cache.getFileName() + ".trained");
    }

    /**
     * Called as the server stops: when this JVM trains a cache and has served at least {@link #ENOUGH}, writes the
     * marker beside it (the cache itself follows when the JVM exits). Never fails the shutdown.
     */
    static void markIfTrained(List<String> jvmOptions, Duration served) {
        Optional<Path> cache = cacheBeingTrained(jvmOptions);
        if (cache.isEmpty()) {
            return;
        }
        if (served.compareTo(ENOUGH) < 0) {
            LOG.info("this run served {} s, too short to train the ahead-of-time cache {}: the next start trains"
                    + " it again", served.toSeconds(), cache.get());
            return;
        }
        Path marker = markerOf(cache.get());
        try {
            Files.writeString(marker, "trained by a run that served " + served.toSeconds() + " s\n");
            LOG.info("the ahead-of-time cache {} is written as the JVM exits; later starts use it", cache.get());
        } catch (IOException e) {
            LOG.warn("could not write {} ({}): the next start trains the ahead-of-time cache again", marker,
                    e.toString());
        }
    }
}
