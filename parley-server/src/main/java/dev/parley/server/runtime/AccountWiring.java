package dev.parley.server.runtime;

import dev.parley.pbx.account.AccountFlows;
import dev.parley.pbx.account.HashingGate;
import dev.parley.pbx.account.LoginThrottle;
import dev.parley.pbx.account.Mailer;
import dev.parley.pbx.account.SecondFactor;
import dev.parley.pbx.account.WebLogin;
import dev.parley.server.config.ParleyConfig;
import dev.parley.server.mail.LogMailer;
import dev.parley.server.mail.SmtpMailer;
import dev.parley.server.store.Repositories;
import dev.parley.web.WebAccounts;
import dev.parley.web.api.AccountFlowApi;
import dev.parley.web.api.TotpApi;
import java.time.InstantSource;
import java.util.concurrent.Executor;
import java.util.function.Supplier;

/**
 * The account flows and TOTP for the web server: the mailer chosen by {@code mail.smtp-host}, {@link AccountFlows}
 * with its own {@link LoginThrottle} (the sign-in limits, counted apart from sign-ins), {@link SecondFactor} with
 * {@code web.require-totp-for-admins}, and their API modules.
 */
final class AccountWiring {
    private AccountWiring() {
    }

    /** The mailer {@code config} asks for: SMTP when {@code mail.smtp-host} is set, else the log. */
    static Mailer mailer(ParleyConfig config) {
        return config.mail().smtpHost() == null ? new LogMailer()
                : new SmtpMailer(config.mail(), config.mailFrom());
    }

    /**
     * {@code accounts} with sign-up, password reset, email change, account closure and TOTP.
     *
     * @param baseUrl the server's HTTPS URL for links, asked when a mail is written
     */
    static WebAccounts withAccountFlows(WebAccounts accounts, ParleyConfig config, Repositories store,
            Supplier<String> baseUrl) {
        InstantSource clock = InstantSource.system();
        SecondFactor factor = new SecondFactor(store.totp(), clock, config.web().requireTotpForAdmins(), "Parley");
        HashingGate gate = accounts.gate();
        LoginThrottle throttle = new LoginThrottle(accounts.throttle(), clock);
        WebLogin passwordCheck = new WebLogin(store.users(), store.webPasswords(), gate, throttle);
        Executor mailThreads = task -> Thread.ofVirtual().name("parley-mail").start(task);
        AccountFlows flows = new AccountFlows(store.users(), store.accountFlows(), passwordCheck, gate,
                mailer(config), mailThreads, baseUrl, clock, store::directoryChanged,
                config.accounts().closedAccountCalls());
        return accounts.withSecondFactor(factor)
                .withModule(new AccountFlowApi(flows, throttle))
                .withModule(new TotpApi(factor, throttle));
    }
}
