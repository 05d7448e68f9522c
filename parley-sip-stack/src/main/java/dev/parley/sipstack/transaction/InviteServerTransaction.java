package dev.parley.sipstack.transaction;

import dev.parley.common.Scheduler;
import dev.parley.sip.message.SipMethod;
import dev.parley.sip.message.SipRequest;
import dev.parley.sip.message.SipResponse;
import dev.parley.sipstack.flow.Flow;
import java.time.Duration;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The INVITE server transaction of RFC 3261 §17.2.1 (Figure 7) as amended by RFC 6026 §8.5–8.7:
 *
 * <pre>
 *  Proceeding ──300-699 from TU──▶ Completed ──ACK──▶ Confirmed ──Timer I──▶ Terminated
 *     │                               └──Timer H (no ACK)──▶ Terminated, TU told
 *     └──2xx from TU──▶ Accepted ──Timer L──▶ Terminated
 * </pre>
 *
 * In Accepted the TU retransmits its 2xx itself (RFC 6026 §8.6) through {@link #respond}; INVITE retransmissions are
 * absorbed and an ACK that matches (only a non-compliant peer reuses the INVITE's branch) goes to the TU.
 *
 * <p>Once it has sent its final response it keeps no parsed message: Completed resends the bytes of its final
 * response, Accepted and Confirmed only absorb, and the RFC 2543 ACK match needs only the To tag of that response.
 */
final class InviteServerTransaction extends ServerTransaction {
    private static final Logger LOG = LoggerFactory.getLogger(InviteServerTransaction.class);

    private final boolean sendTrying;
    /** Whether the 100 Trying was sent before this transaction existed (over UDP, by the SIP stack's I/O side). */
    private final boolean tryingSentEarly;
    private Scheduler.Timer timerG;
    private Scheduler.Timer timerH;
    private Scheduler.Timer timerI;
    private Scheduler.Timer timerL;
    private Duration intervalG;
    /**
     * Whether a final response was sent, and its To tag (our tag: the same on every 2xx the TU retransmits), kept
     * only for an RFC 2543 transaction, whose ACK is matched by it ({@link #matches}).
     */
    private boolean finalSent;
    private String finalToTag;

    InviteServerTransaction(Context context, SipRequest invite, Flow flow, TransactionKey key, TransactionUser user,
            boolean sendTrying, boolean tryingSentEarly) {
        super(context, invite, flow, key, TransactionState.PROCEEDING, user);
        this.sendTrying = sendTrying && !tryingSentEarly;
        this.tryingSentEarly = tryingSentEarly;
    }

    @Override
    void start() {
        // RFC 3261 §17.2.1: "the server transaction MUST generate a 100 (Trying) response unless it knows that the TU
        // will generate a provisional or final response within 200 ms" — sent at once, before the TU runs
        if (sendTrying) {
            sendAndKeep(DerivedMessages.trying(request));
        }
    }

    @Override
    public boolean respond(SipResponse response) {
        switch (state) {
            case PROCEEDING -> {
                if (response.isProvisional()) {
                    return sendAndKeep(response);
                }
                finalSent = true;
                if (key instanceof TransactionKey.Rfc2543) {
                    finalToTag = response.to().tag();
                }
                if (response.isSuccess()) {
                    // RFC 6026 §8.5: 2xx → Accepted with Timer L; retransmitting the 2xx is the TU's job, and
                    // retransmitted INVITEs are absorbed (§8.7): neither the request nor a response is kept
                    state = TransactionState.ACCEPTED;
                    lastSent = null;
                    release();
                    if (!send(response)) {
                        return false;
                    }
                    timerL = terminateAfter(timers.timerL());
                    return true;
                }
                state = TransactionState.COMPLETED;
                release();
                if (!sendAndKeep(response)) {
                    return false;
                }
                // RFC 3261 §17.2.1: Timer G on unreliable transports, Timer H always
                if (!flow.isReliable()) {
                    intervalG = timers.timerG();
                    timerG = schedule(intervalG, this::timerGFired);
                }
                timerH = schedule(timers.timerH(), this::timerHFired);
                return true;
            }
            case ACCEPTED -> {
                // RFC 6026 §8.6: the TU's 2xx retransmissions pass through; anything else is discarded
                if (response.isSuccess()) {
                    return send(response);
                }
            }
            default -> {
            }
        }
        LOG.debug("discarding {} in {}: the state machine takes no such response", response, this);
        return false;
    }

    @Override
    void receive(SipRequest retransmission) {
        if (retransmission.isMethod(SipMethod.ACK)) {
            receiveAck(retransmission);
            return;
        }
        switch (state) {
            // RFC 3261 §17.2.1: a retransmitted INVITE gets the last provisional or the final response again
            case PROCEEDING, COMPLETED -> {
                if (lastSent != null) {
                    send(lastSent);
                } else if (tryingSentEarly) {
                    // still proceeding (a completed one has sent its final response): the 100 sent early is its last
                    // provisional response, and it may have been lost
                    sendAndKeep(DerivedMessages.trying(request));
                }
            }
            // RFC 6026 §8.7: absorbed in Accepted; RFC 3261 §17.2.1: absorbed in Confirmed
            default -> {
            }
        }
    }

    private void receiveAck(SipRequest ack) {
        switch (state) {
            case COMPLETED -> {
                // RFC 3261 §17.2.1: ACK → Confirmed; stop retransmitting, absorb ACKs for Timer I
                state = TransactionState.CONFIRMED;
                lastSent = null; // Confirmed only absorbs
                cancel(timerG);
                cancel(timerH);
                timerI = terminateAfter(timers.timerI(flow.isReliable()));
            }
            // RFC 6026 §8.7: "the ACK must be passed up to the TU"
            case ACCEPTED -> user.onAckFor2xx(ack, flow);
            default -> {
                // Confirmed absorbs; Proceeding has nothing to acknowledge
            }
        }
    }

    private void timerGFired() {
        if (state != TransactionState.COMPLETED) {
            return;
        }
        if (!send(lastSent)) {
            return;
        }
        intervalG = timers.doubledUpToT2(intervalG);
        timerG = schedule(intervalG, this::timerGFired);
    }

    private void timerHFired() {
        if (state != TransactionState.COMPLETED) {
            return;
        }
        // RFC 3261 §17.2.1: "MUST indicate to the TU that a transaction failure has occurred"
        terminate();
        user.onTimeout(this);
    }

    /**
     * RFC 3261 §17.2.3, RFC 2543 fallback: an ACK matches only if its To tag is the tag of the response this
     * transaction sent.
     */
    @Override
    boolean matches(SipRequest request) {
        if (key instanceof TransactionKey.Rfc2543 && request.isMethod(SipMethod.ACK) && finalSent) {
            return Objects.equals(request.to().tag(), finalToTag);
        }
        return true;
    }

    @Override
    void cancelTimers() {
        cancel(timerG);
        cancel(timerH);
        cancel(timerI);
        cancel(timerL);
    }

    @Override
    void transportError() {
        boolean pending = state != TransactionState.CONFIRMED && state != TransactionState.TERMINATED;
        terminate();
        if (pending) {
            user.onTransportError(this);
        }
    }
}
