package dev.parley.web.api;

import dev.parley.pbx.account.ApiTokenRepository;
import dev.parley.pbx.account.ApiTokens;
import dev.parley.pbx.account.LoginThrottle;
import dev.parley.pbx.account.SecondFactor;
import dev.parley.pbx.directory.User;
import dev.parley.pbx.directory.UserRepository;
import dev.parley.web.session.Session;
import dev.parley.web.session.SessionStore;
import io.javalin.http.Context;
import io.javalin.http.Handler;
import io.javalin.http.HandlerType;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The checks every API route passes before its handler, in this order:
 *
 * <ol>
 *   <li>a state-changing request (POST, PUT, PATCH, DELETE) must come from this origin: {@code Origin}, or
 *       failing that {@code Referer}, must be {@code https://<Host>} — else {@code 403}. Login may come with
 *       neither (scripts), but not from a foreign page (login CSRF);</li>
 *   <li>a route that is not public needs a live session ({@code __Host-parley} cookie) of a user who still
 *       exists — else {@code 401};</li>
 *   <li>the user's role must be one the route allows — else {@code 403};</li>
 *   <li>a state-changing request other than login must carry the session's CSRF token in {@code X-CSRF-Token}
 *       (synchronizer token; compared in constant time) — else {@code 403}.</li>
 * </ol>
 *
 * <p>A request to a non-public route with {@code Authorization: Bearer <token>} is authenticated by the API token
 * alone (RFC 6750 §2.1) and skips the Origin and CSRF checks: a token is never sent by a browser on its own, so a
 * foreign page cannot make a request that carries one (that is the point of those checks for cookies). A wrong,
 * expired or revoked token is {@code 401} with {@code WWW-Authenticate: Bearer error="invalid_token"} (RFC 6750
 * §3.1) and counts as a failure of the source in the login throttle; a throttled source gets {@code 429} before
 * any lookup. A token reaches only routes its user's role allows, and never a {@link ApiRoute#sessionOnly()} one
 * ({@code 403}). Any cookie on such a request is ignored.
 *
 * <p>Then the handler runs with the {@link Principal} in the context; an {@link ApiError} it throws becomes the
 * JSON answer. Every API answer is {@code Cache-Control: no-store}.
 */
public final class ApiGuard {
    public static final String CSRF_HEADER = "X-CSRF-Token";
    private static final Logger LOG = LoggerFactory.getLogger(ApiGuard.class);
    private static final String PRINCIPAL = "parley.principal";
    private static final String ROUTED = "parley.routed";

    private final SessionStore sessions;
    private final UserRepository users;
    private final ApiTokens tokens;
    private final LoginThrottle throttle;
    private final SecondFactor secondFactor;

    /** All four may be null when only public routes exist. */
    public ApiGuard(SessionStore sessions, UserRepository users, ApiTokens tokens, LoginThrottle throttle) {
        this(sessions, users, tokens, throttle, null);
    }

    /**
     * @param secondFactor when its policy holds admins to TOTP, an admin without it reaches only
     *     {@link #reachableWhileEnrolling the routes that enroll}; null: no such rule
     */
    public ApiGuard(SessionStore sessions, UserRepository users, ApiTokens tokens, LoginThrottle throttle,
            SecondFactor secondFactor) {
        this.secondFactor = secondFactor;
        this.sessions = sessions;
        this.users = users;
        this.tokens = tokens;
        this.throttle = throttle;
    }

    /** The handler to register for {@code route}. */
    public Handler wrap(ApiRoute route) {
        Objects.requireNonNull(route, "route");
        return ctx -> {
            ctx.attribute(ROUTED, Boolean.TRUE);
            ctx.header("Cache-Control", "no-store");
            try {
                check(route, ctx);
                route.handler().handle(ctx);
            } catch (ApiError e) {
                write(ctx, e);
            }
        };
    }

    private void check(ApiRoute route, Context ctx) {
        String authorization = ctx.header("Authorization");
        if (authorization != null && !route.access().isPublic()) {
            Principal principal = byToken(authorization, ctx);
            if (!route.access().allows(principal.user().role())) {
                throw ApiError.of(403, "forbidden");
            }
            if (route.sessionOnly()) {
                throw ApiError.of(403, "this route needs a signed-in session, not an API token");
            }
            checkEnrolled(route, principal);
            ctx.attribute(PRINCIPAL, principal);
            return;
        }
        if (route.changesState() && !originAllowed(ctx, route.csrfExempt())) {
            LOG.debug("refused {} {} from {}: cross-origin (Origin {}, Host {})", route.method(), route.path(),
                    ctx.ip(), ctx.header("Origin"), ctx.header("Host"));
            throw ApiError.of(403, "cross-origin request refused");
        }
        if (route.access().isPublic()) {
            return;
        }
        Principal principal = principal(ctx).orElseThrow(() -> ApiError.of(401, "not signed in"));
        if (!route.access().allows(principal.user().role())) {
            throw ApiError.of(403, "forbidden");
        }
        if (route.changesState() && !route.csrfExempt() && !tokenMatches(ctx.header(CSRF_HEADER),
                principal.session().csrfToken())) {
            throw ApiError.of(403, "missing or wrong CSRF token");
        }
        checkEnrolled(route, principal);
        ctx.attribute(PRINCIPAL, principal);
    }

    /** {@code web.require-totp-for-admins}: an admin without TOTP may only enroll, look at /api/me, sign out. */
    private void checkEnrolled(ApiRoute route, Principal principal) {
        if (secondFactor != null && !reachableWhileEnrolling(route) && secondFactor.mustEnroll(principal.user())) {
            throw ApiError.of(403, "enroll a second factor");
        }
    }

    static boolean reachableWhileEnrolling(ApiRoute route) {
        String path = route.path();
        return (route.method() == HandlerType.GET && path.equals("/api/me"))
                || path.equals("/api/me/totp") || path.startsWith("/api/me/totp/")
                || (route.method() == HandlerType.DELETE && path.equals("/api/session"));
    }

    /** The token's user; 401 (counted against the source) for anything but a live token of an existing user. */
    private Principal byToken(String authorization, Context ctx) {
        if (tokens == null) {
            throw ApiError.of(401, "not signed in");
        }
        String source = ctx.ip();
        var blocked = throttle.blockedSource(source);
        if (blocked.isPresent()) {
            throw ApiError.retryAfter(429, "too many failed sign-ins; try again later",
                    (blocked.get().toMillis() + 999) / 1000);
        }
        // RFC 6750 §2.1: "Bearer" (case-insensitive, RFC 9110 §11.1) then one space and the token
        Optional<ApiTokenRepository.Stored> token = authorization.length() > 7
                && authorization.regionMatches(true, 0, "Bearer ", 0, 7)
                ? tokens.authenticate(authorization.substring(7).strip()) : Optional.empty();
        Optional<User> user = token.flatMap(t -> users.findById(t.user()));
        if (user.isEmpty()) {
            throttle.failedFromSource(source);
            LOG.info("refused an API token from {}", source);
            ctx.header("WWW-Authenticate", "Bearer error=\"invalid_token\"");
            throw ApiError.of(401, "invalid, expired or revoked API token");
        }
        return new Principal(null, user.get());
    }

    /** The caller's session and user, if the request carries a live session of an existing user. */
    Optional<Principal> principal(Context ctx) {
        if (sessions == null) {
            return Optional.empty();
        }
        Optional<Session> session = sessions.find(ctx.cookie(SessionCookie.NAME));
        if (session.isEmpty()) {
            return Optional.empty();
        }
        Optional<User> user = users.findById(session.get().user());
        if (user.isEmpty()) {
            sessions.delete(session.get().id()); // the user was deleted: the session goes with it
            return Optional.empty();
        }
        return Optional.of(new Principal(session.get(), user.get()));
    }

    /** The principal {@link #wrap} checked; only for handlers of routes that are not public. */
    static Principal principalOf(Context ctx) {
        Principal p = ctx.attribute(PRINCIPAL);
        if (p == null) {
            throw new IllegalStateException("no principal: the route is public or was not wrapped by ApiGuard");
        }
        return p;
    }

    /**
     * Same origin by {@code Origin} (RFC 6454 §7; every browser sends it on cross-origin and on non-GET fetches),
     * else by {@code Referer}; with neither, only when {@code allowNeither} (login from a script).
     */
    static boolean originAllowed(Context ctx, boolean allowNeither) {
        String host = ctx.header("Host");
        String origin = ctx.header("Origin");
        String referer = ctx.header("Referer");
        if (origin == null && referer == null) {
            return allowNeither;
        }
        if (host == null || host.isEmpty()) {
            return false;
        }
        String self = "https://" + host.toLowerCase(Locale.ROOT);
        if (origin != null) {
            return origin.toLowerCase(Locale.ROOT).equals(self);
        }
        String r = referer.toLowerCase(Locale.ROOT);
        return r.equals(self) || r.startsWith(self + "/");
    }

    private static boolean tokenMatches(String sent, String expected) {
        return sent != null && MessageDigest.isEqual(sent.getBytes(StandardCharsets.UTF_8),
                expected.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * A 404 under {@code /api/} (no such path, or not with that method) answers JSON like every API error. A 404
     * that a route's handler gave (no such token) passes through with its own body.
     */
    public static void notFoundUnderApi(Context ctx) {
        if (ctx.path().startsWith("/api/") && ctx.attribute(ROUTED) == null) {
            ctx.header("Cache-Control", "no-store");
            write(ctx, ApiError.of(404, "no such API route"));
        }
    }

    static void write(Context ctx, ApiError e) {
        var body = Json.object().put("error", e.getMessage());
        if (e.field() != null) {
            body.put("field", e.field()).put("problem", e.problem());
        }
        if (e.retryAfterSeconds() != null) {
            ctx.header("Retry-After", e.retryAfterSeconds());
        }
        ctx.status(e.status()).contentType("application/json").result(Json.write(body));
    }
}
