package dev.parley.pbx.presence;

import dev.parley.pbx.call.CallView;
import dev.parley.pbx.call.Calls;
import dev.parley.pbx.cdr.CallRecord;
import dev.parley.pbx.directory.Device;
import dev.parley.pbx.directory.DeviceId;
import dev.parley.pbx.directory.DeviceRepository;
import dev.parley.pbx.directory.Extension;
import dev.parley.pbx.directory.ExtensionRepository;
import dev.parley.pbx.directory.User;
import dev.parley.pbx.directory.UserId;
import dev.parley.pbx.directory.UserRepository;
import dev.parley.pbx.registrar.Binding;
import dev.parley.pbx.registrar.BindingRepository;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArraySet;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a {@link PresenceBook} on one virtual thread of its own and hands what it produces to the subscriptions.
 *
 * <h2>Threads</h2>
 * The call registry tells it about calls on the SIP lanes ({@link Calls.Listener}); each callback only puts a task
 * in a bounded inbox ({@value #INBOX} tasks; when full the task is dropped and counted — a lane never waits here).
 * The engine's thread takes tasks in order, and every {@code refresh} (3 s by default) reads the directory from the
 * repositories — extensions, users' names, unexpired bindings, do-not-disturb — since registrations and settings
 * change without telling it. Events go to {@link Subscription}s, which never block either.
 *
 * <h2>Limits</h2>
 * <table>
 *   <caption>Bounds</caption>
 *   <tr><td>inbox</td><td>{@value #INBOX} tasks, then dropped (logged once per 1000)</td></tr>
 *   <tr><td>subscriptions</td><td>{@value #MAX_SUBSCRIPTIONS} in all, {@value #MAX_PER_USER} per user</td></tr>
 *   <tr><td>per subscription</td><td>{@value #QUEUE} events, then the subscriber is dropped</td></tr>
 * </table>
 */
public final class PresenceEngine implements Calls.Listener, AutoCloseable {
    static final int INBOX = 10_000;
    static final int QUEUE = 256;
    public static final int MAX_SUBSCRIPTIONS = 1000; // the web server's streams hold no platform thread
    public static final int MAX_PER_USER = 5;
    public static final Duration DEFAULT_REFRESH = Duration.ofSeconds(3);
    /** How long the thread gathers call events after one woke it (see {@link #runGathered}). */
    static final long GATHER_MILLIS = 20;
    private static final Logger LOG = LoggerFactory.getLogger(PresenceEngine.class);

    private final UserRepository users;
    private final ExtensionRepository extensions;
    private final DeviceRepository devices;
    private final BindingRepository bindings;
    private final Predicate<UserId> doNotDisturb;
    private final Clock clock;
    private final Duration refresh;
    private final PresenceBook book = new PresenceBook();
    private final BlockingQueue<Runnable> inbox = new ArrayBlockingQueue<>(INBOX);
    private final Set<Subscription> subscriptions = new CopyOnWriteArraySet<>();
    private final AtomicLong dropped = new AtomicLong();
    private volatile List<DirectoryEntry> directory = List.of();
    private volatile boolean closed;
    private Thread worker;

    /**
     * @param devices the devices view the PBX authenticates and routes with (with the browser phones' credentials,
     *     not the stored devices alone), so that a registered browser phone makes its user online
     * @param doNotDisturb whether a user's do-not-disturb is on (may block: it runs on the engine's thread)
     */
    public PresenceEngine(UserRepository users, ExtensionRepository extensions, DeviceRepository devices,
            BindingRepository bindings, Predicate<UserId> doNotDisturb, Clock clock, Duration refresh) {
        this.users = Objects.requireNonNull(users, "users");
        this.extensions = Objects.requireNonNull(extensions, "extensions");
        this.devices = Objects.requireNonNull(devices, "devices");
        this.bindings = Objects.requireNonNull(bindings, "bindings");
        this.doNotDisturb = Objects.requireNonNull(doNotDisturb, "doNotDisturb");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.refresh = Objects.requireNonNull(refresh, "refresh");
        if (refresh.isNegative() || refresh.isZero()) {
            throw new IllegalArgumentException("refresh must be positive");
        }
    }

    /** Reads the directory once (so the first {@link #directory()} is complete) and starts the thread. */
    public synchronized PresenceEngine start() {
        if (worker != null) {
            throw new IllegalStateException("already started");
        }
        apply(book.refresh(readDirectory()));
        worker = Thread.ofVirtual().name("parley-presence").start(this::run);
        return this;
    }

    /** Every extension with its presence, as of the last refresh or call event. */
    public List<DirectoryEntry> directory() {
        return directory;
    }

    /**
     * A new reader of {@code user}'s events (and everyone's presence changes).
     *
     * @throws IllegalStateException when the engine is closed or the limits are reached (the caller answers 503)
     */
    public Subscription subscribe(UserId user) {
        if (closed) {
            throw new IllegalStateException("the event engine is stopping");
        }
        if (subscriptions.size() >= MAX_SUBSCRIPTIONS
                || subscriptions.stream().filter(s -> s.user().equals(user)).count() >= MAX_PER_USER) {
            throw new IllegalStateException("too many event streams");
        }
        Subscription[] self = new Subscription[1];
        self[0] = new Subscription(user, QUEUE, () -> subscriptions.remove(self[0]));
        subscriptions.add(self[0]);
        return self[0];
    }

    /** Open subscriptions. */
    public int subscriptions() {
        return subscriptions.size();
    }

    /** Tasks dropped because the inbox was full. */
    public long dropped() {
        return dropped.get();
    }

    // ---- Calls.Listener: on the SIP lanes, enqueue only ----

    @Override
    public void onRinging(CallView call) {
        enqueue(() -> applyCallEvent(book.ringing(call)));
    }

    @Override
    public void onAnswered(CallView call) {
        enqueue(() -> applyCallEvent(book.answered(call)));
    }

    @Override
    public void onHoldChanged(CallView call) {
        enqueue(() -> applyCallEvent(book.holdChanged(call)));
    }

    @Override
    public void onEnded(CallView call, CallRecord record) {
        enqueue(() -> applyCallEvent(book.ended(call, record)));
    }

    /**
     * A user's settings changed ({@code settings} as the settings service holds them): their streams get it, and
     * everyone their presence at once if do-not-disturb changed. Only enqueues.
     */
    public void settingsChanged(UserId user, Object settings) {
        enqueue(() -> {
            for (Subscription s : subscriptions) {
                if (s.user().equals(user)) {
                    s.offer(new PbxEvent.SettingsChanged(settings));
                }
            }
            apply(book.refresh(readDirectory()));
        });
    }

    /**
     * The directory changed (a user, extension or device was added or removed): read it again now rather than at
     * the next periodic refresh, so a new extension is listed at once. Only enqueues.
     */
    public void directoryChanged() {
        enqueue(() -> apply(book.refresh(readDirectory())));
    }

    /** Runs everything queued before this call; for tests and shutdown. */
    public void awaitQueued(Duration limit) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        enqueue(() -> done.complete(null));
        try {
            done.get(limit.toMillis(), TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            LOG.debug("presence tasks not done within {}", limit);
        }
    }

    private void enqueue(Runnable task) {
        if (closed) {
            return;
        }
        if (!inbox.offer(task)) {
            long n = dropped.incrementAndGet();
            if (n % 1000 == 1) {
                LOG.warn("presence inbox full: {} event(s) dropped so far", n);
            }
        }
    }

    private void run() {
        long nextRefresh = System.nanoTime() + refresh.toNanos();
        while (!closed) {
            try {
                long wait = nextRefresh - System.nanoTime();
                Runnable task = wait > 0 ? inbox.poll(wait, TimeUnit.NANOSECONDS) : null;
                if (task != null) {
                    runGathered(task);
                    continue;
                }
                nextRefresh = System.nanoTime() + refresh.toNanos();
                apply(book.refresh(readDirectory()));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                LOG.warn("presence update failed: {}", e.toString());
            }
        }
    }

    /**
     * Runs {@code first} and, after {@value #GATHER_MILLIS} ms, everything queued meanwhile. Why: a call makes
     * three events (ringing, answered, ended), and a thread woken for each one — an unpark of this virtual thread,
     * a carrier woken for it and the carriers waking one another — was a fifth of Parley's thread wake-ups per call
     * under load (issue 3's perf profile of sched events, docs/benchmarks.md). Waiting here is a timed sleep, not a
     * wait on the inbox, so the lanes' offers meanwhile wake nobody: one wake-up per {@value #GATHER_MILLIS} ms
     * under load. A presence lamp is that much later, which nobody sees; tasks still run in the order queued.
     */
    private void runGathered(Runnable first) throws InterruptedException {
        first.run();
        if (closed) {
            return;
        }
        Thread.sleep(GATHER_MILLIS);
        for (int n = inbox.size(); n > 0; n--) { // what is queued now; later tasks wait for the next round
            Runnable next = inbox.poll();
            if (next == null) {
                return;
            }
            next.run();
        }
    }

    private void apply(List<PresenceBook.Delivery> deliveries) {
        directory = book.directory();
        deliver(deliveries);
    }

    /**
     * A call event's deliveries: the directory list is rebuilt only when someone's presence changed, since a call
     * changes nothing else in it (names and extensions change on a refresh).
     */
    private void applyCallEvent(List<PresenceBook.Delivery> deliveries) {
        for (PresenceBook.Delivery d : deliveries) {
            if (d.event() instanceof PbxEvent.PresenceChanged) {
                directory = book.directory();
                break;
            }
        }
        deliver(deliveries);
    }

    private void deliver(List<PresenceBook.Delivery> deliveries) {
        for (PresenceBook.Delivery d : deliveries) {
            for (Subscription s : subscriptions) {
                if (d.to() == null || d.to().equals(s.user())) {
                    s.offer(d.event());
                }
            }
        }
    }

    /** Blocking: the repositories. */
    private PresenceBook.Snapshot readDirectory() {
        List<Extension> all = extensions.findAll();
        Map<UserId, String> names = new HashMap<>();
        for (User u : users.findAll()) {
            names.put(u.id(), u.displayName());
        }
        Map<DeviceId, UserId> owners = new HashMap<>();
        for (Device d : devices.findAll()) {
            owners.put(d.id(), d.owner());
        }
        Instant now = clock.instant();
        Set<UserId> registered = new HashSet<>();
        for (Binding b : bindings.findAll()) {
            if (b.isExpired(now)) {
                continue;
            }
            UserId owner = owners.get(b.deviceId());
            if (owner == null) {
                // not a listed device: a browser phone's session-bound credentials, which the PBX's devices view
                // (webphone.WebPhones) resolves by id but leaves out of findAll; a deleted device stays unknown
                owner = devices.findById(b.deviceId()).map(Device::owner).orElse(null);
            }
            if (owner != null) {
                registered.add(owner);
            }
        }
        Set<UserId> dnd = new HashSet<>();
        for (Extension e : all) {
            if (!dnd.contains(e.owner()) && doNotDisturb.test(e.owner())) {
                dnd.add(e.owner());
            }
        }
        return new PresenceBook.Snapshot(all, names, registered, dnd);
    }

    /** Ends every subscription ({@link PbxEvent.End#SERVER_STOPPING}) and stops the thread. */
    @Override
    public void close() {
        closed = true;
        for (Subscription s : subscriptions) {
            s.end(PbxEvent.End.SERVER_STOPPING);
        }
        Thread t;
        synchronized (this) {
            t = worker;
        }
        if (t != null) {
            inbox.offer(() -> { }); // wakes the thread; never an interrupt, which may close a JDBC connection mid-call
            try {
                t.join(Duration.ofSeconds(5));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
