package dev.parley.pbx.cdr;

import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * How a call ended for one user, as a phone's call list shows it. Derived from the CDR ({@link #of}), never stored,
 * so the rule lives in one place and the SQL of the JDBC store mirrors it.
 *
 * <table>
 *   <caption>The rule</caption>
 *   <tr><th>the CDR</th><th>incoming</th><th>outgoing (or nobody's view)</th></tr>
 *   <tr><td>answered</td><td>answered</td><td>answered</td></tr>
 *   <tr><td>not answered, cause {@code busy} or {@code do-not-disturb} (the caller heard 486)</td><td>missed</td>
 *       <td>busy</td></tr>
 *   <tr><td>not answered, cause {@code cancelled} or {@code no-answer}</td><td>missed</td><td>missed</td></tr>
 *   <tr><td>not answered, any other cause</td><td>missed</td><td>failed</td></tr>
 * </table>
 *
 * An incoming call nobody answered is missed whatever the reason, do-not-disturb and busy included: its callee
 * should see that someone tried.
 */
public enum CallOutcome {
    ANSWERED,
    MISSED,
    BUSY,
    FAILED;

    /** The causes of an unanswered outgoing call that count as missed rather than failed. */
    public static final Set<String> UNANSWERED_CAUSES = Set.of("cancelled", "no-answer");
    /** The causes of an unanswered outgoing call that count as busy: the caller was told the callee is busy. */
    public static final Set<String> BUSY_CAUSES = Set.of("busy", "do-not-disturb");

    /** The outcome of {@code record} for a user who sees it in {@code direction} (null: no user's view). */
    public static CallOutcome of(CallRecord record, CallDirection direction) {
        if (record.answered()) {
            return ANSWERED;
        }
        if (direction == CallDirection.INCOMING) {
            return MISSED;
        }
        if (BUSY_CAUSES.contains(record.cause())) {
            return BUSY;
        }
        return UNANSWERED_CAUSES.contains(record.cause()) ? MISSED : FAILED;
    }

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<CallOutcome> fromWire(String text) {
        for (CallOutcome o : values()) {
            if (o.wireName().equals(text)) {
                return Optional.of(o);
            }
        }
        return Optional.empty();
    }
}
