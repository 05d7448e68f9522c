package dev.parley.sipstack.transaction;

import dev.parley.sip.codec.SipSerializer;
import dev.parley.sip.message.SipRequest;
import dev.parley.sip.message.SipResponse;
import dev.parley.sipstack.flow.Flow;

/**
 * A server transaction (RFC 3261 §17.2): created by the layer for a request that matched none; the TU answers it
 * with {@link #respond}. Retransmissions of the request are answered here and never reach the TU.
 */
public abstract sealed class ServerTransaction extends Transaction
        permits InviteServerTransaction, NonInviteServerTransaction {

    final TransactionUser user;
    /**
     * The bytes of the last response sent, which is what a retransmitted request gets (RFC 3261 §17.2.1, §17.2.2):
     * serialised once, so a retransmission is byte for byte the response it repeats and the parsed response need not
     * stay. Null before any response and where no retransmission is answered (Accepted, Confirmed).
     */
    byte[] lastSent;

    ServerTransaction(Context context, SipRequest request, Flow flow, TransactionKey key, TransactionState initial,
            TransactionUser user) {
        super(context, request, flow, key, initial);
        this.user = user;
    }

    /**
     * Sends a response on the request's flow and moves the state machine. Responses the state machine does not
     * take are discarded, as RFC 3261 §17.2.1 and §17.2.2 require (a second final response, anything after
     * termination); an INVITE transaction in the Accepted state takes further 2xx, which are the TU's own
     * retransmissions (RFC 6026 §8.6).
     *
     * @return true when the response was sent
     */
    public abstract boolean respond(SipResponse response);

    /**
     * Ends the transaction without sending anything: for a TU that decides to stay silent (a request from a source
     * that was banned while it was being processed; RFC 3261 lets a server drop what it will not answer). Without
     * this a non-INVITE transaction in Trying, or an INVITE transaction in Proceeding, would wait for a response
     * forever: neither state has a timer. Retransmissions of the request then start a new transaction.
     */
    public final void discard() {
        terminate();
    }

    /** Serialises {@code response}, keeps its bytes for retransmitted requests, and sends them. */
    final boolean sendAndKeep(SipResponse response) {
        lastSent = SipSerializer.serialize(response);
        return send(lastSent);
    }

    /** Starts the state machine (an INVITE transaction sends its 100 Trying here). */
    abstract void start();

    /** A request matched to this transaction: a retransmission, or the ACK of an INVITE transaction. */
    abstract void receive(SipRequest request);

    /** Whether {@code request}, which has this transaction's key, really belongs to it (RFC 2543 ACK To tag). */
    boolean matches(SipRequest request) {
        return true;
    }
}
