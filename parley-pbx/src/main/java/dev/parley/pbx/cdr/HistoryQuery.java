package dev.parley.pbx.cdr;

import java.time.Instant;
import java.util.Comparator;
import java.util.Objects;
import java.util.Set;

/**
 * Which calls a page of history holds.
 *
 * <p>A call is a user's when one of their {@code parties} — their extensions' numbers and their devices' SIP
 * usernames — is its caller, what was dialled, or the device that answered. Seen by that user it is
 * {@linkplain CallDirection#OUTGOING outgoing} when they placed it (caller among their parties), else incoming;
 * its outcome is {@link CallOutcome#of}.
 *
 * @param parties the user's numbers and device names; {@code null} for every call (an admin's view, where calls
 *     have no direction and {@code direction} must be null)
 * @param direction only calls of this direction, or null for both
 * @param outcome only calls of this outcome, or null for all
 * @param from only calls started at or after this instant, or null
 * @param to only calls started before this instant, or null
 * @param before only calls after this cursor in the order (started, id) descending, or null from the newest
 * @param limit at most this many calls, 1 to {@value #MAX_LIMIT}
 */
public record HistoryQuery(Set<String> parties, CallDirection direction, CallOutcome outcome, Instant from,
        Instant to, HistoryCursor before, int limit) {
    public static final int MAX_LIMIT = 200;
    /** The history's order: newest start first, ties by id, so the order is total and a cursor is exact. */
    public static final Comparator<CallRecord> ORDER = Comparator.comparing(CallRecord::startedAt)
            .thenComparing(CallRecord::id).reversed();

    public HistoryQuery {
        if (limit < 1 || limit > MAX_LIMIT) {
            throw new IllegalArgumentException("limit must be 1 to " + MAX_LIMIT + ": " + limit);
        }
        if (parties != null) {
            parties = Set.copyOf(parties);
        } else if (direction != null) {
            throw new IllegalArgumentException("a direction needs the parties whose view it is");
        }
    }

    /** One user's calls, newest first. */
    public static HistoryQuery of(Set<String> parties, int limit) {
        return new HistoryQuery(Objects.requireNonNull(parties, "parties"), null, null, null, null, null, limit);
    }

    /** Everybody's calls, newest first. */
    public static HistoryQuery everyone(int limit) {
        return new HistoryQuery(null, null, null, null, null, null, limit);
    }

    public HistoryQuery withDirection(CallDirection d) {
        return new HistoryQuery(parties, d, outcome, from, to, before, limit);
    }

    public HistoryQuery withOutcome(CallOutcome o) {
        return new HistoryQuery(parties, direction, o, from, to, before, limit);
    }

    public HistoryQuery between(Instant fromInclusive, Instant toExclusive) {
        return new HistoryQuery(parties, direction, outcome, fromInclusive, toExclusive, before, limit);
    }

    public HistoryQuery before(HistoryCursor cursor) {
        return new HistoryQuery(parties, direction, outcome, from, to, cursor, limit);
    }

    /** Whether {@code record} is one of the parties' calls (every call when there are no parties). */
    public boolean involves(CallRecord record) {
        return parties == null || parties.contains(record.caller()) || parties.contains(record.callee())
                || (record.answeredBy() != null && parties.contains(record.answeredBy()));
    }

    /** The direction of {@code record} for the parties; null in everyone's view. */
    public CallDirection directionOf(CallRecord record) {
        if (parties == null) {
            return null;
        }
        return parties.contains(record.caller()) ? CallDirection.OUTGOING : CallDirection.INCOMING;
    }

    public CallOutcome outcomeOf(CallRecord record) {
        return CallOutcome.of(record, directionOf(record));
    }

    /** Whether {@code record} belongs on a page of this query (every filter but the limit). */
    public boolean matches(CallRecord record) {
        return involves(record)
                && (direction == null || direction == directionOf(record))
                && (outcome == null || outcome == outcomeOf(record))
                && (from == null || !record.startedAt().isBefore(from))
                && (to == null || record.startedAt().isBefore(to))
                && (before == null || before.precedes(record));
    }
}
