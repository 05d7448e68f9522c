package dev.parley.pbx;

import dev.parley.common.Scheduler;
import dev.parley.pbx.auth.AuthResult;
import dev.parley.pbx.auth.DigestAuthenticator;
import dev.parley.pbx.call.Call;
import dev.parley.pbx.call.CallContext;
import dev.parley.mediaapi.MediaService;
import dev.parley.pbx.call.CallRecorder;
import dev.parley.pbx.call.CallView;
import dev.parley.pbx.call.Calls;
import dev.parley.pbx.call.Capabilities;
import dev.parley.pbx.call.Cause;
import dev.parley.pbx.call.Responses;
import dev.parley.pbx.cdr.CallRecord;
import dev.parley.pbx.directory.Device;
import dev.parley.pbx.directory.UserId;
import dev.parley.pbx.registrar.Binding;
import dev.parley.pbx.registrar.Registrar;
import dev.parley.pbx.registrar.RegistrarService;
import dev.parley.pbx.routing.CallerId;
import dev.parley.pbx.routing.Route;
import dev.parley.pbx.routing.Router;
import dev.parley.pbx.security.Bans;
import dev.parley.pbx.security.SecurityLog;
import dev.parley.pbx.settings.IncomingCallPolicy;
import dev.parley.pbx.settings.UserSettings;
import dev.parley.sip.header.HeaderType;
import dev.parley.sip.header.RetryAfter;
import dev.parley.sip.message.SipMessage;
import dev.parley.sip.message.SipMethod;
import dev.parley.sip.message.SipRequest;
import dev.parley.sip.message.SipResponse;
import dev.parley.sip.text.SipSyntaxException;
import dev.parley.sipstack.SipStack;
import dev.parley.sipstack.flow.Flow;
import dev.parley.sipstack.flow.Transport;
import dev.parley.sipstack.lane.Lane;
import dev.parley.sipstack.transaction.ServerTransaction;
import dev.parley.sipstack.transaction.TransactionState;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The PBX as the SIP stack's transaction user: a thin dispatcher from requests to the registrar, OPTIONS, and calls.
 *
 * <h2>What the server does with it</h2>
 * <pre>
 *   Pbx pbx = new Pbx(config, ports, media, clock);   // media: the MediaService every call is anchored on
 *   SipStack stack = new SipStack(stackConfig, pbx);
 *   pbx.attach(stack);          // before stack.start()
 *   stack.start();
 *   ...
 *   pbx.drain();                // shutdown: new INVITE/REGISTER get 503 + Retry-After
 *   pbx.awaitCalls(deadline);   // calls in progress finish, or get BYE with a Reason at the deadline
 *   stack.close();
 *   pbx.close();                // stops housekeeping, lets CDR writes finish
 * </pre>
 *
 * <h2>Dispatch</h2>
 * <ol>
 *   <li>{@link #admit}: messages from banned sources are dropped unanswered.</li>
 *   <li>{@link RequestChecks}: 501/405, 416, 420, 415 (RFC 3261 §8.2).</li>
 *   <li>REGISTER: without credentials, challenged (401) on the lane; otherwise {@link RegistrarService} on a
 *       virtual thread, answered on the lane (or silently dropped).</li>
 *   <li>OPTIONS: 200 with Allow, Accept and Supported, without authentication (it is how peers ping).</li>
 *   <li>A request with a To tag: the call that owns the Call-ID, else 481.</li>
 *   <li>INVITE: 482 for a loop or merged request (its Call-ID is one of a call in progress, e.g. a callee branch
 *       that came back to us), 483 when Max-Forwards is 0, 407 on the lane when it carries no credentials, then
 *       Digest authentication (407;
 *       wrong credentials count towards a ban and get the same answer as unknown users) and routing (404, 480),
 *       then the callee's settings (do not disturb: {@code pbx.dnd-status}; call waiting off while on a call: 486;
 *       auto-answer: {@code Call-Info ...;answer-after=0} on the branches), and back on the lane a {@link Call}.
 *       All of it on the lane when the directory ({@link PbxPorts#directoryInMemory}), the callee's bindings and
 *       settings are in memory; else, from the first step that is not, on a virtual thread.</li>
 * </ol>
 *
 * <p>Thread-safe: transaction-user callbacks run on the lanes; {@link #drain()}, {@link #awaitCalls},
 * {@link #activeCalls()} and {@link #close()} may be called from any thread.
 */
public final class Pbx implements SipStack.Handler, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Pbx.class);
    private static final Duration FORCED_END_GRACE = Duration.ofSeconds(2);

    private final PbxConfig config;
    private final PbxPorts ports;
    private final Clock clock;
    private final DigestAuthenticator authenticator;
    private final Bans bans;
    private final RegistrarService registrarService;
    private final Router router;
    private final IncomingCallPolicy callPolicy;
    private final Calls calls = new Calls();
    private final MediaService media;
    private final SecureRandom random = new SecureRandom();
    private final ExecutorService blocking = Executors.newVirtualThreadPerTaskExecutor();
    private volatile SipStack stack;
    private volatile CallContext context;
    private volatile boolean draining;
    private volatile boolean closed;
    private volatile Scheduler.Timer housekeeping;

    /** A PBX that builds its authenticator (random nonce key), registrar, bans and registrar service from config. */
    public Pbx(PbxConfig config, PbxPorts ports, MediaService media, Clock clock) {
        this(config, ports, media, new DigestAuthenticator(config.digestPolicy(), ports.devices(), clock,
                new SecureRandom()), new Bans(config.banPolicy(), clock), clock);
    }

    /** A PBX around an authenticator and bans built elsewhere (a fixed nonce key, shared bans). */
    public Pbx(PbxConfig config, PbxPorts ports, MediaService media, DigestAuthenticator authenticator, Bans bans,
            Clock clock) {
        this(config, ports, media, authenticator, bans, new RegistrarService(authenticator,
                new Registrar(config.registrarPolicy(), ports.bindings(), ports.extensions(), clock), bans), clock);
    }

    /** A PBX around components built elsewhere; {@code registrarService} must use the same authenticator and bans. */
    public Pbx(PbxConfig config, PbxPorts ports, MediaService media, DigestAuthenticator authenticator, Bans bans,
            RegistrarService registrarService, Clock clock) {
        this.config = Objects.requireNonNull(config, "config");
        this.ports = Objects.requireNonNull(ports, "ports");
        this.media = Objects.requireNonNull(media, "media");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.authenticator = Objects.requireNonNull(authenticator, "authenticator");
        this.bans = Objects.requireNonNull(bans, "bans");
        this.registrarService = Objects.requireNonNull(registrarService, "registrarService");
        this.router = new Router(ports.users(), ports.extensions(), ports.devices(), registrarService.registrar());
        this.callPolicy = new IncomingCallPolicy(config.dndStatus());
        calls.routeTransfersWith(router::route); // a REFER's target is routed as the transferor's own call
    }

    /**
     * Connects the PBX to the stack it serves (constructed with this PBX as its handler) and starts housekeeping.
     * Call once, before {@link SipStack#start()}.
     */
    public void attach(SipStack sipStack) {
        Objects.requireNonNull(sipStack, "sipStack");
        if (stack != null) {
            throw new IllegalStateException("the PBX is already attached to a stack");
        }
        stack = sipStack;
        context = new CallContext(sipStack, calls, blocking, ports.callRecords(), clock, config.noAnswerTimeout(),
                media, random);
        // media events arrive on media threads: each goes to the lane of the call whose endpoint it names
        media.addListener(event -> calls.findByEndpoint(event.endpoint())
                .ifPresent(c -> c.lane().execute(() -> c.onMediaEvent(event))));
        scheduleHousekeeping(sipStack.lanes().get(0));
    }

    public PbxConfig config() {
        return config;
    }

    public Registrar registrar() {
        return registrarService.registrar();
    }

    public Bans bans() {
        return bans;
    }

    /** Calls ringing or answered right now. */
    public int activeCalls() {
        return calls.size();
    }

    /** The calls in progress, each with its padlock ({@link CallView#security()}); for the API. */
    public List<CallView> liveCalls() {
        return calls.snapshot().stream().map(Call::view).toList();
    }

    /**
     * Tells {@code listener} when calls ring, are answered and end. It runs on the call's lane: it must only
     * enqueue (see {@link Calls.Listener}).
     */
    public void addCallListener(Calls.Listener listener) {
        calls.addListener(listener);
    }

    /** From now on new INVITEs and REGISTERs get {@code 503} with {@code Retry-After}; calls in progress go on. */
    public void drain() {
        if (!draining) {
            draining = true;
            LOG.info("draining: new calls and registrations are refused, {} call(s) in progress", calls.size());
        }
    }

    public boolean isDraining() {
        return draining;
    }

    /**
     * Waits until no call is in progress or {@code deadline} has passed, then ends the remaining calls (BYE on both
     * legs with {@code Reason: SIP;cause=503}, or 503 to a caller still ringing) and waits briefly for that to go
     * out. Call after {@link #drain()}, from a thread that is not a lane.
     *
     * @return how many calls had to be ended
     */
    public int awaitCalls(Duration deadline) throws InterruptedException {
        waitForNoCalls(deadline);
        List<Call> remaining = calls.snapshot();
        for (Call c : remaining) {
            c.lane().execute(c::shutdown);
        }
        if (!remaining.isEmpty()) {
            LOG.info("ending {} call(s) still in progress at the shutdown deadline", remaining.size());
            waitForNoCalls(FORCED_END_GRACE);
        }
        return remaining.size();
    }

    private void waitForNoCalls(Duration limit) throws InterruptedException {
        long end = System.nanoTime() + limit.toNanos();
        while (calls.size() > 0 && System.nanoTime() - end < 0) {
            Thread.sleep(20);
        }
    }

    /** One housekeeping pass: purge expired bindings, sweep bans. Blocking; runs on a virtual thread. */
    public void housekeep() {
        try {
            int purged = registrarService.registrar().purgeExpired().size();
            if (purged > 0) {
                LOG.debug("purged {} expired binding(s)", purged);
            }
            bans.sweep();
        } catch (RuntimeException e) {
            LOG.warn("housekeeping failed: {}", e.toString());
        }
    }

    private void scheduleHousekeeping(Lane lane) {
        if (closed) {
            return;
        }
        housekeeping = lane.schedule(config.housekeepingInterval(), () -> {
            if (!closed) {
                blocking.execute(this::housekeep);
                scheduleHousekeeping(lane);
            }
        });
    }

    /** Stops housekeeping and waits a little for CDR writes in flight. Call after the stack has closed. */
    @Override
    public void close() {
        closed = true;
        Scheduler.Timer t = housekeeping;
        if (t != null) {
            t.cancel();
        }
        blocking.shutdown();
        try {
            if (!blocking.awaitTermination(5, TimeUnit.SECONDS)) {
                LOG.warn("blocking tasks still running at close");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    // ---- SipStack.Handler ----

    @Override
    public boolean admit(SipMessage message, Flow flow) {
        return !bans.isBanned(flow.remoteAddress().getAddress());
    }

    @Override
    public void onRequest(ServerTransaction tx, SipRequest request) {
        try {
            dispatch(tx, request);
        } catch (SipSyntaxException e) {
            LOG.debug("malformed header in {}: {}", request, e.getMessage());
            tx.respond(Responses.to(request, 400).build());
        } catch (RuntimeException e) {
            LOG.error("failed to handle {}", request, e);
            tx.respond(Responses.to(request, 500).build());
        }
    }

    private void dispatch(ServerTransaction tx, SipRequest request) {
        Optional<SipResponse> refusal = RequestChecks.screen(request);
        if (refusal.isPresent()) {
            tx.respond(refusal.get());
            return;
        }
        switch (request.method()) {
            case SipMethod.REGISTER -> register(tx, request);
            // RFC 3261 §11.2: OPTIONS is answered as an INVITE would be, capabilities included; no authentication
            case SipMethod.OPTIONS -> tx.respond(Capabilities.describe(Responses.to(request, 200)).build());
            // RFC 3261 §9.2: a CANCEL that matches no INVITE transaction
            case SipMethod.CANCEL -> tx.respond(Responses.to(request, 481).build());
            default -> {
                if (request.to().tag() != null) {
                    Optional<Call> call = calls.find(request.callId());
                    if (call.isPresent()) {
                        call.get().onRequest(tx, request);
                    } else {
                        tx.respond(Responses.to(request, 481).build()); // RFC 3261 §12.2.2
                    }
                } else if (request.isMethod(SipMethod.INVITE)) {
                    newCall(tx, request);
                } else {
                    tx.respond(Responses.to(request, 481).build()); // BYE, UPDATE, INFO outside a dialog
                }
            }
        }
    }

    private void register(ServerTransaction tx, SipRequest request) {
        if (draining) {
            tx.respond(serviceUnavailable(request));
            return;
        }
        SipResponse challenge = challengeOnLane(request, tx.flow());
        if (challenge != null) {
            tx.respond(challenge);
            return;
        }
        Lane lane = stack.laneFor(request.callId());
        blocking.execute(() -> {
            RegistrarService.Action action;
            try {
                action = registrarService.handle(request, tx.flow());
            } catch (RuntimeException e) {
                LOG.warn("REGISTER failed: {}", e.toString());
                action = new RegistrarService.Action.Respond(Responses.to(request, 500).build());
            }
            RegistrarService.Action decided = action;
            lane.execute(() -> {
                switch (decided) {
                    case RegistrarService.Action.Respond r -> tx.respond(r.response());
                    case RegistrarService.Action.Drop d -> tx.discard(); // a ban began meanwhile: no answer at all
                }
            });
        });
    }

    private SipResponse serviceUnavailable(SipRequest request) {
        return Responses.to(request, 503).set(HeaderType.RETRY_AFTER,
                RetryAfter.of(config.drainRetryAfter().toSeconds())).build();
    }

    /** What to do with an out-of-dialog INVITE, decided off the lane. */
    private sealed interface Decision {
        record Answer(SipResponse response) implements Decision {
        }

        record Drop() implements Decision {
        }

        record Refuse(CallerId caller, String dialled, int status, Cause cause) implements Decision {
        }

        record Ring(CallerId caller, Route.Ring route) implements Decision {
        }

        /** Authenticated on the lane, but the route or the callee's settings are not in memory: finish off it. */
        record Authenticated(Device device) implements Decision {
        }
    }

    private void newCall(ServerTransaction tx, SipRequest invite) {
        if (draining) {
            tx.respond(serviceUnavailable(invite));
            return;
        }
        // RFC 3261 §8.2.2.2 and §16.3 step 4: a Call-ID we already carry is a loop back through Parley (one of our
        // callee branches) or the same request forked to us twice
        if (calls.find(invite.callId()).isPresent()) {
            tx.respond(Responses.to(invite, 482).build());
            return;
        }
        if (invite.maxForwards() == 0) {
            tx.respond(Responses.to(invite, 483).build()); // RFC 3261 §16.3 step 2
            return;
        }
        SipResponse challenge = challengeOnLane(invite, tx.flow());
        if (challenge != null) {
            tx.respond(challenge);
            return;
        }
        Instant startedAt = clock.instant();
        // Decided here when the directory, the callee's bindings and settings are in memory (the common case on
        // SQLite): no hop to a virtual thread and back. Else, or for what is not in memory, on a virtual thread.
        Decision onLane = ports.directoryInMemory().readInMemory(() -> decide(invite, tx.flow(), true));
        if (onLane != null) {
            act(tx, invite, onLane, startedAt);
            return;
        }
        Lane lane = stack.laneFor(invite.callId());
        blocking.execute(() -> {
            Decision d = decide(invite, tx.flow(), false);
            lane.execute(() -> act(tx, invite, d, startedAt));
        });
    }

    /**
     * On the lane: the Digest challenge for an INVITE or REGISTER without credentials (RFC 3261 §22.2, §22.3), the
     * first request of every call and registration, or {@code null} to decide off the lane as for any other. The
     * challenge needs no directory read, so it is answered here rather than after a hop to a virtual thread and
     * back; the answer is the same bytes (apart from nonce and tag) as {@link DigestAuthenticator#authenticate}'s.
     * A banned source and malformed credentials also go the blocking way, which drops or answers 400 as before.
     */
    private SipResponse challengeOnLane(SipRequest request, Flow flow) {
        if (bans.isBanned(flow.remoteAddress().getAddress())) {
            return null;
        }
        try {
            return authenticator.challengeWithoutCredentials(request, flow.transport());
        } catch (SipSyntaxException e) {
            return null;
        }
    }

    /**
     * Bans, Digest authentication, routing, the callee's settings. Blocking, or with {@code inMemory} on the lane
     * inside {@link dev.parley.pbx.directory.InMemoryDirectory#readInMemory}: then the directory is read from memory
     * and a route or settings that are not in memory give {@link Decision.Authenticated}, to finish off the lane.
     * Authentication is the same code either way: the same answers, in the same time, for known and unknown users.
     */
    private Decision decide(SipRequest invite, Flow flow, boolean inMemory) {
        InetSocketAddress remote = flow.remoteAddress();
        try {
            if (bans.isBanned(remote.getAddress())) {
                return new Decision.Drop();
            }
            AuthResult auth = authenticator.authenticate(invite, flow.transport());
            return switch (auth) {
                case AuthResult.Challenged c -> {
                    if (c.reason().isFailure()) {
                        bans.recordFailure(SecurityLog.Failure.AUTH_FAILURE, remote, flow.transport(),
                                c.claimedUsername(), invite.method());
                    }
                    yield new Decision.Answer(c.response());
                }
                case AuthResult.Authenticated a -> {
                    if (!authenticator.mayUse(a.device(), flow.transport())) {
                        yield new Decision.Answer(Responses.to(invite, 403).build()); // browser credentials off WSS
                    }
                    Decision routed = route(invite, a.device(), inMemory);
                    yield routed != null ? routed : new Decision.Authenticated(a.device());
                }
            };
        } catch (SipSyntaxException e) {
            LOG.debug("malformed credentials in INVITE from {}: {}", remote, e.getMessage());
            return new Decision.Answer(Responses.to(invite, 400).build());
        } catch (RuntimeException e) {
            LOG.warn("INVITE could not be routed: {}", e.toString());
            return new Decision.Answer(Responses.to(invite, 500).build());
        }
    }

    /** Blocking: the rest of {@link #decide} for a caller authenticated on the lane. */
    private Decision routeBlocking(SipRequest invite, Device device) {
        try {
            return route(invite, device, false);
        } catch (RuntimeException e) {
            LOG.warn("INVITE could not be routed: {}", e.toString());
            return new Decision.Answer(Responses.to(invite, 500).build());
        }
    }

    /** Routing and the callee's settings; with {@code inMemory}, null when either is not in memory. */
    private Decision route(SipRequest invite, Device device, boolean inMemory) {
        CallerId caller = router.callerOf(device);
        Route route = inMemory ? router.routeInMemory(invite.requestUri(), device)
                : router.route(invite.requestUri(), device);
        return switch (route) {
            case null -> null;
            case Route.Ring ring -> admit(caller, ring, inMemory);
            case Route.NotFound n -> new Decision.Refuse(caller, n.dialled(), 404, Cause.NOT_FOUND);
            case Route.Unavailable u -> new Decision.Refuse(caller, u.dialled(), 480, Cause.UNAVAILABLE);
        };
    }

    /**
     * The callee's settings applied to a routed call ({@link IncomingCallPolicy}): do not disturb and call waiting
     * may refuse it, auto-answer marks it. Blocking only when the settings are not cached; with {@code inMemory},
     * null then.
     */
    private Decision admit(CallerId caller, Route.Ring ring, boolean inMemory) {
        UserId callee = ring.targets().getFirst().device().owner(); // the router rings one user's devices
        UserSettings settings = inMemory ? ports.settings().cachedOf(callee) : ports.settings().of(callee);
        if (settings == null) {
            return null;
        }
        // Being on a call refuses only a callee without call waiting: the walk over every call in progress is for
        // them alone (call waiting is on by default, and the walk grows with the calls up).
        boolean onACall = !settings.callWaiting() && calls.anyEngaging(callee);
        return switch (callPolicy.decide(settings, onACall)) {
            case IncomingCallPolicy.Decision.Ring r -> new Decision.Ring(caller, ring.withAutoAnswer(r.autoAnswer()));
            case IncomingCallPolicy.Decision.Refuse f -> new Decision.Refuse(caller, ring.dialled(), f.status(),
                    f.reason() == IncomingCallPolicy.Reason.DO_NOT_DISTURB ? Cause.DO_NOT_DISTURB : Cause.BUSY);
        };
    }

    /** Back on the lane: answer, or start the call. */
    private void act(ServerTransaction tx, SipRequest invite, Decision decision, Instant startedAt) {
        if (tx.state() != TransactionState.PROCEEDING) {
            return; // CANCELled (487 sent) or its flow failed while we were deciding
        }
        switch (decision) {
            case Decision.Authenticated a -> {
                Lane lane = stack.laneFor(invite.callId());
                blocking.execute(() -> {
                    Decision d = routeBlocking(invite, a.device());
                    lane.execute(() -> act(tx, invite, d, startedAt));
                });
            }
            case Decision.Answer a -> tx.respond(a.response());
            case Decision.Drop d -> tx.discard();
            case Decision.Refuse r -> {
                tx.respond(Responses.to(invite, r.status()).build());
                // the callee's user is left to the store, which reads it from the dialled number when it writes
                CallRecorder.ended(context, new CallRecord(UUID.randomUUID().toString(), invite.callId(),
                        r.caller().number(), r.dialled(), null, startedAt, null, clock.instant(), r.status(),
                        r.cause().text()).withUsers(r.caller().device().owner(), null, null));
            }
            case Decision.Ring r -> {
                if (draining) {
                    tx.respond(serviceUnavailable(invite));
                } else {
                    Call.start(context, tx, invite, r.caller(), r.route(), startedAt);
                }
            }
        }
    }

    @Override
    public void onCancel(ServerTransaction cancel, ServerTransaction invite) {
        Optional<Call> call = calls.find(invite.callId());
        if (call.isPresent()) {
            call.get().onCancel(cancel, invite);
            return;
        }
        // RFC 3261 §9.2: 200 to the CANCEL; 487 to an INVITE still being authenticated or routed
        cancel.respond(Responses.to(cancel.request(), 200).build());
        if (invite.state() == TransactionState.PROCEEDING) {
            invite.respond(Responses.to(invite.request(), 487).build());
        }
    }

    @Override
    public void onAckFor2xx(SipRequest ack, Flow flow) {
        calls.find(ack.callId()).ifPresent(c -> c.onAck(ack));
    }

    @Override
    public void onStrayResponse(SipResponse response, Flow flow) {
        if (response.isSuccess() && SipMethod.INVITE.equals(response.cseq().method())) {
            calls.find(response.callId()).ifPresent(c -> c.onStray2xx(response));
        } else {
            LOG.debug("stray response {}", response);
        }
    }

    @Override
    public void onTimeout(ServerTransaction transaction) {
        LOG.debug("no ACK for the final response of {} (Call-ID {})", transaction, transaction.callId());
    }

    /**
     * A TCP, TLS or WebSocket connection closed: the bindings registered over it go (from the repository too, on a
     * virtual thread), so a call to that contact gets 480 at once instead of waiting on a dead connection. A
     * WebSocket's calls end too (see {@link Call#onWebSocketClosed}); TCP and TLS calls go on, since Parley can
     * open a new connection to a SIP phone when it must send it something.
     */
    @Override
    public void onFlowClosed(Flow flow) {
        if (!flow.isReliable() || closed) {
            return;
        }
        if (flow.transport() == Transport.WSS || flow.transport() == Transport.WS) {
            for (Call c : calls.onWebSocket(flow.id())) {
                c.lane().execute(() -> c.onWebSocketClosed(flow));
            }
        }
        try {
            blocking.execute(() -> {
                try {
                    List<Binding> removed = registrarService.registrar().flowClosed(flow);
                    if (!removed.isEmpty()) {
                        LOG.debug("{} closed: removed {} binding(s) of {}", flow.id(), removed.size(),
                                removed.stream().map(Binding::aor).distinct().toList());
                    }
                } catch (RuntimeException e) {
                    LOG.warn("removing the bindings of closed {} failed: {}", flow.id(), e.toString());
                }
            });
        } catch (RejectedExecutionException e) {
            LOG.debug("{} closed during shutdown; its bindings stay until they expire", flow.id());
        }
    }

    @Override
    public void onTransportError(ServerTransaction transaction) {
        calls.find(transaction.callId()).ifPresent(c -> c.onTransportError(transaction));
    }
}
