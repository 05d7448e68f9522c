package dev.parley.store;

import dev.parley.pbx.cdr.CallRecord;
import dev.parley.pbx.cdr.CallRecordRepository;
import dev.parley.pbx.cdr.CallDirection;
import dev.parley.pbx.cdr.HistoryPage;
import dev.parley.pbx.cdr.HistoryPages;
import dev.parley.pbx.cdr.HistoryQuery;
import dev.parley.pbx.cdr.LegRecord;
import dev.parley.pbx.directory.UserId;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.JdbiException;
import org.jdbi.v3.core.mapper.RowMapper;
import org.jdbi.v3.core.statement.Query;
import org.jdbi.v3.core.statement.UnableToExecuteStatementException;

/**
 * {@link CallRecordRepository} in the {@code call_records} table, newest first by {@code ended_at}. A record's users
 * that its maker left null are filled when it is written, from the directory as it stands then: the caller by device
 * SIP username or extension, the callee by extension (or device), the answering device's owner (migration V12).
 */
final class JdbcCallRecordRepository implements CallRecordRepository {
    private static final String COLUMNS = "id, call_id, caller, callee, answered_by, started_at, answered_at,"
            + " ended_at, status, cause, caller_signalling, caller_media, caller_packets_received,"
            + " caller_packets_sent, callee_signalling, callee_media, callee_packets_received, callee_packets_sent,"
            + " encrypted_all_legs, caller_user, callee_user, answered_user";
    private static final RowMapper<CallRecord> RECORD = (rs, ctx) -> new CallRecord(
            rs.getString("id"),
            rs.getString("call_id"),
            rs.getString("caller"),
            rs.getString("callee"),
            rs.getString("answered_by"),
            Instant.ofEpochMilli(rs.getLong("started_at")),
            Columns.instant(nullableLong(rs, "answered_at")),
            Instant.ofEpochMilli(rs.getLong("ended_at")),
            rs.getInt("status"),
            rs.getString("cause"),
            leg(rs, "caller_"),
            leg(rs, "callee_"),
            rs.getInt("encrypted_all_legs") != 0,
            user(rs, "caller_user"),
            user(rs, "callee_user"),
            user(rs, "answered_user"));

    private final Jdbi jdbi;
    private final Dialect dialect;

    JdbcCallRecordRepository(Jdbi jdbi, Dialect dialect) {
        this.jdbi = jdbi;
        this.dialect = dialect;
    }

    @Override
    public void save(CallRecord r) {
        saveAll(List.of(r));
    }

    /**
     * The insert of {@link #saveAll}, with positional parameters: {@code caller}, {@code callee} and
     * {@code answered_by} appear twice, once as values and once to find a user the record's maker left null.
     */
    private static final String INSERT = "INSERT INTO call_records (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?,"
            + " ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?,"
            + " COALESCE(?, (SELECT owner_id FROM devices WHERE sip_username = ?),"
            + " (SELECT owner_id FROM extensions WHERE number = ?)),"
            + " COALESCE(?, (SELECT owner_id FROM extensions WHERE number = ?),"
            + " (SELECT owner_id FROM devices WHERE sip_username = ?)),"
            + " COALESCE(?, (SELECT owner_id FROM devices WHERE sip_username = ?)))";

    /**
     * One transaction and one prepared batch for all of {@code records}: all are stored, or none. The batch is bound
     * through JDBC itself rather than Jdbi's named binding, which cost as much CPU as SQLite's own work on the rows
     * apart from the commit (the batching writer's profile in the SIP load benchmark, docs/benchmarks.md, issue 3).
     */
    @Override
    public void saveAll(List<CallRecord> records) {
        if (records.isEmpty()) {
            return;
        }
        try {
            jdbi.useTransaction(h -> {
                try (PreparedStatement batch = h.getConnection().prepareStatement(INSERT)) {
                    for (CallRecord r : records) {
                        bind(batch, r);
                        batch.addBatch();
                    }
                    batch.executeBatch();
                }
            });
        } catch (JdbiException | SQLException e) {
            if (dialect.violation(e) == Dialect.Violation.UNIQUE) {
                throw new IllegalStateException(records.size() == 1
                        ? "call record " + records.getFirst().id() + " is already stored"
                        : "one of " + records.size() + " call records is already stored", e);
            }
            throw e instanceof JdbiException j ? j : new UnableToExecuteStatementException(e, null);
        }
    }

    /** {@link #INSERT}'s parameters, in its order. */
    private static void bind(PreparedStatement s, CallRecord r) throws SQLException {
        LegRecord caller = r.callerLeg();
        LegRecord callee = r.calleeLeg();
        int i = 0;
        s.setString(++i, r.id());
        s.setString(++i, r.callId());
        s.setString(++i, r.caller());
        s.setString(++i, r.callee());
        s.setString(++i, r.answeredBy());
        s.setLong(++i, r.startedAt().toEpochMilli());
        setLong(s, ++i, Columns.millis(r.answeredAt()));
        s.setLong(++i, r.endedAt().toEpochMilli());
        s.setInt(++i, r.status());
        s.setString(++i, r.cause());
        s.setString(++i, caller == null ? null : caller.signalling());
        s.setString(++i, caller == null ? null : caller.media());
        setLong(s, ++i, caller == null ? null : caller.packetsReceived());
        setLong(s, ++i, caller == null ? null : caller.packetsSent());
        s.setString(++i, callee == null ? null : callee.signalling());
        s.setString(++i, callee == null ? null : callee.media());
        setLong(s, ++i, callee == null ? null : callee.packetsReceived());
        setLong(s, ++i, callee == null ? null : callee.packetsSent());
        s.setInt(++i, r.encryptedAllLegs() ? 1 : 0);
        s.setString(++i, id(r.callerUser()));
        s.setString(++i, r.caller());
        s.setString(++i, r.caller());
        s.setString(++i, id(r.calleeUser()));
        s.setString(++i, r.callee());
        s.setString(++i, r.callee());
        s.setString(++i, id(r.answeredByUser()));
        s.setString(++i, r.answeredBy());
    }

    private static void setLong(PreparedStatement s, int index, Long value) throws SQLException {
        if (value == null) {
            s.setNull(index, Types.BIGINT);
        } else {
            s.setLong(index, value);
        }
    }

    @Override
    public List<CallRecord> recent(int limit) {
        if (limit < 0) {
            throw new IllegalArgumentException("limit must not be negative: " + limit);
        }
        return jdbi.withHandle(h -> h.createQuery("SELECT " + COLUMNS
                        + " FROM call_records ORDER BY ended_at DESC LIMIT :limit")
                .bind("limit", limit).map(RECORD).list());
    }

    /**
     * The history page as one indexed query (indexes of migration V11): the same filters as
     * {@link HistoryQuery#matches}, written in SQL, in the order (started_at, id) descending, one row more than
     * the limit to know whether a next page exists.
     */
    @Override
    public HistoryPage history(HistoryQuery q) {
        List<String> where = new ArrayList<>();
        boolean mine = q.user() != null;
        String callerIsMine = "caller_user = :user";
        String callerIsNotMine = "(caller_user IS NULL OR caller_user <> :user)";
        if (mine) {
            where.add("(" + callerIsMine + " OR callee_user = :user OR answered_user = :user)");
        }
        if (q.direction() == CallDirection.OUTGOING) {
            where.add(callerIsMine);
        } else if (q.direction() == CallDirection.INCOMING) {
            where.add(callerIsNotMine);
        }
        String unanswered = "answered_at IS NULL AND " + (mine ? callerIsMine + " AND " : "");
        if (q.outcome() != null) {
            where.add(switch (q.outcome()) {
                case ANSWERED -> "answered_at IS NOT NULL";
                // CallOutcome.of: every unanswered incoming call is missed; outgoing only when cancelled/no answer
                case MISSED -> "answered_at IS NULL AND (" + (mine ? callerIsNotMine + " OR " : "")
                        + "cause IN ('cancelled', 'no-answer'))";
                case BUSY -> unanswered + "cause IN ('busy', 'do-not-disturb')";
                case FAILED -> unanswered + "cause NOT IN ('busy', 'do-not-disturb', 'cancelled', 'no-answer')";
            });
        }
        if (q.from() != null) {
            where.add("started_at >= :from");
        }
        if (q.to() != null) {
            where.add("started_at < :to");
        }
        if (q.before() != null) {
            where.add("(started_at < :beforeAt OR (started_at = :beforeAt AND id < :beforeId))");
        }
        String sql = "SELECT " + COLUMNS + " FROM call_records"
                + (where.isEmpty() ? "" : " WHERE " + String.join(" AND ", where))
                + " ORDER BY started_at DESC, id DESC LIMIT :limit";
        List<CallRecord> rows = jdbi.withHandle(h -> {
            Query query = h.createQuery(sql).bind("limit", q.limit() + 1);
            if (mine) {
                query.bind("user", q.user().value());
            }
            if (q.from() != null) {
                query.bind("from", q.from().toEpochMilli());
            }
            if (q.to() != null) {
                query.bind("to", q.to().toEpochMilli());
            }
            if (q.before() != null) {
                query.bind("beforeAt", q.before().startedAt().toEpochMilli()).bind("beforeId", q.before().id());
            }
            return query.map(RECORD).list();
        });
        return HistoryPages.cut(rows, q.limit());
    }

    /** The leg whose columns start with {@code prefix}, or null when the call never set it up. */
    private static LegRecord leg(ResultSet rs, String prefix) throws SQLException {
        String signalling = rs.getString(prefix + "signalling");
        String media = rs.getString(prefix + "media");
        if (signalling == null || media == null) {
            return null;
        }
        return new LegRecord(signalling, media, rs.getLong(prefix + "packets_received"),
                rs.getLong(prefix + "packets_sent"));
    }

    private static UserId user(ResultSet rs, String column) throws SQLException {
        String id = rs.getString(column);
        return id == null ? null : new UserId(id);
    }

    private static String id(UserId user) {
        return user == null ? null : user.value();
    }

    private static Long nullableLong(ResultSet rs, String column) throws SQLException {
        long value = rs.getLong(column);
        return rs.wasNull() ? null : value;
    }
}
