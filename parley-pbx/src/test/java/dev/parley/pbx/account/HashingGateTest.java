package dev.parley.pbx.account;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

class HashingGateTest {

    @Test
    void sizeFollowsMemoryAndCores() {
        long mib = 1024L * 1024;
        assertThat(HashingGate.sizeFor(64 * mib, 8)).isEqualTo(1); // 16 MiB share < one 19 MiB hash: still one
        assertThat(HashingGate.sizeFor(256 * mib, 8)).isEqualTo(3); // 64 MiB / 19 MiB
        assertThat(HashingGate.sizeFor(8192 * mib, 2)).isEqualTo(4); // two per core
    }

    @Test
    void aCallerBeyondTheCapIsRefusedInsteadOfQueueing() throws Exception {
        HashingGate gate = new HashingGate(1, Duration.ZERO);
        CountDownLatch inside = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        Thread holder = Thread.ofVirtual().start(() -> gate.run(() -> {
            inside.countDown();
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return null;
        }));
        inside.await();
        assertThat(gate.available()).isZero();
        assertThatThrownBy(() -> gate.run(() -> "second")).isInstanceOf(HashingGate.Busy.class);
        release.countDown();
        holder.join();
        assertThat(gate.run(() -> "third")).isEqualTo("third");
        assertThat(gate.available()).isEqualTo(1);
    }
}
