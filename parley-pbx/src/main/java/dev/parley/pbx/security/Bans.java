package dev.parley.pbx.security;

import dev.parley.common.IpPrefix;
import dev.parley.sipstack.flow.Transport;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Counts failures per source address and bans a source that fails too often (the built-in fail2ban): a banned
 * source's requests are dropped without an answer, so a password guesser learns nothing and gets no traffic back.
 *
 * <p>What counts is the caller's decision, made where the failure is understood: the Digest authenticator's
 * {@code WRONG_CREDENTIALS} (wrong password, unknown user, unusable credentials) and the router's unidentified
 * requests. A request without credentials that gets its first challenge is not a failure: every phone does that.
 * A successful authentication neither lifts a ban nor clears the count.
 *
 * <p>The window slides: a source is banned when {@link BanPolicy#maxFailures()} failures fall within
 * {@link BanPolicy#window()} of each other. The failure that reaches the limit is still answered (the caller has
 * already built its answer); every request after it, failing or not, is dropped until the ban ends. Bans end
 * lazily, on the first look after they expire, or in {@link #sweep()}, which the server calls periodically so that
 * every ban gets its {@code event=unban} line and memory is returned.
 *
 * <p>Bans live in memory: a restart lifts them (the ban log lines survive). Time comes from a {@link Clock}, so tests
 * drive it. Thread-safe: one lock per source.
 */
public final class Bans {
    private final BanPolicy policy;
    private final Clock clock;
    private final ConcurrentHashMap<String, Source> sources = new ConcurrentHashMap<>();

    /** The state of one source; guarded by its own monitor. */
    private static final class Source {
        final ArrayDeque<Instant> failures = new ArrayDeque<>();
        Instant bannedUntil;
        boolean removed;
    }

    public Bans(BanPolicy policy, Clock clock) {
        this.policy = Objects.requireNonNull(policy, "policy");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    public BanPolicy policy() {
        return policy;
    }

    /** True while {@code address} (or, for IPv6, its prefix) is banned: drop what it sends, answer nothing. */
    public boolean isBanned(InetAddress address) {
        String key = key(address);
        Source s = sources.get(key);
        if (s == null) {
            return false;
        }
        synchronized (s) {
            if (s.bannedUntil == null) {
                return false;
            }
            if (clock.instant().isBefore(s.bannedUntil)) {
                return true;
            }
            lift(key, s);
            return false;
        }
    }

    /**
     * Logs one failure from {@code source} and counts it.
     *
     * @param user the username the source claimed, or {@code null}; logged quoted and escaped
     * @param method the SIP method, or {@code null}
     * @return true if the source is banned now (by this failure or already)
     */
    public boolean recordFailure(SecurityLog.Failure kind, InetSocketAddress source, Transport transport, String user,
            String method) {
        SecurityLog.failure(kind, source, transport, user, method);
        InetAddress address = source.getAddress();
        if (isExempt(address)) {
            return false;
        }
        String key = key(address);
        while (true) {
            Source s = sources.get(key);
            if (s == null) {
                makeRoom();
                s = sources.computeIfAbsent(key, k -> new Source());
            }
            synchronized (s) {
                if (s.removed) {
                    continue; // lifted and forgotten between get and lock: count it on a fresh entry
                }
                Instant now = clock.instant();
                if (s.bannedUntil != null) {
                    if (now.isBefore(s.bannedUntil)) {
                        return true;
                    }
                    s.bannedUntil = null;
                    SecurityLog.unban(key);
                }
                Instant horizon = now.minus(policy.window());
                while (!s.failures.isEmpty() && !s.failures.peekFirst().isAfter(horizon)) {
                    s.failures.removeFirst();
                }
                s.failures.addLast(now);
                if (s.failures.size() < policy.maxFailures()) {
                    return false;
                }
                int counted = s.failures.size();
                s.failures.clear();
                s.bannedUntil = now.plus(policy.banDuration());
                SecurityLog.ban(key, s.bannedUntil, counted, policy.window());
                return true;
            }
        }
    }

    /**
     * Ends expired bans (logging {@code event=unban} for each) and forgets sources whose failures have all left the
     * window. Call periodically (every few seconds); cheap when there is nothing to do.
     */
    public void sweep() {
        Instant now = clock.instant();
        Instant horizon = now.minus(policy.window());
        for (Iterator<Map.Entry<String, Source>> it = sources.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<String, Source> e = it.next();
            Source s = e.getValue();
            synchronized (s) {
                if (s.bannedUntil != null) {
                    if (!now.isBefore(s.bannedUntil)) {
                        lift(e.getKey(), s);
                    }
                } else if (s.failures.isEmpty() || !s.failures.peekLast().isAfter(horizon)) {
                    s.removed = true;
                    sources.remove(e.getKey(), s);
                }
            }
        }
    }

    /** Sources currently remembered (banned or with failures in the window); for metrics and tests. */
    public int trackedSources() {
        return sources.size();
    }

    /** Ends the ban of {@code s}, logs it, and forgets the source. Caller holds the monitor of {@code s}. */
    private void lift(String key, Source s) {
        s.bannedUntil = null;
        s.failures.clear();
        s.removed = true;
        sources.remove(key, s);
        SecurityLog.unban(key);
    }

    /** Keeps the table under its bound: sweep, then forget sources that are not banned. */
    private void makeRoom() {
        if (sources.size() < policy.maxTrackedSources()) {
            return;
        }
        sweep();
        for (Iterator<Map.Entry<String, Source>> it = sources.entrySet().iterator();
                it.hasNext() && sources.size() >= policy.maxTrackedSources(); ) {
            Map.Entry<String, Source> e = it.next();
            Source s = e.getValue();
            synchronized (s) {
                if (s.bannedUntil == null) {
                    s.removed = true;
                    sources.remove(e.getKey(), s);
                }
            }
        }
    }

    private boolean isExempt(InetAddress address) {
        for (AddressBlock block : policy.exempt()) {
            if (block.contains(address)) {
                return true;
            }
        }
        return false;
    }

    /** The text a source is counted and banned under: the IPv4 address, or the IPv6 prefix with its length. */
    String key(InetAddress address) {
        if (address instanceof Inet6Address && policy.ipv6PrefixLength() < 128) {
            return IpPrefix.mask(address, policy.ipv6PrefixLength()).getHostAddress() + "/"
                    + policy.ipv6PrefixLength();
        }
        return address.getHostAddress();
    }
}
