package dev.parley.pbx.account;

import dev.parley.pbx.directory.User;
import dev.parley.pbx.directory.UserId;
import java.time.Instant;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * Port: the single-use tokens of the account flows (sign-up confirmation, password reset, email change), the
 * sign-up switch, and the writes that complete a flow, each in one transaction. Implemented by {@code parley-store}
 * (JDBC) and by {@link dev.parley.pbx.account.memory.InMemoryAccountFlowRepository}. Thread-safe; calls may block.
 *
 * <p>Only the token's hash is stored ({@link Pending#tokenHash()}, computed by {@link AccountFlows}); taking a
 * token deletes it, so a link works once, on any node.
 */
public interface AccountFlowRepository {

    /** What a token is for. */
    enum Purpose {
        SIGNUP, PASSWORD_RESET, EMAIL_CHANGE;

        /** The name in the database: {@code signup}, {@code password-reset}, {@code email-change}. */
        public String wireName() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }

        public static Purpose fromWireName(String wireName) {
            for (Purpose p : values()) {
                if (p.wireName().equals(wireName)) {
                    return p;
                }
            }
            throw new IllegalArgumentException("no account flow purpose " + wireName);
        }
    }

    /**
     * A token waiting for its link to be followed.
     *
     * @param user whose token (password reset, email change); null for a sign-up, whose user does not exist yet
     * @param username the name asked for (sign-up only)
     * @param displayName the display name asked for (sign-up only)
     * @param email the sign-up's address, or the new address of an email change
     * @param passwordHash the Argon2id PHC string of the sign-up's password (sign-up only)
     */
    record Pending(String tokenHash, Purpose purpose, UserId user, String username, String displayName, String email,
            String passwordHash, Instant created, Instant expires) {
        public Pending {
            Objects.requireNonNull(tokenHash, "tokenHash");
            Objects.requireNonNull(purpose, "purpose");
            Objects.requireNonNull(created, "created");
            Objects.requireNonNull(expires, "expires");
            if ((purpose == Purpose.SIGNUP) != (user == null)) {
                throw new IllegalArgumentException("a sign-up token has no user; the others have one");
            }
            if (purpose == Purpose.SIGNUP && (username == null || email == null || passwordHash == null
                    || displayName == null)) {
                throw new IllegalArgumentException("a sign-up token needs a username, display name, email and"
                        + " password hash");
            }
            if (purpose == Purpose.EMAIL_CHANGE && email == null) {
                throw new IllegalArgumentException("an email change token needs the new address");
            }
        }

        public boolean liveAt(Instant now) {
            return now.isBefore(expires);
        }

        @Override
        public String toString() {
            return "Pending[" + purpose.wireName() + ", user=" + user + ", username=" + username + ", expires="
                    + expires + "]";
        }
    }

    /** @throws IllegalStateException when the hash exists, or the user does not (JDBC) */
    void insert(Pending pending);

    /** The live (unexpired) token with this hash, without using it up. */
    Optional<Pending> find(String tokenHash, Instant now);

    /**
     * Uses up a live {@link Purpose#SIGNUP} token and creates its user (role {@code user}, id {@code newId}, no
     * extension) with the stored password hash, in one transaction. Empty when there is no such live token, or
     * (token used up all the same) the name or address was taken meanwhile.
     */
    Optional<User> completeSignup(String tokenHash, UserId newId, Instant now);

    /**
     * Uses up a live {@link Purpose#PASSWORD_RESET} token, stores {@code newPasswordHash}, and ends every web
     * session and API token of the user and their other reset tokens, in one transaction. The user, or empty.
     */
    Optional<UserId> completePasswordReset(String tokenHash, String newPasswordHash, Instant now);

    /**
     * Uses up a live {@link Purpose#EMAIL_CHANGE} token and gives the user its address, in one transaction. Empty
     * when there is no such live token, or (token used up all the same) the address was taken meanwhile.
     */
    Optional<User> completeEmailChange(String tokenHash, Instant now);

    /** Removes the tokens expired at {@code now}; how many. */
    int deleteExpired(Instant now);

    /** Whether anyone may sign up ({@code GET|PUT /api/settings/signup}); off until an admin turns it on. */
    boolean signupEnabled();

    void setSignupEnabled(boolean enabled);

    /**
     * Closes an account in one transaction: the call records that name the user (name, extension numbers or device
     * SIP usernames as caller, callee or answering device) are, by {@code calls}, either kept with those replaced by
     * {@code replacement} or deleted; the user's bindings, devices and extensions go, then the user with everything
     * that belongs to it (web password, sessions, API tokens, TOTP, pending tokens). False when there was no such
     * user.
     */
    boolean closeAccount(UserId user, ClosedAccountCalls calls, String replacement);
}
