package dev.parley.pbx.account;

import dev.parley.pbx.directory.User;
import dev.parley.pbx.directory.UserRepository;
import dev.parley.pbx.directory.WebPasswordRepository;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Arrays;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Signs a person in with a user name or email address and a web password.
 *
 * <p>No user enumeration: an unknown login, a user without a web password and a wrong password all give
 * {@link Refused}, after the same work — an unknown user's password is verified against a dummy Argon2id hash with
 * today's parameters, so the answer takes as long as a real check. The throttle counts them all alike.
 *
 * <p>Order: throttle (no hashing for a throttled attempt), then one Argon2id verification through the
 * {@link HashingGate}, then, on success with outdated parameters, a rehash stored in place (OWASP Password Storage:
 * upgrade on login).
 */
public final class WebLogin {
    private static final Logger LOG = LoggerFactory.getLogger(WebLogin.class);

    /** What a sign-in attempt came to. */
    public sealed interface Result {
    }

    /** The password was right. */
    public record SignedIn(User user) implements Result {
    }

    /** Unknown login or wrong password: deliberately the same. */
    public record Refused() implements Result {
    }

    /**
     * The password was right but the user signs in with TOTP too and sent no code (nothing was counted against the
     * throttle); or, with {@code wrongCode}, the code sent was wrong or used before (counted like a wrong password).
     */
    public record SecondFactorRequired(boolean wrongCode) implements Result {
    }

    /** Too many failures for this login or from this source; try again after {@code retryAfter}. */
    public record Throttled(Duration retryAfter) implements Result {
    }

    /** The server is computing as many hashes as it may; try again shortly. */
    public record Busy() implements Result {
    }

    /** What a password change came to. */
    public sealed interface Change {
    }

    /** The new password is stored. */
    public record Changed() implements Change {
    }

    /** The current password given was wrong (counted by the throttle like a failed sign-in). */
    public record WrongCurrent() implements Change {
    }

    /** The new password breaks the {@link PasswordPolicy}; {@code problem} says how, without quoting it. */
    public record Rejected(String problem) implements Change {
    }

    /** Throttled or busy, as for a sign-in. */
    public record NotNow(Result reason) implements Change {
    }

    private final UserRepository users;
    private final WebPasswordRepository passwords;
    private final PasswordPolicy policy = PasswordPolicy.standard();
    private final HashingGate gate;
    private final LoginThrottle throttle;
    private final String dummyHash;
    private final SecondFactor secondFactor;

    public WebLogin(UserRepository users, WebPasswordRepository passwords, HashingGate gate, LoginThrottle throttle) {
        this(users, passwords, gate, throttle, null);
    }

    /** @param secondFactor TOTP for users who turned it on; null: passwords alone */
    public WebLogin(UserRepository users, WebPasswordRepository passwords, HashingGate gate, LoginThrottle throttle,
            SecondFactor secondFactor) {
        this.secondFactor = secondFactor;
        this.users = Objects.requireNonNull(users, "users");
        this.passwords = Objects.requireNonNull(passwords, "passwords");
        this.gate = Objects.requireNonNull(gate, "gate");
        this.throttle = Objects.requireNonNull(throttle, "throttle");
        char[] random = new char[24];
        SecureRandom r = new SecureRandom();
        for (int i = 0; i < random.length; i++) {
            random[i] = (char) ('a' + r.nextInt(26));
        }
        this.dummyHash = PasswordHashing.argon2id(random);
        Arrays.fill(random, '\0');
    }

    /**
     * One attempt. {@code login} is a user name, or an email address when it contains {@code @}; {@code source} is
     * the client's address (the throttle's second key). Blocks for one hash computation; call it off event loops.
     */
    public Result signIn(String login, char[] password, String source) {
        return signIn(login, password, null, source);
    }

    /**
     * One attempt with an optional second-factor {@code code} (a TOTP code or a recovery code). A user with TOTP
     * gets {@link SecondFactorRequired} until the right password comes with a valid code; the code is looked at
     * only after the password was right, so it tells nothing to someone without the password.
     */
    public Result signIn(String login, char[] password, String code, String source) {
        Objects.requireNonNull(login, "login");
        Objects.requireNonNull(password, "password");
        Optional<Duration> blocked = throttle.blocked(login, source);
        if (blocked.isPresent()) {
            return new Throttled(blocked.get());
        }
        Optional<User> user = login.indexOf('@') >= 0 ? users.findByEmail(login) : users.findByName(login);
        Optional<String> stored = user.flatMap(u -> passwords.find(u.id()));
        String phc = stored.orElse(dummyHash);
        boolean ok;
        try {
            ok = gate.run(() -> verify(phc, password)) && stored.isPresent();
        } catch (HashingGate.Busy e) {
            return new Busy();
        }
        if (!ok) {
            throttle.failed(login, source);
            return new Refused();
        }
        User u = user.orElseThrow();
        if (secondFactor != null && secondFactor.enabled(u.id())) {
            if (code == null || code.isBlank()) {
                return new SecondFactorRequired(false);
            }
            if (!secondFactor.check(u.id(), code)) {
                throttle.failed(login, source);
                return new SecondFactorRequired(true);
            }
        }
        throttle.succeeded(login);
        if (PasswordHashing.needsRehash(phc)) {
            try {
                passwords.set(u.id(), gate.run(() -> PasswordHashing.argon2id(password)));
                LOG.info("re-hashed the web password of {} with today's Argon2id parameters", u.name());
            } catch (HashingGate.Busy e) {
                LOG.debug("no re-hash for {} this time: the hashing gate is full", u.name());
            }
        }
        return new SignedIn(u);
    }

    /**
     * Replaces {@code user}'s web password after checking the current one (so a stolen session alone cannot take
     * the account over) and the {@link PasswordPolicy}. The policy is checked first: it costs no hashing.
     */
    public Change changePassword(User user, char[] current, char[] next, String source) {
        Objects.requireNonNull(user, "user");
        Optional<String> problem = policy.problem(next, user.name(), user.email());
        if (problem.isPresent()) {
            return new Rejected(problem.get());
        }
        Optional<Duration> blocked = throttle.blocked(user.name(), source);
        if (blocked.isPresent()) {
            return new NotNow(new Throttled(blocked.get()));
        }
        Optional<String> stored = passwords.find(user.id());
        try {
            boolean ok = gate.run(() -> verify(stored.orElse(dummyHash), current)) && stored.isPresent();
            if (!ok) {
                throttle.failed(user.name(), source);
                return new WrongCurrent();
            }
            passwords.set(user.id(), gate.run(() -> PasswordHashing.argon2id(next)));
        } catch (HashingGate.Busy e) {
            return new NotNow(new Busy());
        }
        LOG.info("{} changed the web password", user.name());
        return new Changed();
    }

    /**
     * Checks {@code user}'s password before a sensitive change (email address, closing the account): throttled
     * and counted like a sign-in, through the hashing gate. {@link SignedIn}, {@link Refused}, {@link Throttled}
     * or {@link Busy}; the second factor is not asked for (the caller holds a signed-in session already).
     */
    public Result verifyPassword(User user, char[] password, String source) {
        Objects.requireNonNull(user, "user");
        Optional<Duration> blocked = throttle.blocked(user.name(), source);
        if (blocked.isPresent()) {
            return new Throttled(blocked.get());
        }
        Optional<String> stored = passwords.find(user.id());
        boolean ok;
        try {
            ok = gate.run(() -> verify(stored.orElse(dummyHash), password)) && stored.isPresent();
        } catch (HashingGate.Busy e) {
            return new Busy();
        }
        if (!ok) {
            throttle.failed(user.name(), source);
            return new Refused();
        }
        return new SignedIn(user);
    }

    private static boolean verify(String phc, char[] password) {
        try {
            return PasswordHashing.verify(phc, password);
        } catch (IllegalArgumentException e) {
            // a stored hash Parley cannot read (another algorithm, damaged row): refuse, as for a wrong password
            LOG.warn("a stored web password hash is not Argon2id within bounds ({}); that user cannot sign in until"
                    + " the password is set again", e.getMessage());
            return false;
        }
    }
}
