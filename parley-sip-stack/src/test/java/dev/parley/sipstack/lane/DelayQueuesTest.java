package dev.parley.sipstack.lane;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.common.Scheduler;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The lane's FIFO timer queues in virtual time: a fake clock and a list of armed queues stand for the executor. */
class DelayQueuesTest {
    private static final long MS = 1_000_000;

    private long now;
    private final List<Armed> armed = new ArrayList<>();
    private final List<String> fired = new ArrayList<>();
    private final DelayQueues queues = new DelayQueues(() -> now,
            (queue, delay) -> armed.add(new Armed(now + delay, queue)), Runnable::run);

    private record Armed(long at, DelayQueues.Queue queue) {
    }

    /** Advances the clock to {@code until}, expiring armed queues in the order of their arming times. */
    private void advanceTo(long until) {
        while (true) {
            Armed next = armed.stream().filter(a -> a.at() <= until).min(Comparator.comparingLong(Armed::at))
                    .orElse(null);
            if (next == null) {
                break;
            }
            armed.remove(next);
            now = next.at();
            next.queue().expire();
        }
        now = until;
    }

    private Scheduler.Timer set(long delayMs, String name) {
        return queues.offer(delayMs * MS, () -> fired.add(name + "@" + now / MS));
    }

    @Test
    void timersOfOneDelayFireInOrderAtTheirDeadlines() {
        set(32_000, "a");
        now = 10 * MS;
        set(32_000, "b");
        now = 11 * MS;
        set(32_000, "c");

        assertThat(armed).hasSize(1); // only the head of the queue waits on the executor
        advanceTo(32_005 * MS);
        assertThat(fired).containsExactly("a@32000");
        advanceTo(40_000 * MS);
        assertThat(fired).containsExactly("a@32000", "b@32010", "c@32020"); // c on the tick after its deadline
        assertThat(queues.queueCount()).isZero(); // an empty queue is dropped
        assertThat(armed).isEmpty();
    }

    @Test
    void neverEarlyAndLessThanOneTickLate() {
        set(500, "a");
        now = MS / 2;
        set(500, "b"); // due half a millisecond after a, between two ticks: runs at the next one

        advanceTo(499 * MS);
        assertThat(fired).isEmpty();
        advanceTo(509 * MS);
        assertThat(fired).containsExactly("a@500");
        advanceTo(510 * MS);
        assertThat(fired).containsExactly("a@500", "b@510");
    }

    @Test
    void queuesOfDifferentDelaysSetAtDifferentMomentsWakeTheLaneAtOneTick() {
        now = MS;
        set(500, "a"); // due at 501 ms
        now = 6 * MS;
        set(504, "b"); // due at 510 ms
        now = 8 * MS;
        set(32_000, "c"); // due at 32,008 ms

        assertThat(armed).extracting(Armed::at).containsExactlyInAnyOrder(510 * MS, 510 * MS, 32_010 * MS);
        advanceTo(40_000 * MS);
        assertThat(fired).containsExactly("a@510", "b@510", "c@32010");
    }

    @Test
    void ticksAreMultiplesOfTheClockAlsoWhereItIsNegative() {
        long tick = DelayQueues.TICK_NANOS;
        assertThat(DelayQueues.untilTick(-tick - 5 * MS, -2 * tick)).isEqualTo(tick); // next tick: -tick
        assertThat(DelayQueues.untilTick(-2 * tick, -2 * tick - 5 * MS)).isEqualTo(5 * MS); // due on a tick
        assertThat(DelayQueues.untilTick(3 * tick + 1, 3 * tick)).isEqualTo(tick);
        assertThat(DelayQueues.untilTick(3 * tick, 3 * tick)).isEqualTo(1); // never zero: run, then re-arm
    }

    @Test
    void distinctDelaysHaveTheirOwnQueues() {
        set(32_000, "long");
        set(5_000, "k");
        set(500, "a");
        assertThat(queues.queueCount()).isEqualTo(3);

        advanceTo(33_000 * MS);
        assertThat(fired).containsExactly("a@500", "k@5000", "long@32000");
    }

    @Test
    void aCancelledTimerNeverRunsAndKeepsNoTask() {
        Scheduler.Timer a = set(32_000, "a");
        set(32_000, "b");
        a.cancel();
        assertThat(a.isCancelled()).isTrue();
        assertThat(queues.queued()).isEqualTo(2); // stays until its deadline, without its task

        advanceTo(33_000 * MS);
        assertThat(fired).containsExactly("b@32000");
        assertThat(queues.queued()).isZero();
    }

    @Test
    void cancelledTimersAreRemovedOnceTheyAreMoreThanHalfOfTheirQueue() {
        // Timer B's pattern: set for 32 s, cancelled by the first response milliseconds later; a few live ones between
        List<Scheduler.Timer> cancelledOnes = new ArrayList<>();
        for (int i = 0; i < DelayQueues.COMPACT_MIN; i++) {
            now = i * MS;
            set(32_000, "live" + i);
            cancelledOnes.add(set(32_000, "cancelled" + i));
            cancelledOnes.add(set(32_000, "cancelled too" + i));
        }
        assertThat(queues.queued()).isEqualTo(3 * DelayQueues.COMPACT_MIN);
        cancelledOnes.forEach(Scheduler.Timer::cancel);
        assertThat(queues.queued()).isEqualTo(3 * DelayQueues.COMPACT_MIN); // nothing removed before the next offer

        now = 100 * MS;
        set(32_000, "after");
        assertThat(queues.queued()).isEqualTo(DelayQueues.COMPACT_MIN + 1); // live ones only, and the new one
        assertThat(cancelledOnes).allMatch(Scheduler.Timer::isCancelled);

        // the live timers still fire in order, each at its own deadline's tick, and none of the cancelled ones
        advanceTo(40_000 * MS);
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < DelayQueues.COMPACT_MIN; i++) {
            expected.add("live" + i + "@" + (32_000 + (i + 9) / 10 * 10));
        }
        expected.add("after@32100");
        assertThat(fired).containsExactlyElementsOf(expected);
        assertThat(queues.queueCount()).isZero();
        assertThat(armed).isEmpty();
    }

    @Test
    void fewCancelledTimersAreLeftForTheirDeadline() {
        // below COMPACT_MIN, or not more than half of the queue: a pass would not pay for itself
        List<Scheduler.Timer> timers = new ArrayList<>();
        for (int i = 0; i < 2 * DelayQueues.COMPACT_MIN; i++) {
            timers.add(set(32_000, "t" + i));
        }
        for (int i = 0; i < DelayQueues.COMPACT_MIN; i++) {
            timers.get(2 * i).cancel(); // exactly half
        }
        set(32_000, "next");
        assertThat(queues.queued()).isEqualTo(2 * DelayQueues.COMPACT_MIN + 1);
        timers.get(1).cancel(); // now more than half
        set(32_000, "last");
        assertThat(queues.queued()).isEqualTo(DelayQueues.COMPACT_MIN - 1 + 2); // t1 and the even ones gone
    }

    @Test
    void aQueueCompactedToNothingStillRunsWhatIsSetLater() {
        List<Scheduler.Timer> timers = new ArrayList<>();
        for (int i = 0; i < DelayQueues.COMPACT_MIN; i++) {
            timers.add(set(500, "t" + i));
        }
        timers.forEach(Scheduler.Timer::cancel);
        now = 200 * MS;
        set(500, "later"); // compacts the queue to nothing, then appends: the queue stays armed for the old head
        assertThat(queues.queued()).isEqualTo(1);

        advanceTo(2_000 * MS);
        assertThat(fired).containsExactly("later@700");
        assertThat(queues.queueCount()).isZero();
        assertThat(armed).isEmpty();
    }

    @Test
    void cancelAfterRunningIsHarmless() {
        Scheduler.Timer a = set(100, "a");
        advanceTo(200 * MS);
        a.cancel();
        assertThat(a.isCancelled()).isFalse();
        assertThat(fired).containsExactly("a@100");
    }

    @Test
    void aTimerSetByAFiringTimerOfTheSameDelayRunsOneDelayLater() {
        // Timer A's pattern: each firing sets the next of the same queue (here a constant interval)
        Runnable[] again = new Runnable[1];
        again[0] = () -> {
            fired.add("tick@" + now / MS);
            if (fired.size() < 3) {
                queues.offer(500 * MS, again[0]);
            }
        };
        queues.offer(500 * MS, again[0]);

        advanceTo(10_000 * MS);
        assertThat(fired).containsExactly("tick@500", "tick@1000", "tick@1500");
        assertThat(armed).isEmpty();
    }

    @Test
    void beyondTheLimitOfDistinctDelaysTheCallerSchedulesElsewhere() {
        for (int i = 1; i <= DelayQueues.MAX_QUEUES; i++) {
            assertThat(set(i, "t" + i)).isNotNull();
        }
        assertThat(set(DelayQueues.MAX_QUEUES + 1, "over")).isNull();
        assertThat(set(1, "same delay as a queue")).isNotNull();

        advanceTo(1_000 * MS);
        assertThat(fired).hasSize(DelayQueues.MAX_QUEUES + 1);
        assertThat(queues.queueCount()).isZero();
        assertThat(set(DelayQueues.MAX_QUEUES + 1, "room again")).isNotNull();
    }
}
