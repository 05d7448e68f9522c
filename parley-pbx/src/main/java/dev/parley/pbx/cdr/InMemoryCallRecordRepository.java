package dev.parley.pbx.cdr;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** CDRs in memory, for tests and a database-less run. */
public final class InMemoryCallRecordRepository implements CallRecordRepository {
    private final List<CallRecord> records = new ArrayList<>();

    @Override
    public synchronized void save(CallRecord record) {
        records.add(record);
    }

    @Override
    public synchronized List<CallRecord> recent(int limit) {
        return records.stream().sorted(Comparator.comparing(CallRecord::endedAt).reversed()).limit(limit).toList();
    }
}
