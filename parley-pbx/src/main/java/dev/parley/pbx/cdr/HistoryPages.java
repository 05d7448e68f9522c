package dev.parley.pbx.cdr;

import java.util.List;

/** Turns up to limit + 1 rows in history order into a page: the extra row, if any, only says there is a next one. */
public final class HistoryPages {
    private HistoryPages() {
    }

    public static HistoryPage cut(List<CallRecord> rows, int limit) {
        if (rows.size() <= limit) {
            return new HistoryPage(rows, null);
        }
        List<CallRecord> page = rows.subList(0, limit);
        return new HistoryPage(page, HistoryCursor.after(page.getLast()));
    }
}
