package dev.parley.pbx.cdr;

import dev.parley.pbx.directory.UserId;
import java.time.Instant;
import java.util.Comparator;
import java.util.Objects;

/**
 * Which calls a page of history holds.
 *
 * <p>A call is a user's when the record names them ({@link CallRecord#involves}): they placed it, their extension was
 * dialled, or their device answered — as the directory stood when the call was recorded, not as it stands now, so an
 * extension that changed hands takes none of its old calls along. Seen by that user it is
 * {@linkplain CallDirection#OUTGOING outgoing} when they placed it, else incoming; its outcome is
 * {@link CallOutcome#of}.
 *
 * @param user whose calls; {@code null} for every call (an admin's view, where calls have no direction and
 *     {@code direction} must be null)
 * @param direction only calls of this direction, or null for both
 * @param outcome only calls of this outcome, or null for all
 * @param from only calls started at or after this instant, or null
 * @param to only calls started before this instant, or null
 * @param before only calls after this cursor in the order (started, id) descending, or null from the newest
 * @param limit at most this many calls, 1 to {@value #MAX_LIMIT}
 */
public record HistoryQuery(UserId user, CallDirection direction, CallOutcome outcome, Instant from,
        Instant to, HistoryCursor before, int limit) {
    public static final int MAX_LIMIT = 200;
    /** The history's order: newest start first, ties by id, so the order is total and a cursor is exact. */
    public static final Comparator<CallRecord> ORDER = Comparator.comparing(CallRecord::startedAt)
            .thenComparing(CallRecord::id).reversed();

    public HistoryQuery {
        if (limit < 1 || limit > MAX_LIMIT) {
            throw new IllegalArgumentException("limit must be 1 to " + MAX_LIMIT + ": " + limit);
        }
        if (user == null && direction != null) {
            throw new IllegalArgumentException("a direction needs the user whose view it is");
        }
    }

    /** One user's calls, newest first. */
    public static HistoryQuery of(UserId user, int limit) {
        return new HistoryQuery(Objects.requireNonNull(user, "user"), null, null, null, null, null, limit);
    }

    /** Everybody's calls, newest first. */
    public static HistoryQuery everyone(int limit) {
        return new HistoryQuery(null, null, null, null, null, null, limit);
    }

    public HistoryQuery withDirection(CallDirection d) {
        return new HistoryQuery(user, d, outcome, from, to, before, limit);
    }

    public HistoryQuery withOutcome(CallOutcome o) {
        return new HistoryQuery(user, direction, o, from, to, before, limit);
    }

    public HistoryQuery between(Instant fromInclusive, Instant toExclusive) {
        return new HistoryQuery(user, direction, outcome, fromInclusive, toExclusive, before, limit);
    }

    public HistoryQuery before(HistoryCursor cursor) {
        return new HistoryQuery(user, direction, outcome, from, to, cursor, limit);
    }

    /** Whether {@code record} is the user's call (every call in everyone's view). */
    public boolean involves(CallRecord record) {
        return user == null || record.involves(user);
    }

    /** The direction of {@code record} for the user; null in everyone's view. */
    public CallDirection directionOf(CallRecord record) {
        if (user == null) {
            return null;
        }
        return user.equals(record.callerUser()) ? CallDirection.OUTGOING : CallDirection.INCOMING;
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
