package dev.parley.store;

import dev.parley.pbx.account.ApiTokenRepository;
import dev.parley.pbx.account.WebSessionRepository;
import dev.parley.pbx.account.memory.InMemoryApiTokenRepository;
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
import dev.parley.pbx.registrar.BindingRepository;
import dev.parley.pbx.registrar.memory.InMemoryBindingRepository;

/** One set of the ports, from one backend, empty at the start of each test. */
record Repositories(UserRepository users, ExtensionRepository extensions, DeviceRepository devices,
        BindingRepository bindings, CallRecordRepository callRecords, WebPasswordRepository webPasswords,
        WebSessionRepository webSessions, ApiTokenRepository apiTokens) {

    static Repositories inMemory() {
        return new Repositories(new InMemoryUserRepository(), new InMemoryExtensionRepository(),
                new InMemoryDeviceRepository(), new InMemoryBindingRepository(), new InMemoryCallRecordRepository(),
                new InMemoryWebPasswordRepository(), new InMemoryWebSessionRepository(),
                new InMemoryApiTokenRepository());
    }

    static Repositories of(Store store) {
        return new Repositories(store.users(), store.extensions(), store.devices(Fixtures.CIPHER), store.bindings(),
                store.callRecords(), store.webPasswords(), store.webSessions(), store.apiTokens());
    }
}
