package dev.parley.pbx.auth;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Replay protection: for each nonce used, the highest nonce count ({@code nc}, RFC 7616 §3.4) accepted with it. A
 * response is accepted only with an {@code nc} above every one seen for its nonce, so a captured request replayed
 * as is — same nonce, same {@code nc} — is refused, and so is one with a lower count.
 *
 * <p>Bounded: at most {@code capacity} nonces, the first used forgotten first. Forgetting must not reopen a nonce,
 * so the table keeps a <em>horizon</em>: the latest issue time of any nonce it has forgotten. A nonce issued at or
 * before the horizon that is not in the table may have been used, and is refused (the authenticator then
 * re-challenges with {@code stale=true}, so an honest phone just retries with a fresh nonce). Nonces older than
 * their lifetime are dropped without moving the horizon: they are refused as stale anyway.
 *
 * <p>Thread-safe (one lock; the critical section is a map lookup).
 */
final class NonceCounts {
    private final int capacity;
    private final LinkedHashMap<String, long[]> seen = new LinkedHashMap<>();
    private long horizon = Long.MIN_VALUE;

    NonceCounts(int capacity) {
        this.capacity = capacity;
    }

    /**
     * Records {@code nc} for {@code nonce} if it is fresh.
     *
     * @param issuedAtMillis the nonce's issue time, from {@link Nonces#check}
     * @param nowMillis the current time, for dropping nonces past {@code lifetimeMillis}
     * @return true if accepted; false for a replay (or a nonce that might be one)
     */
    synchronized boolean accept(String nonce, long issuedAtMillis, long nc, long nowMillis, long lifetimeMillis) {
        dropExpired(nowMillis - lifetimeMillis);
        long[] entry = seen.get(nonce);
        if (entry == null) {
            if (issuedAtMillis <= horizon) {
                return false;
            }
            seen.put(nonce, new long[] {issuedAtMillis, nc});
            while (seen.size() > capacity) {
                Iterator<long[]> eldest = seen.values().iterator();
                horizon = Math.max(horizon, eldest.next()[0]);
                eldest.remove();
            }
            return true;
        }
        if (nc <= entry[1]) {
            return false;
        }
        entry[1] = nc;
        return true;
    }

    synchronized int size() {
        return seen.size();
    }

    /**
     * Drops entries issued before {@code oldest}. The map is in first-use order, which is near issue order, so this
     * looks only at the front; an expired entry behind a fresher one waits for the next call or for eviction.
     */
    private void dropExpired(long oldest) {
        for (Iterator<Map.Entry<String, long[]>> it = seen.entrySet().iterator(); it.hasNext(); ) {
            if (it.next().getValue()[0] >= oldest) {
                return;
            }
            it.remove();
        }
    }
}
