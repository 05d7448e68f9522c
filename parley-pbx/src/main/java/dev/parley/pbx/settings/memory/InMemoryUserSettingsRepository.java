package dev.parley.pbx.settings.memory;

import dev.parley.pbx.directory.UserId;
import dev.parley.pbx.settings.UserSettings;
import dev.parley.pbx.settings.UserSettingsRepository;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** {@link UserSettingsRepository} in a map. Unlike the JDBC store it cannot check that the user exists. */
public final class InMemoryUserSettingsRepository implements UserSettingsRepository {
    private final ConcurrentHashMap<UserId, UserSettings> byUser = new ConcurrentHashMap<>();

    @Override
    public Optional<UserSettings> find(UserId user) {
        return Optional.ofNullable(byUser.get(user));
    }

    @Override
    public void save(UserId user, UserSettings settings) {
        byUser.put(Objects.requireNonNull(user, "user"), Objects.requireNonNull(settings, "settings"));
    }
}
