package dev.parley.server.runtime;

import dev.parley.pbx.call.CallView;
import dev.parley.pbx.contacts.Contacts;
import dev.parley.pbx.security.SecretCipher;
import dev.parley.pbx.webphone.WebPhones;
import dev.parley.server.admin.AdminBootstrap;
import dev.parley.server.config.Addresses;
import dev.parley.server.config.ConfigException;
import dev.parley.server.config.ParleyConfig;
import dev.parley.server.store.Repositories;
import dev.parley.server.store.SecretKeyFile;
import dev.parley.server.store.StoreOpener;
import dev.parley.server.tls.TlsMaterial;
import dev.parley.sipstack.SipStack;
import dev.parley.sipstack.StackConfig;
import dev.parley.sipstack.flow.Transport;
import dev.parley.sipstack.transport.TransportConfig;
import dev.parley.web.WebAccounts;
import dev.parley.web.WebConfig;
import dev.parley.web.WebServer;
import dev.parley.web.api.ApiModule;
import dev.parley.web.api.ApiRoute;
import dev.parley.web.api.ContactApi;
import dev.parley.web.api.DirectoryApi;
import dev.parley.web.api.PhoneApi;
import dev.parley.web.api.SettingsApi;
import java.io.PrintStream;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One Parley process, started and stopped in order. {@link #start()} runs five steps, each undone by
 * {@link #stop()} in reverse:
 *
 * <ol>
 *   <li>{@link #openStore()}: the device secret key ({@code <data>/secret.key}) and the database;</li>
 *   <li>{@link #bootstrapAdmin()}: on first start, the {@code admin} account and its one-time password;</li>
 *   <li>{@link #buildStack()}: the media plane and the PBX on it ({@link PbxWiring}), the SIP stack under the PBX,
 *       and the stack attached to the PBX;</li>
 *   <li>{@link #startStack()}: bind the listeners;</li>
 *   <li>{@link #startWeb()}: the HTTPS port (and the redirect port), with SIP over WebSocket attached to the
 *       stack; then print the first-start banner.</li>
 * </ol>
 *
 * <p>The data directory and the TLS material are prepared by the caller (they are needed, and fail with their own
 * messages, before anything opens). A start that fails part way closes what it opened; if it fails after the admin
 * account was created, the banner is printed anyway, with the configured ports, so the one-time password is not
 * lost.
 *
 * <p>{@link #stop()} drains the PBX (new calls answered 503 with Retry-After, calls in progress given up to
 * {@code shutdown.drain-deadline}), then closes the web server (its WebSocket clients' bindings go with their
 * connections), the stack, the PBX, the media plane (after the drain: calls end with
 * their media) and the store. It is idempotent and is what the JVM
 * shutdown hook calls. Thread-safe: start and stop are serialized.
 */
public final class Server {
    private static final Logger LOG = LoggerFactory.getLogger(Server.class);

    private enum State { NEW, STARTING, RUNNING, STOPPED }

    private final ParleyConfig config;
    private final TlsMaterial tls;
    private final StoreOpener storeOpener;
    private final PbxWiring pbx;
    private final PrintStream console;
    private final Clock clock;

    private State state = State.NEW;
    private volatile Repositories store;
    private SipStack stack;
    private WebServer web;
    private volatile CallFeatures callFeatures;
    private volatile String webUrl;
    private boolean pbxBuilt;
    private boolean listening;

    /**
     * @param console where the first-start banner goes (standard output), never a log
     */
    public Server(ParleyConfig config, TlsMaterial tls, StoreOpener storeOpener, PbxWiring pbx, PrintStream console,
            Clock clock) {
        this.config = Objects.requireNonNull(config, "config");
        this.tls = Objects.requireNonNull(tls, "tls");
        this.storeOpener = Objects.requireNonNull(storeOpener, "storeOpener");
        this.pbx = Objects.requireNonNull(pbx, "pbx");
        this.console = Objects.requireNonNull(console, "console");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** Runs the five steps; on failure closes what was opened and rethrows. Only once per instance. */
    public synchronized void start() {
        if (state != State.NEW) {
            throw new IllegalStateException("a Server starts once; this one is " + state);
        }
        state = State.STARTING;
        Optional<AdminBootstrap.Credentials> admin = Optional.empty();
        try {
            store = openStore();
            admin = bootstrapAdmin();
            stack = buildStack();
            startStack();
            startWeb();
        } catch (RuntimeException | Error e) {
            admin.ifPresent(a -> printBanner(a, configuredPorts(), config.web().httpsPort()));
            closeAll();
            state = State.STOPPED;
            throw e;
        }
        state = State.RUNNING;
        admin.ifPresent(a -> printBanner(a, boundPorts(), web == null ? -1 : web.httpsPort()));
        LOG.info("Parley is running: SIP {} on {} (advertised as {}), realm {}; {}", describePorts(boundPorts()),
                config.sip().bindAddress().getHostAddress(), stack.advertisedHost(), config.realm(),
                web == null ? "web server off" : "web " + httpsUrl(web.httpsPort()));
    }

    /** Step 1: the secret key and the database. */
    private Repositories openStore() {
        SecretCipher cipher = SecretKeyFile.openOrCreate(config.secretKeyPath());
        return storeOpener.open(config, cipher);
    }

    /** Step 2: the admin account on first start. */
    private Optional<AdminBootstrap.Credentials> bootstrapAdmin() {
        return new AdminBootstrap(store.users(), store.webPasswords(), new SecureRandom()).ensureAdmin();
    }

    /** Step 3: the PBX, the stack it sits on, and the stack handed to the PBX. */
    private SipStack buildStack() {
        SipStack.Handler handler = pbx.handler(config, store, clock);
        pbxBuilt = true;
        SipStack s = new SipStack(stackConfig(config, tls), handler);
        pbx.attach(s);
        return s;
    }

    /**
     * Step 4: listen. A port that cannot be bound is the user's to fix, so it becomes a {@link ConfigException}
     * (status 2, one line) naming the settings, not a stack trace.
     */
    private void startStack() {
        try {
            stack.start();
        } catch (IllegalStateException e) {
            throw new ConfigException("sip: " + e.getMessage() + " (settings sip.udp-port, sip.tcp-port,"
                    + " sip.tls-port, sip.bind-address; options --sip-port, --tls-port, --bind)", e);
        }
        listening = true;
    }

    /**
     * Step 5: the web server, unless {@code web.https-port} is -1. It binds, then attaches SIP over WebSocket to the
     * running stack on its port. A port that cannot be bound becomes a {@link ConfigException} naming the settings.
     */
    private void startWeb() {
        if (config.web().httpsPort() == ParleyConfig.DISABLED) {
            LOG.info("web server off (web.https-port is -1): no HTTPS, no SIP over WebSocket");
            return;
        }
        WebAccounts accounts = WebAccounts.of(store.users(), store.extensions(), store.webPasswords());
        // presence shows do-not-disturb, and the user's event stream gets their new settings, from the one
        // settings service the PBX enforces
        callFeatures = CallFeatures.start(store, pbx, user -> store.settings().of(user).doNotDisturb(),
                config.web().sessionIdleTimeout(), clock);
        CallFeatures features = callFeatures;
        store.settings().addListener((user, settings) -> features.presence().settingsChanged(user,
                SettingsApi.toJson(settings)));
        WebServer w = new WebServer(webConfig(config, tls), stack::attachTransport, config.advertisedHost(),
                AccountWiring.withAccountFlows(accounts, config, store, this::webUrl)
                        .withSessions(store.webSessions())
                        .withTokens(store.apiTokens())
                        .withSessionIdleTimeout(config.web().sessionIdleTimeout())
                        .withModule(callFeatures.module())
                        .withModule(phoneApi())
                        .withModule(new SettingsApi(store.settings()))
                        .withModule(new ContactApi(new Contacts(store.contacts())))
                        .withModule(new DirectoryApi(store.users(), store.extensions(), store.devices(),
                                pbx.webPhones().map(WebPhones::devices).orElse(store.devices()),
                                store.webPasswords(), store.bindings(), accounts.gate(), this::directoryChanged,
                                clock)));
        try {
            w.start();
        } catch (IllegalStateException e) {
            w.close();
            throw new ConfigException("web: " + e.getMessage() + " (settings web.https-port,"
                    + " web.http-redirect-port, web.bind-address; option --https-port)", e);
        }
        web = w;
        webUrl = httpsUrl(w.httpsPort());
    }

    /** The HTTPS URL for links in mail: the bound port once started, the configured one before. */
    private String webUrl() {
        String url = webUrl;
        return url != null ? url : httpsUrl(config.web().httpsPort());
    }

    /** {@code POST /api/me/phone} over the PBX's browser phone credentials; no routes when the wiring has none. */
    private ApiModule phoneApi() {
        return pbx.webPhones().<ApiModule>map(p -> new PhoneApi(p, config.advertisedHost())).orElse(List::of);
    }

    /** The web server's configuration for {@code config}: the same certificate as SIP over TLS. */
    public static WebConfig webConfig(ParleyConfig config, TlsMaterial tls) {
        return WebConfig.of(config.webBindAddress(), config.web().httpsPort(), tls.keyManagers())
                .withRedirectPort(config.web().httpRedirectPort());
    }

    private String httpsUrl(int port) {
        return "https://" + Addresses.urlHost(config.advertisedHost()) + ":" + port + "/";
    }

    /** The stack configuration for {@code config}: listeners, bind address, advertised host, TLS key managers. */
    public static StackConfig stackConfig(ParleyConfig config, TlsMaterial tls) {
        TransportConfig transports = TransportConfig.builder()
                .bindAddress(config.sip().bindAddress())
                .udpPort(config.sip().udpPort())
                .tcpPort(config.sip().tcpPort())
                .tlsPort(config.sip().tlsPort())
                .udpReceiveBuffer(config.sip().udpReceiveBuffer())
                .tlsKeyManagers(tls.keyManagers())
                .build();
        return StackConfig.of(transports).withAdvertisedHost(config.advertisedHost());
    }

    /** Drains the PBX, closes the stack, closes the store. Safe to call more than once, and before start. */
    public synchronized void stop() {
        if (state == State.STOPPED || state == State.NEW) {
            state = State.STOPPED;
            return;
        }
        LOG.info("stopping: draining calls for up to {} s", config.shutdown().drainDeadline().toSeconds());
        if (listening) {
            try {
                pbx.drain(config.shutdown().drainDeadline(), config.shutdown().retryAfter());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                LOG.warn("interrupted while draining calls; closing now");
            } catch (RuntimeException e) {
                LOG.warn("draining the PBX failed; closing anyway", e);
            }
        }
        closeAll();
        state = State.STOPPED;
        LOG.info("stopped");
    }

    private void closeAll() {
        if (callFeatures != null) {
            callFeatures.close(); // event streams end before the web server stops
            callFeatures = null;
        }
        if (web != null) {
            try {
                web.close();
            } catch (RuntimeException e) {
                LOG.warn("closing the web server failed", e);
            }
            web = null;
        }
        if (stack != null) {
            try {
                stack.close();
            } catch (RuntimeException e) {
                LOG.warn("closing the SIP stack failed", e);
            }
            stack = null;
        }
        if (pbxBuilt) {
            try {
                pbx.close();
            } catch (RuntimeException e) {
                LOG.warn("closing the PBX failed", e);
            }
            pbxBuilt = false;
        }
        if (store != null) {
            try {
                store.close();
            } catch (RuntimeException e) {
                LOG.warn("closing the store failed", e);
            }
            store = null;
        }
    }

    public synchronized boolean isRunning() {
        return state == State.RUNNING;
    }

    /** The port a SIP transport listens on (the real one when configured as 0), or -1. */
    public synchronized int boundPort(Transport transport) {
        return stack == null ? -1 : stack.boundPort(transport);
    }

    /** The HTTPS port (the real one when configured as 0), or -1 when the web server is off or stopped. */
    public synchronized int httpsPort() {
        return web == null ? -1 : web.httpsPort();
    }

    /** The plain-HTTP redirect port, or -1. */
    public synchronized int httpRedirectPort() {
        return web == null ? -1 : web.redirectPort();
    }

    /** The SIP stack while running (for the web server's tests and the API), else null. */
    public synchronized SipStack stack() {
        return stack;
    }

    /** The web server's API route table (empty when the web server is off or not started): for the tests. */
    public synchronized List<ApiRoute> apiRoutes() {
        return web == null ? List.of() : web.apiRoutes();
    }

    public ParleyConfig config() {
        return config;
    }

    /** The calls in progress, each with its padlock (every leg's signalling and media protection). */
    public List<CallView> liveCalls() {
        return pbx.liveCalls();
    }

    /**
     * Tells the running PBX that the directory changed in the database behind its back (a management command run in
     * this JVM, as the tests do), so its next read reloads at once instead of within the version check's interval.
     */
    public void directoryChanged() {
        Repositories repositories = store;
        if (repositories != null) {
            repositories.directoryChanged();
        }
        CallFeatures features = callFeatures;
        if (features != null) {
            features.presence().directoryChanged();
        }
    }

    /** Free RTP/RTCP port pairs of the media plane, or -1 when it is not running. */
    public int freeMediaPortPairs() {
        return pbx.freeMediaPortPairs();
    }

    private Map<Transport, Integer> boundPorts() {
        Map<Transport, Integer> ports = new EnumMap<>(Transport.class);
        for (Transport t : new Transport[] {Transport.UDP, Transport.TCP, Transport.TLS}) {
            ports.put(t, stack.boundPort(t));
        }
        return ports;
    }

    private Map<Transport, Integer> configuredPorts() {
        Map<Transport, Integer> ports = new EnumMap<>(Transport.class);
        ports.put(Transport.UDP, config.sip().udpPort());
        ports.put(Transport.TCP, config.sip().tcpPort());
        ports.put(Transport.TLS, config.sip().tlsPort());
        return ports;
    }

    private void printBanner(AdminBootstrap.Credentials admin, Map<Transport, Integer> ports, int httpsPort) {
        console.print(Banner.firstStart(admin, config.advertisedHost(), httpsPort, ports));
        console.flush();
        admin.wipe();
    }

    private static String describePorts(Map<Transport, Integer> ports) {
        StringBuilder sb = new StringBuilder();
        ports.forEach((t, p) -> {
            if (p >= 0) {
                sb.append(sb.isEmpty() ? "" : ", ").append(t.name()).append(' ').append(p);
            }
        });
        return sb.isEmpty() ? "off" : sb.toString();
    }
}
