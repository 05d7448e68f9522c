package dev.parley.pbx;

import dev.parley.pbx.auth.DigestPolicy;
import dev.parley.pbx.registrar.RegistrarPolicy;
import dev.parley.pbx.security.BanPolicy;
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
 * </table>
 */
public record PbxConfig(DigestPolicy digestPolicy, RegistrarPolicy registrarPolicy, BanPolicy banPolicy,
        Duration noAnswerTimeout, Duration drainRetryAfter, Duration housekeepingInterval) {

    public PbxConfig {
        Objects.requireNonNull(digestPolicy, "digestPolicy");
        Objects.requireNonNull(registrarPolicy, "registrarPolicy");
        Objects.requireNonNull(banPolicy, "banPolicy");
        requirePositive(noAnswerTimeout, "noAnswerTimeout");
        requirePositive(drainRetryAfter, "drainRetryAfter");
        requirePositive(housekeepingInterval, "housekeepingInterval");
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
                housekeepingInterval);
    }

    public PbxConfig withRegistrarPolicy(RegistrarPolicy policy) {
        return new PbxConfig(digestPolicy, policy, banPolicy, noAnswerTimeout, drainRetryAfter,
                housekeepingInterval);
    }

    public PbxConfig withBanPolicy(BanPolicy policy) {
        return new PbxConfig(digestPolicy, registrarPolicy, policy, noAnswerTimeout, drainRetryAfter,
                housekeepingInterval);
    }

    public PbxConfig withNoAnswerTimeout(Duration timeout) {
        return new PbxConfig(digestPolicy, registrarPolicy, banPolicy, timeout, drainRetryAfter,
                housekeepingInterval);
    }

    public PbxConfig withDrainRetryAfter(Duration retryAfter) {
        return new PbxConfig(digestPolicy, registrarPolicy, banPolicy, noAnswerTimeout, retryAfter,
                housekeepingInterval);
    }

    public PbxConfig withHousekeepingInterval(Duration interval) {
        return new PbxConfig(digestPolicy, registrarPolicy, banPolicy, noAnswerTimeout, drainRetryAfter, interval);
    }

    private static void requirePositive(Duration d, String name) {
        Objects.requireNonNull(d, name);
        if (d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(name + " must be positive, not " + d);
        }
    }
}
