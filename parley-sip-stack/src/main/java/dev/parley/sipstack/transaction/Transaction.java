package dev.parley.sipstack.transaction;

import dev.parley.common.Scheduler;
import dev.parley.sip.codec.SipSerializer;
import dev.parley.sip.message.SipMessage;
import dev.parley.sip.message.SipMethod;
import dev.parley.sip.message.SipRequest;
import dev.parley.sipstack.flow.Flow;
import java.time.Duration;
import java.util.function.Consumer;

/**
 * What the four state machines share: the request that created the transaction, the flow it runs on, its state and
 * the plumbing for timers and sends. Confined to the layer's lane (see the package documentation).
 *
 * <p>A transaction lets go of its parsed request ({@link #release}) when it enters a state in which it only waits
 * out a timer (Completed, Accepted, Confirmed): RFC 3261 and RFC 6026 keep it up to 32 s there, and at a thousand
 * calls a second the parsed messages of those 32 s (a few KB each: header objects, strings) were most of the live
 * heap, copied again by every young collection. What a waiting transaction still needs it keeps apart: its key,
 * Call-ID, method and branch, and the bytes of what it may send again.
 */
public abstract sealed class Transaction permits ClientTransaction, ServerTransaction {
    final Scheduler scheduler;
    final TimerSettings timers;
    /** Null once {@link #release}d. */
    SipRequest request;
    private final String method;
    private final String callId;
    private final String branch;
    final Flow flow;
    final TransactionKey key;
    private final Consumer<Transaction> onTerminated;
    TransactionState state;

    Transaction(Context context, SipRequest request, Flow flow, TransactionKey key, TransactionState initial) {
        this.scheduler = context.scheduler();
        this.timers = context.timers();
        this.onTerminated = context.onTerminated();
        this.request = request;
        this.method = request.method();
        this.callId = request.callId();
        this.branch = request.topVia().branch();
        this.flow = flow;
        this.key = key;
        this.state = initial;
    }

    /** What the layer hands each transaction it creates. */
    record Context(Scheduler scheduler, TimerSettings timers, Consumer<Transaction> onTerminated) {
    }

    /**
     * The request that created the transaction, while the transaction is still working on it: a server transaction
     * until its final response, a client transaction until its final response has been reported. After that it
     * keeps only what it needs to absorb retransmissions (see the class documentation); {@link #callId()},
     * {@link #method()} and {@link #branch()} stay.
     *
     * @throws IllegalStateException once the transaction has let go of the request
     */
    public final SipRequest request() {
        if (request == null) {
            throw new IllegalStateException(this + " has let go of its request after its final response: "
                    + "read callId(), method() or branch(), or keep the request where it is needed");
        }
        return request;
    }

    /** The Call-ID of the request; kept for the transaction's whole life. */
    public final String callId() {
        return callId;
    }

    /** The request's method; kept for the transaction's whole life. */
    public final String method() {
        return method;
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

    /** The top Via branch of the request ({@code null} for an RFC 2543 request without one). */
    public final String branch() {
        return branch;
    }

    public final boolean isInvite() {
        return SipMethod.INVITE.equals(method);
    }

    /**
     * Lets go of the parsed request: the transaction has entered a state in which it only absorbs retransmissions
     * and waits out a timer (RFC 3261 §17.1.1.2 Timer D, §17.1.2.2 Timer K, §17.2.1 Timers H/I, §17.2.2 Timer J;
     * RFC 6026 Timers L and M), and needs nothing of it there.
     */
    final void release() {
        request = null;
    }

    /** A timer whose task is skipped once the transaction has terminated. */
    final Scheduler.Timer schedule(Duration delay, Runnable task) {
        return scheduler.schedule(delay, () -> {
            if (state != TransactionState.TERMINATED) {
                task.run();
            }
        });
    }

    /**
     * Hands a message to the flow; false (after reporting a transport error) when the flow has closed. RFC 3261
     * §17.1.4, §17.2.4: a transport failure ends the transaction and is reported to the TU.
     */
    final boolean send(SipMessage message) {
        return send(SipSerializer.serialize(message));
    }

    /** The same for a message already serialised: a retransmission sends exactly the bytes it sent before. */
    final boolean send(byte[] message) {
        if (!flow.isOpen()) {
            transportError();
            return false;
        }
        flow.send(message);
        return true;
    }

    /**
     * Ends the transaction after {@code delay} (Timers D, I, J, K, L, M), or now when the delay is zero (reliable
     * transports). Without {@link #schedule}'s guard: {@link #terminate} does nothing to a terminated transaction
     * anyway, and these timers wait up to 32 s, so one object less each counts (docs/benchmarks.md, fourteenth
     * session, statecut).
     */
    final Scheduler.Timer terminateAfter(Duration delay) {
        if (delay.isZero() || delay.isNegative()) {
            terminate();
            return null;
        }
        return scheduler.schedule(delay, this::terminate);
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
        return getClass().getSimpleName() + '[' + method + ' ' + branch + ' ' + state + ']';
    }
}
