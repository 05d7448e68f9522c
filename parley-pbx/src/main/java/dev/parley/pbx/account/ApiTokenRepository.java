package dev.parley.pbx.account;

import dev.parley.pbx.directory.UserId;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Port: personal API tokens (for scripts: {@code Authorization: Bearer parley_…}). Implemented by
 * {@code parley-store} (JDBC; a user's tokens go with the user) and by
 * {@link dev.parley.pbx.account.memory.InMemoryApiTokenRepository}. Thread-safe; calls may block.
 *
 * <p>Only {@link Stored#hash()}, the SHA-256 of the token computed by {@link ApiTokens}, is kept: reading the
 * database gives nothing that authenticates. The token itself is shown once, when it is made.
 */
public interface ApiTokenRepository {

    /**
     * One token.
     *
     * @param id public handle (for listing and revoking; not a secret)
     * @param hash base64url SHA-256 of the whole token string (unique)
     * @param expires null: never
     * @param lastUsed null: never used
     */
    record Stored(String id, String hash, UserId user, String name, Instant created, Instant expires,
            Instant lastUsed) {
        public Stored {
            Objects.requireNonNull(id, "id");
            Objects.requireNonNull(hash, "hash");
            Objects.requireNonNull(user, "user");
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(created, "created");
        }

        public boolean expiredAt(Instant now) {
            return expires != null && !now.isBefore(expires);
        }

        @Override
        public String toString() {
            return "Stored[id=" + id + ", user=" + user + ", name=" + name + ", expires=" + expires + "]";
        }
    }

    /** @throws IllegalStateException when the id or hash exists, or the user does not */
    void insert(Stored token);

    Optional<Stored> findByHash(String hash);

    /** The user's tokens, oldest first. */
    List<Stored> findByUser(UserId user);

    /** Records a use; no effect when the token is gone. */
    void touch(String id, Instant lastUsed);

    /** Revokes the user's token {@code id}; false if the user has no such token (someone else's included). */
    boolean delete(UserId user, String id);
}
