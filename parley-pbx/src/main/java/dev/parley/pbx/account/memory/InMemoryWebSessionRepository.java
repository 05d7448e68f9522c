package dev.parley.pbx.account.memory;

import dev.parley.pbx.account.WebSessionRepository;
import dev.parley.pbx.directory.UserId;
import java.time.Instant;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** {@link WebSessionRepository} in a map. Unlike the JDBC store it cannot check that the user exists. */
public final class InMemoryWebSessionRepository implements WebSessionRepository {
    private static final Comparator<Stored> BY_LAST_SEEN =
            Comparator.comparing(Stored::lastSeen).thenComparing(Stored::idHash);
    private final Map<String, Stored> sessions = new HashMap<>();

    @Override
    public synchronized void insert(Stored session) {
        if (sessions.putIfAbsent(session.idHash(), session) != null) {
            throw new IllegalStateException("a session with that id exists");
        }
    }

    @Override
    public synchronized Optional<Stored> find(String idHash) {
        return Optional.ofNullable(sessions.get(idHash));
    }

    @Override
    public synchronized void touch(String idHash, Instant lastSeen) {
        sessions.computeIfPresent(idHash, (k, s) -> new Stored(k, s.user(), s.csrfToken(), s.created(), lastSeen));
    }

    @Override
    public synchronized boolean delete(String idHash) {
        return sessions.remove(idHash) != null;
    }

    @Override
    public synchronized void deleteAllOf(UserId user, String keepIdHash) {
        sessions.values().removeIf(s -> s.user().equals(user) && !s.idHash().equals(keepIdHash));
    }

    @Override
    public synchronized int deleteLastSeenUpTo(Instant cutoff) {
        int before = sessions.size();
        sessions.values().removeIf(s -> !s.lastSeen().isAfter(cutoff));
        return before - sessions.size();
    }

    @Override
    public synchronized List<Stored> findByUser(UserId user) {
        return sessions.values().stream().filter(s -> s.user().equals(user)).sorted(BY_LAST_SEEN).toList();
    }

    @Override
    public synchronized int count() {
        return sessions.size();
    }

    @Override
    public synchronized boolean deleteLeastRecentlySeen() {
        return sessions.values().stream().min(BY_LAST_SEEN).map(s -> sessions.remove(s.idHash()) != null)
                .orElse(false);
    }
}
