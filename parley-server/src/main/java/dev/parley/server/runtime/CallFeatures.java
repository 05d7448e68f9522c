package dev.parley.server.runtime;

import dev.parley.pbx.directory.DeviceRepository;
import dev.parley.pbx.directory.UserId;
import dev.parley.pbx.presence.PresenceEngine;
import dev.parley.pbx.webphone.WebPhones;
import dev.parley.server.store.Repositories;
import dev.parley.web.api.ApiModule;
import dev.parley.web.api.ApiRoute;
import dev.parley.web.api.CallApi;
import dev.parley.web.api.DirectoryListingApi;
import dev.parley.web.api.EventStreamApi;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Predicate;

/**
 * The call history, live calls, directory with presence and the live event stream (issue 6), wired together: the
 * presence engine hears the PBX's calls and reads the store; the API modules serve them. Started with the web
 * server, closed before it (so open event streams end first).
 */
final class CallFeatures implements AutoCloseable {
    private final PresenceEngine presence;
    private final CallApi calls;
    private final DirectoryListingApi directory;
    private final EventStreamApi events;

    private CallFeatures(PresenceEngine presence, CallApi calls, DirectoryListingApi directory,
            EventStreamApi events) {
        this.presence = presence;
        this.calls = calls;
        this.directory = directory;
        this.events = events;
    }

    /**
     * @param doNotDisturb whether a user's do-not-disturb is on (the settings service's cached value)
     */
    static CallFeatures start(Repositories store, PbxWiring pbx, Predicate<UserId> doNotDisturb,
            Duration sessionIdleTimeout, Clock clock) {
        Objects.requireNonNull(store, "store");
        // presence maps bindings to users through the devices the PBX routes with: a browser phone registers with
        // session-bound credentials that exist only in that view, not among the stored devices
        DeviceRepository devices = pbx.webPhones().map(WebPhones::devices).orElse(store.devices());
        PresenceEngine engine = new PresenceEngine(store.users(), store.extensions(), devices,
                store.bindings(), doNotDisturb, clock, PresenceEngine.DEFAULT_REFRESH).start();
        pbx.addCallListener(engine);
        return new CallFeatures(engine,
                // the same view: a browser phone's web-… device resolves to its user in live calls and history
                new CallApi(store.callRecords(), store.users(), store.extensions(), devices, pbx::liveCalls),
                new DirectoryListingApi(engine),
                new EventStreamApi(engine, store.webSessions(), sessionIdleTimeout, clock));
    }

    PresenceEngine presence() {
        return presence;
    }

    /** The calls, directory and events routes, as one module. */
    ApiModule module() {
        return () -> {
            List<ApiRoute> routes = new ArrayList<>(calls.routes());
            routes.addAll(directory.routes());
            routes.addAll(events.routes());
            return routes;
        };
    }

    /** Ends every event stream and stops the presence engine. */
    @Override
    public void close() {
        presence.close();
        try {
            events.awaitStreamsEnded(java.time.Duration.ofSeconds(3)); // each sees its end within a second
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
