package dev.parley.sipstack;

import dev.parley.sip.header.Via;
import dev.parley.sip.message.SipMessage;
import dev.parley.sip.message.SipMethod;
import dev.parley.sip.message.SipRequest;
import dev.parley.sip.message.SipResponse;
import dev.parley.sip.uri.SipUri;
import dev.parley.sipstack.flow.AttachedTransport;
import dev.parley.sipstack.flow.Flow;
import dev.parley.sipstack.flow.Transport;
import dev.parley.sipstack.lane.Lane;
import dev.parley.sipstack.lane.Lanes;
import dev.parley.sipstack.transaction.Branches;
import dev.parley.sipstack.transaction.ClientTransaction;
import dev.parley.sipstack.transaction.DerivedMessages;
import dev.parley.sipstack.transaction.TimerSettings;
import dev.parley.sipstack.transaction.TransactionLayer;
import dev.parley.sipstack.transaction.TransactionUser;
import dev.parley.sipstack.transport.SipTransports;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The SIP stack as the PBX sees it: transports below, one transaction layer per serial lane, and the transaction
 * user (the PBX) above. A thin coordinator: it moves each message from the event loop that read it to the lane of
 * its Call-ID, and offers the few things every user agent needs (fresh Via, Contact, Call-ID).
 *
 * <p>Every {@link TransactionUser} callback runs on the lane of the message's Call-ID; {@link #sendRequest} must be
 * called on the lane of the request's Call-ID (use {@link #newCallId(Lane)} for calls Parley starts).
 */
public final class SipStack implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SipStack.class);

    /** The PBX: the transaction user, told also when a connection closes (its registrations may go with it). */
    public interface Handler extends TransactionUser {
        /**
         * Called on the event loop for every message before anything else happens to it: false drops it silently,
         * with no transaction and no answer (a banned source, RFC 3261 gives a server that right). Must be fast.
         */
        default boolean admit(SipMessage message, Flow flow) {
            return true;
        }

        default void onFlowClosed(Flow flow) {
        }
    }

    private final StackConfig config;
    private final Handler handler;
    private final Lanes lanes;
    private final TransactionLayer[] layers;
    private final SipTransports transports;
    private final FirstInviteCopies firstInvites = new FirstInviteCopies(FirstInviteCopies.DEFAULT_CAPACITY);
    private volatile String advertisedHost;

    public SipStack(StackConfig config, Handler handler) {
        this.config = Objects.requireNonNull(config, "config");
        this.handler = Objects.requireNonNull(handler, "handler");
        this.lanes = new Lanes(config.lanes());
        this.layers = new TransactionLayer[lanes.size()];
        for (int i = 0; i < layers.length; i++) {
            layers[i] = new TransactionLayer(lanes.get(i), config.timers(), handler);
        }
        this.transports = new SipTransports(config.transports(), new Inbound());
    }

    /** Binds the listeners; throws with the transport and address named when one cannot bind. */
    public void start() {
        transports.start();
        advertisedHost = config.advertisedHost() != null ? config.advertisedHost() : defaultHost();
    }

    private String defaultHost() {
        InetAddress bind = config.transports().bindAddress();
        return bind == null || bind.isAnyLocalAddress() ? "127.0.0.1" : bind.getHostAddress();
    }

    /**
     * An INVITE outside any dialog (no To tag), or the CANCEL of one: what starts a call, or stops it before it
     * started. These wait behind the work of calls already under way on their lane ({@link Lane#executeArrival}),
     * so that under overload the calls admitted finish and free their media ports before new ones take more; the
     * CANCEL goes the same way so that it never overtakes the INVITE it cancels.
     */
    private static boolean startsCall(SipRequest request) {
        return (request.isMethod(SipMethod.INVITE) || request.isMethod(SipMethod.CANCEL))
                && request.to() != null && request.to().tag() == null;
    }

    /** Moves each inbound message onto its Call-ID's lane. */
    private final class Inbound implements SipTransports.Inbound {
        @Override
        public void onRequest(SipRequest request, Flow flow) {
            if (!handler.admit(request, flow)) {
                return;
            }
            Lane lane = lanes.forCallId(request.callId());
            // RFC 3261 §17.2.1: an INVITE's server transaction MUST send 100 Trying unless the TU answers within
            // 200 ms. Over UDP it goes out here, as soon as the INVITE is read, instead of from the lane: a lane
            // that is behind (a cold JIT, a burst) would send it late and the caller would retransmit the INVITE
            // every T1 doubled (§17.1.1.2), each copy read, parsed and queued again, feeding the backlog that made
            // it late. The bytes are those the transaction would send. Only the first copy of an INVITE gets one
            // here (FirstInviteCopies says why); a retransmission goes to the lane, whose transaction answers it
            // with its last response, the 100 included (§17.2.1).
            boolean tryingSent = request.isMethod(SipMethod.INVITE) && !flow.isReliable()
                    && firstInvites.firstCopy(request) && sendTrying(request, flow);
            Runnable task = () -> layers[lane.index()].onRequest(request, flow, tryingSent);
            if (startsCall(request)) {
                lane.executeArrival(task);
            } else {
                lane.execute(task);
            }
        }

        /** False when no 100 could be made of this INVITE: its transaction then tries, on the lane, as before. */
        private boolean sendTrying(SipRequest invite, Flow flow) {
            try {
                flow.send(DerivedMessages.trying(invite));
                return true;
            } catch (RuntimeException e) {
                LOG.debug("no early 100 Trying for {}: {}", invite.callId(), e.toString());
                return false;
            }
        }

        @Override
        public void onResponse(SipResponse response, Flow flow) {
            if (!handler.admit(response, flow)) {
                return;
            }
            Lane lane = lanes.forCallId(response.callId());
            lane.execute(() -> layers[lane.index()].onResponse(response, flow));
        }

        @Override
        public void onFlowClosed(Flow flow) {
            for (int i = 0; i < layers.length; i++) {
                TransactionLayer layer = layers[i];
                lanes.get(i).execute(() -> layer.onFlowClosed(flow));
            }
            lanes.get(0).execute(() -> handler.onFlowClosed(flow));
        }
    }

    public Lane laneFor(String callId) {
        return lanes.forCallId(callId);
    }

    public Lanes lanes() {
        return lanes;
    }

    /** A new globally unique Call-ID whose events all run on {@code lane}. */
    public String newCallId(Lane lane) {
        return lanes.newCallId(lane, Branches.randomToken(12));
    }

    /**
     * Starts a client transaction. Must run on the lane of the request's Call-ID; the request carries its own top
     * Via (see {@link #newVia}).
     */
    public ClientTransaction sendRequest(SipRequest request, Flow flow, ClientTransaction.Listener listener) {
        Lane lane = lanes.forCallId(request.callId());
        if (!lane.inLane()) {
            throw new IllegalStateException("sendRequest for Call-ID " + request.callId() + " must run on " + lane);
        }
        return layers[lane.index()].sendRequest(request, flow, listener);
    }

    /**
     * Plugs in SIP over WebSocket, whose listener and connections the web module owns (RFC 7118); see
     * {@link AttachedTransport}. Call once per transport, after the web server bound {@code port}.
     */
    public AttachedTransport attachTransport(Transport transport, int port) {
        return transports.attach(transport, port);
    }

    /**
     * Where requests to {@code target} go: an existing connection, a new one, or the UDP socket; for WebSocket only
     * the open connection from {@code target} (fails at once when there is none).
     */
    public CompletableFuture<Flow> flowTo(Transport transport, InetSocketAddress target) {
        return transports.flowTo(transport, target);
    }

    /** A Via for a request Parley sends on {@code transport}: our sent-by, a fresh branch and {@code rport}. */
    public Via newVia(Transport transport) {
        Via via = Via.of(transport.viaToken(), advertisedHost, transports.boundPort(transport), Branches.newBranch());
        // RFC 3581 §3: ask for rport so answers come back through NATs
        return via.withParameter("rport", null);
    }

    /** Parley's own address for Contact headers on {@code transport}. */
    public SipUri contactUri(String user, Transport transport) {
        SipUri.Builder b = SipUri.builder().secure(false).host(advertisedHost).port(transports.boundPort(transport));
        if (user != null) {
            b.user(SipUri.escapeUser(user));
        }
        if (transport != Transport.UDP) {
            b.parameter("transport", transport.uriParameter());
        }
        return b.build();
    }

    /** The RFC 3261 timer values the transaction layer runs with; a TU that retransmits 2xx itself needs T1/T2. */
    public TimerSettings timers() {
        return config.timers();
    }

    public int boundPort(Transport transport) {
        return transports.boundPort(transport);
    }

    public String advertisedHost() {
        return advertisedHost;
    }

    @Override
    public void close() {
        transports.close();
        lanes.close();
    }
}
