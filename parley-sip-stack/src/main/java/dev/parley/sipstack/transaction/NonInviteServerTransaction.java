package dev.parley.sipstack.transaction;

import dev.parley.common.Scheduler;
import dev.parley.sip.message.SipRequest;
import dev.parley.sip.message.SipResponse;
import dev.parley.sipstack.flow.Flow;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The non-INVITE server transaction of RFC 3261 §17.2.2 (Figure 8):
 *
 * <pre>
 *  Trying ──1xx from TU──▶ Proceeding ──200-699 from TU──▶ Completed ──Timer J──▶ Terminated
 *     └──200-699 from TU────────────────────────────────────▲
 * </pre>
 */
final class NonInviteServerTransaction extends ServerTransaction {
    private static final Logger LOG = LoggerFactory.getLogger(NonInviteServerTransaction.class);

    private Scheduler.Timer timerJ;

    NonInviteServerTransaction(Context context, SipRequest request, Flow flow, TransactionKey key,
            TransactionUser user) {
        super(context, request, flow, key, TransactionState.TRYING, user);
    }

    @Override
    void start() {
        // nothing to send: RFC 3261 §17.2.2 waits for the TU
    }

    @Override
    public boolean respond(SipResponse response) {
        if (state != TransactionState.TRYING && state != TransactionState.PROCEEDING) {
            // RFC 3261 §17.2.2: "Any other final responses passed by the TU ... MUST be discarded"
            LOG.debug("discarding {} in {}: the final response was already sent", response, this);
            return false;
        }
        if (response.isProvisional()) {
            state = TransactionState.PROCEEDING;
            return sendAndKeep(response);
        }
        state = TransactionState.COMPLETED;
        if (!sendAndKeep(response)) {
            return false;
        }
        // Completed only answers retransmissions with lastSent until Timer J: the parsed request can go
        release();
        timerJ = terminateAfter(timers.timerJ(flow.isReliable()));
        return true;
    }

    @Override
    void receive(SipRequest retransmission) {
        // RFC 3261 §17.2.2: absorbed in Trying; in Proceeding and Completed the last response is sent again
        if (lastSent != null && (state == TransactionState.PROCEEDING || state == TransactionState.COMPLETED)) {
            send(lastSent);
        }
    }

    @Override
    void cancelTimers() {
        cancel(timerJ);
    }

    @Override
    void transportError() {
        boolean pending = state == TransactionState.TRYING || state == TransactionState.PROCEEDING;
        terminate();
        if (pending) {
            user.onTransportError(this);
        }
    }
}
