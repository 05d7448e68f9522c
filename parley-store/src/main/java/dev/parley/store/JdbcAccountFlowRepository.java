package dev.parley.store;

import dev.parley.pbx.account.AccountFlowRepository;
import dev.parley.pbx.account.ClosedAccountCalls;
import dev.parley.pbx.directory.Role;
import dev.parley.pbx.directory.User;
import dev.parley.pbx.directory.UserId;
import dev.parley.pbx.directory.WebPasswordRepository;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.JdbiException;
import org.jdbi.v3.core.mapper.RowMapper;

/**
 * {@link AccountFlowRepository} in {@code account_tokens} and {@code server_settings}. Each completion takes its
 * token with a {@code DELETE} whose row count decides: of two nodes following one link at once, one deletes the
 * row and completes, the other sees 0 rows and gets nothing.
 */
final class JdbcAccountFlowRepository implements AccountFlowRepository {
    private static final String COLUMNS = "token_hash, purpose, user_id, username, display_name, email,"
            + " password_hash, created_at, expires_at";
    private static final RowMapper<Pending> PENDING = (rs, ctx) -> new Pending(rs.getString("token_hash"),
            Purpose.fromWireName(rs.getString("purpose")),
            rs.getString("user_id") == null ? null : new UserId(rs.getString("user_id")), rs.getString("username"),
            rs.getString("display_name"), rs.getString("email"), rs.getString("password_hash"),
            Instant.ofEpochMilli(rs.getLong("created_at")), Instant.ofEpochMilli(rs.getLong("expires_at")));
    private static final String SIGNUP = "signup";

    private final Jdbi jdbi;
    private final Dialect dialect;

    JdbcAccountFlowRepository(Jdbi jdbi, Dialect dialect) {
        this.jdbi = jdbi;
        this.dialect = dialect;
    }

    @Override
    public void insert(Pending p) {
        try {
            jdbi.useHandle(h -> h.createUpdate("INSERT INTO account_tokens (" + COLUMNS + ") VALUES (:hash, :purpose,"
                            + " :user, :username, :displayName, :email, :passwordHash, :created, :expires)")
                    .bind("hash", p.tokenHash()).bind("purpose", p.purpose().wireName())
                    .bind("user", p.user() == null ? null : p.user().value()).bind("username", p.username())
                    .bind("displayName", p.displayName()).bind("email", p.email())
                    .bind("passwordHash", p.passwordHash()).bind("created", p.created().toEpochMilli())
                    .bind("expires", p.expires().toEpochMilli()).execute());
        } catch (JdbiException e) {
            switch (dialect.violation(e)) {
                case FOREIGN_KEY -> throw new IllegalStateException("no user " + p.user() + " to hold a token", e);
                case UNIQUE -> throw new IllegalStateException("a token with that hash exists", e);
                default -> throw e;
            }
        }
    }

    @Override
    public Optional<Pending> find(String tokenHash, Instant now) {
        return jdbi.withHandle(h -> h.createQuery("SELECT " + COLUMNS + " FROM account_tokens WHERE token_hash ="
                        + " :hash AND expires_at > :now")
                .bind("hash", tokenHash).bind("now", now.toEpochMilli()).map(PENDING).findOne());
    }

    /** Reads and deletes the token in the caller's transaction; live and of {@code purpose}, or empty. */
    private static Optional<Pending> take(Handle h, String tokenHash, Purpose purpose, Instant now) {
        Optional<Pending> p = h.createQuery("SELECT " + COLUMNS + " FROM account_tokens WHERE token_hash = :hash"
                        + " AND purpose = :purpose")
                .bind("hash", tokenHash).bind("purpose", purpose.wireName()).map(PENDING).findOne();
        if (p.isEmpty()) {
            return Optional.empty();
        }
        int deleted = h.createUpdate("DELETE FROM account_tokens WHERE token_hash = :hash")
                .bind("hash", tokenHash).execute();
        return deleted == 1 && p.get().liveAt(now) ? p : Optional.empty();
    }

    private static boolean taken(Handle h, String column, String value) {
        return h.createQuery("SELECT COUNT(*) FROM users WHERE " + column + " = :v").bind("v", value)
                .mapTo(Integer.class).one() > 0;
    }

    @Override
    public Optional<User> completeSignup(String tokenHash, UserId newId, Instant now) {
        try {
            return jdbi.inTransaction(h -> {
                Optional<Pending> p = take(h, tokenHash, Purpose.SIGNUP, now);
                if (p.isEmpty() || taken(h, "name", p.get().username()) || taken(h, "email", p.get().email())) {
                    return Optional.<User>empty();
                }
                User u = new User(newId, p.get().username(), p.get().displayName(), Role.USER, p.get().email());
                h.createUpdate("INSERT INTO users (id, name, display_name, role, email) VALUES (:id, :name,"
                                + " :displayName, :role, :email)")
                        .bind("id", u.id().value()).bind("name", u.name()).bind("displayName", u.displayName())
                        .bind("role", u.role().wireName()).bind("email", u.email()).execute();
                h.createUpdate("INSERT INTO web_passwords (user_id, phc) VALUES (:user, :phc)")
                        .bind("user", u.id().value())
                        .bind("phc", WebPasswordRepository.checkPhc(p.get().passwordHash())).execute();
                JdbcDirectoryVersion.bump(h);
                return Optional.of(u);
            });
        } catch (JdbiException e) {
            if (dialect.violation(e) == Dialect.Violation.UNIQUE) {
                return Optional.empty(); // another node created that name or address between our check and insert
            }
            throw e;
        }
    }

    @Override
    public Optional<UserId> completePasswordReset(String tokenHash, String newPasswordHash, Instant now) {
        WebPasswordRepository.checkPhc(newPasswordHash);
        return jdbi.inTransaction(h -> {
            Optional<Pending> p = take(h, tokenHash, Purpose.PASSWORD_RESET, now);
            if (p.isEmpty()) {
                return Optional.<UserId>empty();
            }
            String user = p.get().user().value();
            h.createUpdate("INSERT INTO web_passwords (user_id, phc) VALUES (:user, :phc)"
                            + " ON CONFLICT (user_id) DO UPDATE SET phc = excluded.phc")
                    .bind("user", user).bind("phc", newPasswordHash).execute();
            h.createUpdate("DELETE FROM web_sessions WHERE user_id = :user").bind("user", user).execute();
            h.createUpdate("DELETE FROM api_tokens WHERE user_id = :user").bind("user", user).execute();
            h.createUpdate("DELETE FROM account_tokens WHERE user_id = :user AND purpose = :purpose")
                    .bind("user", user).bind("purpose", Purpose.PASSWORD_RESET.wireName()).execute();
            return Optional.of(p.get().user());
        });
    }

    @Override
    public Optional<User> completeEmailChange(String tokenHash, Instant now) {
        try {
            return jdbi.inTransaction(h -> {
                Optional<Pending> p = take(h, tokenHash, Purpose.EMAIL_CHANGE, now);
                if (p.isEmpty()) {
                    return Optional.<User>empty();
                }
                Optional<String> holder = h.createQuery("SELECT id FROM users WHERE email = :email")
                        .bind("email", p.get().email()).mapTo(String.class).findOne();
                if (holder.isPresent() && !holder.get().equals(p.get().user().value())) {
                    return Optional.<User>empty();
                }
                h.createUpdate("UPDATE users SET email = :email WHERE id = :id").bind("email", p.get().email())
                        .bind("id", p.get().user().value()).execute();
                JdbcDirectoryVersion.bump(h);
                return h.createQuery("SELECT id, name, display_name, role, email FROM users WHERE id = :id")
                        .bind("id", p.get().user().value())
                        .map((rs, ctx) -> new User(new UserId(rs.getString("id")), rs.getString("name"),
                                rs.getString("display_name"), Role.fromWireName(rs.getString("role")).orElseThrow(),
                                rs.getString("email")))
                        .findOne();
            });
        } catch (JdbiException e) {
            if (dialect.violation(e) == Dialect.Violation.UNIQUE) {
                return Optional.empty();
            }
            throw e;
        }
    }

    @Override
    public int deleteExpired(Instant now) {
        return jdbi.withHandle(h -> h.createUpdate("DELETE FROM account_tokens WHERE expires_at <= :now")
                .bind("now", now.toEpochMilli()).execute());
    }

    @Override
    public boolean signupEnabled() {
        return jdbi.withHandle(h -> h.createQuery("SELECT value FROM server_settings WHERE name = :name")
                .bind("name", SIGNUP).mapTo(String.class).findOne()).map("true"::equals).orElse(false);
    }

    @Override
    public void setSignupEnabled(boolean enabled) {
        jdbi.useHandle(h -> h.createUpdate("INSERT INTO server_settings (name, value) VALUES (:name, :value)"
                        + " ON CONFLICT (name) DO UPDATE SET value = excluded.value")
                .bind("name", SIGNUP).bind("value", Boolean.toString(enabled)).execute());
    }

    @Override
    public boolean closeAccount(UserId user, ClosedAccountCalls calls, String replacement) {
        return jdbi.inTransaction(h -> {
            Optional<String> name = h.createQuery("SELECT name FROM users WHERE id = :id").bind("id", user.value())
                    .mapTo(String.class).findOne();
            if (name.isEmpty()) {
                return false;
            }
            List<String> names = new ArrayList<>();
            names.add(name.get());
            names.addAll(h.createQuery("SELECT number FROM extensions WHERE owner_id = :id").bind("id", user.value())
                    .mapTo(String.class).list());
            names.addAll(h.createQuery("SELECT sip_username FROM devices WHERE owner_id = :id")
                    .bind("id", user.value()).mapTo(String.class).list());
            switch (calls) {
                // CDRs stay (the other party's history, the operator's accounting) without naming the person
                case ANONYMIZE -> {
                    for (String column : List.of("caller", "callee", "answered_by")) {
                        h.createUpdate("UPDATE call_records SET " + column + " = :r WHERE " + column
                                + " IN (<names>)").bind("r", replacement).bindList("names", names).execute();
                    }
                    for (String column : List.of("caller_user", "callee_user", "answered_user")) { // V12
                        h.createUpdate("UPDATE call_records SET " + column + " = NULL WHERE " + column + " = :id")
                                .bind("id", user.value()).execute();
                    }
                }
                // the operator chose to keep nothing: the other parties lose these calls from their history too
                case DELETE -> h.createUpdate("DELETE FROM call_records WHERE caller IN (<names>)"
                        + " OR callee IN (<names>) OR answered_by IN (<names>) OR caller_user = :id"
                        + " OR callee_user = :id OR answered_user = :id").bindList("names", names)
                        .bind("id", user.value()).execute();
            }
            h.createUpdate("DELETE FROM bindings WHERE device_id IN (SELECT id FROM devices WHERE owner_id = :id)")
                    .bind("id", user.value()).execute();
            h.createUpdate("DELETE FROM devices WHERE owner_id = :id").bind("id", user.value()).execute();
            h.createUpdate("DELETE FROM extensions WHERE owner_id = :id").bind("id", user.value()).execute();
            // the rest (password, sessions, API tokens, TOTP, settings, contacts, pending tokens) cascades
            h.createUpdate("DELETE FROM users WHERE id = :id").bind("id", user.value()).execute();
            JdbcDirectoryVersion.bump(h);
            return true;
        });
    }
}
