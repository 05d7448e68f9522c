package dev.parley.store;

import dev.parley.pbx.cdr.CallRecord;
import dev.parley.pbx.cdr.CallRecordRepository;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.JdbiException;
import org.jdbi.v3.core.mapper.RowMapper;

/** {@link CallRecordRepository} in the {@code call_records} table, newest first by {@code ended_at}. */
final class JdbcCallRecordRepository implements CallRecordRepository {
    private static final String COLUMNS = "id, call_id, caller, callee, answered_by, started_at, answered_at,"
            + " ended_at, status, cause";
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
            rs.getString("cause"));

    private final Jdbi jdbi;
    private final Dialect dialect;

    JdbcCallRecordRepository(Jdbi jdbi, Dialect dialect) {
        this.jdbi = jdbi;
        this.dialect = dialect;
    }

    @Override
    public void save(CallRecord r) {
        try {
            jdbi.useHandle(h -> h.createUpdate("INSERT INTO call_records (" + COLUMNS + ") VALUES (:id, :callId,"
                            + " :caller, :callee, :answeredBy, :startedAt, :answeredAt, :endedAt, :status, :cause)")
                    .bind("id", r.id())
                    .bind("callId", r.callId())
                    .bind("caller", r.caller())
                    .bind("callee", r.callee())
                    .bind("answeredBy", r.answeredBy())
                    .bind("startedAt", r.startedAt().toEpochMilli())
                    .bind("answeredAt", Columns.millis(r.answeredAt()))
                    .bind("endedAt", r.endedAt().toEpochMilli())
                    .bind("status", r.status())
                    .bind("cause", r.cause())
                    .execute());
        } catch (JdbiException e) {
            if (dialect.violation(e) == Dialect.Violation.UNIQUE) {
                throw new IllegalStateException("call record " + r.id() + " is already stored", e);
            }
            throw e;
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

    private static Long nullableLong(ResultSet rs, String column) throws SQLException {
        long value = rs.getLong(column);
        return rs.wasNull() ? null : value;
    }
}
