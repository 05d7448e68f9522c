package dev.parley.store;

import static dev.parley.store.Fixtures.T0;
import static dev.parley.store.Fixtures.binding;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.parley.pbx.registrar.Binding;
import dev.parley.pbx.registrar.BindingRepository;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The port contracts and the JDBC store's own guarantees on SQLite: a fresh, freshly migrated file per test. */
class SqliteRepositoriesTest extends JdbcRepositoriesContracts {
    @TempDir
    Path dir;
    private Store store;

    @BeforeEach
    void open() {
        store = Store.open("jdbc:sqlite:" + dir.resolve("parley.db"), null, null);
    }

    @AfterEach
    void close() {
        store.close();
    }

    @Override
    protected Store store() {
        return store;
    }

    /**
     * On SQLite this process is the only writer of bindings, so an AOR once read or written is answered from memory
     * (a lane routes calls with it); one never read is not, since reading it would block.
     */
    @Test
    void bindingsOnceReadOrWrittenAreAnsweredFromMemory() {
        BindingRepository bindings = store.bindings();
        assertThat(bindings.findInMemory("101")).as("never read").isNull();
        Binding b = binding("101", "sip:101@10.0.0.5", T0.plus(Duration.ofHours(1)));
        bindings.replace("101", List.of(b));
        assertThat(bindings.findInMemory("101")).containsExactly(b);
        assertThat(bindings.findInMemory("102")).isNull();
        assertThat(bindings.find("102")).isEmpty();
        assertThat(bindings.findInMemory("102")).as("read once, empty").isEmpty();
    }

    /**
     * Replaces of many AORs at once go through the group commit: each one's last set is in the file (read back by a
     * new process's store, not from this one's memory), and a replace that fails (a contact given twice: the primary
     * key refuses it) fails alone, leaving its AOR's previous set, while the others in its transaction commit.
     */
    @Test
    void concurrentReplacesEachCommitAndAFailingOneFailsAlone() throws Exception {
        BindingRepository bindings = store.bindings();
        int aors = 24;
        int rounds = 40;
        try (ExecutorService pool = Executors.newFixedThreadPool(aors)) {
            List<Future<?>> done = new ArrayList<>();
            for (int a = 0; a < aors; a++) {
                String aor = "w" + a;
                done.add(pool.submit(() -> {
                    for (int r = 0; r < rounds; r++) {
                        Binding b = binding(aor, "sip:" + aor + "@10.0.0.5", T0.plusSeconds(3600 + r));
                        if (r % 10 == 7) {
                            Binding before = bindings.find(aor).getFirst();
                            assertThatThrownBy(() -> bindings.replace(aor, List.of(b, b)))
                                    .isInstanceOf(StoreException.class);
                            assertThat(bindings.find(aor)).containsExactly(before);
                        } else {
                            bindings.replace(aor, List.of(b));
                            assertThat(bindings.find(aor)).containsExactly(b);
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get();
            }
        }
        store.close();
        store = Store.open("jdbc:sqlite:" + dir.resolve("parley.db"), null, null);
        for (int a = 0; a < aors; a++) {
            String aor = "w" + a;
            assertThat(store.bindings().find(aor)).as(aor).containsExactly(
                    binding(aor, "sip:" + aor + "@10.0.0.5", T0.plusSeconds(3600 + rounds - 1)));
        }
    }
}
