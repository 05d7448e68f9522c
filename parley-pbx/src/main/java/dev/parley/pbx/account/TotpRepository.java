package dev.parley.pbx.account;

import dev.parley.pbx.directory.UserId;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Port: each user's TOTP secret (RFC 6238) and recovery codes. Implemented by {@code parley-store} (JDBC; the
 * secret encrypted with {@link dev.parley.pbx.security.SecretCipher} under the context {@code totp:<user>:secret},
 * rows go with their user) and by {@link dev.parley.pbx.account.memory.InMemoryTotpRepository}. Thread-safe; calls
 * may block.
 *
 * <p>Recovery codes are kept as hashes only ({@link SecondFactor} computes them); the secret must be kept
 * readable (the server computes codes from it), hence encrypted rather than hashed.
 */
public interface TotpRepository {

    /**
     * A user's authenticator.
     *
     * @param secret the base32 secret, in clear (the store encrypts it)
     * @param confirmed false while enrolling (the user has not yet typed a code of it)
     * @param lastStep the last time step accepted, or {@code Long.MIN_VALUE} when none was
     */
    record Stored(UserId user, String secret, boolean confirmed, long lastStep) {
        public Stored {
            Objects.requireNonNull(user, "user");
            Objects.requireNonNull(secret, "secret");
        }

        @Override
        public String toString() {
            return "Stored[user=" + user + ", confirmed=" + confirmed + ", lastStep=" + lastStep + "]";
        }
    }

    Optional<Stored> find(UserId user);

    /**
     * Starts (or restarts) an enrollment with a new secret. Returns false, changing nothing, when the user already
     * has a confirmed one.
     *
     * @throws IllegalStateException when the user does not exist (JDBC)
     */
    boolean begin(UserId user, String secret);

    /**
     * Confirms a pending enrollment with the step of the code the user typed, replacing the recovery codes by
     * {@code recoveryCodeHashes}, in one transaction. False when there is no pending enrollment.
     */
    boolean confirm(UserId user, long step, List<String> recoveryCodeHashes);

    /**
     * Records {@code step} as used if it is later than the last one (atomically, so two requests with one code
     * cannot both win, on any node). False when it is not later, or the user has no confirmed secret.
     */
    boolean advance(UserId user, long step);

    /** Uses up one recovery code; false when the user has no such unused code. */
    boolean useRecoveryCode(UserId user, String codeHash);

    /** How many unused recovery codes the user has. */
    int recoveryCodesLeft(UserId user);

    /** Removes the secret and the recovery codes; true if there was a secret. */
    boolean delete(UserId user);
}
