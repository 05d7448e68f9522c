package dev.parley.pbx.cdr;

import java.util.List;

/**
 * One page of call history, newest start first.
 *
 * @param calls at most the query's limit
 * @param next where the following page starts, or {@code null} when there is none
 */
public record HistoryPage(List<CallRecord> calls, HistoryCursor next) {
    public HistoryPage {
        calls = List.copyOf(calls);
    }
}
