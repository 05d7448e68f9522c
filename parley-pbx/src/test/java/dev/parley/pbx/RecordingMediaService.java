package dev.parley.pbx;

import dev.parley.mediaapi.EndpointId;
import dev.parley.mediaapi.EndpointParameters;
import dev.parley.mediaapi.EndpointRequest;
import dev.parley.mediaapi.EndpointStats;
import dev.parley.mediaapi.LocalMedia;
import dev.parley.mediaapi.MediaEvent;
import dev.parley.mediaapi.MediaService;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The media plane as the control-plane tests see it: no sockets, just the commands the PBX gives, recorded. Opens
 * endpoints on made-up even ports of 127.0.0.1 (from 30000), keeps each endpoint's last parameters and bridge, and
 * counts what is open so a test can assert that every call gave its ports back. Events are fired by the test
 * ({@link #fire}). Real media is proven by the server's integration tests against {@code parley-media}.
 */
final class RecordingMediaService implements MediaService {
    private final AtomicLong ids = new AtomicLong();
    private final AtomicInteger ports = new AtomicInteger(30000);
    final Map<EndpointId, LocalMedia> open = new ConcurrentHashMap<>();
    final Map<EndpointId, String> labels = new ConcurrentHashMap<>();
    final Map<EndpointId, EndpointParameters> parameters = new ConcurrentHashMap<>();
    final Map<EndpointId, EndpointId> bridges = new ConcurrentHashMap<>();
    final List<EndpointId> everOpened = new CopyOnWriteArrayList<>();
    private final List<Listener> listeners = new CopyOnWriteArrayList<>();

    @Override
    public CompletionStage<LocalMedia> open(EndpointRequest request) {
        EndpointId id = new EndpointId(ids.incrementAndGet());
        int port = ports.getAndAdd(2);
        InetAddress lo = InetAddress.getLoopbackAddress();
        LocalMedia local = new LocalMedia(id, new InetSocketAddress(lo, port), new InetSocketAddress(lo, port + 1));
        open.put(id, local);
        labels.put(id, request.label());
        everOpened.add(id);
        return CompletableFuture.supplyAsync(() -> local); // completes on another thread, as the real one does
    }

    @Override
    public void configure(EndpointId endpoint, EndpointParameters p) {
        if (open.containsKey(endpoint)) {
            parameters.put(endpoint, p);
        }
    }

    /** As the contract says: replaces any earlier bridge of either endpoint. */
    @Override
    public synchronized void bridge(EndpointId a, EndpointId b) {
        unbridge(a);
        unbridge(b);
        bridges.put(a, b);
        bridges.put(b, a);
    }

    @Override
    public synchronized void unbridge(EndpointId endpoint) {
        EndpointId other = bridges.remove(endpoint);
        if (other != null) {
            bridges.remove(other, endpoint);
        }
    }

    @Override
    public void close(EndpointId endpoint) {
        open.remove(endpoint);
        unbridge(endpoint);
    }

    @Override
    public EndpointStats stats(EndpointId endpoint) {
        return open.containsKey(endpoint) ? new EndpointStats(7, 5, 0, 0, 0, 0, null) : null;
    }

    @Override
    public void addListener(Listener listener) {
        listeners.add(listener);
    }

    void fire(MediaEvent event) {
        listeners.forEach(l -> l.onMediaEvent(event));
    }

    /** The open endpoint whose RTP port is {@code port}. */
    EndpointId byPort(int port) {
        return open.values().stream().filter(l -> l.rtp().getPort() == port).findFirst().orElseThrow().id();
    }

    List<EndpointId> openIds() {
        return new ArrayList<>(open.keySet());
    }
}
