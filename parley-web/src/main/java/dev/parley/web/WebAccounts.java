package dev.parley.web;

import dev.parley.pbx.account.ApiTokenRepository;
import dev.parley.pbx.account.HashingGate;
import dev.parley.pbx.account.LoginThrottle;
import dev.parley.pbx.account.SecondFactor;
import dev.parley.pbx.account.WebSessionRepository;
import dev.parley.pbx.account.memory.InMemoryApiTokenRepository;
import dev.parley.pbx.account.memory.InMemoryWebSessionRepository;
import dev.parley.pbx.directory.ExtensionRepository;
import dev.parley.pbx.directory.UserRepository;
import dev.parley.pbx.directory.WebPasswordRepository;
import dev.parley.web.api.ApiModule;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * What the web server needs for sign-in and the API: the directory's repositories and the login settings.
 *
 * <table>
 *   <caption>Settings</caption>
 *   <tr><th>setting</th><th>default</th></tr>
 *   <tr><td>{@code sessionIdleTimeout}</td><td>30 min: a session unused this long is ended on the server</td></tr>
 *   <tr><td>{@code sessions}</td><td>where sessions are kept: the database in the server; in memory (a restart
 *       signs everyone out) with {@link #of}</td></tr>
 *   <tr><td>{@code tokens}</td><td>where personal API tokens (hashes) are kept: the database in the server; in
 *       memory with {@link #of}</td></tr>
 *   <tr><td>{@code maxSessions}</td><td>10 000 in all (20 per user)</td></tr>
 *   <tr><td>{@code throttle}</td><td>{@link LoginThrottle.Settings#defaults()}</td></tr>
 *   <tr><td>{@code gate}</td><td>{@link HashingGate#forThisJvm()}</td></tr>
 *   <tr><td>{@code modules}</td><td>none: the features' resources ({@link ApiModule}), appended to the route
 *       table in the order added</td></tr>
 *   <tr><td>{@code secondFactor}</td><td>null: passwords alone; else TOTP for those who turned it on</td></tr>
 * </table>
 */
public record WebAccounts(UserRepository users, ExtensionRepository extensions, WebPasswordRepository passwords,
        WebSessionRepository sessions, ApiTokenRepository tokens, Duration sessionIdleTimeout, int maxSessions, LoginThrottle.Settings throttle,
        HashingGate gate, List<ApiModule> modules, SecondFactor secondFactor) {

    public WebAccounts {
        Objects.requireNonNull(users, "users");
        Objects.requireNonNull(extensions, "extensions");
        Objects.requireNonNull(passwords, "passwords");
        Objects.requireNonNull(sessions, "sessions");
        Objects.requireNonNull(tokens, "tokens");
        Objects.requireNonNull(sessionIdleTimeout, "sessionIdleTimeout");
        Objects.requireNonNull(throttle, "throttle");
        Objects.requireNonNull(gate, "gate");
        modules = List.copyOf(modules);
    }

    public static WebAccounts of(UserRepository users, ExtensionRepository extensions,
            WebPasswordRepository passwords) {
        return new WebAccounts(users, extensions, passwords, new InMemoryWebSessionRepository(),
                new InMemoryApiTokenRepository(), Duration.ofMinutes(30), 10_000,
                LoginThrottle.Settings.defaults(), HashingGate.forThisJvm(), List.of(), null);
    }

    public WebAccounts withSessions(WebSessionRepository repository) {
        return new WebAccounts(users, extensions, passwords, repository, tokens, sessionIdleTimeout, maxSessions, throttle,
                gate, modules, secondFactor);
    }

    public WebAccounts withTokens(ApiTokenRepository repository) {
        return new WebAccounts(users, extensions, passwords, sessions, repository, sessionIdleTimeout, maxSessions,
                throttle, gate, modules, secondFactor);
    }

    public WebAccounts withSessionIdleTimeout(Duration timeout) {
        return new WebAccounts(users, extensions, passwords, sessions, tokens, timeout, maxSessions, throttle, gate,
                modules, secondFactor);
    }

    public WebAccounts withThrottle(LoginThrottle.Settings settings) {
        return new WebAccounts(users, extensions, passwords, sessions, tokens, sessionIdleTimeout, maxSessions, settings,
                gate, modules, secondFactor);
    }

    public WebAccounts withGate(HashingGate hashingGate) {
        return new WebAccounts(users, extensions, passwords, sessions, tokens, sessionIdleTimeout, maxSessions, throttle,
                hashingGate, modules, secondFactor);
    }

    /**
     * Asks users who turned TOTP on for a code at sign-in, and, when its policy says so, holds admins without it
     * to enrolling (every other route {@code 403}).
     */
    public WebAccounts withSecondFactor(SecondFactor factor) {
        return new WebAccounts(users, extensions, passwords, sessions, tokens, sessionIdleTimeout, maxSessions,
                throttle, gate, modules, factor);
    }

    /** Adds a feature's resources to the API. */
    public WebAccounts withModule(ApiModule module) {
        List<ApiModule> more = new ArrayList<>(modules);
        more.add(Objects.requireNonNull(module, "module"));
        return new WebAccounts(users, extensions, passwords, sessions, tokens, sessionIdleTimeout, maxSessions,
                throttle, gate, more, secondFactor);
    }
}
