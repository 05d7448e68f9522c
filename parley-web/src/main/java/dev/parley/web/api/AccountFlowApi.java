package dev.parley.web.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.parley.pbx.account.AccountFlows;
import dev.parley.pbx.account.HashingGate;
import dev.parley.pbx.account.LoginThrottle;
import dev.parley.pbx.account.WebLogin;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The account flows of {@link AccountFlows} under {@code /api}.
 *
 * <table>
 *   <caption>Routes</caption>
 *   <tr><th>route</th><th>answer</th></tr>
 *   <tr><td>{@code POST /api/signup} {@code {username, email, password, displayName?}} (public)</td><td>{@code 202}
 *       {@code {"status":"accepted"}}, the same whether or not the name or address exists; {@code 403} when
 *       sign-up is off; {@code 400} naming the field</td></tr>
 *   <tr><td>{@code POST /api/signup/confirm} {@code {token}} (public)</td><td>{@code 204}; {@code 400} naming
 *       {@code token} when it is unknown, used or expired</td></tr>
 *   <tr><td>{@code POST /api/password-reset} {@code {email}} (public)</td><td>{@code 202} always</td></tr>
 *   <tr><td>{@code POST /api/password-reset/confirm} {@code {token, password}} (public)</td><td>{@code 204}: the
 *       password is set and every session and API token of the user ended; {@code 400} naming {@code token} or
 *       {@code password}</td></tr>
 *   <tr><td>{@code PUT /api/me/email} {@code {email, password}} (session only)</td><td>{@code 202}: a link goes
 *       to the new address; {@code 400} naming {@code password} when it is wrong</td></tr>
 *   <tr><td>{@code POST /api/me/email/confirm} {@code {token}}</td><td>{@code 204}; {@code 400} naming
 *       {@code token}</td></tr>
 *   <tr><td>{@code DELETE /api/me} {@code {password}} (session only)</td><td>{@code 204}: the account is closed and
 *       the cookie cleared</td></tr>
 *   <tr><td>{@code GET|PUT /api/settings/signup} {@code {"enabled": bool}} (admins)</td><td>{@code 200} the
 *       switch</td></tr>
 * </table>
 *
 * <p>The public routes are throttled per source with a {@link LoginThrottle} (the limits of sign-ins): each
 * sign-up and reset request counts (each may send a mail), and each unknown token; a throttled source gets
 * {@code 429} with {@code Retry-After} before anything is looked up. Tokens are never logged.
 */
public final class AccountFlowApi implements ApiModule {
    private static final Logger LOG = LoggerFactory.getLogger(AccountFlowApi.class);
    private static final int MAX_TOKEN = 64;
    private static final int MAX_EMAIL = 254;
    private static final int MAX_PASSWORD = SessionApi.MAX_PASSWORD;

    static final JsonNode SIGNUP = Schemas.parse("""
            {"type": "object", "additionalProperties": false, "required": ["username", "email", "password"],
             "properties": {
               "username": {"type": "string", "minLength": 1, "maxLength": 64},
               "email": {"type": "string", "minLength": 1, "maxLength": 254},
               "password": {"type": "string", "minLength": 1, "maxLength": 1024},
               "displayName": {"type": ["string", "null"], "maxLength": 100}}}""");
    static final JsonNode TOKEN = Schemas.parse("""
            {"type": "object", "additionalProperties": false, "required": ["token"],
             "properties": {"token": {"type": "string", "minLength": 1, "maxLength": 64}}}""");
    static final JsonNode RESET_REQUEST = Schemas.parse("""
            {"type": "object", "additionalProperties": false, "required": ["email"],
             "properties": {"email": {"type": "string", "minLength": 1, "maxLength": 254}}}""");
    static final JsonNode RESET_CONFIRM = Schemas.parse("""
            {"type": "object", "additionalProperties": false, "required": ["token", "password"],
             "properties": {
               "token": {"type": "string", "minLength": 1, "maxLength": 64},
               "password": {"type": "string", "minLength": 1, "maxLength": 1024}}}""");
    static final JsonNode EMAIL_CHANGE = Schemas.parse("""
            {"type": "object", "additionalProperties": false, "required": ["email", "password"],
             "properties": {
               "email": {"type": "string", "minLength": 1, "maxLength": 254},
               "password": {"type": "string", "minLength": 1, "maxLength": 1024}}}""");
    static final JsonNode PASSWORD = Schemas.parse("""
            {"type": "object", "additionalProperties": false, "required": ["password"],
             "properties": {"password": {"type": "string", "minLength": 1, "maxLength": 1024}}}""");
    static final JsonNode SWITCH = Schemas.parse("""
            {"type": "object", "additionalProperties": false, "required": ["enabled"],
             "properties": {"enabled": {"type": "boolean"}}}""");
    static final JsonNode ACCEPTED = Schemas.parse("""
            {"type": "object", "required": ["status"], "properties": {"status": {"const": "accepted"}}}""");

    private final AccountFlows flows;
    private final LoginThrottle throttle;

    /** @param throttle counts the public routes' requests per source (and the password checks, via the flows) */
    public AccountFlowApi(AccountFlows flows, LoginThrottle throttle) {
        this.flows = Objects.requireNonNull(flows, "flows");
        this.throttle = Objects.requireNonNull(throttle, "throttle");
    }

    @Override
    public List<ApiRoute> routes() {
        return List.of(
                ApiRoute.of(HandlerType.POST, "/api/signup", Access.PUBLIC,
                        "Sign up (when admins allow it): a confirmation link is mailed", this::signUp)
                        .takes(SIGNUP).answers(202, ACCEPTED),
                ApiRoute.of(HandlerType.POST, "/api/signup/confirm", Access.PUBLIC,
                        "Confirm a sign-up with the mailed token", this::confirmSignup)
                        .takes(TOKEN).answers(204, null),
                ApiRoute.of(HandlerType.POST, "/api/password-reset", Access.PUBLIC,
                        "Ask for a password reset link (always accepted)", this::requestReset)
                        .takes(RESET_REQUEST).answers(202, ACCEPTED),
                ApiRoute.of(HandlerType.POST, "/api/password-reset/confirm", Access.PUBLIC,
                        "Set a new password with the mailed token (ends every session and API token)",
                        this::confirmReset).takes(RESET_CONFIRM).answers(204, null),
                ApiRoute.of(HandlerType.PUT, "/api/me/email", Access.SIGNED_IN,
                        "Change the caller's email address: a link goes to the new one", this::changeEmail)
                        .forSessionsOnly().takes(EMAIL_CHANGE).answers(202, ACCEPTED),
                ApiRoute.of(HandlerType.POST, "/api/me/email/confirm", Access.SIGNED_IN,
                        "Confirm a new email address with the mailed token", this::confirmEmail)
                        .takes(TOKEN).answers(204, null),
                ApiRoute.of(HandlerType.DELETE, "/api/me", Access.SIGNED_IN,
                        "Close the caller's account (password required)", this::close)
                        .forSessionsOnly().takes(PASSWORD).answers(204, null),
                ApiRoute.of(HandlerType.GET, "/api/settings/signup", Access.ADMINS, "Whether anyone may sign up",
                        this::getSwitch).answers(200, SWITCH),
                ApiRoute.of(HandlerType.PUT, "/api/settings/signup", Access.ADMINS, "Allow or stop sign-ups",
                        this::putSwitch).takes(SWITCH).answers(200, SWITCH));
    }

    /** 429 before any work when the source is over its budget. */
    private void admit(Context ctx) {
        var blocked = throttle.blockedSource(ctx.ip());
        if (blocked.isPresent()) {
            throw ApiError.retryAfter(429, "too many requests; try again later",
                    (blocked.get().toMillis() + 999) / 1000);
        }
    }

    private static void accepted(Context ctx) {
        ctx.status(202).contentType("application/json").result("{\"status\":\"accepted\"}");
    }

    void signUp(Context ctx) {
        admit(ctx);
        ObjectNode body = Json.body(ctx, Set.of("username", "email", "password", "displayName"));
        String username = Json.requiredString(body, "username", 64);
        String email = Json.requiredString(body, "email", MAX_EMAIL);
        String displayName = Json.optionalString(body, "displayName", AccountFlows.MAX_DISPLAY_NAME);
        char[] password = Json.requiredString(body, "password", MAX_PASSWORD).toCharArray();
        throttle.failedFromSource(ctx.ip()); // each sign-up may send a mail: it spends the source's budget
        try {
            flows.signUp(username, email, displayName, password);
        } catch (AccountFlows.Invalid e) {
            throw ApiError.invalid(e.field(), e.getMessage());
        } catch (AccountFlows.SignupOff e) {
            throw ApiError.of(403, "sign-up is turned off");
        } catch (HashingGate.Busy e) {
            throw ApiError.retryAfter(503, "the server is busy; try again shortly", 1);
        } finally {
            Arrays.fill(password, '\0');
        }
        LOG.info("sign-up request from {}", ctx.ip());
        accepted(ctx);
    }

    void confirmSignup(Context ctx) {
        admit(ctx);
        String token = Json.requiredString(Json.body(ctx, Set.of("token")), "token", MAX_TOKEN);
        if (flows.confirmSignup(token).isEmpty()) {
            throw badToken(ctx);
        }
        ctx.status(204);
    }

    void requestReset(Context ctx) {
        admit(ctx);
        String email = Json.requiredString(Json.body(ctx, Set.of("email")), "email", MAX_EMAIL);
        throttle.failedFromSource(ctx.ip());
        try {
            flows.requestPasswordReset(email);
        } catch (AccountFlows.Invalid e) {
            throw ApiError.invalid(e.field(), e.getMessage());
        }
        LOG.info("password reset request from {}", ctx.ip());
        accepted(ctx);
    }

    void confirmReset(Context ctx) {
        admit(ctx);
        ObjectNode body = Json.body(ctx, Set.of("token", "password"));
        String token = Json.requiredString(body, "token", MAX_TOKEN);
        char[] password = Json.requiredString(body, "password", MAX_PASSWORD).toCharArray();
        AccountFlows.Outcome outcome;
        try {
            outcome = flows.confirmPasswordReset(token, password);
        } catch (AccountFlows.Invalid e) {
            throw ApiError.invalid(e.field(), e.getMessage());
        } finally {
            Arrays.fill(password, '\0');
        }
        switch (outcome) {
            case AccountFlows.Done d -> ctx.status(204);
            case AccountFlows.NotNow n -> throw ApiError.retryAfter(503, "the server is busy; try again shortly", 1);
            default -> throw badToken(ctx);
        }
    }

    void changeEmail(Context ctx) {
        Principal p = ApiGuard.principalOf(ctx);
        ObjectNode body = Json.body(ctx, Set.of("email", "password"));
        String email = Json.requiredString(body, "email", MAX_EMAIL);
        char[] password = Json.requiredString(body, "password", MAX_PASSWORD).toCharArray();
        AccountFlows.Outcome outcome;
        try {
            outcome = flows.requestEmailChange(p.user(), email, password, ctx.ip());
        } catch (AccountFlows.Invalid e) {
            throw ApiError.invalid(e.field(), e.getMessage());
        } finally {
            Arrays.fill(password, '\0');
        }
        answerPasswordChecked(outcome);
        accepted(ctx);
    }

    void confirmEmail(Context ctx) {
        Principal p = ApiGuard.principalOf(ctx);
        String token = Json.requiredString(Json.body(ctx, Set.of("token")), "token", MAX_TOKEN);
        var changed = flows.confirmEmailChange(token);
        if (changed.isEmpty() || !changed.get().id().equals(p.user().id())) {
            // another user's link does not work in this session (and was used up: its owner asks again)
            throw badToken(ctx);
        }
        ctx.status(204);
    }

    void close(Context ctx) {
        Principal p = ApiGuard.principalOf(ctx);
        char[] password = Json.requiredString(Json.body(ctx, Set.of("password")), "password", MAX_PASSWORD)
                .toCharArray();
        AccountFlows.Outcome outcome;
        try {
            outcome = flows.closeAccount(p.user(), password, ctx.ip());
        } finally {
            Arrays.fill(password, '\0');
        }
        answerPasswordChecked(outcome);
        ctx.header("Set-Cookie", SessionCookie.clear());
        ctx.status(204);
    }

    private static void answerPasswordChecked(AccountFlows.Outcome outcome) {
        switch (outcome) {
            case AccountFlows.Done d -> {
            }
            case AccountFlows.WrongPassword w -> throw ApiError.invalid("password", "is wrong");
            case AccountFlows.NotNow n -> {
                if (n.reason() instanceof WebLogin.Throttled t) {
                    throw ApiError.retryAfter(429, "too many failed sign-ins; try again later",
                            (t.retryAfter().toMillis() + 999) / 1000);
                }
                throw ApiError.retryAfter(503, "the server is busy; try again shortly", 1);
            }
            case AccountFlows.NoSuchToken n -> throw ApiError.of(404, "no such user");
        }
    }

    private ApiError badToken(Context ctx) {
        throttle.failedFromSource(ctx.ip());
        return ApiError.invalid("token", "is unknown, used or expired");
    }

    void getSwitch(Context ctx) {
        ctx.contentType("application/json").result(Json.write(Json.object().put("enabled", flows.signupEnabled())));
    }

    void putSwitch(Context ctx) {
        Principal p = ApiGuard.principalOf(ctx);
        JsonNode enabled = Json.body(ctx, Set.of("enabled")).get("enabled");
        if (enabled == null || !enabled.isBoolean()) {
            throw ApiError.invalid("enabled", "must be true or false");
        }
        flows.setSignupEnabled(enabled.booleanValue());
        LOG.info("{} turned sign-up {}", p.user().name(), enabled.booleanValue() ? "on" : "off");
        getSwitch(ctx);
    }
}
