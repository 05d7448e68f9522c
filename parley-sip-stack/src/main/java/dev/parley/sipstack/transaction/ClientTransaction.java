package dev.parley.sipstack.transaction;

import dev.parley.sip.message.SipRequest;
import dev.parley.sip.message.SipResponse;
import dev.parley.sipstack.flow.Flow;

/**
 * A client transaction (RFC 3261 §17.1): sends a request, retransmits it on unreliable flows, and reports the
 * responses. Created by {@link TransactionLayer#sendRequest}.
 */
public abstract sealed class ClientTransaction extends Transaction
        permits InviteClientTransaction, NonInviteClientTransaction {

    /** What a client transaction reports to the TU that sent the request. Called on the layer's lane. */
    public interface Listener {
        /** A 1xx (RFC 3261 §17.1.1.2, §17.1.2.2). Every one is reported, in the order received. */
        void onProvisional(ClientTransaction transaction, SipResponse response);

        /**
         * The final response that ends the Calling/Trying/Proceeding state, reported once. For a 300–699 to an
         * INVITE the ACK has already been sent (RFC 3261 §17.1.1.3). For a 2xx to an INVITE the TU must send the
         * ACK itself (RFC 3261 §13.2.2.4) and will receive later 2xx through {@link #onAdditional2xx}.
         */
        void onFinal(ClientTransaction transaction, SipResponse response);

        /**
         * RFC 6026 §8.4: a 2xx to the INVITE received in the Accepted state (within Timer M of the first). Either a
         * retransmission of a 2xx already seen (its ACK was lost: send the ACK again) or a 2xx from another fork (a
         * new To tag: a second dialog, which a B2BUA normally ACKs and ends with BYE, RFC 3261 §13.2.2.4).
         */
        void onAdditional2xx(ClientTransaction transaction, SipResponse response);

        /** Timer B or F fired without a final response (RFC 3261 §17.1.1.2, §17.1.2.2): treat it as a 408. */
        void onTimeout(ClientTransaction transaction);

        /** The flow failed before a final response (RFC 3261 §17.1.4): treat it as a 503. */
        void onTransportError(ClientTransaction transaction);
    }

    /** Null once the transaction can report nothing more (Completed: it only absorbs, see {@link #quiet}). */
    Listener listener;

    ClientTransaction(Context context, SipRequest request, Flow flow, TransactionKey key, TransactionState initial,
            Listener listener) {
        super(context, request, flow, key, initial);
        this.listener = listener;
    }

    /** Sends the request and starts the timers. */
    abstract void start();

    /** A response matched to this transaction (RFC 3261 §17.1.3). */
    abstract void receive(SipResponse response);

    /**
     * The final response has been reported and the transaction waits out Timer D or K absorbing retransmissions:
     * it reports nothing more, so it lets go of the request and of the listener (which may hold a whole call).
     */
    final void quiet() {
        release();
        listener = null;
    }
}
