package dev.parley.pbx.settings;

import dev.parley.pbx.directory.UserId;
import java.util.Optional;

/**
 * Port: each user's {@link UserSettings}. Implemented by {@code parley-store} (JDBC; a user's settings go with the
 * user) and by {@link dev.parley.pbx.settings.memory.InMemoryUserSettingsRepository}. Thread-safe; calls may
 * block.
 */
public interface UserSettingsRepository {

    /** The user's settings, or empty when they never saved any (they have {@link UserSettings#DEFAULTS}). */
    Optional<UserSettings> find(UserId user);

    /**
     * Replaces the user's settings (all of them).
     *
     * @throws IllegalStateException when the user does not exist (the JDBC store checks; memory cannot)
     */
    void save(UserId user, UserSettings settings);
}
