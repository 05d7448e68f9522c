package dev.parley.store;

import dev.parley.pbx.directory.DeviceId;
import dev.parley.pbx.registrar.Binding;
import dev.parley.pbx.registrar.BindingRepository;
import dev.parley.pbx.registrar.ReceivedFrom;
import dev.parley.sip.header.Address;
import dev.parley.sipstack.flow.Transport;
import java.time.Instant;
import java.util.List;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.mapper.RowMapper;

/**
 * {@link BindingRepository} in the {@code bindings} table, one row per contact.
 *
 * <p>{@link #replace} is one transaction (RFC 3261 §10.3 step 7: a REGISTER's changes become visible all at once or
 * not at all): if any insert fails, or the process dies before the commit, the AOR keeps its previous bindings.
 */
final class JdbcBindingRepository implements BindingRepository {
    private static final String COLUMNS = "aor, contact, call_id, cseq, expires_at, updated_at, path,"
            + " received_transport, received_remote, received_local, received_flow_id, device_id, user_agent";
    private static final RowMapper<Binding> BINDING = (rs, ctx) -> new Binding(
            rs.getString("aor"),
            Address.parse(rs.getString("contact")),
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
            rs.getString("user_agent"));

    private final Jdbi jdbi;
    private final Dialect dialect;

    JdbcBindingRepository(Jdbi jdbi, Dialect dialect) {
        this.jdbi = jdbi;
        this.dialect = dialect;
    }

    @Override
    public List<Binding> find(String aor) {
        return jdbi.withHandle(h -> h.createQuery("SELECT " + COLUMNS + " FROM bindings WHERE aor = :aor")
                .bind("aor", aor).map(BINDING).list());
    }

    @Override
    public void replace(String aor, List<Binding> bindings) {
        for (Binding b : bindings) {
            if (!b.aor().equals(aor)) {
                throw new IllegalArgumentException("binding for " + b.aor() + " passed to replace " + aor);
            }
        }
        jdbi.useTransaction(h -> {
            dialect.lockAor(h, aor);
            h.createUpdate("DELETE FROM bindings WHERE aor = :aor").bind("aor", aor).execute();
            for (Binding b : bindings) {
                insert(h, b);
            }
        });
    }

    private static void insert(Handle h, Binding b) {
        ReceivedFrom from = b.receivedFrom();
        h.createUpdate("INSERT INTO bindings (" + COLUMNS + ") VALUES (:aor, :contact, :callId, :cseq, :expiresAt,"
                        + " :updatedAt, :path, :transport, :remote, :local, :flowId, :deviceId, :userAgent)")
                .bind("aor", b.aor())
                .bind("contact", b.contact().toString())
                .bind("callId", b.callId())
                .bind("cseq", b.cseq())
                .bind("expiresAt", b.expiresAt().toEpochMilli())
                .bind("updatedAt", b.updatedAt().toEpochMilli())
                .bind("path", Columns.path(b.path()))
                .bind("transport", from.transport().name())
                .bind("remote", Columns.socketAddress(from.remote()))
                .bind("local", Columns.socketAddress(from.local()))
                .bind("flowId", from.flowId())
                .bind("deviceId", b.deviceId().value())
                .bind("userAgent", b.userAgent())
                .execute();
    }

    @Override
    public List<Binding> findAll() {
        return jdbi.withHandle(h -> h.createQuery("SELECT " + COLUMNS + " FROM bindings ORDER BY aor")
                .map(BINDING).list());
    }

    @Override
    public List<Binding> deleteExpired(Instant now) {
        // DELETE … RETURNING (PostgreSQL, SQLite ≥ 3.35): what is returned is exactly what was deleted, even with
        // another node writing at the same time
        return jdbi.inTransaction(h -> h.createQuery("DELETE FROM bindings WHERE expires_at <= :now RETURNING "
                        + COLUMNS)
                .bind("now", now.toEpochMilli()).map(BINDING).list());
    }
}
