package dev.parley.server.admin;

import dev.parley.pbx.directory.User;
import dev.parley.pbx.directory.UserId;
import dev.parley.pbx.directory.UserRepository;
import dev.parley.pbx.account.PasswordHashing;
import dev.parley.pbx.directory.Role;
import dev.parley.pbx.directory.WebPasswordRepository;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * First start: makes sure someone can log in to the admin UI. When there is no user named {@value #ADMIN_NAME}, or
 * there is one without a web password, it makes that user {@link Role#SUPERADMIN}, sets a random one-time password
 * ({@link OneTimePassword}), stores only its Argon2id hash ({@link PasswordHashing}), and hands the clear password back once, for the caller to print. On every later start it does
 * nothing: the password is never shown again, and never logged.
 *
 * <p>To get a new admin password later, delete the user ({@code parley user delete admin}) and restart.
 */
public final class AdminBootstrap {
    public static final String ADMIN_NAME = "admin";
    private static final Logger LOG = LoggerFactory.getLogger(AdminBootstrap.class);

    /** The admin's name and one-time password; {@link #toString()} hides the password. */
    public record Credentials(String username, char[] password) {
        public Credentials {
            Objects.requireNonNull(username, "username");
            Objects.requireNonNull(password, "password");
        }

        /** Overwrites the password in memory once it has been shown. */
        public void wipe() {
            Arrays.fill(password, '\0');
        }

        @Override
        public String toString() {
            return "Credentials[" + username + ", password=(hidden)]";
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Credentials c && c.username.equals(username) && Arrays.equals(c.password, password);
        }

        @Override
        public int hashCode() {
            return username.hashCode();
        }
    }

    private final UserRepository users;
    private final WebPasswordRepository passwords;
    private final SecureRandom random;

    public AdminBootstrap(UserRepository users, WebPasswordRepository passwords, SecureRandom random) {
        this.users = Objects.requireNonNull(users, "users");
        this.passwords = Objects.requireNonNull(passwords, "passwords");
        this.random = Objects.requireNonNull(random, "random");
    }

    /** The new admin credentials when this start created them, else empty. */
    public Optional<Credentials> ensureAdmin() {
        Optional<User> existing = users.findByName(ADMIN_NAME);
        if (existing.isPresent() && passwords.find(existing.get().id()).isPresent()) {
            return Optional.empty();
        }
        User admin = existing.map(u -> u.role() == Role.SUPERADMIN ? u : u.withRole(Role.SUPERADMIN))
                .orElseGet(() -> new User(UserId.random(), ADMIN_NAME, "Administrator", Role.SUPERADMIN, null));
        if (!existing.equals(Optional.of(admin))) {
            users.save(admin);
        }
        char[] password = OneTimePassword.generate(random);
        passwords.set(admin.id(), PasswordHashing.argon2id(password));
        LOG.info("{} the admin account \"{}\" with a one-time password (printed to the console once)",
                existing.isPresent() ? "gave" : "created", ADMIN_NAME);
        return Optional.of(new Credentials(ADMIN_NAME, password));
    }
}
