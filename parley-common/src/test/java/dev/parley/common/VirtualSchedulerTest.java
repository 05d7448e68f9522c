package dev.parley.common;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class VirtualSchedulerTest {

    @Test
    void tasksRunInTimeOrderWhenTimeReachesThem() {
        VirtualScheduler s = new VirtualScheduler();
        List<String> ran = new ArrayList<>();
        s.schedule(Duration.ofMillis(500), () -> ran.add("b"));
        s.schedule(Duration.ofMillis(100), () -> ran.add("a"));
        s.advance(Duration.ofMillis(99));
        assertThat(ran).isEmpty();
        s.advance(Duration.ofMillis(1));
        assertThat(ran).containsExactly("a");
        s.advance(Duration.ofSeconds(1));
        assertThat(ran).containsExactly("a", "b");
        assertThat(s.elapsed()).isEqualTo(Duration.ofMillis(1100));
    }

    @Test
    void aTaskSeesTheTimeItWasDueAndMayScheduleMore() {
        VirtualScheduler s = new VirtualScheduler();
        List<Long> times = new ArrayList<>();
        // a doubling retransmission timer like SIP Timer A: 0.5 s, 1 s, 2 s ...
        Runnable[] fire = new Runnable[1];
        long[] interval = {500};
        fire[0] = () -> {
            times.add(s.nanoTime() / 1_000_000);
            interval[0] *= 2;
            s.schedule(Duration.ofMillis(interval[0]), fire[0]);
        };
        s.schedule(Duration.ofMillis(interval[0]), fire[0]);
        s.advance(Duration.ofSeconds(8));
        assertThat(times).containsExactly(500L, 1500L, 3500L, 7500L);
    }

    @Test
    void cancelledTasksDoNotRun() {
        VirtualScheduler s = new VirtualScheduler();
        List<String> ran = new ArrayList<>();
        Scheduler.Timer t = s.schedule(Duration.ofMillis(10), () -> ran.add("x"));
        t.cancel();
        s.advance(Duration.ofSeconds(1));
        assertThat(ran).isEmpty();
        assertThat(t.isCancelled()).isTrue();
        assertThat(s.pending()).isZero();
    }

    @Test
    void sameInstantRunsInSchedulingOrder() {
        VirtualScheduler s = new VirtualScheduler();
        List<Integer> ran = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            int n = i;
            s.schedule(Duration.ofMillis(1), () -> ran.add(n));
        }
        s.advance(Duration.ofMillis(1));
        assertThat(ran).containsExactly(0, 1, 2, 3, 4);
    }
}
