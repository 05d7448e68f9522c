package dev.parley.web.session;

import dev.parley.pbx.directory.UserId;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Server-side web sessions, in memory: a restart signs everyone out, and sessions are not shared between nodes
 * (a database-backed store is for later).
 *
 * <table>
 *   <caption>Limits</caption>
 *   <tr><th>what</th><th>default</th><th>why</th></tr>
 *   <tr><td>idle expiry</td><td>30 min</td><td>a session unused this long is gone (OWASP Session Management:
 *       15–30 min for most applications)</td></tr>
 *   <tr><td>sessions in all</td><td>10 000</td><td>memory is bounded; when full, the least recently used session
 *       goes</td></tr>
 *   <tr><td>sessions per user</td><td>20</td><td>one account cannot push everyone else out; its own least recently
 *       used session goes</td></tr>
 * </table>
 *
 * <p>Ids and CSRF tokens are 32 bytes from {@link SecureRandom} (256 bits), base64url without padding. Thread-safe.
 */
public final class SessionStore {
    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();

    private final Map<String, Session> sessions = new ConcurrentHashMap<>();
    private final Duration idleTimeout;
    private final int maxSessions;
    private final int maxPerUser;
    private final InstantSource clock;
    private final SecureRandom random = new SecureRandom();

    public SessionStore(Duration idleTimeout, int maxSessions, int maxPerUser, InstantSource clock) {
        if (!idleTimeout.isPositive() || maxSessions < 1 || maxPerUser < 1) {
            throw new IllegalArgumentException("sessions need a positive idle timeout and limits");
        }
        this.idleTimeout = idleTimeout;
        this.maxSessions = maxSessions;
        this.maxPerUser = maxPerUser;
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    public Duration idleTimeout() {
        return idleTimeout;
    }

    /** A new session for {@code user}, with a new id and CSRF token; may push out the least recently used. */
    public synchronized Session create(UserId user) {
        Instant now = clock.instant();
        sweep();
        List<Session> mine = sessions.values().stream().filter(s -> s.user().equals(user))
                .sorted(Comparator.comparing(Session::lastSeen)).toList();
        for (int i = 0; i <= mine.size() - maxPerUser; i++) {
            sessions.remove(mine.get(i).id());
        }
        while (sessions.size() >= maxSessions) {
            sessions.values().stream().min(Comparator.comparing(Session::lastSeen))
                    .ifPresent(s -> sessions.remove(s.id()));
        }
        Session s = new Session(token(), user, token(), now);
        sessions.put(s.id(), s);
        return s;
    }

    /** The live session with this id, marked as used now; empty (and removed) when it has been idle too long. */
    public Optional<Session> find(String id) {
        if (id == null) {
            return Optional.empty();
        }
        Session s = sessions.get(id);
        if (s == null) {
            return Optional.empty();
        }
        Instant now = clock.instant();
        if (expired(s, now)) {
            sessions.remove(id, s);
            return Optional.empty();
        }
        s.touch(now);
        return Optional.of(s);
    }

    /** Ends the session (logout); true if it existed. */
    public boolean delete(String id) {
        return id != null && sessions.remove(id) != null;
    }

    /** Ends every session of {@code user}, e.g. when the user is deleted or changes the password. */
    public void deleteAllOf(UserId user) {
        sessions.values().removeIf(s -> s.user().equals(user));
    }

    /** Ends every session of {@code user} but {@code keep} (after a password change: other browsers sign in again). */
    public void deleteOthersOf(UserId user, String keep) {
        sessions.values().removeIf(s -> s.user().equals(user) && !s.id().equals(keep));
    }

    /** Removes the sessions idle for too long; the web server calls it every minute. */
    public void sweep() {
        Instant now = clock.instant();
        sessions.values().removeIf(s -> expired(s, now));
    }

    /** Sessions held now. */
    public int size() {
        return sessions.size();
    }

    private boolean expired(Session s, Instant now) {
        return !s.lastSeen().plus(idleTimeout).isAfter(now);
    }

    private String token() {
        byte[] b = new byte[32];
        random.nextBytes(b);
        return B64.encodeToString(b);
    }
}
