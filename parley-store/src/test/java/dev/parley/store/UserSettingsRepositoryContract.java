package dev.parley.store;

import static dev.parley.store.Fixtures.user;
import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.pbx.directory.User;
import dev.parley.pbx.settings.UserSettings;
import dev.parley.pbx.settings.UserSettingsRepository;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What every {@link UserSettingsRepository} does: in memory, on SQLite, on PostgreSQL. */
abstract class UserSettingsRepositoryContract {
    private UserSettingsRepository settings;
    private User alice;
    private User bob;

    protected abstract SettingsRepositories repositories();

    @BeforeEach
    void setUp() {
        SettingsRepositories r = repositories();
        settings = r.settings();
        alice = user("alice");
        bob = user("bob");
        r.users().save(alice);
        r.users().save(bob);
    }

    @Test
    void nothingSavedIsEmpty() {
        assertThat(settings.find(alice.id())).isEmpty();
    }

    @Test
    void everyFieldRoundTripsIncludingLongDeviceIdsAndNulls() {
        String longId = "d".repeat(UserSettings.Devices.MAX_LENGTH - 1) + "ü";
        UserSettings s = new UserSettings(true, false, true,
                new UserSettings.Devices(longId, null, "default", "Cam ✓ 'quoted' \"x\""));
        settings.save(alice.id(), s);
        assertThat(settings.find(alice.id())).contains(s);
        assertThat(settings.find(bob.id())).isEmpty();
    }

    @Test
    void saveReplacesEverything() {
        settings.save(alice.id(), new UserSettings(true, false, true, new UserSettings.Devices("m", "s", "r", "c")));
        settings.save(alice.id(), UserSettings.DEFAULTS);
        assertThat(settings.find(alice.id())).contains(UserSettings.DEFAULTS);
    }

    @Test
    void usersAreApart() {
        UserSettings a = new UserSettings(true, true, false, UserSettings.Devices.NONE);
        UserSettings b = new UserSettings(false, false, true, UserSettings.Devices.NONE);
        settings.save(alice.id(), a);
        settings.save(bob.id(), b);
        assertThat(settings.find(alice.id())).contains(a);
        assertThat(settings.find(bob.id())).contains(b);
    }
}
