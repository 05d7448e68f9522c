package dev.parley.pbx.account;

import dev.parley.common.IpLiteral;
import dev.parley.common.IpPrefix;
import java.time.Duration;
import java.time.InstantSource;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Counts failed web logins per account and per source address and refuses further attempts once either reached
 * its limit, until the lockout has passed. The account key is the login as typed (lower-cased), whether or not
 * such a user exists, so an unknown name is throttled exactly like a real one and the answers cannot tell them
 * apart.
 *
 * <table>
 *   <caption>Defaults ({@link Settings#defaults()})</caption>
 *   <tr><th>key</th><th>failures</th><th>within</th><th>then refused for</th></tr>
 *   <tr><td>account</td><td>5</td><td>15 min</td><td>15 min</td></tr>
 *   <tr><td>source address</td><td>20</td><td>15 min</td><td>15 min</td></tr>
 * </table>
 *
 * <p>A source is counted by its address block, not its string: an IPv6 source by its /64, an IPv4 source by its
 * host ({@link IpPrefix#ofSource}), the rule the SIP bans (by default) and the web's lingering close count by. RFC 4291 §2.5.4: the low 64 bits of an IPv6
 * address are the interface ID, which the host picks itself, and one subscriber gets at least a /64; counted per
 * address, one IPv6 guesser would get a fresh budget for each of its 2^64 addresses. The source string (the web
 * layer's {@code ctx.ip()}, {@code [2001:db8::1]} or {@code 2001:db8::1} or {@code 192.0.2.1}) is read as an IP
 * literal without any name lookup; a string that is not one is counted as itself.
 *
 * <p>A success clears the account's count (not the source's: one valid account must not reset a guesser's budget
 * for the others). Memory is bounded: each table keeps at most {@link Settings#maxKeys()} keys, dropping the least
 * recently seen. Thread-safe. Time comes from an {@link InstantSource} so tests run the windows without waiting.
 *
 * <p>Known limit: per-account lockout lets anyone lock a known account out of password logins for the lockout
 * period; the per-source limit bounds how often one source (IPv4 host, IPv6 /64) can do it.
 */
public final class LoginThrottle {

    /** Limits of one kind of key. */
    public record Limit(int failures, Duration window, Duration lockout) {
        public Limit {
            if (failures < 1 || !window.isPositive() || !lockout.isPositive()) {
                throw new IllegalArgumentException("a throttle limit needs failures >= 1 and positive durations");
            }
        }
    }

    /** Limits per account and per source, and the most keys each table keeps. */
    public record Settings(Limit perAccount, Limit perSource, int maxKeys) {
        public Settings {
            Objects.requireNonNull(perAccount, "perAccount");
            Objects.requireNonNull(perSource, "perSource");
            if (maxKeys < 1) {
                throw new IllegalArgumentException("maxKeys must be positive, was " + maxKeys);
            }
        }

        public static Settings defaults() {
            return new Settings(new Limit(5, Duration.ofMinutes(15), Duration.ofMinutes(15)),
                    new Limit(20, Duration.ofMinutes(15), Duration.ofMinutes(15)), 100_000);
        }
    }

    private static final class Counter {
        long windowStartMillis;
        int failures;
        long blockedUntilMillis;
    }

    private final Settings settings;
    private final InstantSource clock;
    private final Map<String, Counter> accounts;
    private final Map<String, Counter> sources;

    public LoginThrottle(Settings settings, InstantSource clock) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.accounts = lru(settings.maxKeys());
        this.sources = lru(settings.maxKeys());
    }

    private static Map<String, Counter> lru(int max) {
        return new LinkedHashMap<>(64, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Counter> eldest) {
                return size() > max;
            }
        };
    }

    /** The key for a login as typed. */
    static String accountKey(String login) {
        return login.strip().toLowerCase(Locale.ROOT);
    }

    /**
     * The key a source is counted by: the text of {@link IpPrefix#ofSource} of its address (an IPv6 /64's first
     * address, an IPv4 host; an IPv4-mapped IPv6 address comes from the JDK as IPv4), or the string itself when it
     * is not an IP literal. Every per-source count goes through here.
     */
    static String sourceKey(String source) {
        return IpLiteral.parse(source).map(address -> IpPrefix.ofSource(address).getHostAddress()).orElse(source);
    }

    /** How long until attempts for this login from this source are allowed again; empty if they are now. */
    public synchronized Optional<Duration> blocked(String login, String source) {
        long now = clock.millis();
        long until = Math.max(blockedUntil(accounts.get(accountKey(login)), now),
                blockedUntil(sources.get(sourceKey(source)), now));
        return until > now ? Optional.of(Duration.ofMillis(until - now)) : Optional.empty();
    }

    private static long blockedUntil(Counter c, long now) {
        return c == null ? 0 : c.blockedUntilMillis;
    }

    /** Counts a failed attempt against the login and the source. */
    public synchronized void failed(String login, String source) {
        long now = clock.millis();
        count(accounts.computeIfAbsent(accountKey(login), k -> new Counter()), settings.perAccount(), now);
        count(sources.computeIfAbsent(sourceKey(source), k -> new Counter()), settings.perSource(), now);
    }

    private static void count(Counter c, Limit limit, long now) {
        if (now - c.windowStartMillis >= limit.window().toMillis()) {
            c.windowStartMillis = now;
            c.failures = 0;
        }
        c.failures++;
        if (c.failures >= limit.failures()) {
            c.blockedUntilMillis = now + limit.lockout().toMillis();
            c.failures = 0;
            c.windowStartMillis = now;
        }
    }

    /** How long until requests from {@code source} are allowed again (API tokens: no account to key on). */
    public synchronized Optional<Duration> blockedSource(String source) {
        long now = clock.millis();
        long until = blockedUntil(sources.get(sourceKey(source)), now);
        return until > now ? Optional.of(Duration.ofMillis(until - now)) : Optional.empty();
    }

    /** Counts a failed attempt against the source alone (a wrong API token names no account). */
    public synchronized void failedFromSource(String source) {
        count(sources.computeIfAbsent(sourceKey(source), k -> new Counter()), settings.perSource(), clock.millis());
    }

    /** A successful login: the account starts afresh. */
    public synchronized void succeeded(String login) {
        accounts.remove(accountKey(login));
    }
}
