package dev.parley.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** {@link GroupCommit}: batches form while a transaction runs, each caller gets its own outcome, nobody is left. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class GroupCommitTest {

    @Test
    void aLoneItemIsCommittedAtOnceOnTheCallersThread() {
        List<String> threads = new ArrayList<>();
        GroupCommit<String, String> commits = new GroupCommit<>(batch -> {
            threads.add(Thread.currentThread().getName());
            return batch.stream().map(s -> s + " committed").toList();
        }, 8);
        assertThat(commits.submit("a")).isEqualTo("a committed");
        assertThat(commits.submit("b")).isEqualTo("b committed");
        assertThat(threads).containsExactly(Thread.currentThread().getName(), Thread.currentThread().getName());
        assertThat(commits.waiting()).isZero();
    }

    @Test
    void itemsArrivingDuringATransactionGoTogetherInTheNext() throws Exception {
        CountDownLatch firstRunning = new CountDownLatch(1);
        CountDownLatch releaseFirst = new CountDownLatch(1);
        List<List<String>> batches = new CopyOnWriteArrayList<>();
        GroupCommit<String, String> commits = new GroupCommit<>(batch -> {
            batches.add(List.copyOf(batch));
            if (batch.contains("first")) {
                firstRunning.countDown();
                await(releaseFirst);
            }
            return batch.stream().map(s -> s + " committed").toList();
        }, 64);
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            Future<String> first = pool.submit(() -> commits.submit("first"));
            assertThat(firstRunning.await(10, TimeUnit.SECONDS)).isTrue();
            List<Future<String>> others = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                String item = "w" + i;
                others.add(pool.submit(() -> commits.submit(item)));
            }
            while (commits.waiting() < 10) {
                Thread.sleep(1);
            }
            assertThat(batches).hasSize(1); // the ten wait: one transaction at a time
            releaseFirst.countDown();

            assertThat(first.get()).isEqualTo("first committed");
            for (int i = 0; i < 10; i++) {
                assertThat(others.get(i).get()).isEqualTo("w" + i + " committed");
            }
        }
        assertThat(batches).hasSize(2);
        assertThat(batches.get(1)).containsExactlyInAnyOrder("w0", "w1", "w2", "w3", "w4", "w5", "w6", "w7", "w8",
                "w9");
    }

    @Test
    void aFailedBatchIsRunAgainItemByItemSoOnlyTheFailingItemFails() throws Exception {
        CountDownLatch firstRunning = new CountDownLatch(1);
        CountDownLatch releaseFirst = new CountDownLatch(1);
        List<List<String>> batches = new CopyOnWriteArrayList<>();
        GroupCommit<String, String> commits = new GroupCommit<>(batch -> {
            batches.add(List.copyOf(batch));
            if (batch.contains("first")) {
                firstRunning.countDown();
                await(releaseFirst);
            }
            if (batch.contains("bad")) {
                throw new IllegalStateException("constraint failed: " + batch);
            }
            return batch.stream().map(s -> s + " committed").toList();
        }, 64);
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            Future<String> first = pool.submit(() -> commits.submit("first"));
            assertThat(firstRunning.await(10, TimeUnit.SECONDS)).isTrue();
            Future<String> a = pool.submit(() -> commits.submit("a"));
            Future<String> bad = pool.submit(() -> commits.submit("bad"));
            Future<String> b = pool.submit(() -> commits.submit("b"));
            while (commits.waiting() < 3) {
                Thread.sleep(1);
            }
            releaseFirst.countDown();

            assertThat(first.get()).isEqualTo("first committed");
            assertThat(a.get()).isEqualTo("a committed");
            assertThat(b.get()).isEqualTo("b committed");
            assertThatThrownBy(bad::get).hasCauseInstanceOf(IllegalStateException.class)
                    .cause().hasMessage("constraint failed: [bad]");
        }
        // first; then a, bad, b together (rolled back); then each alone
        assertThat(batches).hasSize(5);
        assertThat(batches.get(1)).hasSize(3);
        assertThat(batches.subList(2, 5)).allMatch(batch -> batch.size() == 1);
    }

    @Test
    void aLoneFailureIsThrownAsIs() {
        IllegalStateException failure = new IllegalStateException("disk full");
        GroupCommit<String, String> commits = new GroupCommit<>(batch -> {
            throw failure;
        }, 8);
        assertThatThrownBy(() -> commits.submit("a")).isSameAs(failure);
        assertThat(commits.waiting()).isZero();
    }

    @Test
    void anErrorInTheCommitterFailsTheBatchAndLeavesNobodyWaiting() throws Exception {
        CountDownLatch firstRunning = new CountDownLatch(1);
        CountDownLatch releaseFirst = new CountDownLatch(1);
        AtomicInteger calls = new AtomicInteger();
        GroupCommit<String, String> commits = new GroupCommit<>(batch -> {
            if (calls.incrementAndGet() == 1) {
                firstRunning.countDown();
                await(releaseFirst);
                throw new AssertionError("an Error, not an exception");
            }
            return batch.stream().map(s -> s + " committed").toList();
        }, 8);
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            Future<String> first = pool.submit(() -> commits.submit("first"));
            assertThat(firstRunning.await(10, TimeUnit.SECONDS)).isTrue();
            Future<String> later = pool.submit(() -> commits.submit("later"));
            while (commits.waiting() < 1) {
                Thread.sleep(1);
            }
            releaseFirst.countDown();
            assertThatThrownBy(first::get).hasCauseInstanceOf(AssertionError.class);
            assertThat(later.get()).isEqualTo("later committed"); // handed the lead, not left parked
        }
    }

    @Test
    void batchesAreCappedAndTheRestFollow() throws Exception {
        CountDownLatch firstRunning = new CountDownLatch(1);
        CountDownLatch releaseFirst = new CountDownLatch(1);
        List<Integer> sizes = new CopyOnWriteArrayList<>();
        GroupCommit<String, String> commits = new GroupCommit<>(batch -> {
            sizes.add(batch.size());
            if (batch.contains("first")) {
                firstRunning.countDown();
                await(releaseFirst);
            }
            return batch.stream().map(s -> s + " committed").toList();
        }, 4);
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            Future<String> first = pool.submit(() -> commits.submit("first"));
            assertThat(firstRunning.await(10, TimeUnit.SECONDS)).isTrue();
            List<Future<String>> others = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                String item = "w" + i;
                others.add(pool.submit(() -> commits.submit(item)));
            }
            while (commits.waiting() < 10) {
                Thread.sleep(1);
            }
            releaseFirst.countDown();
            first.get();
            for (int i = 0; i < 10; i++) {
                assertThat(others.get(i).get()).isEqualTo("w" + i + " committed");
            }
        }
        assertThat(sizes).allMatch(n -> n <= 4);
        assertThat(sizes.stream().mapToInt(Integer::intValue).sum()).isEqualTo(11);
    }

    /** Many callers at once: every one gets its own result, and transactions never overlap. */
    @Test
    void underContentionEveryItemIsCommittedOnceAndTransactionsNeverOverlap() throws Exception {
        AtomicBoolean inTransaction = new AtomicBoolean();
        AtomicInteger overlaps = new AtomicInteger();
        List<String> committed = Collections.synchronizedList(new ArrayList<>());
        AtomicInteger transactions = new AtomicInteger();
        GroupCommit<String, String> commits = new GroupCommit<>(batch -> {
            if (!inTransaction.compareAndSet(false, true)) {
                overlaps.incrementAndGet();
            }
            transactions.incrementAndGet();
            Thread.onSpinWait();
            committed.addAll(batch);
            inTransaction.set(false);
            return batch.stream().map(s -> s + "!").toList();
        }, 16);
        int callers = 64;
        int each = 500;
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < callers; t++) {
                int caller = t;
                done.add(pool.submit(() -> {
                    for (int i = 0; i < each; i++) {
                        String item = caller + ":" + i;
                        assertThat(commits.submit(item)).isEqualTo(item + "!");
                    }
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get();
            }
        }
        assertThat(overlaps).hasValue(0);
        assertThat(committed).hasSize(callers * each).doesNotHaveDuplicates();
        assertThat(transactions.get()).isLessThanOrEqualTo(callers * each);
        assertThat(commits.waiting()).isZero();
    }

    @Test
    void maxBatchMustBePositive() {
        assertThatThrownBy(() -> new GroupCommit<String, String>(batch -> batch, 0))
                .isInstanceOf(IllegalArgumentException.class);
    }

    private static void await(CountDownLatch latch) {
        try {
            if (!latch.await(20, TimeUnit.SECONDS)) {
                throw new IllegalStateException("not released");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
