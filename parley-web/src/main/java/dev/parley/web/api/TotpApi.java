package dev.parley.web.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.parley.pbx.account.LoginThrottle;
import dev.parley.pbx.account.SecondFactor;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * TOTP (RFC 6238) for the signed-in user, through {@link SecondFactor}.
 *
 * <table>
 *   <caption>Routes</caption>
 *   <tr><th>route</th><th>answer</th></tr>
 *   <tr><td>{@code POST /api/me/totp} (session only)</td><td>{@code 200} {@code {secret, otpauthUri}}: a pending
 *       enrollment, shown once; {@code 409} when TOTP is on already</td></tr>
 *   <tr><td>{@code POST /api/me/totp/confirm} {@code {code}}</td><td>{@code 200} {@code {recoveryCodes}} (ten,
 *       shown once): sign-ins now need a code; {@code 400} naming {@code code}</td></tr>
 *   <tr><td>{@code DELETE /api/me/totp} {@code {code}}</td><td>{@code 204}; {@code 400} naming {@code code} (a
 *       TOTP code or a recovery code)</td></tr>
 * </table>
 *
 * <p>Wrong codes count against the user and the source in a {@link LoginThrottle} ({@code 429} with
 * {@code Retry-After} once over the limit).
 */
public final class TotpApi implements ApiModule {
    static final JsonNode ENROLLMENT = Schemas.parse("""
            {"type": "object", "required": ["secret", "otpauthUri"],
             "properties": {
               "secret": {"type": "string", "pattern": "^[A-Z2-7]{32}$", "description": "base32, shown once"},
               "otpauthUri": {"type": "string", "pattern": "^otpauth://totp/"}}}""");
    static final JsonNode CODE = Schemas.parse("""
            {"type": "object", "additionalProperties": false, "required": ["code"],
             "properties": {"code": {"type": "string", "minLength": 1, "maxLength": 64}}}""");
    static final JsonNode RECOVERY = Schemas.parse("""
            {"type": "object", "required": ["recoveryCodes"],
             "properties": {"recoveryCodes": {"type": "array", "minItems": 10, "maxItems": 10,
               "items": {"type": "string", "pattern": "^[A-Z2-7]{4}(-[A-Z2-7]{4}){3}$"}}}}""");

    private final SecondFactor factor;
    private final LoginThrottle throttle;

    /**
     * @param throttle counts wrong codes against the user and the source like wrong passwords, so a stolen
     *     session cannot guess its way to turning TOTP off (or a pending secret's code)
     */
    public TotpApi(SecondFactor factor, LoginThrottle throttle) {
        this.factor = Objects.requireNonNull(factor, "factor");
        this.throttle = Objects.requireNonNull(throttle, "throttle");
    }

    /** 429 once the user or the source has had too many wrong codes or passwords. */
    private void admit(Principal p, Context ctx) {
        var blocked = throttle.blocked(p.user().name(), ctx.ip());
        if (blocked.isPresent()) {
            throw ApiError.retryAfter(429, "too many wrong codes; try again later",
                    (blocked.get().toMillis() + 999) / 1000);
        }
    }

    private ApiError wrongCode(Principal p, Context ctx, String problem) {
        throttle.failed(p.user().name(), ctx.ip());
        return ApiError.invalid("code", problem);
    }

    @Override
    public List<ApiRoute> routes() {
        return List.of(
                ApiRoute.of(HandlerType.POST, "/api/me/totp", Access.SIGNED_IN,
                        "Start TOTP enrollment: a new secret for an authenticator app", this::begin)
                        .forSessionsOnly().answers(200, ENROLLMENT),
                ApiRoute.of(HandlerType.POST, "/api/me/totp/confirm", Access.SIGNED_IN,
                        "Turn TOTP on with a code of the new secret; answers the recovery codes", this::confirm)
                        .takes(CODE).answers(200, RECOVERY),
                ApiRoute.of(HandlerType.DELETE, "/api/me/totp", Access.SIGNED_IN,
                        "Turn TOTP off (a valid code required)", this::disable)
                        .takes(CODE).answers(204, null));
    }

    void begin(Context ctx) {
        Principal p = ApiGuard.principalOf(ctx);
        SecondFactor.Enrollment e = factor.begin(p.user())
                .orElseThrow(() -> ApiError.of(409, "TOTP is on already; turn it off first"));
        ctx.contentType("application/json").result(Json.write(Json.object().put("secret", e.secret())
                .put("otpauthUri", e.otpauthUri())));
    }

    void confirm(Context ctx) {
        Principal p = ApiGuard.principalOf(ctx);
        String code = Json.requiredString(Json.body(ctx, Set.of("code")), "code", SessionApi.MAX_CODE);
        admit(p, ctx);
        List<String> codes = factor.confirm(p.user(), code)
                .orElseThrow(() -> wrongCode(p, ctx, "is wrong, or no enrollment is pending"));
        ObjectNode out = Json.object();
        var list = out.putArray("recoveryCodes");
        codes.forEach(list::add);
        ctx.contentType("application/json").result(Json.write(out));
    }

    void disable(Context ctx) {
        Principal p = ApiGuard.principalOf(ctx);
        String code = Json.requiredString(Json.body(ctx, Set.of("code")), "code", SessionApi.MAX_CODE);
        admit(p, ctx);
        if (!factor.disable(p.user(), code)) {
            throw wrongCode(p, ctx, "is wrong or used, or TOTP is off");
        }
        ctx.status(204);
    }
}
