package dev.parley.store;

import dev.parley.pbx.account.WebSessionRepository;
import dev.parley.pbx.directory.UserId;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.JdbiException;
import org.jdbi.v3.core.mapper.RowMapper;

/** {@link WebSessionRepository} in the {@code web_sessions} table; rows go when their user does. */
final class JdbcWebSessionRepository implements WebSessionRepository {
    private static final String COLUMNS = "id_hash, user_id, csrf_token, created_at, last_seen";
    private static final RowMapper<Stored> SESSION = (rs, ctx) -> new Stored(rs.getString("id_hash"),
            new UserId(rs.getString("user_id")), rs.getString("csrf_token"),
            Instant.ofEpochMilli(rs.getLong("created_at")), Instant.ofEpochMilli(rs.getLong("last_seen")));

    private final Jdbi jdbi;
    private final Dialect dialect;

    JdbcWebSessionRepository(Jdbi jdbi, Dialect dialect) {
        this.jdbi = jdbi;
        this.dialect = dialect;
    }

    @Override
    public void insert(Stored s) {
        try {
            jdbi.useHandle(h -> h.createUpdate("INSERT INTO web_sessions (" + COLUMNS + ") VALUES (:id, :user,"
                            + " :csrf, :created, :lastSeen)")
                    .bind("id", s.idHash()).bind("user", s.user().value()).bind("csrf", s.csrfToken())
                    .bind("created", s.created().toEpochMilli()).bind("lastSeen", s.lastSeen().toEpochMilli())
                    .execute());
        } catch (JdbiException e) {
            switch (dialect.violation(e)) {
                case FOREIGN_KEY -> throw new IllegalStateException("no user " + s.user() + " to hold a session", e);
                case UNIQUE -> throw new IllegalStateException("a session with that id exists", e);
                default -> throw e;
            }
        }
    }

    @Override
    public Optional<Stored> find(String idHash) {
        return jdbi.withHandle(h -> h.createQuery("SELECT " + COLUMNS + " FROM web_sessions WHERE id_hash = :id")
                .bind("id", idHash).map(SESSION).findOne());
    }

    @Override
    public void touch(String idHash, Instant lastSeen) {
        jdbi.useHandle(h -> h.createUpdate("UPDATE web_sessions SET last_seen = :t WHERE id_hash = :id")
                .bind("t", lastSeen.toEpochMilli()).bind("id", idHash).execute());
    }

    @Override
    public boolean delete(String idHash) {
        return jdbi.withHandle(h -> h.createUpdate("DELETE FROM web_sessions WHERE id_hash = :id")
                .bind("id", idHash).execute()) > 0;
    }

    @Override
    public void deleteAllOf(UserId user, String keepIdHash) {
        jdbi.useHandle(h -> h.createUpdate("DELETE FROM web_sessions WHERE user_id = :user"
                        + (keepIdHash == null ? "" : " AND id_hash <> :keep"))
                .bind("user", user.value()).bind("keep", keepIdHash).execute());
    }

    @Override
    public int deleteLastSeenUpTo(Instant cutoff) {
        return jdbi.withHandle(h -> h.createUpdate("DELETE FROM web_sessions WHERE last_seen <= :cutoff")
                .bind("cutoff", cutoff.toEpochMilli()).execute());
    }

    @Override
    public List<Stored> findByUser(UserId user) {
        return jdbi.withHandle(h -> h.createQuery("SELECT " + COLUMNS + " FROM web_sessions WHERE user_id = :user"
                        + " ORDER BY last_seen, id_hash")
                .bind("user", user.value()).map(SESSION).list());
    }

    @Override
    public int count() {
        return jdbi.withHandle(h -> h.createQuery("SELECT count(*) FROM web_sessions").mapTo(Integer.class).one());
    }

    @Override
    public boolean deleteLeastRecentlySeen() {
        return jdbi.withHandle(h -> h.createUpdate("DELETE FROM web_sessions WHERE id_hash = (SELECT id_hash FROM"
                + " web_sessions ORDER BY last_seen, id_hash LIMIT 1)").execute()) > 0;
    }
}
