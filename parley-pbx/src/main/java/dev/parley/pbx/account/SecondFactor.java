package dev.parley.pbx.account;

import dev.parley.pbx.directory.User;
import dev.parley.pbx.directory.UserId;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * TOTP as a second sign-in factor: enrollment (a new secret, confirmed by one code of it), the check at sign-in,
 * recovery codes, and the rule that admins must enroll ({@code web.require-totp-for-admins}).
 *
 * <table>
 *   <caption>Rules</caption>
 *   <tr><th>what</th><th>rule</th></tr>
 *   <tr><td>codes</td><td>{@link Totp}: 6 digits, 30 s, ±1 step; a step once accepted, and every earlier one,
 *       is refused afterwards (RFC 6238 §5.2), across nodes (the store advances the step atomically)</td></tr>
 *   <tr><td>recovery codes</td><td>{@value #RECOVERY_CODES} per enrollment, each 80 random bits written as four
 *       groups of four base32 characters; stored as SHA-256 only (80 bits are beyond guessing, so a slow hash
 *       would buy nothing); each works once, in place of a code</td></tr>
 * </table>
 */
public final class SecondFactor {
    public static final int RECOVERY_CODES = 10;
    private static final Logger LOG = LoggerFactory.getLogger(SecondFactor.class);

    private final TotpRepository repository;
    private final InstantSource clock;
    private final boolean requiredForAdmins;
    private final String issuer;
    private final SecureRandom random = new SecureRandom();

    /**
     * @param requiredForAdmins {@code web.require-totp-for-admins}
     * @param issuer the name authenticator apps show beside the account ("Parley")
     */
    public SecondFactor(TotpRepository repository, InstantSource clock, boolean requiredForAdmins, String issuer) {
        this.repository = Objects.requireNonNull(repository, "repository");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.requiredForAdmins = requiredForAdmins;
        this.issuer = Objects.requireNonNull(issuer, "issuer");
    }

    /** A pending enrollment: the secret for the app, shown once. */
    public record Enrollment(String secret, String otpauthUri) {
        @Override
        public String toString() {
            return "Enrollment[<secret>]";
        }
    }

    /** True when the user signs in with a code. */
    public boolean enabled(UserId user) {
        return repository.find(user).map(TotpRepository.Stored::confirmed).orElse(false);
    }

    /** True when this user may do nothing but enroll: an admin without TOTP while admins must have it. */
    public boolean mustEnroll(User user) {
        return requiredForAdmins && user.role().isAdmin() && !enabled(user.id());
    }

    /** Starts an enrollment with a new secret; empty when the user has TOTP already (disable it first). */
    public Optional<Enrollment> begin(User user) {
        byte[] key = new byte[Totp.SECRET_BYTES];
        random.nextBytes(key);
        String secret = Totp.base32(key);
        if (!repository.begin(user.id(), secret)) {
            return Optional.empty();
        }
        return Optional.of(new Enrollment(secret, Totp.otpauthUri(issuer, user.name(), secret)));
    }

    /**
     * Confirms the pending enrollment with a code of its secret; the recovery codes (shown once), or empty when
     * there is no pending enrollment or the code is wrong.
     */
    public Optional<List<String>> confirm(User user, String code) {
        Optional<TotpRepository.Stored> pending = repository.find(user.id()).filter(s -> !s.confirmed());
        if (pending.isEmpty()) {
            return Optional.empty();
        }
        OptionalLong step = Totp.verify(Totp.fromBase32(pending.get().secret()), code, clock.instant(),
                Long.MIN_VALUE);
        if (step.isEmpty()) {
            return Optional.empty();
        }
        List<String> codes = new ArrayList<>();
        List<String> hashes = new ArrayList<>();
        for (int i = 0; i < RECOVERY_CODES; i++) {
            String c = recoveryCode();
            codes.add(c);
            hashes.add(hash(c));
        }
        if (!repository.confirm(user.id(), step.getAsLong(), hashes)) {
            return Optional.empty();
        }
        LOG.info("{} turned on TOTP sign-in", user.name());
        return Optional.of(List.copyOf(codes));
    }

    /** Turns TOTP off after a valid code (or recovery code); false when the code is wrong or TOTP is off. */
    public boolean disable(User user, String code) {
        if (!enabled(user.id()) || !check(user.id(), code)) {
            return false;
        }
        repository.delete(user.id());
        LOG.info("{} turned off TOTP sign-in", user.name());
        return true;
    }

    /**
     * Checks a code at sign-in: a TOTP code not used before, or an unused recovery code (used up by this call).
     * False for anything else, including a user without TOTP.
     */
    public boolean check(UserId user, String code) {
        Optional<TotpRepository.Stored> stored = repository.find(user).filter(TotpRepository.Stored::confirmed);
        if (stored.isEmpty() || code == null) {
            return false;
        }
        OptionalLong step = Totp.verify(Totp.fromBase32(stored.get().secret()), code, clock.instant(),
                stored.get().lastStep());
        if (step.isPresent()) {
            return repository.advance(user, step.getAsLong());
        }
        String normalized = normalizeRecoveryCode(code);
        if (normalized != null && repository.useRecoveryCode(user, hash(normalized))) {
            LOG.info("a recovery code of user {} was used; {} left", user, repository.recoveryCodesLeft(user));
            return true;
        }
        return false;
    }

    private String recoveryCode() {
        byte[] b = new byte[10];
        random.nextBytes(b);
        String s = Totp.base32(b); // 16 characters
        return s.substring(0, 4) + "-" + s.substring(4, 8) + "-" + s.substring(8, 12) + "-" + s.substring(12, 16);
    }

    /** {@code abcd efgh-…} → {@code ABCD-EFGH-…}, or null when it is not shaped like a recovery code. */
    static String normalizeRecoveryCode(String code) {
        String s = code.replace("-", "").replace(" ", "").toUpperCase(Locale.ROOT);
        if (s.length() != 16 || !s.chars().allMatch(c -> (c >= 'A' && c <= 'Z') || (c >= '2' && c <= '7'))) {
            return null;
        }
        return s.substring(0, 4) + "-" + s.substring(4, 8) + "-" + s.substring(8, 12) + "-" + s.substring(12, 16);
    }

    /** base64url SHA-256 of the normalized recovery code. */
    static String hash(String recoveryCode) {
        try {
            return Base64.getUrlEncoder().withoutPadding().encodeToString(MessageDigest.getInstance("SHA-256")
                    .digest(recoveryCode.getBytes(StandardCharsets.US_ASCII)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }
}
