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
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

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
 *
 * <p>{@link Listener}s hear of every session that ends, by its {@linkplain #keyOf key}: sign-out, idle expiry,
 * eviction, the end of a user's other sessions after a password change; what ended without being named (a bulk
 * sweep, the global eviction, another node) is found by {@link #sweep()} checking the sessions each listener holds.
 */
public final class SessionStore {
    private static final Logger LOG = LoggerFactory.getLogger(SessionStore.class);
    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();

    /** Hears when sessions end, so that what hangs on a session (a browser phone's SIP credentials) ends too. */
    public interface Listener {
        /**
         * The session with this {@linkplain #keyOf key} has ended. Runs on the thread that ended it (a request or the
         * sweep timer), after the fact; may block briefly.
         */
        void onSessionEnded(String sessionKey);

        /** The keys of the sessions something is held for: {@link #sweep()} reports those that are gone. */
        default Set<String> sessionsHeld() {
            return Set.of();
        }
    }

    private final List<Listener> listeners = new CopyOnWriteArrayList<>();

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

    /** From now on {@code listener} hears of every session that ends. */
    public void addListener(Listener listener) {
        listeners.add(Objects.requireNonNull(listener, "listener"));
    }

    /** The key a session is known by to listeners and in the repository: the SHA-256 of its id, not the id. */
    public static String keyOf(Session session) {
        return hash(session.id());
    }

    /** A new session for {@code user}, with a new id and CSRF token; may push out the least recently used. */
    public synchronized Session create(UserId user) {
        Instant now = clock.instant();
        removeIdle();
        List<WebSessionRepository.Stored> mine = repository.findByUser(user);
        for (int i = 0; i <= mine.size() - maxPerUser; i++) {
            if (repository.delete(mine.get(i).idHash())) {
                ended(mine.get(i).idHash());
            }
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
            if (repository.delete(idHash)) {
                ended(idHash);
            }
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
        if (id == null || id.isEmpty() || id.length() > 64) {
            return false;
        }
        String idHash = hash(id);
        boolean deleted = repository.delete(idHash);
        if (deleted) {
            ended(idHash);
        }
        return deleted;
    }

    /** Ends every session of {@code user}, e.g. when the user is deleted. */
    public void deleteAllOf(UserId user) {
        List<WebSessionRepository.Stored> ending = repository.findByUser(user);
        repository.deleteAllOf(user, null);
        ending.forEach(s -> ended(s.idHash()));
    }

    /** Ends every session of {@code user} but {@code keep} (after a password change: other browsers sign in again). */
    public void deleteOthersOf(UserId user, String keep) {
        String keepHash = hash(keep);
        List<WebSessionRepository.Stored> ending = repository.findByUser(user);
        repository.deleteAllOf(user, keepHash);
        ending.stream().filter(s -> !s.idHash().equals(keepHash)).forEach(s -> ended(s.idHash()));
    }

    /**
     * Removes the sessions idle for too long, then tells each listener which of the sessions it holds are gone
     * (idle, evicted, or ended by another node); the web server calls it every minute.
     */
    public void sweep() {
        removeIdle();
        Instant cutoff = clock.instant().minus(idleTimeout);
        for (Listener l : listeners) {
            for (String key : l.sessionsHeld()) {
                Optional<WebSessionRepository.Stored> s = repository.find(key);
                if (s.isEmpty() || !s.get().lastSeen().isAfter(cutoff)) {
                    tell(l, key);
                }
            }
        }
    }

    private void removeIdle() {
        repository.deleteLastSeenUpTo(clock.instant().minus(idleTimeout));
    }

    private void ended(String idHash) {
        for (Listener l : listeners) {
            tell(l, idHash);
        }
    }

    private static void tell(Listener l, String idHash) {
        try {
            l.onSessionEnded(idHash);
        } catch (RuntimeException e) {
            LOG.warn("a listener failed on the end of a web session: {}", e.toString());
        }
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
