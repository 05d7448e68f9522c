package dev.parley.server.store;

import dev.parley.pbx.PbxPorts;
import dev.parley.pbx.account.AccountFlowRepository;
import dev.parley.pbx.account.ApiTokenRepository;
import dev.parley.pbx.account.TotpRepository;
import dev.parley.pbx.account.WebSessionRepository;
import dev.parley.pbx.cdr.BatchingCallRecords;
import dev.parley.pbx.cdr.CallRecordRepository;
import dev.parley.pbx.contacts.ContactRepository;
import dev.parley.pbx.directory.DeviceRepository;
import dev.parley.pbx.directory.DirectoryCache;
import dev.parley.pbx.directory.ExtensionRepository;
import dev.parley.pbx.directory.UserRepository;
import dev.parley.pbx.directory.WebPasswordRepository;
import dev.parley.pbx.registrar.BindingRepository;
import dev.parley.pbx.settings.UserSettingsService;
import dev.parley.server.config.ConfigException;
import dev.parley.store.Store;
import dev.parley.store.StoreException;
import java.time.Clock;
import java.time.Duration;

/**
 * The store the jar uses: {@code parley-store}'s {@link Store} on {@code database.url}.
 *
 * <p>The PBX's ports ({@link Repositories#pbxPorts()}) put two layers in front of it that keep the database off the
 * call path:
 * <ul>
 *   <li>users, extensions and devices are read from a {@link DirectoryCache}, which reads the store's
 *       {@linkplain Store#directoryVersion() directory version} at most every {@link #DIRECTORY_CHECK_INTERVAL}: a
 *       change made by the CLI next to a running server reaches its calls and REGISTERs within about that;</li>
 *   <li>CDRs go through {@link BatchingCallRecords}: queued, written in batches by one thread, and what is queued is
 *       written by {@link Repositories#close()} before the store closes (a crash loses the records still
 *       queued, never part of one).</li>
 * </ul>
 * {@link Repositories#users()} and the other getters stay exact reads of the database, for the management
 * commands.
 */
public final class Stores {
    /** How stale the PBX's copy of the directory may get before the database's version is read again. */
    public static final Duration DIRECTORY_CHECK_INTERVAL = Duration.ofMillis(500);

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
            AccountFlowRepository accountFlows = store.accountFlows();
            TotpRepository totp = store.totp(cipher);
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
                public WebSessionRepository webSessions() {
                    return store.webSessions();
                }

                @Override
                public ApiTokenRepository apiTokens() {
                    return store.apiTokens();
                }

                @Override
                public AccountFlowRepository accountFlows() {
                    return accountFlows;
                }

                @Override
                public TotpRepository totp() {
                    return totp;
                }

                private final UserSettingsService settings = new UserSettingsService(store.userSettings(),
                        Clock.systemUTC());

                @Override
                public UserSettingsService settings() {
                    return settings;
                }

                @Override
                public ContactRepository contacts() {
                    return store.contacts();
                }

                private BatchingCallRecords batchingCallRecords;
                private volatile DirectoryCache directory;

                @Override
                public synchronized PbxPorts pbxPorts() {
                    if (batchingCallRecords != null) {
                        throw new IllegalStateException("the PBX ports of a store are made once");
                    }
                    directory = new DirectoryCache(store.users(), store.extensions(), devices,
                            store.directoryVersion(), Clock.systemUTC(), DIRECTORY_CHECK_INTERVAL);
                    batchingCallRecords = new BatchingCallRecords(store.callRecords());
                    return new PbxPorts(directory.users(), directory.extensions(), directory.devices(),
                            store.bindings(), batchingCallRecords, settings, directory);
                }

                @Override
                public void directoryChanged() {
                    DirectoryCache d = directory;
                    if (d != null) {
                        d.invalidate();
                    }
                }

                @Override
                public synchronized void close() {
                    try {
                        if (batchingCallRecords != null) {
                            batchingCallRecords.close(); // writes the queued CDRs while the database is open
                        }
                    } finally {
                        store.close();
                    }
                }
            };
        };
    }
}
