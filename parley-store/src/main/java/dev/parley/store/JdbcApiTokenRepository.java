package dev.parley.store;

import dev.parley.pbx.account.ApiTokenRepository;
import dev.parley.pbx.directory.UserId;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.JdbiException;
import org.jdbi.v3.core.mapper.RowMapper;

/** {@link ApiTokenRepository} in the {@code api_tokens} table (hashes only); rows go when their user does. */
final class JdbcApiTokenRepository implements ApiTokenRepository {
    private static final String COLUMNS = "id, token_hash, user_id, name, created_at, expires_at, last_used";
    private static final RowMapper<Stored> TOKEN = (rs, ctx) -> new Stored(rs.getString("id"),
            rs.getString("token_hash"), new UserId(rs.getString("user_id")), rs.getString("name"),
            Instant.ofEpochMilli(rs.getLong("created_at")), instantOrNull(rs, "expires_at"),
            instantOrNull(rs, "last_used"));

    private final Jdbi jdbi;
    private final Dialect dialect;

    JdbcApiTokenRepository(Jdbi jdbi, Dialect dialect) {
        this.jdbi = jdbi;
        this.dialect = dialect;
    }

    private static Instant instantOrNull(ResultSet rs, String column) throws SQLException {
        long v = rs.getLong(column);
        return rs.wasNull() ? null : Instant.ofEpochMilli(v);
    }

    private static Long millis(Instant t) {
        return t == null ? null : t.toEpochMilli();
    }

    @Override
    public void insert(Stored t) {
        try {
            jdbi.useHandle(h -> h.createUpdate("INSERT INTO api_tokens (" + COLUMNS + ") VALUES (:id, :hash, :user,"
                            + " :name, :created, :expires, :lastUsed)")
                    .bind("id", t.id()).bind("hash", t.hash()).bind("user", t.user().value()).bind("name", t.name())
                    .bind("created", t.created().toEpochMilli()).bind("expires", millis(t.expires()))
                    .bind("lastUsed", millis(t.lastUsed())).execute());
        } catch (JdbiException e) {
            switch (dialect.violation(e)) {
                case FOREIGN_KEY -> throw new IllegalStateException("no user " + t.user() + " to hold a token", e);
                case UNIQUE -> throw new IllegalStateException("a token with that id or hash exists", e);
                default -> throw e;
            }
        }
    }

    @Override
    public Optional<Stored> findByHash(String hash) {
        return jdbi.withHandle(h -> h.createQuery("SELECT " + COLUMNS + " FROM api_tokens WHERE token_hash = :hash")
                .bind("hash", hash).map(TOKEN).findOne());
    }

    @Override
    public List<Stored> findByUser(UserId user) {
        return jdbi.withHandle(h -> h.createQuery("SELECT " + COLUMNS + " FROM api_tokens WHERE user_id = :user"
                        + " ORDER BY created_at, id")
                .bind("user", user.value()).map(TOKEN).list());
    }

    @Override
    public void touch(String id, Instant lastUsed) {
        jdbi.useHandle(h -> h.createUpdate("UPDATE api_tokens SET last_used = :t WHERE id = :id")
                .bind("t", lastUsed.toEpochMilli()).bind("id", id).execute());
    }

    @Override
    public boolean delete(UserId user, String id) {
        return jdbi.withHandle(h -> h.createUpdate("DELETE FROM api_tokens WHERE id = :id AND user_id = :user")
                .bind("id", id).bind("user", user.value()).execute()) > 0;
    }
}
