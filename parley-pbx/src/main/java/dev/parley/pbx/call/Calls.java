package dev.parley.pbx.call;

import dev.parley.mediaapi.EndpointId;
import dev.parley.pbx.cdr.CallRecord;
import dev.parley.pbx.directory.UserId;
import dev.parley.sipstack.flow.Transport;
import dev.parley.sipstack.flow.Flow;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The calls in progress, by every Call-ID they use: the caller's and one per callee branch. Lanes look calls up
 * here (each only its own, since a call's Call-IDs all map to its lane); {@link #size()} and {@link #snapshot()}
 * serve shutdown and metrics from any thread. Thread-safe.
 */
public final class Calls {
    private static final Logger LOG = LoggerFactory.getLogger(Calls.class);

    /**
     * Told when a call rings, is answered and ends — on the call's lane, so an implementation must do no more than
     * enqueue (presence and the live event stream do their work on a thread of their own).
     */
    public interface Listener {
        void onRinging(CallView call);

        void onAnswered(CallView call);

        /** An answered call was put on hold or resumed ({@link CallView#hold()} says by whom). */
        default void onHoldChanged(CallView call) {
        }

        /** {@code call} as it was last, and the CDR it ended with. */
        void onEnded(CallView call, CallRecord record);
    }

    /**
     * How a blind transfer's target is routed, as a call from the transferor's device would be (blocking: it reads
     * the directory and the registrar; run off the lanes).
     */
    @FunctionalInterface
    public interface TransferRouting {
        dev.parley.pbx.routing.Route route(dev.parley.sip.uri.Uri target, dev.parley.pbx.directory.Device transferor);
    }

    private volatile TransferRouting transferRouting;
    private final List<Listener> listeners = new CopyOnWriteArrayList<>();
    private final ConcurrentHashMap<String, Call> byCallId = new ConcurrentHashMap<>();
    private final Set<Call> active = ConcurrentHashMap.newKeySet();
    private final ConcurrentHashMap<EndpointId, Call> byEndpoint = new ConcurrentHashMap<>();
    /** Calls by the id of each WebSocket flow a leg of theirs uses, and the reverse, to undo it at the end. */
    private final ConcurrentHashMap<String, Set<Call>> byWebSocket = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<Call, Set<String>> webSocketsOf = new ConcurrentHashMap<>();

    /** The call that uses {@code callId} on either leg. */
    public Optional<Call> find(String callId) {
        return Optional.ofNullable(byCallId.get(callId));
    }

    /** The call a media endpoint serves (media events name endpoints). */
    public Optional<Call> findByEndpoint(EndpointId endpoint) {
        return Optional.ofNullable(byEndpoint.get(endpoint));
    }

    /**
     * Whether {@code user} placed, or answered, a call in progress: "on a call" for call waiting. Any thread.
     */
    public boolean anyEngaging(UserId user) {
        for (Call c : active) {
            if (c.engages(user)) {
                return true;
            }
        }
        return false;
    }

    /** Calls in progress (ringing or answered). */
    public int size() {
        return active.size();
    }

    public List<Call> snapshot() {
        return List.copyOf(active);
    }

    /**
     * The calls with a leg on the WebSocket flow {@code flowId} (the caller's, or the answering callee's): what a
     * closed WebSocket must end, found without visiting every call in progress. Any thread.
     */
    public List<Call> onWebSocket(String flowId) {
        Set<Call> found = byWebSocket.get(flowId);
        return found == null ? List.of() : List.copyOf(found);
    }

    /** Lets calls route blind transfers (REFER); without it a REFER's target fails with 503. */
    public void routeTransfersWith(TransferRouting routing) {
        this.transferRouting = routing;
    }

    TransferRouting transferRouting() {
        return transferRouting;
    }

    public void addListener(Listener listener) {
        listeners.add(java.util.Objects.requireNonNull(listener, "listener"));
    }

    void ringing(Call call) {
        tell(l -> l.onRinging(call.view()));
    }

    void answered(Call call) {
        tell(l -> l.onAnswered(call.view()));
    }

    void holdChanged(Call call) {
        tell(l -> l.onHoldChanged(call.view()));
    }

    void ended(CallView call, CallRecord record) {
        tell(l -> l.onEnded(call, record));
    }

    private void tell(java.util.function.Consumer<Listener> event) {
        for (Listener l : listeners) {
            try {
                event.accept(l);
            } catch (RuntimeException e) {
                LOG.warn("a call listener failed: {}", e.toString()); // never the call's business
            }
        }
    }

    void add(Call call) {
        active.add(call);
    }

    /**
     * {@code call} has a leg on {@code flow}; remembered if it is a WebSocket, until the call is removed. True when it
     * is a WebSocket.
     */
    boolean indexFlow(Flow flow, Call call) {
        if (flow == null || (flow.transport() != Transport.WS && flow.transport() != Transport.WSS)) {
            return false;
        }
        webSocketsOf.computeIfAbsent(call, c -> ConcurrentHashMap.newKeySet()).add(flow.id());
        byWebSocket.computeIfAbsent(flow.id(), f -> ConcurrentHashMap.newKeySet()).add(call);
        return true;
    }

    void index(String callId, Call call) {
        byCallId.put(callId, call);
    }

    void indexEndpoint(EndpointId endpoint, Call call) {
        byEndpoint.put(endpoint, call);
    }

    void removeEndpoint(EndpointId endpoint, Call call) {
        byEndpoint.remove(endpoint, call);
    }

    void remove(Call call, Iterable<String> callIds) {
        for (String id : callIds) {
            byCallId.remove(id, call);
        }
        Set<String> flows = webSocketsOf.remove(call);
        if (flows != null) {
            for (String flow : flows) {
                byWebSocket.computeIfPresent(flow, (f, set) -> {
                    set.remove(call);
                    return set.isEmpty() ? null : set;
                });
            }
        }
        active.remove(call);
    }
}
