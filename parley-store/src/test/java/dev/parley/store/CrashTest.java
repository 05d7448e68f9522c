package dev.parley.store;

import static dev.parley.store.Fixtures.T0;
import static dev.parley.store.Fixtures.binding;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A process that dies with SIGKILL in the middle of writing: every {@code replace} it saw return is there on the
 * next open, nothing half-written is, and the file passes SQLite's integrity check.
 */
class CrashTest {
    private static final int COMMITS_BEFORE_KILL = 150;

    @TempDir
    Path dir;

    @Test
    void everyCommittedReplaceSurvivesSigkill() throws Exception {
        String url = "jdbc:sqlite:" + dir.resolve("parley.db");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process child = new ProcessBuilder(java, "--enable-native-access=ALL-UNNAMED",
                "-cp", System.getProperty("java.class.path"), BindingWriter.class.getName(), url)
                .redirectErrorStream(true).start();
        int lastCommitted = -1;
        StringBuilder output = new StringBuilder();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), UTF_8))) {
            String line;
            while ((line = out.readLine()) != null) {
                if (line.startsWith("committed ")) {
                    lastCommitted = Integer.parseInt(line.substring("committed ".length()));
                    if (lastCommitted >= COMMITS_BEFORE_KILL) {
                        child.destroyForcibly(); // SIGKILL: no shutdown hook, no close, no checkpoint
                        break;
                    }
                } else if (output.length() < 10_000) {
                    output.append(line).append('\n');
                }
            }
        } finally {
            child.destroyForcibly();
            child.waitFor(30, TimeUnit.SECONDS);
        }
        assertThat(lastCommitted).as("child output:\n%s", output).isGreaterThanOrEqualTo(COMMITS_BEFORE_KILL);

        try (Store store = Store.open(url, null, null)) {
            String integrity = store.jdbi().withHandle(h -> h.createQuery("PRAGMA integrity_check")
                    .mapTo(String.class).one());
            assertThat(integrity).isEqualTo("ok");
            for (int i = 0; i <= lastCommitted; i++) {
                String aor = "w" + i;
                assertThat(store.bindings().find(aor)).as(aor).containsExactlyInAnyOrder(
                        binding(aor, "sip:" + aor + "@10.0.0.5", T0.plusMillis(i)),
                        binding(aor, "sip:" + aor + "@10.0.0.6", T0.plusMillis(i)));
            }
            // whatever the child was writing when it died is there whole or not at all
            assertThat(store.bindings().findAll()).allSatisfy(b -> assertThat(store.bindings().find(b.aor()))
                    .hasSize(2));
        }
    }
}
