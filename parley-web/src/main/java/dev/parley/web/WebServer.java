package dev.parley.web;

import dev.parley.pbx.account.ApiTokens;
import dev.parley.pbx.account.LoginThrottle;
import dev.parley.pbx.account.WebLogin;
import dev.parley.sipstack.flow.AttachedTransport;
import dev.parley.sipstack.flow.Transport;
import dev.parley.web.api.ApiGuard;
import dev.parley.web.api.ApiRoute;
import dev.parley.web.api.ApiRoutes;
import dev.parley.web.api.SessionApi;
import dev.parley.web.api.TokenApi;
import dev.parley.web.api.UserApi;
import dev.parley.web.http.HttpsRedirect;
import dev.parley.web.http.JettyTls;
import dev.parley.web.http.LingeringClose;
import dev.parley.web.http.SecurityHeaders;
import dev.parley.web.http.UnreadBody;
import dev.parley.web.session.SessionStore;
import dev.parley.web.ws.SipWebSocket;
import io.javalin.Javalin;
import io.javalin.http.staticfiles.Location;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.InstantSource;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.http.HttpVersion;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.util.VirtualThreads;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Parley's web server: one HTTPS port on Jetty 12 (Javalin 7) serving
 *
 * <ul>
 *   <li>{@code /} the static assets from the classpath ({@code dev/parley/web/static}; the browser phone later);</li>
 *   <li>{@code /api}: the routes of {@link ApiRoutes}, each behind {@link ApiGuard} — {@code /api/health} always;
 *       {@code /api/openapi.json} (generated from the table) always; sign-in, sessions, personal API tokens,
 *       {@code /api/me} and {@code /api/users} when built with {@link WebAccounts};</li>
 *   <li>{@code /ws}: SIP over WebSocket ({@link SipWebSocket}), attached to the SIP stack as transport
 *       {@code WSS} on this port;</li>
 * </ul>
 *
 * <p>TLS is Parley's one profile ({@link JettyTls}), every response carries {@link SecurityHeaders}, and an
 * optional plain-HTTP port only redirects ({@link HttpsRedirect}, a separate small Jetty server, so nothing but the
 * redirect can ever be served without TLS).
 *
 * <p>{@link #start()} once, {@link #close()} once (idempotent).
 */
public final class WebServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(WebServer.class);
    private static final String STATIC = "/dev/parley/web/static";
    /** Platform threads of the web server's pool at most; handlers run on virtual threads (see threadPool). */
    static final int MAX_PLATFORM_THREADS = 64;

    /** How the web server plugs SIP over WebSocket into the SIP stack: {@code SipStack::attachTransport}. */
    @FunctionalInterface
    public interface SipAttachment {
        AttachedTransport attach(Transport transport, int port);
    }

    private final WebConfig config;
    private final SipAttachment sip;
    private final String advertisedHost;
    private final ScheduledExecutorService timers;
    private final SipWebSocket webSocket;
    private final SessionStore sessions;
    private final List<ApiRoute> apiRoutes;
    private final ApiGuard guard;
    private final LingeringClose lingering = new LingeringClose();
    private volatile AttachedTransport attached;
    private Javalin app;
    private Server redirect;
    private boolean closed;

    /**
     * @param sip where {@code /ws} connections go; null serves no SIP (every WebSocket is closed with 1013)
     * @param advertisedHost the host for redirect Locations when the request names none usable
     */
    public WebServer(WebConfig config, SipAttachment sip, String advertisedHost) {
        this(config, sip, advertisedHost, null);
    }

    /**
     * @param sip where {@code /ws} connections go; null serves no SIP (every WebSocket is closed with 1013)
     * @param advertisedHost the host for redirect Locations when the request names none usable
     * @param accounts the directory and login settings for sign-in and the API; null serves {@code /api/health}
     *     alone
     */
    public WebServer(WebConfig config, SipAttachment sip, String advertisedHost, WebAccounts accounts) {
        this.config = Objects.requireNonNull(config, "config");
        this.sip = sip;
        this.advertisedHost = Objects.requireNonNull(advertisedHost, "advertisedHost");
        this.timers = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "parley-web-timer");
            t.setDaemon(true);
            return t;
        });
        this.webSocket = new SipWebSocket(() -> attached, timers, config.unauthenticatedIdleTimeout(),
                config.pingInterval());
        if (accounts == null) {
            this.sessions = null;
            this.apiRoutes = ApiRoutes.healthOnly();
            this.guard = new ApiGuard(null, null, null, null);
        } else {
            InstantSource clock = InstantSource.system();
            this.sessions = new SessionStore(accounts.sessions(), accounts.sessionIdleTimeout(),
                    accounts.maxSessions(), 20, clock);
            // one throttle: failed sign-ins and wrong API tokens from a source count together
            LoginThrottle throttle = new LoginThrottle(accounts.throttle(), clock);
            WebLogin login = new WebLogin(accounts.users(), accounts.passwords(), accounts.gate(), throttle,
                    accounts.secondFactor());
            ApiTokens tokens = new ApiTokens(accounts.tokens(), clock);
            this.apiRoutes = ApiRoutes.table(new SessionApi(login, sessions, accounts.extensions(),
                            accounts.users()),
                    new UserApi(accounts.users()), new TokenApi(tokens, accounts.tokens()), accounts.modules());
            this.guard = new ApiGuard(sessions, accounts.users(), tokens, throttle, accounts.secondFactor());
            // a module that holds something per session (a browser phone's SIP credentials) hears when one ends
            accounts.modules().stream().filter(m -> m instanceof SessionStore.Listener)
                    .forEach(m -> sessions.addListener((SessionStore.Listener) m));
        }
    }

    /**
     * Binds the HTTPS port (and the redirect port), then attaches {@code WSS} to the SIP stack on the bound port.
     *
     * @throws IllegalStateException when a port cannot be bound (the message names it); whatever started is stopped
     */
    public synchronized void start() {
        if (app != null) {
            throw new IllegalStateException("WebServer.start() was already called");
        }
        try {
            app = Javalin.create(cfg -> {
                cfg.startup.showJavalinBanner = false;
                cfg.startup.showOldJavalinVersionWarning = false;
                cfg.jetty.threadPool = threadPool();
                // outermost: an answer that closes the connection with the body still coming is followed by a
                // bounded lingering close, so the client reads it instead of a reset (RFC 9112 §9.6)
                cfg.jetty.modifyServer(server -> server.insertHandler(lingering));
                cfg.jetty.addConnector(this::httpsConnector);
                cfg.jetty.modifyWebSocketServletFactory(f -> {
                    f.setIdleTimeout(config.idleTimeout());
                    f.setMaxTextMessageSize(config.maxMessageBytes());
                    f.setMaxBinaryMessageSize(config.maxMessageBytes());
                });
                cfg.staticFiles.add(STATIC, Location.CLASSPATH);
                for (ApiRoute route : apiRoutes) {
                    cfg.routes.addHttpHandler(route.method(), route.path(), guard.wrap(route));
                }
                cfg.routes.error(404, ApiGuard::notFoundUnderApi);
                // after every answer, refusals included: a body the handler left unread must not break the
                // kept-alive connection under the client's next request
                cfg.routes.after(UnreadBody::settle);
                webSocket.register(cfg.routes, "/ws");
            });
            app.start();
        } catch (RuntimeException e) {
            close();
            throw new IllegalStateException("cannot listen for HTTPS on " + config.bindAddress().getHostAddress()
                    + ":" + config.httpsPort() + " (" + rootMessage(e) + "): is another server using it? Choose"
                    + " another port", e);
        }
        if (config.redirectPort() != WebConfig.DISABLED) {
            startRedirect();
        }
        if (sip != null) {
            attached = sip.attach(Transport.WSS, httpsPort());
        }
        if (sessions != null) {
            timers.scheduleWithFixedDelay(this::sweepSessions, 1, 1, TimeUnit.MINUTES);
        }
        LOG.info("HTTPS listening on {}:{}{}", config.bindAddress().getHostAddress(), httpsPort(),
                redirect == null ? "" : ", plain HTTP redirects from port " + redirectPort());
    }

    /**
     * Jetty's threads: a bounded pool of platform threads for I/O (selectors, TLS, non-blocking work) that hands
     * every blocking task — each request's handler — to a virtual thread of its own (Jetty's adaptive execution
     * strategy does that once the pool has a virtual-threads executor). A handler that waits (an event stream, which
     * stays open for hours; a database read) then holds no platform thread, so open streams are bounded by memory and
     * the presence engine's cap, not by the pool (measured: EventStreamThreadsIT).
     */
    private static QueuedThreadPool threadPool() {
        QueuedThreadPool pool = new QueuedThreadPool(MAX_PLATFORM_THREADS, 4, 60_000);
        pool.setName("parley-web");
        pool.setVirtualThreadsExecutor(VirtualThreads.getNamedVirtualThreadsExecutor("parley-web-vt"));
        return pool;
    }

    private ServerConnector httpsConnector(Server server, HttpConfiguration shared) {
        HttpConfiguration https = new HttpConfiguration(shared);
        https.setSendServerVersion(false);
        https.setSendXPoweredBy(false);
        https.setSecureScheme("https");
        // one certificate for every name: no SNI to require, and a browser that reached us by a name the
        // certificate lacks has been warned by its own check already
        SecureRequestCustomizer secure = new SecureRequestCustomizer(false, false, -1, false);
        https.addCustomizer(secure);
        https.addCustomizer(new SecurityHeaders());
        ServerConnector connector = new ServerConnector(server,
                new SslConnectionFactory(JettyTls.server(config.keyManagers()), HttpVersion.HTTP_1_1.asString()),
                new HttpConnectionFactory(https));
        connector.setHost(config.bindAddress().getHostAddress());
        connector.setPort(config.httpsPort());
        return connector;
    }

    private void startRedirect() {
        QueuedThreadPool pool = new QueuedThreadPool(8, 2);
        pool.setName("parley-http-redirect");
        Server s = new Server(pool);
        HttpConfiguration http = new HttpConfiguration();
        http.setSendServerVersion(false);
        ServerConnector connector = new ServerConnector(s, new HttpConnectionFactory(http));
        connector.setHost(config.bindAddress().getHostAddress());
        connector.setPort(config.redirectPort());
        connector.setIdleTimeout(Duration.ofSeconds(10).toMillis());
        s.addConnector(connector);
        s.setHandler(new LingeringClose(new HttpsRedirect(advertisedHost, httpsPort())));
        try {
            s.start();
        } catch (Exception e) {
            try {
                s.stop();
            } catch (Exception ignored) {
                // reported below
            }
            close();
            throw new IllegalStateException("cannot listen for the HTTP redirect on "
                    + config.bindAddress().getHostAddress() + ":" + config.redirectPort() + " (" + rootMessage(e)
                    + "): choose another port, or -1 to turn the redirect off", e);
        }
        redirect = s;
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t.getMessage() == null ? t.toString() : t.getMessage();
    }

    /** The HTTPS port (the real one when configured as 0), or -1 before start. */
    public synchronized int httpsPort() {
        if (app == null) {
            return -1;
        }
        for (var c : app.jettyServer().server().getConnectors()) {
            if (c instanceof ServerConnector sc && sc.getConnectionFactory(SslConnectionFactory.class) != null) {
                return sc.getLocalPort();
            }
        }
        return -1;
    }

    /** The redirect port, or -1 when off. */
    public synchronized int redirectPort() {
        return redirect == null ? -1 : ((ServerConnector) redirect.getConnectors()[0]).getLocalPort();
    }

    private void sweepSessions() {
        try {
            sessions.sweep();
        } catch (RuntimeException e) {
            LOG.warn("removing idle web sessions failed (will retry in a minute): {}", e.toString());
        }
    }

    /** The API's route table, as registered (the role test walks it). */
    public List<ApiRoute> apiRoutes() {
        return apiRoutes;
    }

    /** Web sessions held now (0 without accounts). */
    public int sessionCount() {
        return sessions == null ? 0 : sessions.size();
    }

    /** HTTPS connections in a lingering close now. */
    public int lingeringConnections() {
        return lingering.lingering();
    }

    /** Open SIP WebSocket connections. */
    public int webSocketCount() {
        return webSocket.connectionCount();
    }

    /** The address HTTPS is bound to. */
    public InetSocketAddress httpsAddress() {
        return new InetSocketAddress(config.bindAddress(), httpsPort());
    }

    /** Stops both ports; open WebSockets close, and the SIP stack is told of each. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (redirect != null) {
            try {
                redirect.stop();
            } catch (Exception e) {
                LOG.warn("stopping the HTTP redirect failed: {}", e.toString());
            }
        }
        if (app != null) {
            try {
                app.stop();
            } catch (RuntimeException e) {
                LOG.warn("stopping the web server failed: {}", e.toString());
            }
        }
        timers.shutdownNow();
        try {
            timers.awaitTermination(1, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        LOG.info("web server stopped");
    }
}
