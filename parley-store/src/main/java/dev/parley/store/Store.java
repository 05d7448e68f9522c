package dev.parley.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.parley.pbx.account.AccountFlowRepository;
import dev.parley.pbx.account.ApiTokenRepository;
import dev.parley.pbx.account.TotpRepository;
import dev.parley.pbx.account.WebSessionRepository;
import dev.parley.pbx.cdr.CallRecordRepository;
import dev.parley.pbx.contacts.ContactRepository;
import dev.parley.pbx.directory.DeviceRepository;
import dev.parley.pbx.directory.DirectoryVersion;
import dev.parley.pbx.directory.ExtensionRepository;
import dev.parley.pbx.directory.UserRepository;
import dev.parley.pbx.directory.WebPasswordRepository;
import dev.parley.pbx.registrar.BindingRepository;
import dev.parley.pbx.security.SecretCipher;
import dev.parley.pbx.settings.UserSettingsRepository;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Objects;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.output.MigrateResult;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sqlite.SQLiteConfig;

/**
 * The database: opens a connection pool, brings the schema up to date, and hands out the repositories.
 *
 * <table>
 *   <caption>What {@code database.url} may be</caption>
 *   <tr><th>URL</th><th>database</th><th>pool</th></tr>
 *   <tr><td>{@code jdbc:sqlite:<file>} (default {@value #DEFAULT_URL})</td><td>an embedded SQLite file; its
 *       directory is created; WAL journal, {@code synchronous=NORMAL}, foreign keys on, 5 s busy timeout</td>
 *       <td>one connection: SQLite has one writer at a time anyway, and one connection makes every call
 *       serial without SQLITE_BUSY retries</td></tr>
 *   <tr><td>{@code jdbc:postgresql://host[:port]/database[?…]}</td><td>PostgreSQL, which several nodes may
 *       share</td><td>{@value #POSTGRES_POOL_SIZE} connections</td></tr>
 * </table>
 *
 * <p>Durability on SQLite: in WAL mode with {@code synchronous=NORMAL} a committed transaction survives the
 * process being killed (the WAL is in the OS page cache and is replayed on the next open); a power cut may lose the
 * last transactions before a checkpoint but never corrupts the file. That is the right trade for registrations and
 * CDRs.
 *
 * <p>Thread-safe. Repository calls block; run them off event loops and call lanes.
 */
public final class Store implements AutoCloseable {
    /** The default {@code database.url}: a SQLite file beside the other data. */
    public static final String DEFAULT_URL = "jdbc:sqlite:data/parley.db";
    static final int POSTGRES_POOL_SIZE = 8;
    private static final String SQLITE_PREFIX = "jdbc:sqlite:";
    private static final String POSTGRES_PREFIX = "jdbc:postgresql:";
    private static final String ACCEPTED = "database.url must be jdbc:sqlite:<file> (the default is " + DEFAULT_URL
            + ") or jdbc:postgresql://<host>[:<port>]/<database>";
    private static final Logger LOG = LoggerFactory.getLogger(Store.class);

    private final HikariDataSource dataSource;
    private final Dialect dialect;
    private final Jdbi jdbi;
    private final UserRepository users;
    private final ExtensionRepository extensions;
    private final BindingRepository bindings;
    private final CallRecordRepository callRecords;
    private final WebPasswordRepository webPasswords;
    private final WebSessionRepository webSessions;
    private final ApiTokenRepository apiTokens;
    private final DirectoryVersion directoryVersion;
    private final UserSettingsRepository userSettings;
    private final ContactRepository contacts;

    private Store(HikariDataSource dataSource, Dialect dialect) {
        this.dataSource = dataSource;
        this.dialect = dialect;
        this.jdbi = Jdbi.create(dataSource);
        this.users = new JdbcUserRepository(jdbi, dialect);
        this.extensions = new JdbcExtensionRepository(jdbi, dialect);
        this.bindings = new JdbcBindingRepository(jdbi, dataSource, dialect);
        this.callRecords = new JdbcCallRecordRepository(jdbi, dialect);
        this.webPasswords = new JdbcWebPasswordRepository(jdbi, dialect);
        this.webSessions = new JdbcWebSessionRepository(jdbi, dialect);
        this.apiTokens = new JdbcApiTokenRepository(jdbi, dialect);
        this.directoryVersion = new JdbcDirectoryVersion(jdbi);
        this.userSettings = new JdbcUserSettingsRepository(jdbi, dialect);
        this.contacts = new JdbcContactRepository(jdbi, dialect);
    }

    /**
     * Opens the database at {@code url} and migrates its schema to the newest version (a no-op when it is already
     * there).
     *
     * @param url the {@code database.url} setting (see the class comment)
     * @param user the database user, or {@code null} (SQLite ignores it; PostgreSQL may take it from the URL)
     * @param password the password, or {@code null}
     * @throws IllegalArgumentException if the URL names neither SQLite nor PostgreSQL
     * @throws StoreException if the database cannot be reached, created or migrated
     */
    public static Store open(String url, String user, String password) {
        Dialect dialect = dialectOf(url);
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(url);
        config.setUsername(user);
        config.setPassword(password);
        config.setPoolName("parley-store");
        if (dialect == Dialect.SQLITE) {
            createParentDirectory(url);
            SQLiteConfig sqlite = new SQLiteConfig();
            sqlite.setJournalMode(SQLiteConfig.JournalMode.WAL);
            sqlite.setSynchronous(SQLiteConfig.SynchronousMode.NORMAL);
            sqlite.enforceForeignKeys(true);
            sqlite.setBusyTimeout(5000);
            config.setDataSourceProperties(sqlite.toProperties());
            config.setMaximumPoolSize(1);
        } else {
            config.setMaximumPoolSize(POSTGRES_POOL_SIZE);
        }
        HikariDataSource dataSource;
        try {
            dataSource = new HikariDataSource(config);
        } catch (RuntimeException e) {
            throw new StoreException("cannot open the database " + redact(url) + " (database.url): "
                    + rootMessage(e) + "; check that it is reachable and the user and password are right", e);
        }
        try {
            MigrateResult result = Flyway.configure()
                    .dataSource(dataSource)
                    .locations("classpath:db/migration/common")
                    .placeholders(dialect.placeholders())
                    .failOnMissingLocations(true)
                    .load()
                    .migrate();
            LOG.info("database {} at schema version {} ({} migration(s) applied)", redact(url),
                    result.targetSchemaVersion != null ? result.targetSchemaVersion : result.initialSchemaVersion,
                    result.migrationsExecuted);
        } catch (RuntimeException e) {
            dataSource.close();
            throw new StoreException("cannot bring the schema of " + redact(url) + " up to date: " + rootMessage(e)
                    + " (a database written by a newer Parley cannot be opened by an older one)", e);
        }
        return new Store(dataSource, dialect);
    }

    public UserRepository users() {
        return users;
    }

    public ExtensionRepository extensions() {
        return extensions;
    }

    /** Devices, whose secrets are encrypted with {@code cipher} on the way in and decrypted on the way out. */
    public DeviceRepository devices(SecretCipher cipher) {
        return new JdbcDeviceRepository(jdbi, dialect, Objects.requireNonNull(cipher, "cipher"));
    }

    public BindingRepository bindings() {
        return bindings;
    }

    public CallRecordRepository callRecords() {
        return callRecords;
    }

    public WebPasswordRepository webPasswords() {
        return webPasswords;
    }

    /** Web sessions (hashed ids); a user's go with the user. */
    public WebSessionRepository webSessions() {
        return webSessions;
    }

    /** Personal API tokens (hashes only); a user's go with the user. */
    public ApiTokenRepository apiTokens() {
        return apiTokens;
    }

    /** Account flow tokens (hashes only), the sign-up switch, and the writes that complete a flow or close an account. */
    public AccountFlowRepository accountFlows() {
        return new JdbcAccountFlowRepository(jdbi, dialect);
    }

    /** TOTP secrets, encrypted with {@code cipher} (context {@code totp:<user>:secret}), and recovery code hashes. */
    public TotpRepository totp(SecretCipher cipher) {
        return new JdbcTotpRepository(jdbi, dialect, Objects.requireNonNull(cipher, "cipher"));
    }

    /** Users' settings (do not disturb, call waiting, auto-answer, devices); a user's go with the user. */
    public UserSettingsRepository userSettings() {
        return userSettings;
    }

    /** Users' contacts with their pictures; a user's go with the user. */
    public ContactRepository contacts() {
        return contacts;
    }

    /**
     * The version of the directory (users, extensions, devices), which every write of theirs through this store's
     * repositories increments, in this process or another one on the same database: what a
     * {@link dev.parley.pbx.directory.DirectoryCache} checks.
     */
    public DirectoryVersion directoryVersion() {
        return directoryVersion;
    }

    /** Closes the pool; calls made afterwards fail. */
    @Override
    public void close() {
        dataSource.close();
    }

    /** For tests in this package: raw SQL on the store's own connections (SQLite pragmas are per connection). */
    Jdbi jdbi() {
        return jdbi;
    }

    Dialect dialect() {
        return dialect;
    }

    static Dialect dialectOf(String url) {
        if (url == null || url.isBlank()) {
            throw new IllegalArgumentException(ACCEPTED + "; it is empty");
        }
        if (url.startsWith(SQLITE_PREFIX)) {
            String file = sqliteFile(url);
            if (file.isEmpty() || file.startsWith(":memory:") || file.contains("mode=memory")) {
                throw new IllegalArgumentException(ACCEPTED + "; an in-memory SQLite database (" + redact(url)
                        + ") would vanish with its connection: name a file");
            }
            return Dialect.SQLITE;
        }
        if (url.startsWith(POSTGRES_PREFIX)) {
            return Dialect.POSTGRESQL;
        }
        throw new IllegalArgumentException(ACCEPTED + "; got " + redact(url));
    }

    private static String sqliteFile(String url) {
        String rest = url.substring(SQLITE_PREFIX.length());
        int query = rest.indexOf('?');
        return query < 0 ? rest : rest.substring(0, query);
    }

    private static void createParentDirectory(String url) {
        String file = sqliteFile(url);
        if (file.startsWith("file:")) {
            return; // an SQLite URI filename: SQLite resolves it, we do not second-guess it
        }
        try {
            Path parent = Path.of(file).toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
        } catch (IOException | InvalidPathException e) {
            throw new StoreException("cannot create the directory for the database " + file + " (database.url): "
                    + e.getMessage() + "; check the path and its permissions", e);
        }
    }

    /** The URL without its query, which may carry a password. */
    static String redact(String url) {
        int query = url.indexOf('?');
        return query < 0 ? url : url.substring(0, query) + "?…";
    }

    private static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getMessage() != null ? root.getMessage() : root.getClass().getSimpleName();
    }
}
