package dev.parley.store;

import dev.parley.pbx.directory.UserId;
import dev.parley.pbx.directory.WebPasswordRepository;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.JdbiException;

/** {@link WebPasswordRepository} in the {@code web_passwords} table; the row goes when its user does. */
final class JdbcWebPasswordRepository implements WebPasswordRepository {
    private final Jdbi jdbi;
    private final Dialect dialect;

    JdbcWebPasswordRepository(Jdbi jdbi, Dialect dialect) {
        this.jdbi = jdbi;
        this.dialect = dialect;
    }

    @Override
    public Optional<String> find(UserId user) {
        return jdbi.withHandle(h -> h.createQuery("SELECT phc FROM web_passwords WHERE user_id = :user")
                .bind("user", user.value()).mapTo(String.class).findOne());
    }

    @Override
    public void set(UserId user, String phcHash) {
        WebPasswordRepository.checkPhc(phcHash);
        try {
            jdbi.useHandle(h -> h.createUpdate("INSERT INTO web_passwords (user_id, phc) VALUES (:user, :phc)"
                            + " ON CONFLICT (user_id) DO UPDATE SET phc = excluded.phc")
                    .bind("user", user.value()).bind("phc", phcHash).execute());
        } catch (JdbiException e) {
            if (dialect.violation(e) == Dialect.Violation.FOREIGN_KEY) {
                throw new IllegalStateException("no user " + user + " to set a web password for", e);
            }
            throw e;
        }
    }
}
