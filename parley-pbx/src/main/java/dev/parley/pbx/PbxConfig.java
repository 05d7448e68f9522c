package dev.parley.pbx;

import dev.parley.pbx.auth.DigestPolicy;
import dev.parley.pbx.registrar.RegistrarPolicy;
import dev.parley.pbx.security.BanPolicy;
import dev.parley.pbx.settings.IncomingCallPolicy;
import java.time.Duration;
import java.util.Objects;

/**
 * How the PBX behaves.
 *
 * <table>
 *   <caption>Settings and defaults ({@link #defaults(String)})</caption>
 *   <tr><th>setting</th><th>default</th><th>meaning</th></tr>
 *   <tr><td>{@code digestPolicy}</td><td>{@link DigestPolicy#of(String)}</td><td>realm, algorithms (SHA-256 then
 *       MD5), nonce lifetime</td></tr>
 *   <tr><td>{@code registrarPolicy}</td><td>{@link RegistrarPolicy#defaults()}</td><td>expiry bounds, contacts per
 *       AOR, domains</td></tr>
 *   <tr><td>{@code banPolicy}</td><td>{@link BanPolicy#defaults()}</td><td>5 failures in 60 s ban for 15 min</td></tr>
 *   <tr><td>{@code noAnswerTimeout}</td><td>30 s</td><td>ringing time before the caller gets 480 (CDR cause
 *       {@code no-answer})</td></tr>
 *   <tr><td>{@code drainRetryAfter}</td><td>60 s</td><td>the {@code Retry-After} of the 503 that new INVITEs and
 *       REGISTERs get while draining</td></tr>
 *   <tr><td>{@code housekeepingInterval}</td><td>10 s</td><td>how often expired bindings are purged and bans
 *       swept</td></tr>
 *   <tr><td>{@code dndStatus}</td><td>486</td><td>what a call to a user in do-not-disturb gets: 486 Busy Here or
 *       480 Temporarily Unavailable ({@link dev.parley.pbx.settings.IncomingCallPolicy})</td></tr>
 * </table>
 */
public record PbxConfig(DigestPolicy digestPolicy, RegistrarPolicy registrarPolicy, BanPolicy banPolicy,
        Duration noAnswerTimeout, Duration drainRetryAfter, Duration housekeepingInterval, int dndStatus) {

    public PbxConfig {
        Objects.requireNonNull(digestPolicy, "digestPolicy");
        Objects.requireNonNull(registrarPolicy, "registrarPolicy");
        Objects.requireNonNull(banPolicy, "banPolicy");
        requirePositive(noAnswerTimeout, "noAnswerTimeout");
        requirePositive(drainRetryAfter, "drainRetryAfter");
        requirePositive(housekeepingInterval, "housekeepingInterval");
        new IncomingCallPolicy(dndStatus); // 486 or 480, else IllegalArgumentException
    }

    public PbxConfig(DigestPolicy digestPolicy, RegistrarPolicy registrarPolicy, BanPolicy banPolicy,
            Duration noAnswerTimeout, Duration drainRetryAfter, Duration housekeepingInterval) {
        this(digestPolicy, registrarPolicy, banPolicy, noAnswerTimeout, drainRetryAfter, housekeepingInterval,
                IncomingCallPolicy.BUSY_HERE);
    }

    public static PbxConfig defaults(String realm) {
        return new PbxConfig(DigestPolicy.of(realm), RegistrarPolicy.defaults(), BanPolicy.defaults(),
                Duration.ofSeconds(30), Duration.ofSeconds(60), Duration.ofSeconds(10));
    }

    /** The Digest realm (RFC 3261 §22.1). */
    public String realm() {
        return digestPolicy.realm();
    }

    public PbxConfig withDigestPolicy(DigestPolicy policy) {
        return new PbxConfig(policy, registrarPolicy, banPolicy, noAnswerTimeout, drainRetryAfter,
                housekeepingInterval, dndStatus);
    }

    public PbxConfig withRegistrarPolicy(RegistrarPolicy policy) {
        return new PbxConfig(digestPolicy, policy, banPolicy, noAnswerTimeout, drainRetryAfter,
                housekeepingInterval, dndStatus);
    }

    public PbxConfig withBanPolicy(BanPolicy policy) {
        return new PbxConfig(digestPolicy, registrarPolicy, policy, noAnswerTimeout, drainRetryAfter,
                housekeepingInterval, dndStatus);
    }

    public PbxConfig withNoAnswerTimeout(Duration timeout) {
        return new PbxConfig(digestPolicy, registrarPolicy, banPolicy, timeout, drainRetryAfter,
                housekeepingInterval, dndStatus);
    }

    public PbxConfig withDrainRetryAfter(Duration retryAfter) {
        return new PbxConfig(digestPolicy, registrarPolicy, banPolicy, noAnswerTimeout, retryAfter,
                housekeepingInterval, dndStatus);
    }

    public PbxConfig withHousekeepingInterval(Duration interval) {
        return new PbxConfig(digestPolicy, registrarPolicy, banPolicy, noAnswerTimeout, drainRetryAfter, interval,
                dndStatus);
    }

    /** @param status 486 (the default) or 480 */
    public PbxConfig withDndStatus(int status) {
        return new PbxConfig(digestPolicy, registrarPolicy, banPolicy, noAnswerTimeout, drainRetryAfter,
                housekeepingInterval, status);
    }

    private static void requirePositive(Duration d, String name) {
        Objects.requireNonNull(d, name);
        if (d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(name + " must be positive, not " + d);
        }
    }
}
