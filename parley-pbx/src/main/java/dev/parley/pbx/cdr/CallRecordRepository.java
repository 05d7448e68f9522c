package dev.parley.pbx.cdr;

import java.util.List;

/** Where CDRs go. Implementations are thread-safe; calls may block (run them off the call's lane). */
public interface CallRecordRepository {

    void save(CallRecord record);

    /** The newest first, at most {@code limit}. */
    List<CallRecord> recent(int limit);
}
