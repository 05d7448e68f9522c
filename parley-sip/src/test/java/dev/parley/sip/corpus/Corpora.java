package dev.parley.sip.corpus;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Finds {@code ../shared/corpora} beside the checkout (see the corpora README) and reads its CSV files. */
public final class Corpora {
    private Corpora() {
    }

    public static Path root() {
        String configured = System.getProperty("parley.corpora");
        List<Path> candidates = new ArrayList<>();
        if (configured != null) {
            candidates.add(Path.of(configured));
        }
        candidates.add(Path.of("../../shared/corpora"));
        candidates.add(Path.of("../shared/corpora"));
        for (Path p : candidates) {
            if (Files.isDirectory(p)) {
                return p.toAbsolutePath().normalize();
            }
        }
        throw new IllegalStateException("test corpora not found at " + candidates
                + ": the checkout needs ../shared/corpora beside it (see README.md)");
    }

    public static Path dir(String name) {
        return root().resolve(name);
    }

    public static byte[] read(Path file) {
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Rows of a simple CSV without quoted commas, header row dropped. */
    public static List<String[]> csv(Path file) {
        try {
            List<String> lines = Files.readAllLines(file);
            List<String[]> rows = new ArrayList<>();
            for (String line : lines.subList(1, lines.size())) {
                if (!line.isBlank()) {
                    rows.add(line.split(",", -1));
                }
            }
            return rows;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
