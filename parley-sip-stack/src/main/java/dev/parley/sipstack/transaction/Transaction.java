package dev.parley.sipstack.transaction;

import dev.parley.common.Scheduler;
import dev.parley.sip.message.SipMessage;
import dev.parley.sip.message.SipMethod;
import dev.parley.sip.message.SipRequest;
import dev.parley.sipstack.flow.Flow;
import java.time.Duration;
import java.util.function.Consumer;

/**
 * What the four state machines share: the request that created the transaction, the flow it runs on, its state and
 * the plumbing for timers and sends. Confined to the layer's lane (see the package documentation).
 */
public abstract sealed class Transaction permits ClientTransaction, ServerTransaction {
    final Scheduler scheduler;
    final TimerSettings timers;
    final SipRequest request;
    final Flow flow;
    final TransactionKey key;
    private final Consumer<Transaction> onTerminated;
    TransactionState state;

    Transaction(Context context, SipRequest request, Flow flow, TransactionKey key, TransactionState initial) {
        this.scheduler = context.scheduler();
        this.timers = context.timers();
        this.onTerminated = context.onTerminated();
        this.request = request;
        this.flow = flow;
        this.key = key;
        this.state = initial;
    }

    /** What the layer hands each transaction it creates. */
    record Context(Scheduler scheduler, TimerSettings timers, Consumer<Transaction> onTerminated) {
    }

    /** The request that created the transaction. */
    public final SipRequest request() {
        return request;
    }

    /** The flow the request was sent on (client) or arrived on (server), where every message of the transaction goes. */
    public final Flow flow() {
        return flow;
    }

    public final TransactionState state() {
        return state;
    }

    public final boolean isTerminated() {
        return state == TransactionState.TERMINATED;
    }

    /** The top Via branch of the request. */
    public final String branch() {
        return request.topVia().branch();
    }

    public final boolean isInvite() {
        return request.isMethod(SipMethod.INVITE);
    }

    /** A timer whose task is skipped once the transaction has terminated. */
    final Scheduler.Timer schedule(Duration delay, Runnable task) {
        return scheduler.schedule(delay, () -> {
            if (state != TransactionState.TERMINATED) {
                task.run();
            }
        });
    }

    /** Runs {@code task} after {@code delay}, or at once when the delay is zero (reliable transports). */
    final Scheduler.Timer scheduleOrRun(Duration delay, Runnable task) {
        if (delay.isZero() || delay.isNegative()) {
            task.run();
            return null;
        }
        return schedule(delay, task);
    }

    /**
     * Hands a message to the flow; false (after reporting a transport error) when the flow has closed. RFC 3261
     * §17.1.4, §17.2.4: a transport failure ends the transaction and is reported to the TU.
     */
    final boolean send(SipMessage message) {
        if (!flow.isOpen()) {
            transportError();
            return false;
        }
        flow.send(message);
        return true;
    }

    /** Ends the transaction: cancels its timers and removes it from the layer. Idempotent. */
    final void terminate() {
        if (state == TransactionState.TERMINATED) {
            return;
        }
        state = TransactionState.TERMINATED;
        cancelTimers();
        onTerminated.accept(this);
    }

    static void cancel(Scheduler.Timer timer) {
        if (timer != null) {
            timer.cancel();
        }
    }

    abstract void cancelTimers();

    /** The flow failed: terminate, and tell the TU if the transaction had not finished its job. */
    abstract void transportError();

    @Override
    public String toString() {
        return getClass().getSimpleName() + '[' + request.method() + ' ' + branch() + ' ' + state + ']';
    }
}
