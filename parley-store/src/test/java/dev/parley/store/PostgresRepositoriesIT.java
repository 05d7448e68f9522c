package dev.parley.store;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The port contracts and the JDBC store's own guarantees on PostgreSQL: a throwaway cluster for the class (see
 * {@link PostgresServer}), one store, every table emptied before each test.
 */
class PostgresRepositoriesIT extends JdbcRepositoriesContracts {
    @RegisterExtension
    static final PostgresServer POSTGRES = new PostgresServer();
    private static Store store;

    @Override
    protected Store store() {
        return store;
    }

    @BeforeAll
    static void open() {
        store = Store.open(POSTGRES.url(), null, null);
    }

    @AfterAll
    static void close() {
        if (store != null) {
            store.close();
        }
    }

    @BeforeEach
    void empty() {
        store.jdbi().useHandle(h -> h.execute("TRUNCATE bindings, call_records, web_passwords, web_sessions,"
                + " api_tokens, user_settings, contacts, devices, extensions, account_tokens, server_settings, totp,"
                + " totp_recovery_codes, users"));
    }

    @Test
    void opensAsPostgresAndMigratesIdempotently() {
        assertThat(store.dialect()).isEqualTo(Dialect.POSTGRESQL);
        store.users().save(Fixtures.user("alice"));
        try (Store again = Store.open(POSTGRES.url(), null, null)) {
            assertThat(again.users().findByName("alice")).isPresent();
            int applied = again.jdbi().withHandle(h -> h.createQuery(
                    "SELECT count(*) FROM flyway_schema_history WHERE success AND version IS NOT NULL")
                    .mapTo(Integer.class).one());
            assertThat(applied).as("every V<n>__*.sql of db/migration/common")
                    .isEqualTo(Fixtures.migrationCount()).isGreaterThanOrEqualTo(7);
        }
    }

    @Test
    void serverCollationIsNotBytewiseSoOrderingTestsMeanSomething() {
        boolean lowerFirst = store.jdbi().withHandle(h -> h.createQuery("SELECT 'a' < 'B'").mapTo(Boolean.class).one());
        assertThat(lowerFirst).isTrue();
    }
}
