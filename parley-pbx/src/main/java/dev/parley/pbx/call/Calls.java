package dev.parley.pbx.call;

import dev.parley.mediaapi.EndpointId;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The calls in progress, by every Call-ID they use: the caller's and one per callee branch. Lanes look calls up
 * here (each only its own, since a call's Call-IDs all map to its lane); {@link #size()} and {@link #snapshot()}
 * serve shutdown and metrics from any thread. Thread-safe.
 */
public final class Calls {
    private final ConcurrentHashMap<String, Call> byCallId = new ConcurrentHashMap<>();
    private final Set<Call> active = ConcurrentHashMap.newKeySet();
    private final ConcurrentHashMap<EndpointId, Call> byEndpoint = new ConcurrentHashMap<>();

    /** The call that uses {@code callId} on either leg. */
    public Optional<Call> find(String callId) {
        return Optional.ofNullable(byCallId.get(callId));
    }

    /** The call a media endpoint serves (media events name endpoints). */
    public Optional<Call> findByEndpoint(EndpointId endpoint) {
        return Optional.ofNullable(byEndpoint.get(endpoint));
    }

    /** Calls in progress (ringing or answered). */
    public int size() {
        return active.size();
    }

    public List<Call> snapshot() {
        return List.copyOf(active);
    }

    void add(Call call) {
        active.add(call);
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
        active.remove(call);
    }
}
