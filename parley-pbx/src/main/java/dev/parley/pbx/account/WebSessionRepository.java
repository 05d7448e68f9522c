package dev.parley.pbx.account;

import dev.parley.pbx.directory.UserId;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Port: where web sessions are kept, so that they survive a restart, are shared by every node on one database and
 * end on the server at sign-out. Implemented by {@code parley-store} (JDBC; a session row goes when its user does)
 * and by {@link dev.parley.pbx.account.memory.InMemoryWebSessionRepository}. Thread-safe; calls may block.
 *
 * <p>Only a hash of the session id is stored ({@link Stored#idHash()}, computed by the caller): someone who reads
 * the database does not get cookies that sign in.
 */
public interface WebSessionRepository {

    /**
     * One session.
     *
     * @param idHash the hash of the cookie's session id (unique)
     * @param csrfToken the session's CSRF token (useless without the cookie, so kept as is)
     */
    record Stored(String idHash, UserId user, String csrfToken, Instant created, Instant lastSeen) {
        public Stored {
            Objects.requireNonNull(idHash, "idHash");
            Objects.requireNonNull(user, "user");
            Objects.requireNonNull(csrfToken, "csrfToken");
            Objects.requireNonNull(created, "created");
            Objects.requireNonNull(lastSeen, "lastSeen");
        }

        @Override
        public String toString() {
            return "Stored[user=" + user + ", created=" + created + ", lastSeen=" + lastSeen + "]";
        }
    }

    void insert(Stored session);

    Optional<Stored> find(String idHash);

    /** Records a use; no effect when the session is gone. */
    void touch(String idHash, Instant lastSeen);

    /** True if there was such a session. */
    boolean delete(String idHash);

    /** Ends every session of {@code user} except {@code keepIdHash} (null: all of them). */
    void deleteAllOf(UserId user, String keepIdHash);

    /** Removes the sessions last seen at or before {@code cutoff}; how many. */
    int deleteLastSeenUpTo(Instant cutoff);

    /** The user's sessions, least recently seen first. */
    List<Stored> findByUser(UserId user);

    /** How many sessions there are. */
    int count();

    /** Removes the least recently seen session of all; true if there was one. */
    boolean deleteLeastRecentlySeen();
}
