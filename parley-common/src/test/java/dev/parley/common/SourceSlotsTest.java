package dev.parley.common;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.parley.common.SourceSlots.Admission;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import org.junit.jupiter.api.Test;

class SourceSlotsTest {
    private static InetAddress ip(String numeric) throws Exception {
        return InetAddress.getByName(numeric); // numeric: no lookup
    }

    @Test
    void aSourceGetsAtMostItsShareAndAReleasedSlotCanBeTakenAgain() throws Exception {
        SourceSlots slots = new SourceSlots(2, 10);
        InetAddress a = ip("192.0.2.1");
        assertThat(slots.tryAcquire(a)).isEqualTo(Admission.ADMITTED);
        assertThat(slots.tryAcquire(a)).isEqualTo(Admission.ADMITTED);
        assertThat(slots.tryAcquire(a)).as("a third from one source").isEqualTo(Admission.OVER_SOURCE_CAP);
        assertThat(slots.held(a)).as("the refused one took nothing").isEqualTo(2);
        assertThat(slots.tryAcquire(ip("192.0.2.2"))).as("another source").isEqualTo(Admission.ADMITTED);
        assertThat(slots.total()).isEqualTo(3);
        slots.release(a);
        assertThat(slots.held(a)).isEqualTo(1);
        assertThat(slots.tryAcquire(a)).isEqualTo(Admission.ADMITTED);
        slots.release(a);
        slots.release(a);
        assertThat(slots.held(a)).isZero();
        assertThat(slots.total()).isEqualTo(1);
        assertThat(slots.sources()).as("a source with no slot leaves no entry").isEqualTo(1);
    }

    @Test
    void theWholeIsBoundedAcrossSources() throws Exception {
        SourceSlots slots = new SourceSlots(2, 3);
        assertThat(slots.tryAcquire(ip("192.0.2.1"))).isEqualTo(Admission.ADMITTED);
        assertThat(slots.tryAcquire(ip("192.0.2.2"))).isEqualTo(Admission.ADMITTED);
        assertThat(slots.tryAcquire(ip("2001:db8::3"))).isEqualTo(Admission.ADMITTED);
        assertThat(slots.tryAcquire(ip("192.0.2.4"))).as("over the total").isEqualTo(Admission.OVER_TOTAL_CAP);
        assertThat(slots.total()).isEqualTo(3);
        assertThat(slots.held(ip("192.0.2.4"))).as("a refused source holds nothing").isZero();
        slots.release(ip("192.0.2.1"));
        assertThat(slots.tryAcquire(ip("192.0.2.4"))).as("room again").isEqualTo(Admission.ADMITTED);
    }

    @Test
    void capsBelowOneAreRefused() {
        assertThatThrownBy(() -> new SourceSlots(0, 10)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("perSource=0");
        assertThatThrownBy(() -> new SourceSlots(1, 0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("total=0");
    }

    @Test
    void concurrentAcquireAndReleaseKeepTheCapsAndEndAtZero() throws Exception {
        int perSource = 3;
        int total = 8;
        SourceSlots slots = new SourceSlots(perSource, total);
        InetAddress[] sources = {ip("192.0.2.1"), ip("192.0.2.2"), ip("192.0.2.3"), ip("2001:db8::1")};
        int threads = 8;
        int rounds = 20_000;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        CountDownLatch start = new CountDownLatch(1);
        AtomicIntegerArray holding = new AtomicIntegerArray(sources.length);
        AtomicInteger holdingAll = new AtomicInteger();
        List<Future<int[]>> results = new ArrayList<>();
        try {
            for (int t = 0; t < threads; t++) {
                int first = t;
                results.add(pool.submit(() -> {
                    int[] outcomes = new int[Admission.values().length];
                    start.await();
                    for (int i = 0; i < rounds; i++) {
                        InetAddress source = sources[(first + i) % sources.length];
                        Admission a = slots.tryAcquire(source);
                        outcomes[a.ordinal()]++;
                        if (a == Admission.ADMITTED) {
                            // Count holders apart from the class under test (its own total may read over the cap
                            // for an instant while a refused attempt backs out): neither cap may be exceeded.
                            int k = (first + i) % sources.length;
                            int fromSource = holding.incrementAndGet(k);
                            int inAll = holdingAll.incrementAndGet();
                            if (fromSource > perSource || inAll > total) {
                                throw new AssertionError("over a cap: " + fromSource + " from " + source + ", "
                                        + inAll + " in all");
                            }
                            holdingAll.decrementAndGet();
                            holding.decrementAndGet(k);
                            slots.release(source);
                        }
                    }
                    return outcomes;
                }));
            }
            start.countDown();
            int admitted = 0;
            int refused = 0;
            for (Future<int[]> f : results) {
                int[] o = f.get(60, TimeUnit.SECONDS);
                admitted += o[Admission.ADMITTED.ordinal()];
                refused += o[Admission.OVER_SOURCE_CAP.ordinal()] + o[Admission.OVER_TOTAL_CAP.ordinal()];
            }
            assertThat(admitted + refused).isEqualTo(threads * rounds);
            assertThat(admitted).isPositive();
            assertThat(holdingAll.get()).isZero();
        } finally {
            pool.shutdownNow();
        }
        assertThat(slots.total()).isZero();
        for (InetAddress s : sources) {
            assertThat(slots.held(s)).as("held by %s", s).isZero();
        }
        assertThat(slots.sources()).as("no entry left behind").isZero();
    }
}
