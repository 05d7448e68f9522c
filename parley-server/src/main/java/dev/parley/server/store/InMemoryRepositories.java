package dev.parley.server.store;

import dev.parley.pbx.account.AccountFlowRepository;
import dev.parley.pbx.account.ApiTokenRepository;
import dev.parley.pbx.account.TotpRepository;
import dev.parley.pbx.account.memory.InMemoryAccountFlowRepository;
import dev.parley.pbx.account.memory.InMemoryTotpRepository;
import dev.parley.pbx.account.WebSessionRepository;
import dev.parley.pbx.account.memory.InMemoryApiTokenRepository;
import dev.parley.pbx.account.memory.InMemoryWebSessionRepository;
import dev.parley.pbx.cdr.CallRecordRepository;
import dev.parley.pbx.cdr.InMemoryCallRecordRepository;
import dev.parley.pbx.contacts.ContactRepository;
import dev.parley.pbx.contacts.memory.InMemoryContactRepository;
import dev.parley.pbx.directory.DeviceRepository;
import dev.parley.pbx.directory.ExtensionRepository;
import dev.parley.pbx.directory.UserRepository;
import dev.parley.pbx.directory.WebPasswordRepository;
import dev.parley.pbx.directory.memory.InMemoryDeviceRepository;
import dev.parley.pbx.directory.memory.InMemoryExtensionRepository;
import dev.parley.pbx.directory.memory.InMemoryUserRepository;
import dev.parley.pbx.directory.memory.InMemoryWebPasswordRepository;
import dev.parley.pbx.registrar.BindingRepository;
import dev.parley.pbx.registrar.memory.InMemoryBindingRepository;
import dev.parley.pbx.settings.UserSettingsService;

/** {@link Repositories} in memory: for tests, and for trying Parley without a database. */
public final class InMemoryRepositories implements Repositories {
    private final UserRepository users = new InMemoryUserRepository();
    private final ExtensionRepository extensions = new InMemoryExtensionRepository();
    private final DeviceRepository devices = new InMemoryDeviceRepository();
    private final BindingRepository bindings = new InMemoryBindingRepository();
    private final CallRecordRepository callRecords = new InMemoryCallRecordRepository();
    private final WebPasswordRepository webPasswords = new InMemoryWebPasswordRepository();
    private final WebSessionRepository webSessions = new InMemoryWebSessionRepository();
    private final ApiTokenRepository apiTokens = new InMemoryApiTokenRepository();
    private final TotpRepository totp = new InMemoryTotpRepository();
    private final AccountFlowRepository accountFlows = new InMemoryAccountFlowRepository(users, webPasswords,
            webSessions, apiTokens, extensions, devices, totp);
    private final UserSettingsService settings = UserSettingsService.inMemory();
    private final ContactRepository contacts = new InMemoryContactRepository();
    private volatile boolean closed;

    @Override
    public UserRepository users() {
        return users;
    }

    @Override
    public ExtensionRepository extensions() {
        return extensions;
    }

    @Override
    public DeviceRepository devices() {
        return devices;
    }

    @Override
    public BindingRepository bindings() {
        return bindings;
    }

    @Override
    public CallRecordRepository callRecords() {
        return callRecords;
    }

    @Override
    public WebPasswordRepository webPasswords() {
        return webPasswords;
    }

    @Override
    public WebSessionRepository webSessions() {
        return webSessions;
    }

    @Override
    public ApiTokenRepository apiTokens() {
        return apiTokens;
    }

    @Override
    public AccountFlowRepository accountFlows() {
        return accountFlows;
    }

    @Override
    public TotpRepository totp() {
        return totp;
    }

    @Override
    public UserSettingsService settings() {
        return settings;
    }

    @Override
    public ContactRepository contacts() {
        return contacts;
    }

    public boolean isClosed() {
        return closed;
    }

    /** Marks the store closed; the data stays, so a test can open the same store again. */
    @Override
    public void close() {
        closed = true;
    }
}
