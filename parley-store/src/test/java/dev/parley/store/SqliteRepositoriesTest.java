package dev.parley.store;

import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.io.TempDir;

/** The port contracts and the JDBC store's own guarantees on SQLite: a fresh, freshly migrated file per test. */
class SqliteRepositoriesTest {
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

    @Nested
    class Users extends UserRepositoryContract {
        @Override
        protected Repositories repositories() {
            return Repositories.of(store);
        }
    }

    @Nested
    class Extensions extends ExtensionRepositoryContract {
        @Override
        protected Repositories repositories() {
            return Repositories.of(store);
        }
    }

    @Nested
    class Devices extends DeviceRepositoryContract {
        @Override
        protected Repositories repositories() {
            return Repositories.of(store);
        }
    }

    @Nested
    class Bindings extends BindingRepositoryContract {
        @Override
        protected Repositories repositories() {
            return Repositories.of(store);
        }
    }

    @Nested
    class CallRecords extends CallRecordRepositoryContract {
        @Override
        protected Repositories repositories() {
            return Repositories.of(store);
        }
    }

    @Nested
    class WebPasswords extends WebPasswordRepositoryContract {
        @Override
        protected Repositories repositories() {
            return Repositories.of(store);
        }
    }

    @Nested
    class Jdbc extends JdbcStoreContract {
        @Override
        protected Store store() {
            return store;
        }
    }
}
