package dev.parley.pbx.account;

import dev.parley.pbx.directory.UserId;
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
import java.util.regex.Pattern;

/**
 * Makes and checks personal API tokens.
 *
 * <p>A token is {@code parley_} followed by 32 random bytes in base64url (43 characters): 256 bits, so it is
 * stored as a plain SHA-256 — unlike a password there is nothing to guess, and a slow hash would only make every
 * API call slow. The prefix lets secret scanners recognise a leaked token. Checking looks the hash up (the
 * comparison is the database's index lookup on a value the caller cannot steer towards a match).
 *
 * <table>
 *   <caption>Limits</caption>
 *   <tr><th>what</th><th>limit</th></tr>
 *   <tr><td>tokens per user</td><td>{@value #MAX_PER_USER}</td></tr>
 *   <tr><td>name</td><td>1–{@value #MAX_NAME} characters, no control characters</td></tr>
 *   <tr><td>last use written back</td><td>at most once a minute per token</td></tr>
 * </table>
 */
public final class ApiTokens {
    public static final String PREFIX = "parley_";
    public static final int MAX_PER_USER = 50;
    public static final int MAX_NAME = 100;
    private static final Pattern SHAPE = Pattern.compile("parley_[A-Za-z0-9_-]{43}");
    private static final Duration TOUCH_INTERVAL = Duration.ofMinutes(1);
    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();

    private final ApiTokenRepository repository;
    private final InstantSource clock;
    private final SecureRandom random = new SecureRandom();

    public ApiTokens(ApiTokenRepository repository, InstantSource clock) {
        this.repository = Objects.requireNonNull(repository, "repository");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** A new token: {@link #secret()} is shown to the user once and never again. */
    public record Issued(String secret, ApiTokenRepository.Stored stored) {
        @Override
        public String toString() {
            return "Issued[" + stored + "]";
        }
    }

    /** Why a token could not be made. */
    public static final class Refused extends RuntimeException {
        private final String field;

        Refused(String field, String problem) {
            super(problem, null, false, false);
            this.field = field;
        }

        public String field() {
            return field;
        }
    }

    /**
     * Makes a token for {@code user}.
     *
     * @param lifetime null: it never expires
     * @throws Refused for a bad name or when the user has {@value #MAX_PER_USER} tokens already
     */
    public Issued issue(UserId user, String name, Duration lifetime) {
        Objects.requireNonNull(user, "user");
        if (name == null || name.isBlank() || name.length() > MAX_NAME
                || name.chars().anyMatch(Character::isISOControl)) {
            throw new Refused("name", "must be 1 to " + MAX_NAME + " characters without control characters");
        }
        if (repository.findByUser(user).size() >= MAX_PER_USER) {
            throw new Refused("name", "you have " + MAX_PER_USER + " tokens already; revoke one first");
        }
        Instant now = clock.instant();
        String secret = PREFIX + B64.encodeToString(bytes(32));
        ApiTokenRepository.Stored stored = new ApiTokenRepository.Stored(B64.encodeToString(bytes(12)),
                hash(secret), user, name.strip(), now, lifetime == null ? null : now.plus(lifetime), null);
        repository.insert(stored);
        return new Issued(secret, stored);
    }

    /** The live token {@code secret} names (not expired, not revoked), noting its use. */
    public Optional<ApiTokenRepository.Stored> authenticate(String secret) {
        if (secret == null || !SHAPE.matcher(secret).matches()) {
            return Optional.empty();
        }
        Instant now = clock.instant();
        Optional<ApiTokenRepository.Stored> found = repository.findByHash(hash(secret));
        if (found.isEmpty() || found.get().expiredAt(now)) {
            return Optional.empty();
        }
        ApiTokenRepository.Stored t = found.get();
        // write the use back at most once a minute: a busy script must not turn every request into a write
        if (t.lastUsed() == null || !now.isBefore(t.lastUsed().plus(TOUCH_INTERVAL))) {
            repository.touch(t.id(), now);
            t = new ApiTokenRepository.Stored(t.id(), t.hash(), t.user(), t.name(), t.created(), t.expires(), now);
        }
        return Optional.of(t);
    }

    /** base64url SHA-256 of the token string. */
    public static String hash(String secret) {
        try {
            return B64.encodeToString(MessageDigest.getInstance("SHA-256")
                    .digest(secret.getBytes(StandardCharsets.US_ASCII)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    private byte[] bytes(int n) {
        byte[] b = new byte[n];
        random.nextBytes(b);
        return b;
    }
}
