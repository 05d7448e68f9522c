package dev.parley.web.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.parley.pbx.account.WebLogin;
import dev.parley.pbx.directory.Extension;
import dev.parley.pbx.directory.ExtensionRepository;
import dev.parley.pbx.directory.User;
import dev.parley.pbx.directory.UserRepository;
import dev.parley.web.session.Session;
import dev.parley.web.session.SessionStore;
import io.javalin.http.Context;
import java.util.Arrays;
import java.util.Objects;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sign-in, sign-out and the signed-in user.
 *
 * <table>
 *   <caption>Routes</caption>
 *   <tr><th>route</th><th>answer</th></tr>
 *   <tr><td>{@code POST /api/session} {@code {"username"|"email": …, "password": …}}</td><td>{@code 200} with the
 *       user and the CSRF token, and a new {@code __Host-parley} session cookie (any session the request carried
 *       is ended: a new id at every login, against session fixation); {@code 401} for an unknown user or a wrong
 *       password — the same bytes for both; {@code 429} with {@code Retry-After} once throttled; {@code 503} with
 *       {@code Retry-After} when the server is busy hashing; {@code 400} naming the field for invalid input; for a
 *       user with TOTP, {@code 401} {@code {"error": "second factor required", "secondFactor": "totp"}} after the
 *       right password without {@code code}, {@code "wrong second factor code"} with a wrong or used one</td></tr>
 *   <tr><td>{@code DELETE /api/session}</td><td>{@code 204}; the session is gone on the server and the cookie
 *       is cleared</td></tr>
 *   <tr><td>{@code GET /api/me}</td><td>{@code 200} {@code {id, username, displayName, role, email, extensions,
 *       csrfToken}} ({@code csrfToken} only with a session: an API token needs none)</td></tr>
 *   <tr><td>{@code PUT /api/me} {@code {"displayName": …}}</td><td>{@code 200} the caller as {@code GET /api/me}
 *       answers, with the new display name (what their calls show as the caller's name); {@code 400} naming
 *       {@code displayName} when it is missing, not a string, over 100 characters or holds control characters, or
 *       naming any other field (the email address changes through the confirmed flow, {@code PUT /api/me/email};
 *       the role and username through an admin)</td></tr>
 *   <tr><td>{@code PUT /api/me/password} {@code {"currentPassword": …, "newPassword": …}}</td><td>{@code 204}, and
 *       every other session of the user ends; {@code 400} naming {@code currentPassword} when it is wrong (counted
 *       like a failed sign-in) or {@code newPassword} with the policy's reason; {@code 429}/{@code 503} as for
 *       sign-in</td></tr>
 * </table>
 */
public final class SessionApi {
    private static final Logger LOG = LoggerFactory.getLogger(SessionApi.class);
    static final int MAX_LOGIN = 254;
    static final int MAX_PASSWORD = 1024;
    static final int MAX_CODE = 64;

    static final JsonNode LOGIN = Schemas.parse("""
            {"type": "object", "additionalProperties": false, "required": ["password"],
             "properties": {
               "username": {"type": "string", "maxLength": 254},
               "email": {"type": "string", "maxLength": 254},
               "password": {"type": "string", "minLength": 1, "maxLength": 1024},
               "code": {"type": "string", "maxLength": 64,
                        "description": "TOTP code or recovery code, for users who turned TOTP on"}},
             "oneOf": [{"required": ["username"]}, {"required": ["email"]}]}""");
    static final JsonNode ME = Schemas.parse("""
            {"type": "object", "required": ["id", "username", "displayName", "role", "email", "extensions"],
             "properties": {
               "id": {"type": "string"},
               "username": {"type": "string"},
               "displayName": {"type": "string"},
               "role": {"enum": ["superadmin", "admin", "user"]},
               "email": {"type": ["string", "null"]},
               "extensions": {"type": "array", "items": {"type": "string"}},
               "csrfToken": {"type": "string", "description": "send as X-CSRF-Token; absent with an API token"}}}""");
    static final JsonNode PROFILE = Schemas.parse("""
            {"type": "object", "additionalProperties": false, "required": ["displayName"],
             "properties": {
               "displayName": {"type": "string", "maxLength": 100,
                               "description": "shown as the caller's name; no control characters"}}}""");
    static final JsonNode NEW_PASSWORD = Schemas.parse("""
            {"type": "object", "additionalProperties": false, "required": ["currentPassword", "newPassword"],
             "properties": {
               "currentPassword": {"type": "string", "minLength": 1, "maxLength": 1024},
               "newPassword": {"type": "string", "minLength": 1, "maxLength": 1024}}}""");

    private final WebLogin login;
    private final SessionStore sessions;
    private final ExtensionRepository extensions;
    private final UserRepository users;

    public SessionApi(WebLogin login, SessionStore sessions, ExtensionRepository extensions, UserRepository users) {
        this.login = Objects.requireNonNull(login, "login");
        this.sessions = Objects.requireNonNull(sessions, "sessions");
        this.extensions = Objects.requireNonNull(extensions, "extensions");
        this.users = Objects.requireNonNull(users, "users");
    }

    void signIn(Context ctx) {
        ObjectNode body = Json.body(ctx, Set.of("username", "email", "password", "code"));
        String username = Json.optionalString(body, "username", MAX_LOGIN);
        String email = Json.optionalString(body, "email", MAX_LOGIN);
        if (username != null && email != null) {
            throw ApiError.invalid("email", "give username or email, not both");
        }
        if ((username == null || username.isEmpty()) && (email == null || email.isEmpty())) {
            throw ApiError.invalid("username", "is required (or email)");
        }
        char[] password = Json.requiredString(body, "password", MAX_PASSWORD).toCharArray();
        String code = Json.optionalString(body, "code", MAX_CODE);
        WebLogin.Result result;
        try {
            result = login.signIn(username != null ? username : email, password, code, ctx.ip());
        } finally {
            Arrays.fill(password, '\0');
        }
        switch (result) {
            case WebLogin.SignedIn in -> {
                sessions.delete(ctx.cookie(SessionCookie.NAME));
                Session session = sessions.create(in.user().id());
                ctx.header("Set-Cookie", SessionCookie.set(session.id()));
                LOG.info("{} signed in from {}", in.user().name(), ctx.ip());
                ctx.contentType("application/json").result(Json.write(me(in.user(), session)));
            }
            case WebLogin.Refused r -> {
                LOG.info("failed web sign-in from {}", ctx.ip());
                throw ApiError.of(401, "wrong user name, email or password");
            }
            case WebLogin.SecondFactorRequired f -> {
                // the password was right: say which factor is missing (RFC 6238 TOTP), never which part was wrong
                LOG.info("web sign-in from {} {}", ctx.ip(), f.wrongCode() ? "with a wrong or used second-factor"
                        + " code" : "needs a second-factor code");
                ctx.status(401).contentType("application/json").result(Json.write(Json.object()
                        .put("error", f.wrongCode() ? "wrong second factor code" : "second factor required")
                        .put("secondFactor", "totp")));
            }
            case WebLogin.Throttled t -> throw notNow(t);
            case WebLogin.Busy b -> throw notNow(b);
        }
    }

    void signOut(Context ctx) {
        Principal p = ApiGuard.principalOf(ctx);
        sessions.delete(p.session().id());
        ctx.header("Set-Cookie", SessionCookie.clear());
        LOG.info("{} signed out", p.user().name());
        ctx.status(204);
    }

    void changePassword(Context ctx) {
        Principal p = ApiGuard.principalOf(ctx);
        ObjectNode body = Json.body(ctx, Set.of("currentPassword", "newPassword"));
        char[] current = Json.requiredString(body, "currentPassword", MAX_PASSWORD).toCharArray();
        char[] next = Json.requiredString(body, "newPassword", MAX_PASSWORD).toCharArray();
        WebLogin.Change change;
        try {
            change = login.changePassword(p.user(), current, next, ctx.ip());
        } finally {
            Arrays.fill(current, '\0');
            Arrays.fill(next, '\0');
        }
        switch (change) {
            case WebLogin.Changed c -> {
                sessions.deleteOthersOf(p.user().id(), p.session().id());
                ctx.status(204);
            }
            case WebLogin.WrongCurrent w -> throw ApiError.invalid("currentPassword", "is wrong");
            case WebLogin.Rejected r -> throw ApiError.invalid("newPassword", r.problem());
            case WebLogin.NotNow n -> throw notNow(n.reason());
        }
    }

    private static ApiError notNow(WebLogin.Result reason) {
        if (reason instanceof WebLogin.Throttled t) {
            return ApiError.retryAfter(429, "too many failed sign-ins; try again later",
                    (t.retryAfter().toMillis() + 999) / 1000);
        }
        return ApiError.retryAfter(503, "the server is busy; try again shortly", 1);
    }

    void me(Context ctx) {
        Principal p = ApiGuard.principalOf(ctx);
        ctx.contentType("application/json").result(Json.write(me(p.user(), p.session())));
    }

    /**
     * The caller's own profile: the display name alone. The row is read again and written whole, so that an admin's
     * change of role or address made since this request's sign-in is kept; the name goes through {@link User}'s
     * own checks as well as the API's.
     */
    void updateMe(Context ctx) {
        Principal p = ApiGuard.principalOf(ctx);
        ObjectNode body = Json.body(ctx, Set.of("displayName"));
        JsonNode given = body.get("displayName");
        if (given == null) {
            throw ApiError.invalid("displayName", "is required");
        }
        if (!given.isTextual()) {
            throw ApiError.invalid("displayName", "must be a string");
        }
        String displayName = Json.optionalString(body, "displayName", UserApi.MAX_DISPLAY_NAME);
        if (displayName.chars().anyMatch(Character::isISOControl)) {
            throw ApiError.invalid("displayName", "must not hold control characters");
        }
        User current = users.findById(p.user().id()).orElseThrow(() -> ApiError.of(401, "not signed in"));
        User changed = UserApi.valid("displayName", () -> new User(current.id(), current.name(), displayName,
                current.role(), current.email()));
        users.save(changed);
        LOG.info("{} changed their display name", changed.name());
        ctx.contentType("application/json").result(Json.write(me(changed, p.session())));
    }

    private ObjectNode me(User user, Session session) {
        ObjectNode out = UserApi.toJson(user);
        var numbers = out.putArray("extensions");
        extensions.findByOwner(user.id()).stream().map(Extension::number).sorted().forEach(numbers::add);
        if (session != null) {
            out.put("csrfToken", session.csrfToken());
        }
        return out;
    }
}
