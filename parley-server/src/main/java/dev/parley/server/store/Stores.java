package dev.parley.server.store;

import dev.parley.pbx.cdr.CallRecordRepository;
import dev.parley.pbx.directory.DeviceRepository;
import dev.parley.pbx.directory.ExtensionRepository;
import dev.parley.pbx.directory.UserRepository;
import dev.parley.pbx.directory.WebPasswordRepository;
import dev.parley.pbx.registrar.BindingRepository;
import dev.parley.server.config.ConfigException;
import dev.parley.store.Store;
import dev.parley.store.StoreException;

/** The store the jar uses: {@code parley-store}'s {@link Store} on {@code database.url}. */
public final class Stores {
    private Stores() {
    }

    /**
     * Opens (and migrates) the database of {@link dev.parley.server.config.ParleyConfig#databaseUrl()}; a database
     * that cannot be opened is a {@link ConfigException} whose message names {@code database.url} (the store's own
     * message, which never shows a password).
     */
    public static StoreOpener production() {
        return (config, cipher) -> {
            Store store;
            try {
                store = Store.open(config.databaseUrl(), config.database().user(), config.database().password());
            } catch (StoreException | IllegalArgumentException e) {
                throw new ConfigException(e.getMessage(), e);
            }
            DeviceRepository devices = store.devices(cipher);
            return new Repositories() {
                @Override
                public UserRepository users() {
                    return store.users();
                }

                @Override
                public ExtensionRepository extensions() {
                    return store.extensions();
                }

                @Override
                public DeviceRepository devices() {
                    return devices;
                }

                @Override
                public BindingRepository bindings() {
                    return store.bindings();
                }

                @Override
                public CallRecordRepository callRecords() {
                    return store.callRecords();
                }

                @Override
                public WebPasswordRepository webPasswords() {
                    return store.webPasswords();
                }

                @Override
                public void close() {
                    store.close();
                }
            };
        };
    }
}
