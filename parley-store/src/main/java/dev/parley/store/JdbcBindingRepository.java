package dev.parley.store;

import dev.parley.pbx.directory.DeviceId;
import dev.parley.pbx.registrar.Binding;
import dev.parley.pbx.registrar.BindingRepository;
import dev.parley.pbx.registrar.ReceivedFrom;
import dev.parley.sip.header.Address;
import dev.parley.sipstack.flow.Transport;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import javax.sql.DataSource;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.mapper.RowMapper;
import org.sqlite.SQLiteConnection;

/**
 * {@link BindingRepository} in the {@code bindings} table, one row per contact.
 *
 * <p>{@link #replace} is one transaction (RFC 3261 §10.3 step 7: a REGISTER's changes become visible all at once or
 * not at all): if any write fails, or the process dies before the commit, the AOR keeps its previous bindings. It
 * writes only what changed against the AOR's current rows: a refresh of one contact is one {@code UPDATE} of its row,
 * a new contact one {@code INSERT}, a removed one a {@code DELETE}; unchanged bindings are not touched. The call
 * returns after the commit, so a binding the registrar answers {@code 200} for is in the database (SQLite: in the
 * WAL, which survives the process being killed) before the answer is sent.
 *
 * <p><b>Group commit (SQLite only).</b> SQLite has one connection, and per REGISTER the transaction around the
 * {@code UPDATE} (its {@code BEGIN}, its {@code COMMIT} writing the WAL frames) cost more than the {@code UPDATE}
 * itself. So {@link #replace} goes through {@link GroupCommit}: the replaces of different AORs that arrive while a
 * transaction runs are written together in the next one, and each call still returns only after the transaction
 * holding its writes committed. A lone replace runs at once in a transaction of its own, as before. If a batch's
 * transaction fails it rolled back whole and each replace is run again alone, so one AOR's failure is its own. The
 * write statements are prepared once on the pooled connection and kept while it lives (preparing the
 * {@code UPDATE} cost as much as running it). With PostgreSQL, each replace is its own transaction (the pool has
 * several connections, and each AOR's transaction holds that AOR's advisory lock).
 *
 * <p><b>Location cache (SQLite only).</b> With SQLite this process is the only writer of bindings (the file is the
 * server's; the CLI does not write them), so the committed rows of each AOR read are also kept in memory, and
 * {@link #find} — on every call, for each AOR routed to — is a map look-up. Every write goes to the database first
 * and updates the cache after its commit, under a per-AOR lock that also covers loading an AOR into the cache, so
 * the cache never holds a set older than the database's. With PostgreSQL, which several nodes may share, every
 * {@link #find} reads the database.
 */
final class JdbcBindingRepository implements BindingRepository {
    private static final String COLUMNS = "aor, contact, call_id, cseq, expires_at, updated_at, path,"
            + " received_transport, received_remote, received_local, received_flow_id, device_id, user_agent";
    private static final int STRIPES = 64;
    /** Replaces per group-commit transaction at most (SQLite). */
    private static final int MAX_BATCH = 128;
    /** INSERT and UPDATE with the same parameters in the same order: the row's values, then aor and contact. */
    private static final String INSERT = "INSERT INTO bindings (call_id, cseq, expires_at, updated_at, path,"
            + " received_transport, received_remote, received_local, received_flow_id, device_id, user_agent, aor,"
            + " contact) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
    private static final String UPDATE = "UPDATE bindings SET call_id = ?, cseq = ?, expires_at = ?,"
            + " updated_at = ?, path = ?, received_transport = ?, received_remote = ?, received_local = ?,"
            + " received_flow_id = ?, device_id = ?, user_agent = ? WHERE aor = ? AND contact = ?";
    /**
     * AORs without bindings are cached too (a call looks up its extension's AOR, often empty, every time), but only
     * while the cache is smaller than this, so looking up many unknown AORs cannot grow it without bound.
     */
    private static final int MAX_CACHED_EMPTY = 100_000;
    private static final String DELETE = "DELETE FROM bindings WHERE aor = ? AND contact = ?";
    private static final RowMapper<Stored> STORED = (rs, ctx) -> {
        String contact = rs.getString("contact");
        return new Stored(contact, new Binding(
                rs.getString("aor"),
                Address.parse(contact),
                rs.getString("call_id"),
                rs.getLong("cseq"),
                Instant.ofEpochMilli(rs.getLong("expires_at")),
                Instant.ofEpochMilli(rs.getLong("updated_at")),
                Columns.path(rs.getString("path")),
                new ReceivedFrom(Transport.valueOf(rs.getString("received_transport")),
                        Columns.socketAddress(rs.getString("received_remote")),
                        Columns.socketAddress(rs.getString("received_local")),
                        rs.getString("received_flow_id")),
                new DeviceId(rs.getString("device_id")),
                rs.getString("user_agent")));
    };

    /** A row as stored: its key text (the {@code contact} column, exactly) and the binding read from it. */
    private record Stored(String contactKey, Binding binding) {
    }

    /** One {@link #replace} for the group commit: the AOR's cached rows ({@code null}: read them), the new set. */
    private record Replace(String aor, List<Stored> before, List<Binding> bindings) {
    }

    private final Jdbi jdbi;
    private final DataSource dataSource;
    private final Dialect dialect;
    /** AOR → its committed rows; null when not caching (PostgreSQL). Values are immutable lists. */
    private final ConcurrentHashMap<String, List<Stored>> cache;
    private final ReentrantLock[] locks = new ReentrantLock[STRIPES];
    /** SQLite: the replaces in flight, committed together; null with PostgreSQL. */
    private final GroupCommit<Replace, List<Stored>> groupCommit;
    /** SQLite: the write statements kept on the pooled connection; used only by the group commit's leader. */
    private final KeptStatements kept = new KeptStatements();

    JdbcBindingRepository(Jdbi jdbi, DataSource dataSource, Dialect dialect) {
        this.jdbi = jdbi;
        this.dataSource = dataSource;
        this.dialect = dialect;
        this.cache = dialect == Dialect.SQLITE ? new ConcurrentHashMap<>() : null;
        this.groupCommit = dialect == Dialect.SQLITE ? new GroupCommit<>(this::commitBatch, MAX_BATCH) : null;
        for (int i = 0; i < STRIPES; i++) {
            locks[i] = new ReentrantLock();
        }
    }

    @Override
    public List<Binding> find(String aor) {
        if (cache == null) {
            return bindings(read(aor));
        }
        List<Stored> cached = cache.get(aor);
        if (cached != null) {
            return bindings(cached);
        }
        ReentrantLock lock = lockOf(aor);
        lock.lock();
        try {
            cached = cache.get(aor);
            if (cached == null) {
                cached = List.copyOf(read(aor));
                if (!cached.isEmpty() || cache.size() < MAX_CACHED_EMPTY) {
                    cache.put(aor, cached);
                }
            }
            return bindings(cached);
        } finally {
            lock.unlock();
        }
    }

    /** The cached rows of {@code aor} (SQLite, once read or written), else null: reading them would block. */
    @Override
    public List<Binding> findInMemory(String aor) {
        List<Stored> cached = cache != null ? cache.get(aor) : null;
        return cached != null ? bindings(cached) : null;
    }

    @Override
    public void replace(String aor, List<Binding> bindings) {
        for (Binding b : bindings) {
            if (!b.aor().equals(aor)) {
                throw new IllegalArgumentException("binding for " + b.aor() + " passed to replace " + aor);
            }
        }
        ReentrantLock lock = lockOf(aor);
        lock.lock();
        try {
            List<Stored> cached = cache != null ? cache.get(aor) : null;
            List<Stored> written = groupCommit != null
                    ? groupCommit.submit(new Replace(aor, cached, bindings))
                    : inTransaction(aor, c -> {
                        dialect.lockAor(c, aor);
                        try (OwnStatements statements = new OwnStatements(c)) {
                            return write(statements, aor, cached != null ? cached : select(c, aor), bindings);
                        }
                    });
            if (cache != null) {
                cache.put(aor, written);
            }
        } catch (RuntimeException e) {
            if (cache != null) {
                cache.remove(aor); // rolled back: read the rows again rather than trust what we had
            }
            throw e;
        } finally {
            lock.unlock();
        }
    }

    /**
     * The group commit's transaction (SQLite): every replace of {@code batch}, in order, with the kept statements.
     * On a failure they are closed (prepared again next time), whatever state it left them in.
     */
    private List<List<Stored>> commitBatch(List<Replace> batch) {
        String aors = batch.size() == 1 ? batch.getFirst().aor()
                : String.join(", ", batch.stream().map(Replace::aor).toList());
        return inTransaction(aors, c -> {
            Statements statements = kept.on(c);
            boolean ownOnly = !kept.keeps(statements); // not SQLite's connection: closed with this transaction
            try {
                List<List<Stored>> written = new ArrayList<>(batch.size());
                for (Replace r : batch) {
                    written.add(write(statements, r.aor(), r.before() != null ? r.before() : select(c, r.aor()),
                            r.bindings()));
                }
                return written;
            } catch (SQLException | RuntimeException e) {
                kept.close();
                throw e;
            } finally {
                if (ownOnly && statements instanceof OwnStatements own) {
                    own.close();
                }
            }
        });
    }

    /** Work inside one JDBC transaction. */
    @FunctionalInterface
    private interface TransactionWork<T> {
        T run(Connection c) throws SQLException;
    }

    /**
     * Runs {@code work} in one transaction on a pooled connection, as plain JDBC: this runs for every REGISTER, and
     * a Jdbi handle and its per-statement binding cost more than SQLite's own work for one {@code UPDATE}.
     */
    private <T> T inTransaction(String aor, TransactionWork<T> work) {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                T result = work.run(c);
                c.commit();
                return result;
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(true);
            }
        } catch (SQLException e) {
            throw new StoreException("cannot write the bindings of " + aor + ": " + e.getMessage(), e);
        }
    }

    private static List<Stored> select(Connection c, String aor) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT " + COLUMNS + " FROM bindings WHERE aor = ?")) {
            s.setString(1, aor);
            try (ResultSet rs = s.executeQuery()) {
                List<Stored> rows = new ArrayList<>();
                while (rs.next()) {
                    rows.add(STORED.map(rs, null));
                }
                return rows;
            }
        }
    }

    /**
     * Inside the transaction: the writes that turn {@code before} into {@code bindings}, as plain JDBC (this runs for
     * every REGISTER, and Jdbi's per-statement binding costs more than SQLite's update). Returns the new rows.
     */
    private static List<Stored> write(Statements statements, String aor, List<Stored> before, List<Binding> bindings)
            throws SQLException {
        Map<String, Stored> old = new HashMap<>();
        before.forEach(s -> old.put(s.contactKey(), s));
        Set<String> seen = new HashSet<>();
        List<Stored> after = new ArrayList<>(bindings.size());
        for (Binding b : bindings) {
            String key = b.contact().toString();
            Stored previous = old.remove(key);
            if (previous == null || !seen.add(key)) {
                // a key given twice fails here on the primary key, and rolls back
                execute(statements.insert(), key, b);
            } else if (!previous.binding().equals(b) && execute(statements.update(), key, b) == 0) {
                execute(statements.insert(), key, b);
            }
            seen.add(key);
            after.add(new Stored(key, b));
        }
        if (!old.isEmpty()) {
            PreparedStatement delete = statements.delete();
            for (String gone : old.keySet()) {
                delete.setString(1, aor);
                delete.setString(2, gone);
                delete.executeUpdate();
            }
        }
        return List.copyOf(after);
    }

    /** The AOR's rows, read outside any transaction. */
    private List<Stored> read(String aor) {
        try (Connection c = dataSource.getConnection()) {
            return select(c, aor);
        } catch (SQLException e) {
            throw new StoreException("cannot read the bindings of " + aor + ": " + e.getMessage(), e);
        }
    }

    private static List<Binding> bindings(List<Stored> rows) {
        List<Binding> list = new ArrayList<>(rows.size());
        for (Stored s : rows) {
            list.add(s.binding());
        }
        return list;
    }

    /** Runs {@link #INSERT} or {@link #UPDATE}, which take the same parameters in the same order. */
    private static int execute(PreparedStatement s, String contactKey, Binding b) throws SQLException {
        ReceivedFrom from = b.receivedFrom();
        s.setString(1, b.callId());
        s.setLong(2, b.cseq());
        s.setLong(3, b.expiresAt().toEpochMilli());
        s.setLong(4, b.updatedAt().toEpochMilli());
        s.setString(5, Columns.path(b.path()));
        s.setString(6, from.transport().name());
        s.setString(7, Columns.socketAddress(from.remote()));
        s.setString(8, Columns.socketAddress(from.local()));
        s.setString(9, from.flowId());
        s.setString(10, b.deviceId().value());
        s.setString(11, b.userAgent());
        s.setString(12, b.aor());
        s.setString(13, contactKey);
        return s.executeUpdate();
    }

    /** The write statements of one transaction. */
    private interface Statements {
        PreparedStatement insert() throws SQLException;

        PreparedStatement update() throws SQLException;

        PreparedStatement delete() throws SQLException;
    }

    /** Prepared on first use in one transaction and closed with it (PostgreSQL, or a connection not SQLite's). */
    private static final class OwnStatements implements Statements, AutoCloseable {
        private final Connection connection;
        private PreparedStatement insert;
        private PreparedStatement update;
        private PreparedStatement delete;

        OwnStatements(Connection connection) {
            this.connection = connection;
        }

        @Override
        public PreparedStatement insert() throws SQLException {
            return insert != null ? insert : (insert = connection.prepareStatement(INSERT));
        }

        @Override
        public PreparedStatement update() throws SQLException {
            return update != null ? update : (update = connection.prepareStatement(UPDATE));
        }

        @Override
        public PreparedStatement delete() throws SQLException {
            return delete != null ? delete : (delete = connection.prepareStatement(DELETE));
        }

        @Override
        public void close() throws SQLException {
            closeAll(insert, update, delete);
        }
    }

    /**
     * The write statements prepared on SQLite's one connection itself, below the pool (so the pool, which closes the
     * statements made through it when the connection goes back, does not see them), and kept for as long as that
     * connection lives: a new physical connection (the pool retired the old one) gets new statements. Used only
     * inside the group commit's transaction, that is by one thread at a time, holding the connection.
     */
    private static final class KeptStatements {
        private Connection physical;
        private OwnStatements statements;

        /**
         * The kept statements for {@code pooled}'s physical connection; for a connection that is not SQLite's (not
         * the Store's pool), statements of this transaction only, which the caller closes ({@link #keeps} false).
         */
        Statements on(Connection pooled) throws SQLException {
            if (!pooled.isWrapperFor(SQLiteConnection.class)) {
                close();
                return new OwnStatements(pooled);
            }
            Connection raw = pooled.unwrap(SQLiteConnection.class);
            if (raw != physical) {
                close();
                physical = raw;
                statements = new OwnStatements(raw);
            }
            return statements;
        }

        /** Whether {@code s} are the kept statements (left open for the next transaction). */
        boolean keeps(Statements s) {
            return s == statements;
        }

        /** Closes the kept statements (quietly: the connection may be gone); the next use prepares them again. */
        void close() {
            if (statements != null) {
                try {
                    statements.close();
                } catch (SQLException e) {
                    // a statement of a closed connection: nothing left to release
                }
            }
            statements = null;
            physical = null;
        }
    }

    private static void closeAll(PreparedStatement... statements) throws SQLException {
        SQLException first = null;
        for (PreparedStatement s : statements) {
            if (s != null) {
                try {
                    s.close();
                } catch (SQLException e) {
                    first = first != null ? first : e;
                }
            }
        }
        if (first != null) {
            throw first;
        }
    }

    @Override
    public List<Binding> findAll() {
        return jdbi.withHandle(h -> h.createQuery("SELECT " + COLUMNS + " FROM bindings ORDER BY aor")
                .map(STORED).list()).stream().map(Stored::binding).toList();
    }

    @Override
    public List<Binding> deleteExpired(Instant now) {
        // DELETE … RETURNING (PostgreSQL, SQLite ≥ 3.35): what is returned is exactly what was deleted, even with
        // another node writing at the same time
        List<Binding> deleted = jdbi.inTransaction(h -> h.createQuery("DELETE FROM bindings WHERE expires_at <= :now"
                        + " RETURNING " + COLUMNS)
                .bind("now", now.toEpochMilli()).map(STORED).list()).stream().map(Stored::binding).toList();
        if (cache != null) {
            // drop the cached sets of those AORs under their locks: the next find reads what the database has now
            for (String aor : deleted.stream().map(Binding::aor).distinct().toList()) {
                ReentrantLock lock = lockOf(aor);
                lock.lock();
                try {
                    cache.remove(aor);
                } finally {
                    lock.unlock();
                }
            }
        }
        return deleted;
    }

    private ReentrantLock lockOf(String aor) {
        return locks[Math.floorMod(aor.hashCode(), STRIPES)];
    }
}
