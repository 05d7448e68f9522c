package dev.parley.store;

import dev.parley.pbx.contacts.ContactRepository;
import dev.parley.pbx.contacts.memory.InMemoryContactRepository;
import dev.parley.pbx.directory.UserRepository;
import dev.parley.pbx.directory.memory.InMemoryUserRepository;
import dev.parley.pbx.settings.UserSettingsRepository;
import dev.parley.pbx.settings.memory.InMemoryUserSettingsRepository;

/** The settings and contacts ports with the users they belong to, from one backend. */
record SettingsRepositories(UserRepository users, UserSettingsRepository settings, ContactRepository contacts) {

    static SettingsRepositories inMemory() {
        return new SettingsRepositories(new InMemoryUserRepository(), new InMemoryUserSettingsRepository(),
                new InMemoryContactRepository());
    }

    static SettingsRepositories of(Store store) {
        return new SettingsRepositories(store.users(), store.userSettings(), store.contacts());
    }
}
