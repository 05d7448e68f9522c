package dev.parley.web.session;

import dev.parley.pbx.account.WebSessionRepository;
import dev.parley.pbx.directory.UserId;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Base64;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Server-side web sessions over a {@link WebSessionRepository}: with the database store they survive a restart and
 * every node on the database knows them; sign-out deletes the row.
 *
 * <table>
 *   <caption>Limits</caption>
 *   <tr><th>what</th><th>default</th><th>why</th></tr>
 *   <tr><td>idle expiry</td><td>30 min</td><td>a session unused this long is gone (OWASP Session Management:
 *       15–30 min for most applications)</td></tr>
 *   <tr><td>sessions in all</td><td>10 000</td><td>storage is bounded; when full, the least recently used session
 *       goes</td></tr>
 *   <tr><td>sessions per user</td><td>20</td><td>one account cannot push everyone else out; its own least recently
 *       used session goes</td></tr>
 * </table>
 *
 * <p>Ids and CSRF tokens are 32 bytes from {@link SecureRandom} (256 bits), base64url without padding. The
 * repository sees only the SHA-256 of the id. A use is written back at most once per {@link #touchInterval()}
 * (a minute, or a quarter of the idle timeout if that is shorter), so a busy page does not write on every request;
 * a session may therefore end up to that much before its idle timeout. Thread-safe.
 */
public final class SessionStore {
    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();

    private final WebSessionRepository repository;
    private final Duration idleTimeout;
    private final Duration touchInterval;
    private final int maxSessions;
    private final int maxPerUser;
    private final InstantSource clock;
    private final SecureRandom random = new SecureRandom();

    public SessionStore(WebSessionRepository repository, Duration idleTimeout, int maxSessions, int maxPerUser,
            InstantSource clock) {
        if (!idleTimeout.isPositive() || maxSessions < 1 || maxPerUser < 1) {
            throw new IllegalArgumentException("sessions need a positive idle timeout and limits");
        }
        this.repository = Objects.requireNonNull(repository, "repository");
        this.idleTimeout = idleTimeout;
        Duration quarter = idleTimeout.dividedBy(4);
        this.touchInterval = quarter.compareTo(Duration.ofMinutes(1)) < 0 ? quarter : Duration.ofMinutes(1);
        this.maxSessions = maxSessions;
        this.maxPerUser = maxPerUser;
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    public Duration idleTimeout() {
        return idleTimeout;
    }

    public Duration touchInterval() {
        return touchInterval;
    }

    /** A new session for {@code user}, with a new id and CSRF token; may push out the least recently used. */
    public synchronized Session create(UserId user) {
        Instant now = clock.instant();
        sweep();
        List<WebSessionRepository.Stored> mine = repository.findByUser(user);
        for (int i = 0; i <= mine.size() - maxPerUser; i++) {
            repository.delete(mine.get(i).idHash());
        }
        while (repository.count() >= maxSessions && repository.deleteLeastRecentlySeen()) {
            // the least recently used session of all goes
        }
        String id = token();
        Session s = new Session(id, user, token(), now);
        repository.insert(new WebSessionRepository.Stored(hash(id), user, s.csrfToken(), now, now));
        return s;
    }

    /** The live session with this id, marked as used now; empty (and removed) when it has been idle too long. */
    public Optional<Session> find(String id) {
        if (id == null || id.isEmpty() || id.length() > 64) {
            return Optional.empty();
        }
        String idHash = hash(id);
        Optional<WebSessionRepository.Stored> stored = repository.find(idHash);
        if (stored.isEmpty()) {
            return Optional.empty();
        }
        WebSessionRepository.Stored s = stored.get();
        Instant now = clock.instant();
        if (!s.lastSeen().plus(idleTimeout).isAfter(now)) {
            repository.delete(idHash);
            return Optional.empty();
        }
        if (!s.lastSeen().plus(touchInterval).isAfter(now)) {
            repository.touch(idHash, now);
        }
        Session session = new Session(id, s.user(), s.csrfToken(), s.created());
        session.touch(now);
        return Optional.of(session);
    }

    /** Ends the session (logout); true if it existed. */
    public boolean delete(String id) {
        return id != null && !id.isEmpty() && id.length() <= 64 && repository.delete(hash(id));
    }

    /** Ends every session of {@code user}, e.g. when the user is deleted. */
    public void deleteAllOf(UserId user) {
        repository.deleteAllOf(user, null);
    }

    /** Ends every session of {@code user} but {@code keep} (after a password change: other browsers sign in again). */
    public void deleteOthersOf(UserId user, String keep) {
        repository.deleteAllOf(user, hash(keep));
    }

    /** Removes the sessions idle for too long; the web server calls it every minute. */
    public void sweep() {
        repository.deleteLastSeenUpTo(clock.instant().minus(idleTimeout));
    }

    /** Sessions held now. */
    public int size() {
        return repository.count();
    }

    /** What the repository keeps instead of the id: SHA-256, base64url. */
    static String hash(String id) {
        try {
            return B64.encodeToString(MessageDigest.getInstance("SHA-256").digest(id.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    private String token() {
        byte[] b = new byte[32];
        random.nextBytes(b);
        return B64.encodeToString(b);
    }
}
