package dev.parley.pbx.presence;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.pbx.directory.UserId;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class SubscriptionTest {
    private static final PbxEvent E = new PbxEvent.PresenceChanged("101", Presence.ONLINE);

    @Test
    void aReaderThatFallsBehindIsDroppedNotWaitedFor() throws Exception {
        AtomicInteger closed = new AtomicInteger();
        Subscription s = new Subscription(new UserId("u"), 3, closed::incrementAndGet);
        for (int i = 0; i < 4; i++) {
            s.offer(E); // the fourth does not fit: never blocks, ends the subscription
        }
        assertThat(closed).hasValue(1);
        assertThat(s.ended()).contains(PbxEvent.End.TOO_SLOW);
        for (int i = 0; i < 3; i++) {
            assertThat(s.isOver()).isFalse();
            assertThat(s.next(Duration.ZERO)).contains(E); // what was queued is still delivered
        }
        assertThat(s.next(Duration.ofSeconds(5))).as("returns at once once over").isEmpty();
        assertThat(s.isOver()).isTrue();
        s.offer(E);
        s.close();
        assertThat(closed).as("closed once").hasValue(1);
    }

    @Test
    void theReaderClosingIsNotAnEndByThePbx() {
        Subscription s = new Subscription(new UserId("u"), 3, null);
        s.close();
        assertThat(s.ended()).isEmpty();
        assertThat(s.isOver()).isTrue();
    }
}
