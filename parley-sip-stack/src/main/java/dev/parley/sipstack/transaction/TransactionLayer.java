package dev.parley.sipstack.transaction;

import dev.parley.common.Scheduler;
import dev.parley.sip.header.Via;
import dev.parley.sip.message.SipMethod;
import dev.parley.sip.message.SipRequest;
import dev.parley.sip.message.SipResponse;
import dev.parley.sipstack.flow.Flow;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The transaction layer of RFC 3261 §17: matches what arrives to transactions (§17.1.3, §17.2.3), creates server
 * transactions for new requests, and starts client transactions for what the TU sends. The state machines
 * themselves are {@link InviteClientTransaction}, {@link NonInviteClientTransaction},
 * {@link InviteServerTransaction} and {@link NonInviteServerTransaction}.
 *
 * <p>Confined to one lane; see the package documentation for the threading contract.
 */
public final class TransactionLayer {
    private static final Logger LOG = LoggerFactory.getLogger(TransactionLayer.class);

    private final Scheduler scheduler;
    private final TimerSettings timers;
    private final TransactionUser user;
    private final boolean sendTrying;
    private final Map<TransactionKey, ClientTransaction> clients = new HashMap<>();
    private final Map<TransactionKey, ServerTransaction> servers = new HashMap<>();
    private final Transaction.Context context;

    /** A layer whose INVITE server transactions send 100 Trying as soon as they are created. */
    public TransactionLayer(Scheduler scheduler, TimerSettings timers, TransactionUser user) {
        this(scheduler, timers, user, true);
    }

    /**
     * @param sendTrying whether INVITE server transactions send 100 Trying on creation; turn it off only for a TU
     *     that always answers within 200 ms (RFC 3261 §17.2.1)
     */
    public TransactionLayer(Scheduler scheduler, TimerSettings timers, TransactionUser user, boolean sendTrying) {
        this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
        this.timers = Objects.requireNonNull(timers, "timers");
        this.user = Objects.requireNonNull(user, "user");
        this.sendTrying = sendTrying;
        this.context = new Transaction.Context(scheduler, timers, this::terminated);
    }

    /**
     * Starts a client transaction: sends {@code request} on {@code flow} now and retransmits it on unreliable flows.
     * The request goes out as given: the caller has pushed its Via with a fresh branch ({@link Branches#newBranch()})
     * whose transport matches the flow. A CANCEL reuses the branch of the request it cancels (RFC 3261 §9.1;
     * {@link DerivedMessages#cancel}).
     *
     * @throws IllegalArgumentException for an ACK (never a transaction of its own: send the ACK for a 2xx on a flow)
     *     or a request whose top Via lacks an RFC 3261 branch
     * @throws IllegalStateException when a transaction with that branch and method is already running
     */
    public ClientTransaction sendRequest(SipRequest request, Flow flow, ClientTransaction.Listener listener) {
        Objects.requireNonNull(flow, "flow");
        Objects.requireNonNull(listener, "listener");
        if (request.isMethod(SipMethod.ACK)) {
            throw new IllegalArgumentException("an ACK is not sent in a client transaction: the ACK for a non-2xx is "
                    + "sent by the INVITE transaction, the ACK for a 2xx goes straight to a flow (RFC 3261 §17.1.1.3)");
        }
        Via top = request.topVia();
        if (top == null || !top.hasRfc3261Branch()) {
            throw new IllegalArgumentException("the request needs a top Via with a z9hG4bK branch "
                    + "(use Branches.newBranch()): " + request);
        }
        TransactionKey key = TransactionKey.client(top.branch(), request.method());
        if (clients.containsKey(key)) {
            throw new IllegalStateException("a client transaction with branch " + top.branch() + " and method "
                    + request.method() + " is already running: use a fresh branch per request");
        }
        ClientTransaction tx = request.isMethod(SipMethod.INVITE)
                ? new InviteClientTransaction(context, request, flow, key, listener)
                : new NonInviteClientTransaction(context, request, flow, key, listener);
        clients.put(key, tx);
        tx.start();
        return tx;
    }

    /** A response from the network (RFC 3261 §17.1.3): to its client transaction, or to the TU as stray. */
    public void onResponse(SipResponse response, Flow flow) {
        Via top = response.topVia();
        ClientTransaction tx = top == null || top.branch() == null ? null
                : clients.get(TransactionKey.client(top.branch(), response.cseq().method()));
        if (tx == null) {
            user.onStrayResponse(response, flow);
            return;
        }
        tx.receive(response);
    }

    /**
     * A request from the network (RFC 3261 §17.2.3): a retransmission or an ACK to its server transaction (never
     * passed to the TU); an ACK matching none to {@link TransactionUser#onAckFor2xx}; anything else to a new server
     * transaction and then the TU, a CANCEL together with the INVITE transaction it cancels.
     */
    public void onRequest(SipRequest request, Flow flow) {
        onRequest(request, flow, false);
    }

    /**
     * As {@link #onRequest(SipRequest, Flow)}, for a request whose 100 Trying was already sent ({@code tryingSent}:
     * an INVITE answered at once by the transport side); a new INVITE transaction then sends none of its own.
     */
    public void onRequest(SipRequest request, Flow flow, boolean tryingSent) {
        TransactionKey key = TransactionKey.server(request);
        ServerTransaction existing = servers.get(key);
        boolean ack = request.isMethod(SipMethod.ACK);
        if (existing != null && existing.matches(request)) {
            existing.receive(request);
            return;
        }
        if (ack) {
            user.onAckFor2xx(request, flow);
            return;
        }
        if (existing != null) {
            LOG.debug("{} shares the key of {} without matching it; replacing", request, existing);
        }
        ServerTransaction tx = request.isMethod(SipMethod.INVITE)
                ? new InviteServerTransaction(context, request, flow, key, user, sendTrying, tryingSent)
                : new NonInviteServerTransaction(context, request, flow, key, user);
        servers.put(key, tx);
        tx.start();
        if (tx.isTerminated()) {
            return;
        }
        if (request.isMethod(SipMethod.CANCEL)) {
            // RFC 3261 §9.2: the CANCEL has its own transaction; the TU is told which INVITE it cancels
            ServerTransaction invite = servers.get(key.withMethod(SipMethod.INVITE));
            if (invite != null) {
                user.onCancel(tx, invite);
                return;
            }
        }
        user.onRequest(tx, request);
    }

    /**
     * A flow has closed (a TCP, TLS or WebSocket connection ended): every transaction on it ends, and those still
     * waiting for a response or to deliver one report a transport error (RFC 3261 §17.1.4, §17.2.4).
     */
    public void onFlowClosed(Flow flow) {
        List<Transaction> affected = new ArrayList<>();
        for (ClientTransaction tx : clients.values()) {
            if (sameFlow(tx.flow(), flow)) {
                affected.add(tx);
            }
        }
        for (ServerTransaction tx : servers.values()) {
            if (sameFlow(tx.flow(), flow)) {
                affected.add(tx);
            }
        }
        for (Transaction tx : affected) {
            tx.transportError();
        }
    }

    /** The server transaction a request would match, if any (for a TU that wants to look before acting). */
    public ServerTransaction findServerTransaction(SipRequest request) {
        ServerTransaction tx = servers.get(TransactionKey.server(request));
        return tx != null && tx.matches(request) ? tx : null;
    }

    /** Client transactions not yet terminated. */
    public int clientCount() {
        return clients.size();
    }

    /** Server transactions not yet terminated. */
    public int serverCount() {
        return servers.size();
    }

    public Scheduler scheduler() {
        return scheduler;
    }

    public TimerSettings timers() {
        return timers;
    }

    private void terminated(Transaction tx) {
        if (tx instanceof ClientTransaction c) {
            clients.remove(c.key, c);
        } else if (tx instanceof ServerTransaction s) {
            servers.remove(s.key, s);
        }
    }

    private static boolean sameFlow(Flow a, Flow b) {
        return a == b || a.id().equals(b.id());
    }
}
