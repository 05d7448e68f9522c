package dev.parley.web;

import dev.parley.pbx.account.ApiTokenRepository;
import dev.parley.pbx.account.HashingGate;
import dev.parley.pbx.account.LoginThrottle;
import dev.parley.pbx.account.WebSessionRepository;
import dev.parley.pbx.account.memory.InMemoryApiTokenRepository;
import dev.parley.pbx.account.memory.InMemoryWebSessionRepository;
import dev.parley.pbx.directory.ExtensionRepository;
import dev.parley.pbx.directory.UserRepository;
import dev.parley.pbx.directory.WebPasswordRepository;
import java.time.Duration;
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
 * </table>
 */
public record WebAccounts(UserRepository users, ExtensionRepository extensions, WebPasswordRepository passwords,
        WebSessionRepository sessions, ApiTokenRepository tokens, Duration sessionIdleTimeout, int maxSessions, LoginThrottle.Settings throttle,
        HashingGate gate) {

    public WebAccounts {
        Objects.requireNonNull(users, "users");
        Objects.requireNonNull(extensions, "extensions");
        Objects.requireNonNull(passwords, "passwords");
        Objects.requireNonNull(sessions, "sessions");
        Objects.requireNonNull(tokens, "tokens");
        Objects.requireNonNull(sessionIdleTimeout, "sessionIdleTimeout");
        Objects.requireNonNull(throttle, "throttle");
        Objects.requireNonNull(gate, "gate");
    }

    public static WebAccounts of(UserRepository users, ExtensionRepository extensions,
            WebPasswordRepository passwords) {
        return new WebAccounts(users, extensions, passwords, new InMemoryWebSessionRepository(),
                new InMemoryApiTokenRepository(), Duration.ofMinutes(30), 10_000,
                LoginThrottle.Settings.defaults(), HashingGate.forThisJvm());
    }

    public WebAccounts withSessions(WebSessionRepository repository) {
        return new WebAccounts(users, extensions, passwords, repository, tokens, sessionIdleTimeout, maxSessions, throttle,
                gate);
    }

    public WebAccounts withTokens(ApiTokenRepository repository) {
        return new WebAccounts(users, extensions, passwords, sessions, repository, sessionIdleTimeout, maxSessions,
                throttle, gate);
    }

    public WebAccounts withSessionIdleTimeout(Duration timeout) {
        return new WebAccounts(users, extensions, passwords, sessions, tokens, timeout, maxSessions, throttle, gate);
    }

    public WebAccounts withThrottle(LoginThrottle.Settings settings) {
        return new WebAccounts(users, extensions, passwords, sessions, tokens, sessionIdleTimeout, maxSessions, settings,
                gate);
    }

    public WebAccounts withGate(HashingGate hashingGate) {
        return new WebAccounts(users, extensions, passwords, sessions, tokens, sessionIdleTimeout, maxSessions, throttle,
                hashingGate);
    }
}
