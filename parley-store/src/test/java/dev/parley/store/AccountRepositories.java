package dev.parley.store;

import dev.parley.pbx.account.AccountFlowRepository;
import dev.parley.pbx.account.ApiTokenRepository;
import dev.parley.pbx.account.TotpRepository;
import dev.parley.pbx.account.WebSessionRepository;
import dev.parley.pbx.account.memory.InMemoryAccountFlowRepository;
import dev.parley.pbx.account.memory.InMemoryApiTokenRepository;
import dev.parley.pbx.account.memory.InMemoryTotpRepository;
import dev.parley.pbx.account.memory.InMemoryWebSessionRepository;
import dev.parley.pbx.cdr.CallRecordRepository;
import dev.parley.pbx.cdr.InMemoryCallRecordRepository;
import dev.parley.pbx.directory.DeviceRepository;
import dev.parley.pbx.directory.ExtensionRepository;
import dev.parley.pbx.directory.UserRepository;
import dev.parley.pbx.directory.WebPasswordRepository;
import dev.parley.pbx.directory.memory.InMemoryDeviceRepository;
import dev.parley.pbx.directory.memory.InMemoryExtensionRepository;
import dev.parley.pbx.directory.memory.InMemoryUserRepository;
import dev.parley.pbx.directory.memory.InMemoryWebPasswordRepository;

/** The ports the account flow and TOTP contracts use, from one backend, empty at the start of each test. */
record AccountRepositories(UserRepository users, ExtensionRepository extensions, DeviceRepository devices,
        WebPasswordRepository webPasswords, WebSessionRepository webSessions, ApiTokenRepository apiTokens,
        CallRecordRepository callRecords, AccountFlowRepository accountFlows, TotpRepository totp) {

    static AccountRepositories inMemory() {
        var users = new InMemoryUserRepository();
        var extensions = new InMemoryExtensionRepository();
        var devices = new InMemoryDeviceRepository();
        var passwords = new InMemoryWebPasswordRepository();
        var sessions = new InMemoryWebSessionRepository();
        var tokens = new InMemoryApiTokenRepository();
        var totp = new InMemoryTotpRepository();
        return new AccountRepositories(users, extensions, devices, passwords, sessions, tokens,
                new InMemoryCallRecordRepository(), new InMemoryAccountFlowRepository(users, passwords, sessions,
                        tokens, extensions, devices, totp), totp);
    }

    static AccountRepositories of(Store store) {
        return new AccountRepositories(store.users(), store.extensions(), store.devices(Fixtures.CIPHER),
                store.webPasswords(), store.webSessions(), store.apiTokens(), store.callRecords(),
                store.accountFlows(), store.totp(Fixtures.CIPHER));
    }
}
