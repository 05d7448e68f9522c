package dev.parley.store;

import static dev.parley.store.Fixtures.T0;
import static dev.parley.store.Fixtures.binding;
import static dev.parley.store.Fixtures.richBinding;
import static dev.parley.store.Fixtures.user;
import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.parley.pbx.directory.Device;
import dev.parley.pbx.directory.User;
import dev.parley.pbx.registrar.Binding;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Opening the store: URLs, SQLite settings, migrations, restarts, and what reaches the disk. */
class StoreTest {
    @TempDir
    Path dir;

    private String url() {
        return "jdbc:sqlite:" + dir.resolve("parley.db");
    }

    @Test
    void unknownUrlIsRefusedNamingTheSettingAndWhatIsAccepted() {
        for (String bad : new String[] {"jdbc:mysql://db/parley", "parley.db", "", "  "}) {
            assertThatThrownBy(() -> Store.open(bad, null, null))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("database.url")
                    .hasMessageContaining("jdbc:sqlite:")
                    .hasMessageContaining("jdbc:postgresql://");
        }
        assertThatThrownBy(() -> Store.open(null, null, null)).hasMessageContaining("database.url");
    }

    @Test
    void passwordInTheUrlIsNotRepeatedInErrors() {
        assertThatThrownBy(() -> Store.open("jdbc:mysql://db/parley?password=hunter22", null, null))
                .hasMessageNotContaining("hunter22");
    }

    @Test
    void inMemorySqliteIsRefused() {
        assertThatThrownBy(() -> Store.open("jdbc:sqlite::memory:", null, null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("name a file");
    }

    @Test
    void unreachablePostgresIsAStoreExceptionNamingTheSetting() throws IOException {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        String url = "jdbc:postgresql://127.0.0.1:" + port + "/parley?password=hunter22&connectTimeout=2";
        assertThatThrownBy(() -> Store.open(url, "parley", null))
                .isInstanceOf(StoreException.class)
                .hasMessageContaining("database.url")
                .hasMessageNotContaining("hunter22");
    }

    @Test
    void missingDirectoriesAreCreated() {
        Path file = dir.resolve("a/b/parley.db");
        try (Store store = Store.open("jdbc:sqlite:" + file, null, null)) {
            store.users().save(user("alice"));
        }
        assertThat(file).isRegularFile();
    }

    @Test
    void sqliteConnectionsUseWalNormalSyncForeignKeysAndABusyTimeout() {
        try (Store store = Store.open(url(), null, null)) {
            assertThat(store.dialect()).isEqualTo(Dialect.SQLITE);
            assertThat(pragma(store, "journal_mode")).isEqualTo("wal");
            assertThat(pragma(store, "synchronous")).isEqualTo("1"); // NORMAL
            assertThat(pragma(store, "foreign_keys")).isEqualTo("1");
            assertThat(pragma(store, "busy_timeout")).isEqualTo("5000");
        }
    }

    private static String pragma(Store store, String name) {
        return store.jdbi().withHandle(h -> h.createQuery("PRAGMA " + name).mapTo(String.class).one());
    }

    @Test
    void migrationsRunOnceAndReopeningAnExistingDatabaseKeepsItsData() {
        User alice = user("alice");
        try (Store store = Store.open(url(), null, null)) {
            store.users().save(alice);
        }
        for (int i = 0; i < 2; i++) {
            try (Store store = Store.open(url(), null, null)) {
                assertThat(store.users().findAll()).containsExactly(alice);
                int versions = store.jdbi().withHandle(h -> h.createQuery(
                        "SELECT count(*) FROM flyway_schema_history WHERE success = 1 AND version IS NOT NULL")
                        .mapTo(Integer.class).one());
                assertThat(versions).as("every V<n>__*.sql of db/migration/common")
                        .isEqualTo(Fixtures.migrationCount()).isGreaterThanOrEqualTo(7);
            }
        }
    }

    @Test
    void v4MakesTheFirstStartAdminSuperadminAndEveryoneElseUser() {
        org.flywaydb.core.Flyway.configure().dataSource(url(), null, null)
                .locations("classpath:db/migration/common").placeholders(Dialect.SQLITE.placeholders())
                .target("3").load().migrate();
        try (var c = java.sql.DriverManager.getConnection(url()); var st = c.createStatement()) {
            st.executeUpdate("INSERT INTO users (id, name, display_name) VALUES ('a', 'admin', 'Administrator'),"
                    + " ('b', 'bob', 'Bob'), ('c', 'carol', 'Carol')");
            st.executeUpdate("INSERT INTO web_passwords (user_id, phc) VALUES ('a', '$argon2id$x'),"
                    + " ('b', '$argon2id$y')");
        } catch (java.sql.SQLException e) {
            throw new AssertionError(e);
        }
        try (Store store = Store.open(url(), null, null)) {
            assertThat(store.users().findAll()).extracting(u -> u.name() + ":" + u.role().wireName() + ":" + u.email())
                    .containsExactly("admin:superadmin:null", "bob:user:null", "carol:user:null");
        }
    }

    @Test
    void v12NamesTheUsersOfOlderCallRecordsFromTheDirectoryAtTheUpgrade() {
        org.flywaydb.core.Flyway.configure().dataSource(url(), null, null)
                .locations("classpath:db/migration/common").placeholders(Dialect.SQLITE.placeholders())
                .target("11").load().migrate();
        try (var c = java.sql.DriverManager.getConnection(url()); var st = c.createStatement()) {
            st.executeUpdate("INSERT INTO users (id, name, display_name) VALUES ('a', 'alice', ''), ('b', 'bob', '')");
            st.executeUpdate("INSERT INTO extensions (number, owner_id) VALUES ('101', 'a'), ('102', 'b')");
            st.executeUpdate("INSERT INTO devices (id, owner_id, sip_username, secret_ciphertext, label)"
                    + " VALUES ('d1', 'b', 'bob-desk', 'x', 'desk')");
            // alice calls bob, his desk answers; a device calls a number nobody has; a trunk caller calls alice
            st.executeUpdate("INSERT INTO call_records (id, call_id, caller, callee, answered_by, started_at,"
                    + " answered_at, ended_at, status, cause) VALUES"
                    + " ('c1', 'x1', '101', '102', 'bob-desk', 1, 2, 3, 200, 'answered-caller-hangup'),"
                    + " ('c2', 'x2', 'bob-desk', '999', NULL, 4, NULL, 5, 404, 'not-found'),"
                    + " ('c3', 'x3', '+4930123', '101', NULL, 6, NULL, 7, 487, 'cancelled')");
        } catch (java.sql.SQLException e) {
            throw new AssertionError(e);
        }
        try (Store store = Store.open(url(), null, null)) {
            assertThat(store.callRecords().recent(10)).extracting(r -> r.id() + ":" + r.callerUser() + ":"
                    + r.calleeUser() + ":" + r.answeredByUser())
                    .containsExactly("c3:null:a:null", "c2:b:null:null", "c1:a:b:b");
        }
    }

    @Test
    void v13KeepsTheCallRecordIndexesTheApiQueriesUseAndDropsTheNumberOnes() {
        try (Store store = Store.open(url(), null, null)) {
            List<String> indexes = store.jdbi().withHandle(h -> h.createQuery("SELECT name FROM sqlite_master"
                    + " WHERE type = 'index' AND tbl_name = 'call_records' AND sql IS NOT NULL ORDER BY name")
                    .mapTo(String.class).list());
            assertThat(indexes).containsExactly("call_records_answered_user", "call_records_callee_user",
                    "call_records_caller_user", "call_records_ended_at", "call_records_started");
            // the recent calls and the history's orders, and one user's history, still read an index
            assertThat(plan(store, "SELECT id FROM call_records ORDER BY ended_at DESC LIMIT 5"))
                    .contains("call_records_ended_at").doesNotContain("TEMP B-TREE");
            assertThat(plan(store, "SELECT id FROM call_records ORDER BY started_at DESC, id DESC LIMIT 5"))
                    .contains("call_records_started").doesNotContain("TEMP B-TREE");
            assertThat(plan(store, "SELECT id FROM call_records WHERE (caller_user = 'u' OR callee_user = 'u'"
                    + " OR answered_user = 'u') ORDER BY started_at DESC, id DESC LIMIT 5"))
                    .contains("call_records_caller_user").contains("call_records_callee_user")
                    .contains("call_records_answered_user");
        }
    }

    private static String plan(Store store, String query) {
        List<String> rows = store.jdbi().withHandle(h -> h.createQuery("EXPLAIN QUERY PLAN " + query)
                .map((rs, ctx) -> rs.getString("detail")).list());
        return String.join("\n", rows);
    }

    @Test
    void bindingsSurviveARestartWithTheSameExpiry() {
        Instant expires = Instant.parse("2026-03-01T10:59:59.987Z");
        List<Binding> saved = List.of(richBinding("101", "sip:101@[2001:db8::77]:5070", expires),
                binding("101", "sip:101@10.0.0.5", expires.plusMillis(1)),
                binding("102", "sip:102@10.0.0.6", T0.plusMillis(5)));
        try (Store store = Store.open(url(), null, null)) {
            store.bindings().replace("101", saved.subList(0, 2));
            store.bindings().replace("102", saved.subList(2, 3));
        }
        try (Store store = Store.open(url(), null, null)) {
            assertThat(store.bindings().findAll()).containsExactlyInAnyOrderElementsOf(saved);
            assertThat(store.bindings().find("101")).extracting(Binding::expiresAt)
                    .containsExactlyInAnyOrder(expires, expires.plusMillis(1));
        }
    }

    @Test
    void noFileOfTheDatabaseEverHoldsASecretInClear() throws IOException {
        List<Device> devices = new ArrayList<>();
        try (Store store = Store.open(url(), null, null)) {
            User alice = user("alice");
            store.users().save(alice);
            for (int i = 0; i < 20; i++) {
                Device d = Device.create(alice.id(), "alice-" + i, "");
                store.devices(Fixtures.CIPHER).save(d);
                devices.add(d);
            }
            assertNoSecretOnDisk(devices); // the WAL, while open
            assertThat(store.devices(Fixtures.CIPHER).findAll()).hasSize(20);
        }
        assertNoSecretOnDisk(devices); // the database file, after the checkpoint at close
        assertThat(Files.size(dir.resolve("parley.db"))).isPositive();
    }

    private void assertNoSecretOnDisk(List<Device> devices) throws IOException {
        StringBuilder all = new StringBuilder();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : files.toList()) {
                String bytes = new String(Files.readAllBytes(f), ISO_8859_1);
                for (Device d : devices) {
                    assertThat(bytes).as(f.getFileName().toString()).doesNotContain(d.secret().reveal());
                }
                all.append(bytes);
            }
        }
        for (Device d : devices) {
            assertThat(all).contains(d.sipUsername()); // the scan does see the rows
        }
    }
}
