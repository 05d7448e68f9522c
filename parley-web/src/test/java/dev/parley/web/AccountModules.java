package dev.parley.web;

import dev.parley.pbx.account.AccountFlows;
import dev.parley.pbx.account.HashingGate;
import dev.parley.pbx.account.LoginThrottle;
import dev.parley.pbx.account.SecondFactor;
import dev.parley.pbx.account.WebLogin;
import dev.parley.pbx.account.memory.InMemoryAccountFlowRepository;
import dev.parley.pbx.account.memory.InMemoryApiTokenRepository;
import dev.parley.pbx.account.memory.InMemoryTotpRepository;
import dev.parley.pbx.account.memory.InMemoryWebSessionRepository;
import dev.parley.pbx.directory.memory.InMemoryDeviceRepository;
import dev.parley.pbx.directory.memory.InMemoryExtensionRepository;
import dev.parley.pbx.directory.UserRepository;
import dev.parley.pbx.directory.WebPasswordRepository;
import dev.parley.web.api.AccountFlowApi;
import dev.parley.web.api.TotpApi;
import java.time.Duration;
import java.time.InstantSource;

/** The account flow and TOTP modules over in-memory ports, for the tests that walk or describe the whole table. */
final class AccountModules {
    private AccountModules() {
    }

    /** {@code accounts} with {@link AccountFlowApi} and {@link TotpApi}; mail is dropped. */
    static WebAccounts with(WebAccounts accounts, UserRepository users, WebPasswordRepository passwords) {
        InstantSource clock = InstantSource.system();
        HashingGate gate = new HashingGate(2, Duration.ofSeconds(5));
        LoginThrottle throttle = new LoginThrottle(LoginThrottle.Settings.defaults(), clock);
        InMemoryTotpRepository totp = new InMemoryTotpRepository();
        SecondFactor factor = new SecondFactor(totp, clock, false, "Parley");
        AccountFlows flows = new AccountFlows(users, new InMemoryAccountFlowRepository(users, passwords,
                new InMemoryWebSessionRepository(), new InMemoryApiTokenRepository(),
                new InMemoryExtensionRepository(), new InMemoryDeviceRepository(), totp),
                new WebLogin(users, passwords, gate, throttle), gate, m -> { }, Runnable::run,
                () -> "https://127.0.0.1/", clock);
        return accounts.withSecondFactor(factor).withModule(new AccountFlowApi(flows, throttle))
                .withModule(new TotpApi(factor, throttle));
    }
}
