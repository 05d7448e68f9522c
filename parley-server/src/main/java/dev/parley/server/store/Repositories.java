package dev.parley.server.store;

import dev.parley.pbx.PbxPorts;
import dev.parley.pbx.account.AccountFlowRepository;
import dev.parley.pbx.account.ApiTokenRepository;
import dev.parley.pbx.account.TotpRepository;
import dev.parley.pbx.account.WebSessionRepository;
import dev.parley.pbx.cdr.CallRecordRepository;
import dev.parley.pbx.contacts.ContactRepository;
import dev.parley.pbx.directory.DeviceRepository;
import dev.parley.pbx.directory.ExtensionRepository;
import dev.parley.pbx.directory.UserRepository;
import dev.parley.pbx.directory.WebPasswordRepository;
import dev.parley.pbx.registrar.BindingRepository;
import dev.parley.pbx.settings.UserSettingsService;

/**
 * The repositories the server and the management commands use, opened together and closed together: the PBX's
 * ports plus the web passwords. The production implementation adapts {@code parley-store} ({@link Stores});
 * {@link InMemoryRepositories} serves tests.
 */
public interface Repositories extends AutoCloseable {

    UserRepository users();

    ExtensionRepository extensions();

    /** Devices; their secrets are encrypted with the cipher the store was opened with. */
    DeviceRepository devices();

    BindingRepository bindings();

    CallRecordRepository callRecords();

    WebPasswordRepository webPasswords();

    /** Web sessions (the web server's sign-ins). */
    WebSessionRepository webSessions();

    /** Personal API tokens (hashes only). */
    ApiTokenRepository apiTokens();

    /** Account flow tokens (hashes only), the sign-up switch, and closing accounts. */
    AccountFlowRepository accountFlows();

    /** TOTP secrets (encrypted with the store's cipher) and recovery code hashes. */
    TotpRepository totp();

    /**
     * Users' settings behind the one cache that the PBX ({@link #pbxPorts()}) and the web API share, so a change
     * made through the API applies to the next call; one instance per store.
     */
    UserSettingsService settings();

    /** Users' contacts with their pictures. */
    ContactRepository contacts();

    /**
     * The ports the PBX runs on. By default these very repositories; the production store answers with its caches
     * in front ({@link Stores}), while {@link #users()} and the others stay exact reads for the management commands.
     * Called once per server.
     */
    default PbxPorts pbxPorts() {
        return new PbxPorts(users(), extensions(), devices(), bindings(), callRecords(), settings());
    }

    /**
     * Tells the PBX's copy of the directory ({@link #pbxPorts()}) that this process changed users, extensions or
     * devices through the getters above, so its next read reloads at once instead of at its next version check (the
     * web API calls this after each write). By default nothing: the ports are these very repositories.
     */
    default void directoryChanged() {
    }

    /** Releases connections; the repositories must not be used afterwards. */
    @Override
    void close();
}
