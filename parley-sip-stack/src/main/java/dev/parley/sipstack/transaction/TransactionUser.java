package dev.parley.sipstack.transaction;

import dev.parley.sip.message.SipRequest;
import dev.parley.sip.message.SipResponse;
import dev.parley.sipstack.flow.Flow;

/**
 * The transaction user (RFC 3261 §5): the UA core above the transaction layer, which receives new requests and
 * whatever belongs to no transaction. Called on the layer's lane, synchronously; may call back into the layer.
 */
public interface TransactionUser {

    /**
     * A request that matched no transaction, now in a new server transaction; answer it with
     * {@link ServerTransaction#respond}. An INVITE transaction has already sent its 100 Trying. A CANCEL arrives
     * here only when it matches no INVITE transaction: RFC 3261 §9.2 says to answer it with 481.
     */
    void onRequest(ServerTransaction transaction, SipRequest request);

    /**
     * A CANCEL matching an INVITE server transaction (RFC 3261 §9.2). The CANCEL has its own non-INVITE
     * transaction, {@code cancel}; answer it 200, and if {@code invite} is still in the Proceeding state answer the
     * INVITE with 487 (Request Terminated). When the INVITE already has a final response the CANCEL has no effect
     * but is still answered 200.
     */
    void onCancel(ServerTransaction cancel, ServerTransaction invite);

    /**
     * An ACK that belongs to no transaction: the ACK for a 2xx, which is end to end (RFC 3261 §13.3.1.4, §17.1.1.3)
     * and goes to the dialog. Also an ACK matching an INVITE transaction in the Accepted state (RFC 6026 §8.7).
     */
    void onAckFor2xx(SipRequest ack, Flow flow);

    /**
     * A response that matched no client transaction (RFC 3261 §17.1.3 leaves it to the core): typically a 2xx
     * retransmitted after Timer M ended the transaction, whose ACK the dialog should send again, or a 2xx from a
     * late fork.
     */
    void onStrayResponse(SipResponse response, Flow flow);

    /** Timer H fired: an INVITE server transaction sent a non-2xx final response and never got the ACK (§17.2.1). */
    void onTimeout(ServerTransaction transaction);

    /** The flow of a server transaction failed before the transaction's job was done (RFC 3261 §17.2.4). */
    void onTransportError(ServerTransaction transaction);
}
