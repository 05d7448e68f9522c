package dev.parley.pbx.registrar;

import dev.parley.common.Ascii;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The registrar's limits.
 *
 * <p>Defaults ({@link #defaults()}): expiry at least 60 s (shorter is answered {@code 423 Interval Too Brief} with
 * {@code Min-Expires: 60}), at most 7200 s (longer is shortened, RFC 3261 §10.3 step 7 lets the registrar do so),
 * 3600 s when the phone asks for none (RFC 3261 §10.2.1.1's suggestion); up to 10 contacts per address of record,
 * the soonest to expire evicted first when an eleventh registers (Asterisk's {@code remove_existing}: a phone that
 * was swapped or reset and re-registers from a new Call-ID must not be locked out by its own stale bindings); any
 * domain in the To URI accepted.
 *
 * @param minExpires seconds; at most 3600 (RFC 3261 §10.3 step 7 allows 423 only for intervals under one hour)
 * @param maxExpires seconds; at least {@code defaultExpires}
 * @param defaultExpires seconds, used when neither the contact nor the request says
 * @param maxContacts bindings per address of record; a single REGISTER adding more than this gets {@code 403}
 * @param domains the host parts (lower case) an address of record may have; empty means any — a PBX reached by IP
 *     address or by several names
 */
public record RegistrarPolicy(long minExpires, long maxExpires, long defaultExpires, int maxContacts,
        Set<String> domains) {

    public RegistrarPolicy {
        if (minExpires < 1 || minExpires > 3600) {
            throw new IllegalArgumentException("minExpires must be 1-3600 s, not " + minExpires);
        }
        if (defaultExpires < minExpires || maxExpires < defaultExpires) {
            throw new IllegalArgumentException("need minExpires <= defaultExpires <= maxExpires, not " + minExpires
                    + " / " + defaultExpires + " / " + maxExpires);
        }
        if (maxContacts < 1) {
            throw new IllegalArgumentException("maxContacts must be at least 1");
        }
        domains = domains.stream().map(Ascii::toLowerCase).collect(Collectors.toUnmodifiableSet());
    }

    public static RegistrarPolicy defaults() {
        return new RegistrarPolicy(60, 7200, 3600, 10, Set.of());
    }

    public RegistrarPolicy withExpires(long min, long max, long defaultSeconds) {
        return new RegistrarPolicy(min, max, defaultSeconds, maxContacts, domains);
    }

    public RegistrarPolicy withMaxContacts(int n) {
        return new RegistrarPolicy(minExpires, maxExpires, defaultExpires, n, domains);
    }

    public RegistrarPolicy withDomains(Set<String> names) {
        return new RegistrarPolicy(minExpires, maxExpires, defaultExpires, maxContacts, names);
    }

    boolean acceptsDomain(String host) {
        return domains.isEmpty() || domains.contains(Ascii.toLowerCase(host));
    }
}
