package dev.parley.pbx.cdr;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** CDRs queued off the call path: every saved record is written, in batches, and close writes what is queued. */
class BatchingCallRecordsTest {
    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    @Test
    void everySavedRecordIsWrittenAndRecentSeesThem() {
        InMemoryCallRecordRepository target = new InMemoryCallRecordRepository();
        try (BatchingCallRecords records = new BatchingCallRecords(target)) {
            for (int i = 0; i < 1000; i++) {
                records.save(record(i));
            }
            assertThat(records.recent(2000)).hasSize(1000);
            assertThat(target.recent(2000)).hasSize(1000);
        }
    }

    @Test
    void recordsQueuedWhileTheTargetIsBusyGoInOneBatch() throws Exception {
        CountDownLatch firstWriteStarted = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        List<Integer> batchSizes = Collections.synchronizedList(new ArrayList<>());
        CallRecordRepository slow = new CallRecordRepository() {
            @Override
            public void save(CallRecord record) {
                throw new AssertionError("saveAll expected");
            }

            @Override
            public void saveAll(List<CallRecord> batch) {
                batchSizes.add(batch.size());
                firstWriteStarted.countDown();
                try {
                    release.await(30, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }

            @Override
            public List<CallRecord> recent(int limit) {
                return List.of();
            }
        };
        try (BatchingCallRecords records = new BatchingCallRecords(slow)) {
            records.save(record(0));
            assertThat(firstWriteStarted.await(30, TimeUnit.SECONDS)).isTrue();
            for (int i = 1; i <= 50; i++) {
                records.save(record(i));
            }
            release.countDown();
            records.flush();
        }
        assertThat(batchSizes).containsExactly(1, 50);
    }

    @Test
    void closeWritesWhatIsQueuedAndThenRefusesMore() {
        InMemoryCallRecordRepository target = new InMemoryCallRecordRepository();
        BatchingCallRecords records = new BatchingCallRecords(target);
        for (int i = 0; i < 200; i++) {
            records.save(record(i));
        }
        records.close();
        assertThat(target.recent(1000)).hasSize(200);
        assertThatThrownBy(() -> records.save(record(999))).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void aRefusedBatchIsDroppedAndTheWriterGoesOn() {
        InMemoryCallRecordRepository stored = new InMemoryCallRecordRepository();
        CallRecordRepository flaky = new CallRecordRepository() {
            @Override
            public void save(CallRecord record) {
                if (record.id().equals("cdr-0")) {
                    throw new IllegalStateException("disk full");
                }
                stored.save(record);
            }

            @Override
            public List<CallRecord> recent(int limit) {
                return stored.recent(limit);
            }
        };
        try (BatchingCallRecords records = new BatchingCallRecords(flaky)) {
            records.save(record(0));
            records.flush();
            records.save(record(1));
            assertThat(records.recent(10)).extracting(CallRecord::id).containsExactly("cdr-1");
        }
    }

    @Test
    void offerQueuesWithoutWaitingAndEveryOfferedRecordIsWritten() {
        InMemoryCallRecordRepository target = new InMemoryCallRecordRepository();
        try (BatchingCallRecords records = new BatchingCallRecords(target)) {
            for (int i = 0; i < 300; i++) {
                assertThat(records.offer(record(i))).isTrue();
            }
            assertThat(records.recent(1000)).hasSize(300);
        }
    }

    @Test
    void offerSaysFalseWhenTheQueueIsFullAndAfterClose() throws Exception {
        CountDownLatch firstWriteStarted = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        InMemoryCallRecordRepository stored = new InMemoryCallRecordRepository();
        CallRecordRepository blocked = new CallRecordRepository() {
            @Override
            public void save(CallRecord record) {
                stored.save(record);
            }

            @Override
            public void saveAll(List<CallRecord> batch) {
                firstWriteStarted.countDown();
                try {
                    release.await(30, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                batch.forEach(stored::save);
            }

            @Override
            public List<CallRecord> recent(int limit) {
                return stored.recent(limit);
            }
        };
        BatchingCallRecords records = new BatchingCallRecords(blocked);
        records.offer(record(0));
        assertThat(firstWriteStarted.await(30, TimeUnit.SECONDS)).isTrue();
        int accepted = 1;
        // the writer holds one batch; the queue takes CAPACITY more, then offer refuses instead of waiting
        int most = BatchingCallRecords.CAPACITY + BatchingCallRecords.MAX_BATCH;
        while (accepted <= most && records.offer(record(accepted))) {
            accepted++;
        }
        assertThat(accepted).isBetween(BatchingCallRecords.CAPACITY + 1, most);
        release.countDown();
        records.flush(); // returns: the refused offer is not counted as pending
        assertThat(stored.recent(2 * BatchingCallRecords.CAPACITY)).hasSize(accepted);
        records.close();
        assertThat(records.offer(record(-1))).isFalse();
    }

    private static CallRecord record(int i) {
        return new CallRecord("cdr-" + i, "call-" + i, "100", "101", null, T0, null, T0.plusSeconds(i), 487,
                "cancelled");
    }
}
