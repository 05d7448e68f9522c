package dev.parley.store;

import static dev.parley.store.Fixtures.T0;
import static dev.parley.store.Fixtures.binding;
import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.pbx.registrar.Binding;
import dev.parley.pbx.registrar.BindingRepository;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
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
}
