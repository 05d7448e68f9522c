package dev.parley.pbx.cdr;

import java.util.ArrayList;
import java.util.List;

/** Where CDRs go. Implementations are thread-safe; calls may block (run them off the call's lane). */
public interface CallRecordRepository {

    void save(CallRecord record);

    /**
     * Takes {@code record} for saving without blocking, if this repository can: true when it did (it is then written
     * as by {@link #save}), false when the caller must call {@link #save} from a thread that may block. Safe on a
     * lane. The default can never promise not to block, so it takes nothing.
     */
    default boolean offer(CallRecord record) {
        return false;
    }

    /**
     * Saves several records together. The default saves them one by one; a database implementation writes them in
     * one transaction, so either all of them are stored or none is.
     */
    default void saveAll(List<CallRecord> records) {
        records.forEach(this::save);
    }

    /** The newest first, at most {@code limit}. */
    List<CallRecord> recent(int limit);

    /**
     * A page of call history: the records {@code query} matches, in {@link HistoryQuery#ORDER}, at most its limit,
     * with the cursor of the next page when there are more. The default filters {@link #recent} in memory; a
     * database implementation answers it with an indexed query.
     */
    default HistoryPage history(HistoryQuery query) {
        List<CallRecord> matching = new ArrayList<>(recent(Integer.MAX_VALUE).stream().filter(query::matches)
                .sorted(HistoryQuery.ORDER).limit(query.limit() + 1L).toList());
        return HistoryPages.cut(matching, query.limit());
    }
}
