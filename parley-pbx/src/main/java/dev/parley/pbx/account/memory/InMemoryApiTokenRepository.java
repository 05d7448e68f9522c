package dev.parley.pbx.account.memory;

import dev.parley.pbx.account.ApiTokenRepository;
import dev.parley.pbx.directory.UserId;
import java.time.Instant;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** {@link ApiTokenRepository} in a map. Unlike the JDBC store it cannot check that the user exists. */
public final class InMemoryApiTokenRepository implements ApiTokenRepository {
    private static final Comparator<Stored> OLDEST_FIRST =
            Comparator.comparing(Stored::created).thenComparing(Stored::id);
    private final Map<String, Stored> byId = new LinkedHashMap<>();

    @Override
    public synchronized void insert(Stored token) {
        if (byId.containsKey(token.id()) || byId.values().stream().anyMatch(t -> t.hash().equals(token.hash()))) {
            throw new IllegalStateException("a token with that id or hash exists");
        }
        byId.put(token.id(), token);
    }

    @Override
    public synchronized Optional<Stored> findByHash(String hash) {
        return byId.values().stream().filter(t -> t.hash().equals(hash)).findFirst();
    }

    @Override
    public synchronized List<Stored> findByUser(UserId user) {
        return byId.values().stream().filter(t -> t.user().equals(user)).sorted(OLDEST_FIRST).toList();
    }

    @Override
    public synchronized void touch(String id, Instant lastUsed) {
        byId.computeIfPresent(id, (k, t) -> new Stored(t.id(), t.hash(), t.user(), t.name(), t.created(),
                t.expires(), lastUsed));
    }

    @Override
    public synchronized boolean delete(UserId user, String id) {
        Stored t = byId.get(id);
        if (t == null || !t.user().equals(user)) {
            return false;
        }
        byId.remove(id);
        return true;
    }
}
