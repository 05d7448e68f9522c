package dev.parley.pbx.cdr;

import java.util.List;

/** Where CDRs go. Implementations are thread-safe; calls may block (run them off the call's lane). */
public interface CallRecordRepository {

    void save(CallRecord record);

    /**
     * Saves several records together. The default saves them one by one; a database implementation writes them in
     * one transaction, so either all of them are stored or none is.
     */
    default void saveAll(List<CallRecord> records) {
        records.forEach(this::save);
    }

    /** The newest first, at most {@code limit}. */
    List<CallRecord> recent(int limit);
}
