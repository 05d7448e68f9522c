package dev.parley.store;

import dev.parley.pbx.directory.DeviceRepository;
import dev.parley.pbx.directory.ExtensionRepository;
import dev.parley.pbx.directory.Role;
import dev.parley.pbx.directory.User;
import dev.parley.pbx.directory.UserId;
import dev.parley.pbx.directory.UserRepository;
import dev.parley.pbx.directory.WebPasswordRepository;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.JdbiException;
import org.jdbi.v3.core.mapper.RowMapper;

/** {@link UserRepository} in the {@code users} table; {@code role} holds {@link Role#wireName()}. */
final class JdbcUserRepository implements UserRepository {
    private static final String COLUMNS = "id, name, display_name, role, email";
    private static final RowMapper<User> USER = (rs, ctx) -> new User(new UserId(rs.getString("id")),
            rs.getString("name"), rs.getString("display_name"), role(rs.getString("role")), rs.getString("email"));

    private static Role role(String wireName) {
        return Role.fromWireName(wireName).orElseThrow(() -> new IllegalStateException(
                "users.role holds " + wireName + ", which this version of Parley does not know"));
    }

    private final Jdbi jdbi;
    private final Dialect dialect;

    JdbcUserRepository(Jdbi jdbi, Dialect dialect) {
        this.jdbi = jdbi;
        this.dialect = dialect;
    }

    @Override
    public Optional<User> findById(UserId id) {
        return jdbi.withHandle(h -> h.createQuery("SELECT " + COLUMNS + " FROM users WHERE id = :id")
                .bind("id", id.value()).map(USER).findOne());
    }

    @Override
    public Optional<User> findByName(String name) {
        return jdbi.withHandle(h -> h.createQuery("SELECT " + COLUMNS + " FROM users WHERE name = :name")
                .bind("name", name).map(USER).findOne());
    }

    @Override
    public Optional<User> findByEmail(String email) {
        String normalized;
        try {
            normalized = User.normalizeEmail(email);
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        return jdbi.withHandle(h -> h.createQuery("SELECT " + COLUMNS + " FROM users WHERE email = :email")
                .bind("email", normalized).map(USER).findOne());
    }

    @Override
    public List<User> findAll() {
        return jdbi.withHandle(h -> h.createQuery("SELECT " + COLUMNS + " FROM users ORDER BY name")
                .map(USER).list());
    }

    @Override
    public void save(User user) {
        try {
            jdbi.useTransaction(h -> write(h, user));
        } catch (JdbiException e) {
            // another node took the name between our check and our write
            throw dialect.violation(e) == Dialect.Violation.UNIQUE ? taken(user, e) : e;
        }
    }

    /** The user row and the password row in one transaction: a failure of either leaves neither. */
    @Override
    public void createWithPassword(User user, String phcHash, WebPasswordRepository passwords) {
        WebPasswordRepository.checkPhc(phcHash);
        try {
            jdbi.useTransaction(h -> {
                if (h.createQuery("SELECT id FROM users WHERE id = :id").bind("id", user.id().value())
                        .mapTo(String.class).findOne().isPresent()) {
                    throw new IllegalStateException("user " + user.id() + " exists already");
                }
                write(h, user);
                h.createUpdate("INSERT INTO web_passwords (user_id, phc) VALUES (:user, :phc)")
                        .bind("user", user.id().value()).bind("phc", phcHash).execute();
            });
        } catch (JdbiException e) {
            throw dialect.violation(e) == Dialect.Violation.UNIQUE ? taken(user, e) : e;
        }
    }

    private static void write(Handle h, User user) {
        Optional<String> holder = h.createQuery("SELECT id FROM users WHERE name = :name")
                .bind("name", user.name()).mapTo(String.class).findOne();
        if (holder.isPresent() && !holder.get().equals(user.id().value())) {
            throw taken(user, null);
        }
        if (user.email() != null) {
            Optional<String> emailHolder = h.createQuery("SELECT id FROM users WHERE email = :email")
                    .bind("email", user.email()).mapTo(String.class).findOne();
            if (emailHolder.isPresent() && !emailHolder.get().equals(user.id().value())) {
                throw new IllegalStateException("email address of " + user.name() + " is taken");
            }
        }
        h.createUpdate("INSERT INTO users (" + COLUMNS + ") VALUES (:id, :name, :displayName, :role,"
                        + " :email) ON CONFLICT (id) DO UPDATE SET name = excluded.name,"
                        + " display_name = excluded.display_name, role = excluded.role,"
                        + " email = excluded.email")
                .bind("id", user.id().value()).bind("name", user.name())
                .bind("displayName", user.displayName()).bind("role", user.role().wireName())
                .bind("email", user.email()).execute();
        JdbcDirectoryVersion.bump(h);
    }

    @Override
    public boolean deleteWithExtensionsAndDevices(UserId id, ExtensionRepository extensions,
            DeviceRepository devices) {
        try {
            return jdbi.inTransaction(h -> {
                h.createUpdate("DELETE FROM bindings WHERE device_id IN (SELECT id FROM devices WHERE owner_id = :id)")
                        .bind("id", id.value()).execute();
                h.createUpdate("DELETE FROM devices WHERE owner_id = :id").bind("id", id.value()).execute();
                h.createUpdate("DELETE FROM extensions WHERE owner_id = :id").bind("id", id.value()).execute();
                // one bump whatever was removed: a rolled-back transaction bumps nothing
                return JdbcDirectoryVersion.bumped(h, h.createUpdate("DELETE FROM users WHERE id = :id")
                        .bind("id", id.value()).execute());
            }) > 0;
        } catch (JdbiException e) {
            if (dialect.violation(e) == Dialect.Violation.FOREIGN_KEY) {
                throw new IllegalStateException("user " + id + " is still needed by another row; nothing was"
                        + " deleted", e);
            }
            throw e;
        }
    }

    @Override
    public boolean delete(UserId id) {
        try {
            return jdbi.inTransaction(h -> JdbcDirectoryVersion.bumped(h, h.createUpdate(
                    "DELETE FROM users WHERE id = :id").bind("id", id.value()).execute())) > 0;
        } catch (JdbiException e) {
            if (dialect.violation(e) == Dialect.Violation.FOREIGN_KEY) {
                throw new IllegalStateException("user " + id + " still owns extensions or devices: delete them"
                        + " first", e);
            }
            throw e;
        }
    }

    private static IllegalStateException taken(User user, Throwable cause) {
        return new IllegalStateException("user name " + (user.email() == null ? "" : "or email address ")
                + user.name() + " is taken", cause);
    }
}
