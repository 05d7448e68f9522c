package dev.parley.pbx.security;

import dev.parley.common.IpPrefix;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * When {@link Bans} bans a source, and for how long.
 *
 * <p>Defaults ({@link #defaults()}): 5 failures within a sliding window of 60 seconds ban the source for 15
 * minutes; IPv6 sources are counted and banned per /64 (one subscriber's whole allocation, which an attacker can
 * rotate through freely); no source is exempt — not even loopback, so the tests, which run on 127.0.0.1, see bans
 * work. Exempting {@code 127.0.0.0/8} is one call: {@code defaults().withExempt(AddressBlock.parse("127.0.0.0/8"))}.
 *
 * @param maxFailures failures within {@code window} that ban the source; the failure that reaches this number is
 *     still answered, everything after it is dropped
 * @param window the sliding window failures are counted in
 * @param banDuration how long a ban lasts; further failures during it do not extend it (the source gets no
 *     answers, so it cannot fail)
 * @param exempt sources never banned (their failures are still logged)
 * @param ipv6PrefixLength how many leading bits of an IPv6 address name one source (64 by default; 128 counts each
 *     address alone)
 * @param maxTrackedSources bound on the sources with failures remembered at once, so a flood from many addresses
 *     cannot grow memory without limit; when full, sources that are not banned are forgotten first
 */
public record BanPolicy(int maxFailures, Duration window, Duration banDuration, List<AddressBlock> exempt,
        int ipv6PrefixLength, int maxTrackedSources) {

    public BanPolicy {
        if (maxFailures < 1) {
            throw new IllegalArgumentException("maxFailures must be at least 1, not " + maxFailures);
        }
        requirePositive(window, "window");
        requirePositive(banDuration, "banDuration");
        exempt = List.copyOf(exempt);
        if (ipv6PrefixLength < 1 || ipv6PrefixLength > 128) {
            throw new IllegalArgumentException("ipv6PrefixLength must be 1-128, not " + ipv6PrefixLength);
        }
        if (maxTrackedSources < 1) {
            throw new IllegalArgumentException("maxTrackedSources must be at least 1");
        }
    }

    public static BanPolicy defaults() {
        return new BanPolicy(5, Duration.ofSeconds(60), Duration.ofMinutes(15), List.of(), IpPrefix.IPV6_SOURCE_BITS,
                100_000);
    }

    public BanPolicy withMaxFailures(int n) {
        return new BanPolicy(n, window, banDuration, exempt, ipv6PrefixLength, maxTrackedSources);
    }

    public BanPolicy withWindow(Duration d) {
        return new BanPolicy(maxFailures, d, banDuration, exempt, ipv6PrefixLength, maxTrackedSources);
    }

    public BanPolicy withBanDuration(Duration d) {
        return new BanPolicy(maxFailures, window, d, exempt, ipv6PrefixLength, maxTrackedSources);
    }

    public BanPolicy withExempt(AddressBlock... blocks) {
        return new BanPolicy(maxFailures, window, banDuration, List.of(blocks), ipv6PrefixLength, maxTrackedSources);
    }

    public BanPolicy withMaxTrackedSources(int n) {
        return new BanPolicy(maxFailures, window, banDuration, exempt, ipv6PrefixLength, n);
    }

    private static void requirePositive(Duration d, String name) {
        Objects.requireNonNull(d, name);
        if (d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(name + " must be positive, not " + d);
        }
    }
}
