package dev.parley.web.ws;

import dev.parley.sipstack.flow.AttachedTransport;
import io.javalin.config.RoutesConfig;
import io.javalin.http.BadRequestResponse;
import io.javalin.http.Context;
import io.javalin.http.ForbiddenResponse;
import io.javalin.websocket.WsCloseContext;
import io.javalin.websocket.WsConfig;
import io.javalin.websocket.WsConnectContext;
import io.javalin.websocket.WsContext;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.eclipse.jetty.websocket.api.StatusCode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code /ws} endpoint: SIP over WebSocket (RFC 7118).
 *
 * <ul>
 *   <li>Handshake: the client must offer the {@code sip} subprotocol (RFC 7118 §4.1); Parley answers with it, and
 *       refuses the upgrade with {@code 400} when it is not offered, so a client that would speak something else is
 *       never attached to the SIP stack. A browser's {@code Origin} must be this server's own (RFC 6455 §10.2),
 *       else {@code 403}: otherwise any web page a user visits could open SIP connections from the user's browser,
 *       guess passwords from the user's address and get that address banned. Clients that send no
 *       {@code Origin} (phones, tools) are not browsers and are let through.</li>
 *   <li>Each text or binary message is one SIP message (§5.1), handed whole to the stack, which stamps the Via
 *       with {@code received}/{@code rport} (§5.3) and answers a CRLF CRLF keep-alive with CRLF.</li>
 *   <li>The connection is a {@link WebSocketSipFlow}: responses, and requests to a contact registered over it, go
 *       down it; when it closes the stack is told, and the PBX drops its bindings.</li>
 *   <li>Idle: until a REGISTER succeeded on it ({@link WebSocketSipFlow#markAuthenticated()}), a connection that
 *       carried no complete SIP message for {@code unauthenticatedIdle} is closed, like a TCP connection in the
 *       stack. Every connection gets a WebSocket ping every {@code pingInterval} (RFC 6455 §5.5.2; the pong is
 *       Jetty's), and Jetty closes one that stays silent, pongs included, for its idle timeout.</li>
 * </ul>
 */
public final class SipWebSocket {
    private static final Logger LOG = LoggerFactory.getLogger(SipWebSocket.class);
    /** The subprotocol of RFC 7118 §4.1. */
    public static final String SUBPROTOCOL = "sip";
    private static final String PROTOCOL_HEADER = "Sec-WebSocket-Protocol";

    private final Supplier<AttachedTransport> stack;
    private final ScheduledExecutorService timers;
    private final Duration unauthenticatedIdle;
    private final Duration pingInterval;
    private final ConcurrentHashMap<String, WebSocketSipFlow> flows = new ConcurrentHashMap<>();

    /**
     * @param stack the SIP stack's side of the WSS transport; null until the server attached it (connections
     *     that come before are closed with 1013, try again later)
     */
    public SipWebSocket(Supplier<AttachedTransport> stack, ScheduledExecutorService timers,
            Duration unauthenticatedIdle, Duration pingInterval) {
        this.stack = stack;
        this.timers = timers;
        this.unauthenticatedIdle = unauthenticatedIdle;
        this.pingInterval = pingInterval;
    }

    /** Adds the handshake checks and the endpoint at {@code path}. */
    public void register(RoutesConfig routes, String path) {
        routes.wsBeforeUpgrade(path, ctx -> {
            checkOrigin(ctx);
            checkSubprotocol(ctx);
        });
        routes.ws(path, this::configure);
    }

    /**
     * RFC 6455 §10.2: a browser names the page that opens the WebSocket in {@code Origin}; only pages served by
     * this server (same scheme, host and port as the request's {@code Host}) may open one.
     */
    private static void checkOrigin(Context ctx) {
        String origin = ctx.header("Origin");
        if (origin == null) {
            return;
        }
        String host = ctx.header("Host");
        boolean same = host != null && origin.equalsIgnoreCase("https://" + host);
        if (!same) {
            LOG.debug("refusing a WebSocket from {}: Origin {} is not this server ({})", ctx.ip(), origin, host);
            throw new ForbiddenResponse("WebSocket connections are only accepted from pages of this server");
        }
    }

    /** RFC 7118 §4.1: {@code sip} must be among the offered subprotocols, and is the one chosen. */
    private void checkSubprotocol(Context ctx) {
        String offered = ctx.header(PROTOCOL_HEADER);
        boolean sip = offered != null && Arrays.stream(offered.split(",")).map(String::strip)
                .anyMatch(SUBPROTOCOL::equals);
        if (!sip) {
            LOG.debug("refusing a WebSocket from {} without the sip subprotocol (offered: {})", ctx.ip(), offered);
            throw new BadRequestResponse("SIP over WebSocket needs the subprotocol \"sip\" (RFC 7118)");
        }
        ctx.header(PROTOCOL_HEADER, SUBPROTOCOL); // Javalin would otherwise echo the first one offered
    }

    private void configure(WsConfig ws) {
        ws.onConnect(this::connected);
        ws.onMessage(ctx -> received(ctx, ctx.message().getBytes(StandardCharsets.UTF_8)));
        ws.onBinaryMessage(ctx -> {
            ByteBuffer data = ctx.data().duplicate();
            byte[] bytes = new byte[data.remaining()];
            data.get(bytes);
            received(ctx, bytes);
        });
        ws.onClose(this::closed);
        ws.onError(ctx -> LOG.debug("WebSocket {}: {}", ctx.sessionId(), String.valueOf(ctx.error())));
    }

    private void connected(WsConnectContext ctx) {
        AttachedTransport transport = stack.get();
        InetSocketAddress remote = inet(ctx.session.getRemoteSocketAddress());
        InetSocketAddress local = inet(ctx.session.getLocalSocketAddress());
        if (transport == null || remote == null || local == null) {
            ctx.closeSession(StatusCode.TRY_AGAIN_LATER, "SIP is not ready");
            return;
        }
        WebSocketSipFlow flow = new WebSocketSipFlow(ctx.session, local, remote);
        if (!transport.onOpened(flow)) {
            ctx.closeSession(StatusCode.TRY_AGAIN_LATER, "too many connections");
            return;
        }
        flows.put(ctx.sessionId(), flow);
        LOG.debug("{}: SIP over WebSocket from {}", flow.id(), remote);
        ctx.enableAutomaticPings(pingInterval.toMillis(), TimeUnit.MILLISECONDS);
        scheduleIdleCheck(flow, unauthenticatedIdle.toNanos());
    }

    private void received(WsContext ctx, byte[] message) {
        WebSocketSipFlow flow = flows.get(ctx.sessionId());
        AttachedTransport transport = stack.get();
        if (flow == null || transport == null) {
            return;
        }
        if (transport.onMessage(flow, message)) {
            flow.messageArrived();
        }
    }

    private void closed(WsCloseContext ctx) {
        WebSocketSipFlow flow = flows.remove(ctx.sessionId());
        AttachedTransport transport = stack.get();
        if (flow == null || transport == null) {
            return;
        }
        LOG.debug("{}: closed ({} {})", flow.id(), ctx.status(), ctx.reason());
        transport.onClosed(flow);
    }

    private void scheduleIdleCheck(WebSocketSipFlow flow, long delayNanos) {
        timers.schedule(() -> checkIdle(flow), delayNanos, TimeUnit.NANOSECONDS);
    }

    /** Until authenticated: closed after {@code unauthenticatedIdle} without a complete SIP message. */
    private void checkIdle(WebSocketSipFlow flow) {
        if (!flow.isOpen() || flow.isAuthenticated()) {
            return; // an authenticated client is kept alive by pings, and Jetty's idle timeout ends a dead one
        }
        long remaining = flow.lastMessageNanos() + unauthenticatedIdle.toNanos() - System.nanoTime();
        if (remaining <= 0) {
            LOG.debug("{}: closing the unauthenticated WebSocket from {}: no SIP message for {} ms", flow.id(),
                    flow.remoteAddress(), unauthenticatedIdle.toMillis());
            flow.close(StatusCode.POLICY_VIOLATION, "idle");
            return;
        }
        scheduleIdleCheck(flow, remaining);
    }

    /** Open SIP WebSocket connections. */
    public int connectionCount() {
        return flows.size();
    }

    private static InetSocketAddress inet(SocketAddress address) {
        return address instanceof InetSocketAddress a ? a : null;
    }
}
