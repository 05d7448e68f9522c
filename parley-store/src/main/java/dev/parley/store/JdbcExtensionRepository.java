package dev.parley.store;

import dev.parley.pbx.directory.Extension;
import dev.parley.pbx.directory.ExtensionRepository;
import dev.parley.pbx.directory.UserId;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.JdbiException;
import org.jdbi.v3.core.mapper.RowMapper;

/** {@link ExtensionRepository} in the {@code extensions} table. */
final class JdbcExtensionRepository implements ExtensionRepository {
    private static final RowMapper<Extension> EXTENSION = (rs, ctx) ->
            new Extension(rs.getString("number"), new UserId(rs.getString("owner_id")));

    private final Jdbi jdbi;
    private final Dialect dialect;

    JdbcExtensionRepository(Jdbi jdbi, Dialect dialect) {
        this.jdbi = jdbi;
        this.dialect = dialect;
    }

    @Override
    public Optional<Extension> find(String number) {
        return jdbi.withHandle(h -> h.createQuery("SELECT number, owner_id FROM extensions WHERE number = :number")
                .bind("number", number).map(EXTENSION).findOne());
    }

    @Override
    public List<Extension> findByOwner(UserId owner) {
        return jdbi.withHandle(h -> h.createQuery(
                        "SELECT number, owner_id FROM extensions WHERE owner_id = :owner ORDER BY number")
                .bind("owner", owner.value()).map(EXTENSION).list());
    }

    @Override
    public List<Extension> findAll() {
        return jdbi.withHandle(h -> h.createQuery("SELECT number, owner_id FROM extensions ORDER BY number")
                .map(EXTENSION).list());
    }

    @Override
    public void save(Extension extension) {
        try {
            jdbi.useTransaction(h -> {
                h.createUpdate("INSERT INTO extensions (number, owner_id) VALUES (:number, :owner)"
                                + " ON CONFLICT (number) DO UPDATE SET owner_id = excluded.owner_id")
                        .bind("number", extension.number()).bind("owner", extension.owner().value()).execute();
                JdbcDirectoryVersion.bump(h);
            });
        } catch (JdbiException e) {
            if (dialect.violation(e) == Dialect.Violation.FOREIGN_KEY) {
                throw new IllegalStateException("extension " + extension.number() + " names user "
                        + extension.owner() + ", who does not exist", e);
            }
            throw e;
        }
    }

    /** {@code ON CONFLICT DO NOTHING}: the primary key decides between concurrent writers, on SQLite and PostgreSQL. */
    @Override
    public boolean add(Extension extension) {
        try {
            return jdbi.inTransaction(h -> JdbcDirectoryVersion.bumped(h, h.createUpdate(
                            "INSERT INTO extensions (number, owner_id) VALUES (:number, :owner)"
                                    + " ON CONFLICT (number) DO NOTHING")
                    .bind("number", extension.number()).bind("owner", extension.owner().value()).execute())) > 0;
        } catch (JdbiException e) {
            if (dialect.violation(e) == Dialect.Violation.FOREIGN_KEY) {
                throw new IllegalStateException("extension " + extension.number() + " names user "
                        + extension.owner() + ", who does not exist", e);
            }
            throw e;
        }
    }

    @Override
    public boolean delete(String number) {
        return jdbi.inTransaction(h -> JdbcDirectoryVersion.bumped(h, h.createUpdate(
                "DELETE FROM extensions WHERE number = :number").bind("number", number).execute())) > 0;
    }
}
