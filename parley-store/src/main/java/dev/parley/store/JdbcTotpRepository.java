package dev.parley.store;

import dev.parley.pbx.account.TotpRepository;
import dev.parley.pbx.directory.UserId;
import dev.parley.pbx.security.SecretCipher;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.JdbiException;
import org.jdbi.v3.core.statement.PreparedBatch;

/**
 * {@link TotpRepository} in {@code totp} and {@code totp_recovery_codes}: the secret is encrypted with the
 * {@link SecretCipher} under {@code totp:<user>:secret}, so a row copied to another user does not decrypt.
 * {@link #advance} is one conditional {@code UPDATE}, so one code wins once across every node.
 */
final class JdbcTotpRepository implements TotpRepository {
    private final Jdbi jdbi;
    private final Dialect dialect;
    private final SecretCipher cipher;

    JdbcTotpRepository(Jdbi jdbi, Dialect dialect, SecretCipher cipher) {
        this.jdbi = jdbi;
        this.dialect = dialect;
        this.cipher = Objects.requireNonNull(cipher, "cipher");
    }

    private static String context(UserId user) {
        return "totp:" + user.value() + ":secret";
    }

    @Override
    public Optional<Stored> find(UserId user) {
        return jdbi.withHandle(h -> h.createQuery("SELECT secret_ciphertext, confirmed, last_step FROM totp WHERE"
                        + " user_id = :user")
                .bind("user", user.value())
                .map((rs, ctx) -> {
                    long last = rs.getLong("last_step");
                    boolean none = rs.wasNull();
                    return new Stored(user, cipher.decrypt(rs.getString("secret_ciphertext"), context(user)),
                            rs.getInt("confirmed") == 1, none ? Long.MIN_VALUE : last);
                })
                .findOne());
    }

    @Override
    public boolean begin(UserId user, String secret) {
        String ciphertext = cipher.encrypt(secret, context(user));
        try {
            return jdbi.inTransaction(h -> {
                Optional<Integer> confirmed = h.createQuery("SELECT confirmed FROM totp WHERE user_id = :user")
                        .bind("user", user.value()).mapTo(Integer.class).findOne();
                if (confirmed.isPresent() && confirmed.get() == 1) {
                    return false;
                }
                h.createUpdate("DELETE FROM totp WHERE user_id = :user").bind("user", user.value()).execute();
                h.createUpdate("INSERT INTO totp (user_id, secret_ciphertext, confirmed, last_step) VALUES (:user,"
                                + " :secret, 0, NULL)")
                        .bind("user", user.value()).bind("secret", ciphertext).execute();
                return true;
            });
        } catch (JdbiException e) {
            if (dialect.violation(e) == Dialect.Violation.FOREIGN_KEY) {
                throw new IllegalStateException("no user " + user + " to enroll", e);
            }
            throw e;
        }
    }

    @Override
    public boolean confirm(UserId user, long step, List<String> recoveryCodeHashes) {
        return jdbi.inTransaction(h -> {
            int changed = h.createUpdate("UPDATE totp SET confirmed = 1, last_step = :step WHERE user_id = :user"
                            + " AND confirmed = 0")
                    .bind("step", step).bind("user", user.value()).execute();
            if (changed != 1) {
                return false;
            }
            h.createUpdate("DELETE FROM totp_recovery_codes WHERE user_id = :user").bind("user", user.value())
                    .execute();
            PreparedBatch batch = h.prepareBatch("INSERT INTO totp_recovery_codes (user_id, code_hash) VALUES"
                    + " (:user, :hash)");
            for (String hash : recoveryCodeHashes) {
                batch.bind("user", user.value()).bind("hash", hash).add();
            }
            if (!recoveryCodeHashes.isEmpty()) {
                batch.execute();
            }
            return true;
        });
    }

    @Override
    public boolean advance(UserId user, long step) {
        return jdbi.withHandle(h -> h.createUpdate("UPDATE totp SET last_step = :step WHERE user_id = :user AND"
                        + " confirmed = 1 AND (last_step IS NULL OR last_step < :step)")
                .bind("step", step).bind("user", user.value()).execute()) == 1;
    }

    @Override
    public boolean useRecoveryCode(UserId user, String codeHash) {
        return jdbi.withHandle(h -> h.createUpdate("DELETE FROM totp_recovery_codes WHERE user_id = :user AND"
                        + " code_hash = :hash")
                .bind("user", user.value()).bind("hash", codeHash).execute()) == 1;
    }

    @Override
    public int recoveryCodesLeft(UserId user) {
        return jdbi.withHandle(h -> h.createQuery("SELECT COUNT(*) FROM totp_recovery_codes WHERE user_id = :user")
                .bind("user", user.value()).mapTo(Integer.class).one());
    }

    @Override
    public boolean delete(UserId user) {
        return jdbi.inTransaction(h -> {
            h.createUpdate("DELETE FROM totp_recovery_codes WHERE user_id = :user").bind("user", user.value())
                    .execute();
            return h.createUpdate("DELETE FROM totp WHERE user_id = :user").bind("user", user.value()).execute()
                    == 1;
        });
    }
}
