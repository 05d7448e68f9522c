package dev.parley.pbx.account.memory;

import dev.parley.pbx.account.AccountFlowRepository;
import dev.parley.pbx.account.ApiTokenRepository;
import dev.parley.pbx.account.ClosedAccountCalls;
import dev.parley.pbx.account.TotpRepository;
import dev.parley.pbx.account.WebSessionRepository;
import dev.parley.pbx.directory.Device;
import dev.parley.pbx.directory.DeviceRepository;
import dev.parley.pbx.directory.Extension;
import dev.parley.pbx.directory.ExtensionRepository;
import dev.parley.pbx.directory.Role;
import dev.parley.pbx.directory.User;
import dev.parley.pbx.directory.UserId;
import dev.parley.pbx.directory.UserRepository;
import dev.parley.pbx.directory.WebPasswordRepository;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * {@link AccountFlowRepository} over the other in-memory repositories. Writes that the JDBC store makes in one
 * transaction are made one after the other under this object's lock (other writers of those repositories are not
 * held off). Call records are neither rewritten nor deleted when an account closes, whatever the
 * {@link ClosedAccountCalls} policy: the in-memory CDR list has no update or delete.
 */
public final class InMemoryAccountFlowRepository implements AccountFlowRepository {
    private final UserRepository users;
    private final WebPasswordRepository passwords;
    private final WebSessionRepository sessions;
    private final ApiTokenRepository tokens;
    private final ExtensionRepository extensions;
    private final DeviceRepository devices;
    private final TotpRepository totp;
    private final Map<String, Pending> pending = new HashMap<>();
    private boolean signupEnabled;

    public InMemoryAccountFlowRepository(UserRepository users, WebPasswordRepository passwords,
            WebSessionRepository sessions, ApiTokenRepository tokens, ExtensionRepository extensions,
            DeviceRepository devices, TotpRepository totp) {
        this.users = Objects.requireNonNull(users, "users");
        this.passwords = Objects.requireNonNull(passwords, "passwords");
        this.sessions = Objects.requireNonNull(sessions, "sessions");
        this.tokens = Objects.requireNonNull(tokens, "tokens");
        this.extensions = Objects.requireNonNull(extensions, "extensions");
        this.devices = Objects.requireNonNull(devices, "devices");
        this.totp = Objects.requireNonNull(totp, "totp");
    }

    @Override
    public synchronized void insert(Pending p) {
        if (pending.containsKey(p.tokenHash())) {
            throw new IllegalStateException("a token with that hash exists");
        }
        pending.put(p.tokenHash(), p);
    }

    @Override
    public synchronized Optional<Pending> find(String tokenHash, Instant now) {
        return Optional.ofNullable(pending.get(tokenHash)).filter(p -> p.liveAt(now));
    }

    private Optional<Pending> take(String tokenHash, Purpose purpose, Instant now) {
        Pending p = pending.get(tokenHash);
        if (p == null || p.purpose() != purpose) {
            return Optional.empty();
        }
        pending.remove(tokenHash);
        return p.liveAt(now) ? Optional.of(p) : Optional.empty();
    }

    @Override
    public synchronized Optional<User> completeSignup(String tokenHash, UserId newId, Instant now) {
        Optional<Pending> p = take(tokenHash, Purpose.SIGNUP, now);
        if (p.isEmpty() || users.findByName(p.get().username()).isPresent()
                || users.findByEmail(p.get().email()).isPresent()) {
            return Optional.empty();
        }
        User u = new User(newId, p.get().username(), p.get().displayName(), Role.USER, p.get().email());
        users.save(u);
        passwords.set(newId, p.get().passwordHash());
        return Optional.of(u);
    }

    @Override
    public synchronized Optional<UserId> completePasswordReset(String tokenHash, String newPasswordHash,
            Instant now) {
        WebPasswordRepository.checkPhc(newPasswordHash);
        Optional<Pending> p = take(tokenHash, Purpose.PASSWORD_RESET, now);
        if (p.isEmpty() || users.findById(p.get().user()).isEmpty()) {
            return Optional.empty();
        }
        UserId user = p.get().user();
        passwords.set(user, newPasswordHash);
        sessions.deleteAllOf(user, null);
        tokens.findByUser(user).forEach(t -> tokens.delete(user, t.id()));
        pending.values().removeIf(o -> o.purpose() == Purpose.PASSWORD_RESET && user.equals(o.user()));
        return Optional.of(user);
    }

    @Override
    public synchronized Optional<User> completeEmailChange(String tokenHash, Instant now) {
        Optional<Pending> p = take(tokenHash, Purpose.EMAIL_CHANGE, now);
        if (p.isEmpty()) {
            return Optional.empty();
        }
        Optional<User> user = users.findById(p.get().user());
        Optional<User> holder = users.findByEmail(p.get().email());
        if (user.isEmpty() || (holder.isPresent() && !holder.get().id().equals(user.get().id()))) {
            return Optional.empty();
        }
        User changed = user.get().withEmail(p.get().email());
        users.save(changed);
        return Optional.of(changed);
    }

    @Override
    public synchronized int deleteExpired(Instant now) {
        int before = pending.size();
        pending.values().removeIf(p -> !p.liveAt(now));
        return before - pending.size();
    }

    @Override
    public synchronized boolean signupEnabled() {
        return signupEnabled;
    }

    @Override
    public synchronized void setSignupEnabled(boolean enabled) {
        signupEnabled = enabled;
    }

    @Override
    public synchronized boolean closeAccount(UserId user, ClosedAccountCalls calls, String replacement) {
        if (users.findById(user).isEmpty()) {
            return false;
        }
        for (Device d : devices.findByOwner(user)) {
            devices.delete(d.id());
        }
        for (Extension e : extensions.findByOwner(user)) {
            extensions.delete(e.number());
        }
        sessions.deleteAllOf(user, null);
        tokens.findByUser(user).forEach(t -> tokens.delete(user, t.id()));
        totp.delete(user);
        pending.values().removeIf(p -> user.equals(p.user()));
        return users.delete(user);
    }
}
