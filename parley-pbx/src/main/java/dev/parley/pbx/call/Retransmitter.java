package dev.parley.pbx.call;

import dev.parley.common.Scheduler;
import dev.parley.sipstack.transaction.TimerSettings;
import java.time.Duration;

/**
 * RFC 3261 §13.3.1.4: the UAS core retransmits its 2xx to an INVITE "with an interval that starts at T1 seconds
 * and doubles for each retransmission until it reaches T2", until the ACK arrives; after 64·T1 without one it gives
 * up (and the call is ended with BYE). Confined to the call's lane.
 */
final class Retransmitter {
    private final Scheduler scheduler;
    private final TimerSettings timers;
    private final Runnable send;
    private final Runnable giveUp;
    private Duration interval;
    private Scheduler.Timer next;
    private Scheduler.Timer deadline;
    private boolean stopped;

    Retransmitter(Scheduler scheduler, TimerSettings timers, Runnable send, Runnable giveUp) {
        this.scheduler = scheduler;
        this.timers = timers;
        this.send = send;
        this.giveUp = giveUp;
    }

    /** Starts retransmitting; the first copy was sent by the caller. */
    Retransmitter start() {
        interval = timers.t1();
        next = scheduler.schedule(interval, this::fire);
        deadline = scheduler.schedule(TimerSettings.times(timers.t1(), 64), () -> {
            if (!stopped) {
                stop();
                giveUp.run();
            }
        });
        return this;
    }

    private void fire() {
        if (stopped) {
            return;
        }
        send.run();
        interval = TimerSettings.times(interval, 2);
        if (interval.compareTo(timers.t2()) > 0) {
            interval = timers.t2();
        }
        next = scheduler.schedule(interval, this::fire);
    }

    void stop() {
        stopped = true;
        if (next != null) {
            next.cancel();
        }
        if (deadline != null) {
            deadline.cancel();
        }
    }
}
