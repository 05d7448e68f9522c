package dev.parley.sipstack.transaction;

import dev.parley.common.Scheduler;
import dev.parley.sip.codec.SipSerializer;
import dev.parley.sip.message.SipRequest;
import dev.parley.sip.message.SipResponse;
import dev.parley.sipstack.flow.Flow;
import java.time.Duration;

/**
 * The INVITE client transaction of RFC 3261 §17.1.1 (Figure 5) as amended by RFC 6026 §8.4:
 *
 * <pre>
 *  Calling ──1xx──▶ Proceeding ──300-699 / send ACK──▶ Completed ──Timer D──▶ Terminated
 *     │                 │
 *     └──2xx────────────┴──────────────────────────▶ Accepted ──Timer M──▶ Terminated
 *  Calling ──Timer B / transport error──▶ Terminated
 * </pre>
 */
final class InviteClientTransaction extends ClientTransaction {
    private Scheduler.Timer timerA;
    private Scheduler.Timer timerB;
    private Scheduler.Timer timerD;
    private Scheduler.Timer timerM;
    private Duration intervalA;
    /** The ACK for the non-2xx final response, serialised once: Completed sends the same bytes again. */
    private byte[] ack;

    InviteClientTransaction(Context context, SipRequest invite, Flow flow, TransactionKey key, Listener listener) {
        super(context, invite, flow, key, TransactionState.CALLING, listener);
    }

    @Override
    void start() {
        if (!send(request)) {
            return;
        }
        // RFC 3261 §17.1.1.2: Timer A only on unreliable transports; Timer B always
        if (!flow.isReliable()) {
            intervalA = timers.timerA();
            timerA = schedule(intervalA, this::timerAFired);
        }
        timerB = schedule(timers.timerB(), this::timerBFired);
    }

    private void timerAFired() {
        if (state != TransactionState.CALLING) {
            return;
        }
        if (!send(request)) {
            return;
        }
        // RFC 3261 §17.1.1.2: "reset the timer with a value of 2*T1" — INVITE doubles without the T2 cap
        intervalA = TimerSettings.times(intervalA, 2);
        timerA = schedule(intervalA, this::timerAFired);
    }

    private void timerBFired() {
        if (state != TransactionState.CALLING) {
            return;
        }
        terminate();
        listener.onTimeout(this);
    }

    @Override
    void receive(SipResponse response) {
        switch (state) {
            case CALLING, PROCEEDING -> {
                if (response.isProvisional()) {
                    if (state == TransactionState.CALLING) {
                        // RFC 3261 §17.1.1.2: no retransmissions in Proceeding, and Timer B applies to Calling only
                        state = TransactionState.PROCEEDING;
                        cancel(timerA);
                        cancel(timerB);
                    }
                    listener.onProvisional(this, response);
                } else if (response.isSuccess()) {
                    // RFC 6026 §8.4: 2xx moves to Accepted; the ACK for it is the TU's (RFC 3261 §13.2.2.4)
                    cancel(timerA);
                    cancel(timerB);
                    state = TransactionState.ACCEPTED;
                    timerM = terminateAfter(timers.timerM());
                    listener.onFinal(this, response);
                    // Accepted passes further 2xx to the listener and needs nothing of the request
                    release();
                } else {
                    cancel(timerA);
                    cancel(timerB);
                    state = TransactionState.COMPLETED;
                    // RFC 3261 §17.1.1.3: the transaction generates the ACK for a non-2xx final response
                    ack = SipSerializer.serialize(DerivedMessages.ackForNon2xx(request, response));
                    if (!send(ack)) {
                        return;
                    }
                    listener.onFinal(this, response);
                    quiet();
                    if (state == TransactionState.COMPLETED) {
                        timerD = terminateAfter(timers.timerD(flow.isReliable()));
                    }
                }
            }
            case COMPLETED -> {
                // RFC 3261 §17.1.1.2: a retransmitted final response is ACKed again and not passed up
                if (response.isFinal() && !response.isSuccess()) {
                    send(ack);
                }
            }
            case ACCEPTED -> {
                // RFC 6026 §8.4: every 2xx goes to the TU, anything else is discarded
                if (response.isSuccess()) {
                    listener.onAdditional2xx(this, response);
                }
            }
            default -> {
                // Terminated: the layer no longer routes responses here
            }
        }
    }

    @Override
    void cancelTimers() {
        cancel(timerA);
        cancel(timerB);
        cancel(timerD);
        cancel(timerM);
    }

    @Override
    void transportError() {
        boolean pending = state == TransactionState.CALLING || state == TransactionState.PROCEEDING;
        terminate();
        if (pending) {
            listener.onTransportError(this);
        }
    }
}
