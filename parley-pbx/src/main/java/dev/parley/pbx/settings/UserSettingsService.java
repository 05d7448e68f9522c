package dev.parley.pbx.settings;

import dev.parley.pbx.directory.UserId;
import dev.parley.pbx.settings.memory.InMemoryUserSettingsRepository;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Users' settings for the PBX and the API: reads go through a cache, so an INVITE to a user does not read the
 * database; {@link #update} writes through, refreshes the cache at once and tells the listeners.
 *
 * <p>A cached entry is trusted for {@code cacheLifetime} ({@link #DEFAULT_CACHE_LIFETIME}): a change made through
 * this service applies to the very next call, a change written by another node on the same database within that
 * time. At most {@link #MAX_CACHED} entries; past that the cache starts again empty (one read per user).
 *
 * <p>Thread-safe. {@link #of} and {@link #update} may block (the repository): call them off the SIP lanes and
 * event loops. Listeners run on the thread that called {@link #update}; one that throws is logged and skipped.
 */
public final class UserSettingsService {
    public static final Duration DEFAULT_CACHE_LIFETIME = Duration.ofSeconds(5);
    static final int MAX_CACHED = 100_000;
    private static final Logger LOG = LoggerFactory.getLogger(UserSettingsService.class);

    /** Told about every change made through {@link #update}, e.g. the live event stream of the browser phone. */
    @FunctionalInterface
    public interface Listener {
        void onSettingsChanged(UserId user, UserSettings settings);
    }

    private record Cached(UserSettings settings, Instant loadedAt) {
    }

    private final UserSettingsRepository repository;
    private final InstantSource clock;
    private final Duration cacheLifetime;
    private final ConcurrentHashMap<UserId, Cached> cache = new ConcurrentHashMap<>();
    private final List<Listener> listeners = new CopyOnWriteArrayList<>();

    public UserSettingsService(UserSettingsRepository repository, InstantSource clock, Duration cacheLifetime) {
        this.repository = Objects.requireNonNull(repository, "repository");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.cacheLifetime = Objects.requireNonNull(cacheLifetime, "cacheLifetime");
        if (cacheLifetime.isNegative()) {
            throw new IllegalArgumentException("cacheLifetime must not be negative");
        }
    }

    public UserSettingsService(UserSettingsRepository repository, InstantSource clock) {
        this(repository, clock, DEFAULT_CACHE_LIFETIME);
    }

    /** Settings kept in memory only: tests, and a PBX built without a store. */
    public static UserSettingsService inMemory() {
        return new UserSettingsService(new InMemoryUserSettingsRepository(), InstantSource.system());
    }

    public UserSettingsRepository repository() {
        return repository;
    }

    /** The user's settings ({@link UserSettings#DEFAULTS} when they saved none), from the cache when fresh. */
    public UserSettings of(UserId user) {
        Instant now = clock.instant();
        Cached c = cache.get(user);
        if (c != null && now.isBefore(c.loadedAt().plus(cacheLifetime))) {
            return c.settings();
        }
        UserSettings s = repository.find(user).orElse(UserSettings.DEFAULTS);
        remember(user, s, now);
        return s;
    }

    /**
     * What {@link #of} returns, if the cache holds it fresh; otherwise {@code null} (reading it would block), and
     * nothing is read. For a SIP lane, which must not block.
     */
    public UserSettings cachedOf(UserId user) {
        Cached c = cache.get(user);
        return c != null && clock.instant().isBefore(c.loadedAt().plus(cacheLifetime)) ? c.settings() : null;
    }

    /**
     * Stores {@code settings} as the user's (all of them), refreshes the cache and tells the listeners.
     *
     * @throws IllegalStateException when the user does not exist
     */
    public UserSettings update(UserId user, UserSettings settings) {
        Objects.requireNonNull(settings, "settings");
        repository.save(user, settings);
        remember(user, settings, clock.instant());
        for (Listener l : listeners) {
            try {
                l.onSettingsChanged(user, settings);
            } catch (RuntimeException e) {
                LOG.warn("a settings listener failed: {}", e.toString());
            }
        }
        return settings;
    }

    /** Forgets the cached settings of {@code user} (e.g. the user was deleted). */
    public void invalidate(UserId user) {
        cache.remove(user);
    }

    public void addListener(Listener listener) {
        listeners.add(Objects.requireNonNull(listener, "listener"));
    }

    public void removeListener(Listener listener) {
        listeners.remove(listener);
    }

    private void remember(UserId user, UserSettings settings, Instant at) {
        if (cache.size() >= MAX_CACHED && !cache.containsKey(user)) {
            cache.clear();
        }
        cache.put(user, new Cached(settings, at));
    }
}
