package dev.parley.pbx.cdr;

import java.security.SecureRandom;
import java.util.UUID;

/**
 * Call ids: time-ordered UUIDs, version 7 (RFC 9562 §5.7), instead of random ones (version 4).
 *
 * <p>Why: the id is the primary key of {@code call_records}. A random key puts each new record on a random leaf page
 * of the key's B-tree, so a batch of N records dirties about N pages that the commit must write to SQLite's WAL (and
 * later checkpoint); a key that grows with time puts them on the last page or two. Measured with the schema's nine
 * indexes, batches of 32: a quarter less CPU per insert (docs/benchmarks.md, issue 3). The other indexes are keyed by
 * number, user and time, which a call's own data orders as before.
 *
 * <p>Layout (RFC 9562 §5.7): {@code unix_ts_ms} (48 bits) | {@code ver} = 7 (4) | {@code rand_a} (12) | {@code var}
 * = 0b10 (2) | {@code rand_b} (62). The 74 random bits come from {@link SecureRandom}, so an id is as hard to guess
 * within its millisecond as before (an id names a call in the API, which checks who may see it). Ids made in the same
 * millisecond are not ordered among themselves: the ordering only needs to hold at the B-tree's scale.
 */
public final class CallIds {
    private static final SecureRandom RANDOM = new SecureRandom();

    private CallIds() {
    }

    /** A new call id made now. */
    public static String next() {
        return of(System.currentTimeMillis(), RANDOM.nextLong(), RANDOM.nextLong());
    }

    /** The version-7 UUID of {@code epochMillis} with the random bits taken from {@code a} and {@code b}. */
    static String of(long epochMillis, long a, long b) {
        long msb = (epochMillis << 16) | 0x7000L | (a & 0x0FFFL);
        long lsb = (b & 0x3FFF_FFFF_FFFF_FFFFL) | 0x8000_0000_0000_0000L;
        return new UUID(msb, lsb).toString();
    }
}
