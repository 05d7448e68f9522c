package dev.parley.pbx.account;

import dev.parley.pbx.account.AccountFlowRepository.Pending;
import dev.parley.pbx.account.AccountFlowRepository.Purpose;
import dev.parley.pbx.directory.Role;
import dev.parley.pbx.directory.User;
import dev.parley.pbx.directory.UserId;
import dev.parley.pbx.directory.UserRepository;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Base64;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Executor;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The account flows that go through a mailbox: self sign-up with email confirmation, password reset, change of
 * email address, and closing an account.
 *
 * <table>
 *   <caption>Tokens</caption>
 *   <tr><th>what</th><th>rule</th></tr>
 *   <tr><td>token</td><td>32 bytes from {@link SecureRandom} (256 bits), base64url; only its SHA-256 is stored
 *       (nothing to guess, so a fast hash suffices, as for API tokens); single use: completing a flow deletes
 *       it</td></tr>
 *   <tr><td>lifetime</td><td>sign-up and email change {@value #CONFIRM_HOURS} h, password reset
 *       {@value #RESET_HOURS} h</td></tr>
 *   <tr><td>link</td><td>{@code https://<server>/#<action>=<token>}: the token is in the fragment, which browsers
 *       never send to a server, so it does not land in access logs or {@code Referer}; the page posts it to the
 *       API</td></tr>
 * </table>
 *
 * <p>No enumeration: a sign-up answers the same whether the name or address exists (the password is hashed
 * either way, and mail goes out on another thread, so the time is the same too); a reset request the same whether
 * the address belongs to anyone. A sign-up with an address already in use mails its owner a notice instead of a
 * link. A signed-up account does not exist until its link is followed, so signing in before that is refused like
 * a wrong password.
 */
public final class AccountFlows {
    public static final int CONFIRM_HOURS = 24;
    public static final int RESET_HOURS = 1;
    /** What replaces a closed account's name, numbers and devices in call records. */
    public static final String CLOSED_ACCOUNT = "closed-account";
    public static final int MAX_DISPLAY_NAME = 100;
    private static final Pattern TOKEN = Pattern.compile("[A-Za-z0-9_-]{43}");
    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
    private static final Logger LOG = LoggerFactory.getLogger(AccountFlows.class);

    /** Input the flow refuses; {@code field} names it, {@code problem} says why without quoting it. */
    public static final class Invalid extends RuntimeException {
        private final String field;

        public Invalid(String field, String problem) {
            super(problem, null, false, false);
            this.field = field;
        }

        public String field() {
            return field;
        }
    }

    /** Sign-up is turned off ({@link AccountFlowRepository#signupEnabled()}). */
    public static final class SignupOff extends RuntimeException {
        SignupOff() {
            super("sign-up is turned off", null, false, false);
        }
    }

    /** How a step that checks a password came out. */
    public sealed interface Outcome {
    }

    /** Done. */
    public record Done() implements Outcome {
    }

    /** The token is unknown, used or expired. */
    public record NoSuchToken() implements Outcome {
    }

    /** The password given was wrong (counted by the throttle). */
    public record WrongPassword() implements Outcome {
    }

    /** Throttled or busy hashing: {@code reason} as {@link WebLogin} gave it. */
    public record NotNow(WebLogin.Result reason) implements Outcome {
    }

    private final UserRepository users;
    private final AccountFlowRepository repository;
    private final WebLogin login;
    private final HashingGate gate;
    private final Mailer mailer;
    private final Executor mailThreads;
    private final Supplier<String> baseUrl;
    private final InstantSource clock;
    private final Runnable directoryChanged;
    private final ClosedAccountCalls closedAccountCalls;
    private final PasswordPolicy policy = PasswordPolicy.standard();
    private final SecureRandom random = new SecureRandom();

    /**
     * @param login checks passwords before an email change or a closure (throttled like sign-ins)
     * @param mailThreads where mail is sent from, so a request never waits for the mail server (and takes the same
     *     time whether it sent mail or not)
     * @param baseUrl the server's HTTPS URL ending in {@code /}, asked for each link
     */
    public AccountFlows(UserRepository users, AccountFlowRepository repository, WebLogin login, HashingGate gate,
            Mailer mailer, Executor mailThreads, Supplier<String> baseUrl, InstantSource clock) {
        this(users, repository, login, gate, mailer, mailThreads, baseUrl, clock, () -> { });
    }

    /**
     * @param directoryChanged runs after an account is closed (the server drops the PBX's copy of the directory,
     *     so the closed user's devices can neither register nor be rung from that moment, not at its next check)
     */
    public AccountFlows(UserRepository users, AccountFlowRepository repository, WebLogin login, HashingGate gate,
            Mailer mailer, Executor mailThreads, Supplier<String> baseUrl, InstantSource clock,
            Runnable directoryChanged) {
        this(users, repository, login, gate, mailer, mailThreads, baseUrl, clock, directoryChanged,
                ClosedAccountCalls.ANONYMIZE);
    }

    /**
     * @param closedAccountCalls what a closure does to the user's call records
     *     ({@code accounts.closed-account-calls})
     */
    public AccountFlows(UserRepository users, AccountFlowRepository repository, WebLogin login, HashingGate gate,
            Mailer mailer, Executor mailThreads, Supplier<String> baseUrl, InstantSource clock,
            Runnable directoryChanged, ClosedAccountCalls closedAccountCalls) {
        this.closedAccountCalls = Objects.requireNonNull(closedAccountCalls, "closedAccountCalls");
        this.directoryChanged = Objects.requireNonNull(directoryChanged, "directoryChanged");
        this.users = Objects.requireNonNull(users, "users");
        this.repository = Objects.requireNonNull(repository, "repository");
        this.login = Objects.requireNonNull(login, "login");
        this.gate = Objects.requireNonNull(gate, "gate");
        this.mailer = Objects.requireNonNull(mailer, "mailer");
        this.mailThreads = Objects.requireNonNull(mailThreads, "mailThreads");
        this.baseUrl = Objects.requireNonNull(baseUrl, "baseUrl");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    public boolean signupEnabled() {
        return repository.signupEnabled();
    }

    public void setSignupEnabled(boolean enabled) {
        repository.setSignupEnabled(enabled);
    }

    /**
     * A sign-up: checks the input, then, whatever exists already, hashes the password; mails a confirmation link
     * when neither the name nor the address is taken, a notice to the address's owner when it is.
     *
     * @throws Invalid for a bad username, email, display name or password
     * @throws SignupOff when sign-up is turned off
     * @throws HashingGate.Busy when the server is busy hashing
     */
    public void signUp(String username, String email, String displayName, char[] password) {
        if (!repository.signupEnabled()) {
            throw new SignupOff();
        }
        String name = displayName == null ? "" : displayName.strip();
        if (name.length() > MAX_DISPLAY_NAME || name.chars().anyMatch(Character::isISOControl)) {
            throw new Invalid("displayName", "must be at most " + MAX_DISPLAY_NAME
                    + " characters without control characters");
        }
        String address = normalizeEmail(email, "email");
        User candidate;
        try {
            candidate = new User(new UserId(UUID.randomUUID().toString()), username, name, Role.USER, address);
        } catch (IllegalArgumentException e) {
            throw new Invalid("username", "must be 1 to 64 letters, digits or . _ + -");
        }
        policy.problem(password, username, address).ifPresent(p -> {
            throw new Invalid("password", p);
        });
        String phc = gate.run(() -> PasswordHashing.argon2id(password));
        Optional<User> owner = users.findByEmail(address);
        if (owner.isPresent()) {
            mail(address, "Someone tried to sign up to Parley with your address", "Someone asked to open a"
                    + " Parley account at " + baseUrl.get() + " with this address, which already belongs to the"
                    + " account " + owner.get().name() + ".\n\nIf it was you and you forgot your password, ask for"
                    + " a new one on the sign-in page. Otherwise ignore this message.\n");
            return;
        }
        if (users.findByName(candidate.name()).isPresent()) {
            LOG.debug("a sign-up asked for a user name that exists; no mail sent");
            return;
        }
        String token = newToken();
        Instant now = clock.instant();
        repository.deleteExpired(now); // expired tokens go as new ones come; no timer needed
        repository.insert(new Pending(hash(token), Purpose.SIGNUP, null, candidate.name(), name, address, phc, now,
                now.plus(Duration.ofHours(CONFIRM_HOURS))));
        mail(address, "Confirm your Parley account", "To open the Parley account " + candidate.name()
                + ", follow this link within " + CONFIRM_HOURS + " hours:\n\n" + link("confirm", token)
                + "\n\nIf you did not ask for it, ignore this message: no account is opened without it.\n");
    }

    /** Follows a sign-up link: the new user, or empty for an unknown, used or expired token. */
    public Optional<User> confirmSignup(String token) {
        if (!wellFormed(token)) {
            return Optional.empty();
        }
        Optional<User> user = repository.completeSignup(hash(token), new UserId(UUID.randomUUID().toString()),
                clock.instant());
        user.ifPresent(u -> LOG.info("user {} signed up and confirmed the address", u.name()));
        return user;
    }

    /** Mails a reset link when {@code email} belongs to a user; does the same work otherwise, and says nothing. */
    public void requestPasswordReset(String email) {
        String address;
        try {
            address = User.normalizeEmail(email);
        } catch (IllegalArgumentException e) {
            throw new Invalid("email", e.getMessage());
        }
        Optional<User> user = users.findByEmail(address);
        if (user.isEmpty()) {
            LOG.debug("a password reset was asked for an address no user has; no mail sent");
            return;
        }
        String token = newToken();
        Instant now = clock.instant();
        repository.deleteExpired(now); // expired tokens go as new ones come; no timer needed
        repository.insert(new Pending(hash(token), Purpose.PASSWORD_RESET, user.get().id(), null, null, null, null,
                now, now.plus(Duration.ofHours(RESET_HOURS))));
        mail(address, "Reset your Parley password", "To choose a new password for the Parley account "
                + user.get().name() + ", follow this link within " + RESET_HOURS + " hour:\n\n"
                + link("reset", token) + "\n\nIf you did not ask for it, ignore this message: your password stays"
                + " as it is.\n");
    }

    /**
     * Follows a reset link with the new password: checked against the {@link PasswordPolicy}, stored, and every
     * session and API token of the user ended.
     *
     * @throws Invalid naming {@code password} when the policy refuses it
     */
    public Outcome confirmPasswordReset(String token, char[] password) {
        if (!wellFormed(token)) {
            return new NoSuchToken();
        }
        Optional<Pending> p = repository.find(hash(token), clock.instant())
                .filter(x -> x.purpose() == Purpose.PASSWORD_RESET);
        Optional<User> user = p.flatMap(x -> users.findById(x.user()));
        if (user.isEmpty()) {
            return new NoSuchToken();
        }
        policy.problem(password, user.get().name(), user.get().email()).ifPresent(problem -> {
            throw new Invalid("password", problem);
        });
        String phc;
        try {
            phc = gate.run(() -> PasswordHashing.argon2id(password));
        } catch (HashingGate.Busy e) {
            return new NotNow(new WebLogin.Busy());
        }
        if (repository.completePasswordReset(hash(token), phc, clock.instant()).isEmpty()) {
            return new NoSuchToken();
        }
        LOG.info("{} reset the web password; their sessions and API tokens were ended", user.get().name());
        return new Done();
    }

    /**
     * Asks to change {@code user}'s address to {@code newEmail} after checking the password; the link goes to the
     * new address (proving it is theirs). When the address belongs to another user nothing is sent, and the
     * answer is the same.
     *
     * @throws Invalid naming {@code email} for a malformed address
     */
    public Outcome requestEmailChange(User user, String newEmail, char[] password, String source) {
        String address = normalizeEmail(newEmail, "email");
        WebLogin.Result checked = login.verifyPassword(user, password, source);
        if (!(checked instanceof WebLogin.SignedIn)) {
            return checked instanceof WebLogin.Refused ? new WrongPassword() : new NotNow(checked);
        }
        Optional<User> holder = users.findByEmail(address);
        if (holder.isPresent()) {
            LOG.debug("{} asked for an address that is in use; no mail sent", user.name());
            return new Done();
        }
        String token = newToken();
        Instant now = clock.instant();
        repository.deleteExpired(now); // expired tokens go as new ones come; no timer needed
        repository.insert(new Pending(hash(token), Purpose.EMAIL_CHANGE, user.id(), null, null, address, null, now,
                now.plus(Duration.ofHours(CONFIRM_HOURS))));
        mail(address, "Confirm your new Parley address", "To make this the address of the Parley account "
                + user.name() + ", follow this link within " + CONFIRM_HOURS + " hours:\n\n"
                + link("email", token) + "\n\nIf you did not ask for it, ignore this message.\n");
        return new Done();
    }

    /** Follows an email-change link: the user with the new address, or empty. */
    public Optional<User> confirmEmailChange(String token) {
        if (!wellFormed(token)) {
            return Optional.empty();
        }
        Optional<User> user = repository.completeEmailChange(hash(token), clock.instant());
        user.ifPresent(u -> LOG.info("{} confirmed a new email address", u.name()));
        return user;
    }

    /**
     * Closes {@code user}'s account after checking the password: the user and everything of theirs goes; their
     * call records stay with {@value #CLOSED_ACCOUNT} in place of their name, numbers and devices, or are deleted,
     * as {@link ClosedAccountCalls} says.
     */
    public Outcome closeAccount(User user, char[] password, String source) {
        WebLogin.Result checked = login.verifyPassword(user, password, source);
        if (!(checked instanceof WebLogin.SignedIn)) {
            return checked instanceof WebLogin.Refused ? new WrongPassword() : new NotNow(checked);
        }
        boolean closed;
        try {
            closed = repository.closeAccount(user.id(), closedAccountCalls, CLOSED_ACCOUNT);
        } finally {
            directoryChanged.run();
        }
        if (!closed) {
            return new NoSuchToken();
        }
        LOG.info("user {} closed their account", user.name());
        return new Done();
    }

    private static String normalizeEmail(String email, String field) {
        if (email == null) {
            throw new Invalid(field, "is required");
        }
        try {
            return User.normalizeEmail(email);
        } catch (IllegalArgumentException e) {
            throw new Invalid(field, e.getMessage());
        }
    }

    private String link(String action, String token) {
        String base = baseUrl.get();
        return (base.endsWith("/") ? base : base + "/") + "#" + action + "=" + token;
    }

    private void mail(String to, String subject, String text) {
        Mailer.Message m = new Mailer.Message(to, subject, text);
        mailThreads.execute(() -> {
            try {
                mailer.send(m);
            } catch (RuntimeException e) {
                LOG.warn("could not send \"{}\" to {}: {}", subject, to, e.getMessage());
            }
        });
    }

    static boolean wellFormed(String token) {
        return token != null && TOKEN.matcher(token).matches();
    }

    private String newToken() {
        byte[] b = new byte[32];
        random.nextBytes(b);
        return B64.encodeToString(b);
    }

    /** base64url SHA-256 of a token: what the repository keeps. */
    public static String hash(String token) {
        try {
            return B64.encodeToString(MessageDigest.getInstance("SHA-256")
                    .digest(token.getBytes(StandardCharsets.US_ASCII)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }
}
