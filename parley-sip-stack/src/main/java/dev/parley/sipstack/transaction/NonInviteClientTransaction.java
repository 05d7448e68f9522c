package dev.parley.sipstack.transaction;

import dev.parley.common.Scheduler;
import dev.parley.sip.message.SipRequest;
import dev.parley.sip.message.SipResponse;
import dev.parley.sipstack.flow.Flow;
import java.time.Duration;

/**
 * The non-INVITE client transaction of RFC 3261 §17.1.2 (Figure 6):
 *
 * <pre>
 *  Trying ──1xx──▶ Proceeding ──200-699──▶ Completed ──Timer K──▶ Terminated
 *     └──200-699────────────────────────────▲
 *  Trying, Proceeding ──Timer F / transport error──▶ Terminated
 * </pre>
 */
final class NonInviteClientTransaction extends ClientTransaction {
    private Scheduler.Timer timerE;
    private Scheduler.Timer timerF;
    private Scheduler.Timer timerK;
    private Duration intervalE;

    NonInviteClientTransaction(Context context, SipRequest request, Flow flow, TransactionKey key,
            Listener listener) {
        super(context, request, flow, key, TransactionState.TRYING, listener);
    }

    @Override
    void start() {
        if (!send(request)) {
            return;
        }
        // RFC 3261 §17.1.2.2: Timer E only on unreliable transports; Timer F always
        if (!flow.isReliable()) {
            intervalE = timers.timerE();
            timerE = schedule(intervalE, this::timerEFired);
        }
        timerF = schedule(timers.timerF(), this::timerFFired);
    }

    private void timerEFired() {
        if (state != TransactionState.TRYING && state != TransactionState.PROCEEDING) {
            return;
        }
        if (!send(request)) {
            return;
        }
        // RFC 3261 §17.1.2.2: in Trying MIN(2*E, T2); in Proceeding T2
        intervalE = state == TransactionState.TRYING ? timers.doubledUpToT2(intervalE) : timers.t2();
        timerE = schedule(intervalE, this::timerEFired);
    }

    private void timerFFired() {
        if (state != TransactionState.TRYING && state != TransactionState.PROCEEDING) {
            return;
        }
        terminate();
        listener.onTimeout(this);
    }

    @Override
    void receive(SipResponse response) {
        if (state != TransactionState.TRYING && state != TransactionState.PROCEEDING) {
            // RFC 3261 §17.1.2.2: Completed absorbs retransmitted final responses
            return;
        }
        if (response.isProvisional()) {
            state = TransactionState.PROCEEDING;
            listener.onProvisional(this, response);
            return;
        }
        cancel(timerE);
        cancel(timerF);
        state = TransactionState.COMPLETED;
        listener.onFinal(this, response);
        quiet();
        if (state == TransactionState.COMPLETED) {
            timerK = terminateAfter(timers.timerK(flow.isReliable()));
        }
    }

    @Override
    void cancelTimers() {
        cancel(timerE);
        cancel(timerF);
        cancel(timerK);
    }

    @Override
    void transportError() {
        boolean pending = state == TransactionState.TRYING || state == TransactionState.PROCEEDING;
        terminate();
        if (pending) {
            listener.onTransportError(this);
        }
    }
}
