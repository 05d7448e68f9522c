package dev.parley.web.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.parley.pbx.account.WebSessionRepository;
import dev.parley.pbx.presence.PbxEvent;
import dev.parley.pbx.presence.PresenceEngine;
import dev.parley.pbx.presence.Subscription;
import dev.parley.pbx.settings.UserSettings;
import dev.parley.web.session.SessionStore;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code GET /api/me/events}: the signed-in user's live events as Server-Sent Events (HTML Living Standard §9.2,
 * {@code text/event-stream}):
 * <pre>
 *   event: call       data: {id, state: ringing|answered|held|ended, direction, from, fromName, to, toName, outcome?,
 *                             heldBy?: caller|callee|both (state held: who holds; answered again on resume)}
 *   event: presence   data: {extension, presence}      (every extension whose presence changes)
 *   event: settings   data: the user's new settings
 *   : ping            every 25 s, so proxies and the client see the stream is alive
 * </pre>
 * Every event is flushed as it is written. Session-only: the stream belongs to a browser session and ends when it
 * does — signed out, idle past the timeout (the stream itself is not a use), the user's password changed — checked
 * every {@value #SESSION_CHECK_SECONDS} s; also when the server stops and when the client falls
 * {@code Subscription.capacity()} events behind (the PBX never waits for a client: see {@link Subscription}).
 *
 * <p>The stream's loop blocks (waiting for an event, writing one) on the virtual thread the web server runs each
 * handler on, so an open stream holds no platform thread; the presence engine caps streams
 * ({@link PresenceEngine#MAX_SUBSCRIPTIONS}, {@link PresenceEngine#MAX_PER_USER} per user: {@code 503} beyond).
 */
public final class EventStreamApi implements ApiModule {
    static final Duration PING = Duration.ofSeconds(25);
    static final int SESSION_CHECK_SECONDS = 5;
    private static final Duration POLL = Duration.ofSeconds(1);
    private static final Logger LOG = LoggerFactory.getLogger(EventStreamApi.class);

    private final PresenceEngine engine;
    private final WebSessionRepository sessions;
    private final Duration idleTimeout;
    private final Clock clock;
    private final java.util.concurrent.atomic.AtomicInteger open = new java.util.concurrent.atomic.AtomicInteger();

    /**
     * @param sessions where web sessions are kept (to see, without counting as a use, whether one has ended)
     * @param idleTimeout the web sessions' idle timeout
     */
    public EventStreamApi(PresenceEngine engine, WebSessionRepository sessions, Duration idleTimeout, Clock clock) {
        this.engine = Objects.requireNonNull(engine, "engine");
        this.sessions = Objects.requireNonNull(sessions, "sessions");
        this.idleTimeout = Objects.requireNonNull(idleTimeout, "idleTimeout");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    @Override
    public List<ApiRoute> routes() {
        return List.of(ApiRoute.of(HandlerType.GET, "/api/me/events", Access.SIGNED_IN,
                        "The caller's live events (text/event-stream): calls, presence, settings", this::stream)
                .forSessionsOnly()
                .answers(200, Schemas.parse("{\"type\": \"string\", \"contentMediaType\": \"text/event-stream\"}")));
    }

    void stream(Context ctx) throws IOException {
        Principal me = ApiGuard.principalOf(ctx);
        Subscription sub;
        try {
            sub = engine.subscribe(me.user().id());
        } catch (IllegalStateException e) {
            throw ApiError.retryAfter(503, "too many event streams; try again later", 30);
        }
        String sessionKey = SessionStore.keyOf(me.session());
        open.incrementAndGet();
        try (sub) {
            ctx.status(200);
            ctx.res().setContentType("text/event-stream;charset=utf-8");
            ctx.res().setHeader("X-Accel-Buffering", "no"); // a reverse proxy must not hold events back
            OutputStream out = ctx.res().getOutputStream();
            write(out, "retry: 5000\n: open\n\n");
            long nextPing = System.nanoTime() + PING.toNanos();
            long nextCheck = System.nanoTime() + Duration.ofSeconds(SESSION_CHECK_SECONDS).toNanos();
            while (true) {
                Optional<PbxEvent> event = sub.next(POLL);
                if (event.isPresent()) {
                    write(out, frame(event.get()));
                    continue;
                }
                if (sub.isOver()) {
                    end(out, ": end " + sub.ended().map(Enum::name).orElse("closed") + "\n\n");
                    return;
                }
                long now = System.nanoTime();
                if (now - nextCheck >= 0) {
                    nextCheck = now + Duration.ofSeconds(SESSION_CHECK_SECONDS).toNanos();
                    if (!sessionLive(sessionKey)) {
                        end(out, ": end session\n\n");
                        return;
                    }
                }
                if (now - nextPing >= 0) {
                    nextPing = now + PING.toNanos();
                    write(out, ": ping\n\n");
                }
            }
        } catch (IOException e) {
            LOG.debug("event stream of {} closed by the client: {}", me.user().id(), e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            synchronized (open) {
                open.decrementAndGet();
                open.notifyAll();
            }
        }
    }

    /** Streams open now. */
    public int openStreams() {
        return open.get();
    }

    /**
     * Waits until every stream has written its last frame and returned (after the engine ended them), at most
     * {@code limit}: the server calls it before stopping the web server so clients see a clean end.
     */
    public void awaitStreamsEnded(Duration limit) throws InterruptedException {
        long end = System.nanoTime() + limit.toNanos();
        synchronized (open) {
            while (open.get() > 0 && end - System.nanoTime() > 0) {
                open.wait(Math.max(1, (end - System.nanoTime()) / 1_000_000));
            }
        }
    }

    /** One event in the SSE format; the data is one line of JSON (JSON text has no raw line breaks). */
    static String frame(PbxEvent event) {
        return switch (event) {
            case PbxEvent.Call c -> {
                ObjectNode d = Json.object().put("id", c.id()).put("state", c.state())
                        .put("direction", c.direction().wireName()).put("from", c.from())
                        .put("fromName", c.fromName()).put("to", c.to()).put("toName", c.toName());
                if (c.outcome() != null) {
                    d.put("outcome", c.outcome().wireName());
                }
                if (c.heldBy() != null) {
                    d.put("heldBy", c.heldBy());
                }
                yield "event: call\ndata: " + Json.write(d) + "\n\n";
            }
            case PbxEvent.PresenceChanged p -> "event: presence\ndata: " + Json.write(Json.object()
                    .put("extension", p.extension()).put("presence", p.presence().wireName())) + "\n\n";
            case PbxEvent.SettingsChanged s -> {
                JsonNode d = s.settings() instanceof UserSettings u ? SettingsApi.toJson(u)
                        : Json.MAPPER.valueToTree(s.settings()); // the same object GET /api/me/settings answers
                yield "event: settings\ndata: " + Json.write(d) + "\n\n";
            }
        };
    }

    /**
     * The last frame, then the response's end (the closing chunk) before the stream counts as ended: the server's
     * stop waits for {@link #awaitStreamsEnded} and then closes the connections, which must not cut a response that
     * Jetty would otherwise finish only after the handler returned (seen with handlers on virtual threads).
     */
    private static void end(OutputStream out, String text) throws IOException {
        write(out, text);
        out.close();
    }

    private static void write(OutputStream out, String text) throws IOException {
        out.write(text.getBytes(StandardCharsets.UTF_8));
        out.flush(); // each event leaves at once: Jetty would otherwise hold it in its buffer
    }

    /** Whether the session still exists and is not idle past the timeout; reading it does not count as a use. */
    private boolean sessionLive(String key) {
        Instant cutoff = clock.instant().minus(idleTimeout);
        return sessions.find(key).map(s -> s.lastSeen().isAfter(cutoff)).orElse(false);
    }
}
