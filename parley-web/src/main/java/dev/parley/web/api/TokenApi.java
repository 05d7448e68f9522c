package dev.parley.web.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.parley.pbx.account.ApiTokenRepository;
import dev.parley.pbx.account.ApiTokens;
import io.javalin.http.Context;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The signed-in user's personal API tokens, for scripts ({@code Authorization: Bearer parley_…}).
 *
 * <table>
 *   <caption>Routes</caption>
 *   <tr><th>route</th><th>answer</th></tr>
 *   <tr><td>{@code POST /api/me/tokens} {@code {"name": …, "expiresInDays": 1–3650 (optional)}}</td><td>{@code 201}
 *       {@code {id, name, token, created, expiresAt}} — the only time the token is shown; session only, so a
 *       leaked token cannot make itself successors</td></tr>
 *   <tr><td>{@code GET /api/me/tokens}</td><td>{@code 200} {@code {"tokens": [{id, name, created, lastUsed,
 *       expiresAt}]}}, oldest first, never a token</td></tr>
 *   <tr><td>{@code DELETE /api/me/tokens/{id}}</td><td>{@code 204}; {@code 404} when the user has no such token
 *       (another user's included); a script may revoke the token it runs with</td></tr>
 * </table>
 */
public final class TokenApi {
    private static final Logger LOG = LoggerFactory.getLogger(TokenApi.class);
    static final int MAX_DAYS = 3650;

    static final JsonNode CREATE_REQUEST = Schemas.parse("""
            {"type": "object", "additionalProperties": false, "required": ["name"],
             "properties": {
               "name": {"type": "string", "minLength": 1, "maxLength": 100},
               "expiresInDays": {"type": ["integer", "null"], "minimum": 1, "maximum": 3650}}}""");
    private static final String TOKEN_FIELDS = """
               "id": {"type": "string"},
               "name": {"type": "string"},
               "created": {"type": "string", "format": "date-time"},
               "expiresAt": {"type": ["string", "null"], "format": "date-time"}""";
    static final JsonNode CREATED = Schemas.parse("""
            {"type": "object", "required": ["id", "name", "token", "created", "expiresAt"],
             "properties": {
               "token": {"type": "string", "pattern": "^parley_[A-Za-z0-9_-]{43}$",
                         "description": "shown this once; send it as Authorization: Bearer <token>"},
            """ + TOKEN_FIELDS + "}}");
    static final JsonNode LIST = Schemas.parse("""
            {"type": "object", "required": ["tokens"],
             "properties": {"tokens": {"type": "array", "items": {
               "type": "object", "required": ["id", "name", "created", "lastUsed", "expiresAt"],
               "properties": {
                 "lastUsed": {"type": ["string", "null"], "format": "date-time"},
            """ + TOKEN_FIELDS + "}}}}}");

    private final ApiTokens tokens;
    private final ApiTokenRepository repository;

    public TokenApi(ApiTokens tokens, ApiTokenRepository repository) {
        this.tokens = Objects.requireNonNull(tokens, "tokens");
        this.repository = Objects.requireNonNull(repository, "repository");
    }

    void create(Context ctx) {
        Principal p = ApiGuard.principalOf(ctx);
        ObjectNode body = Json.body(ctx, Set.of("name", "expiresInDays"));
        String name = Json.requiredString(body, "name", ApiTokens.MAX_NAME);
        Duration lifetime = null;
        JsonNode days = body.get("expiresInDays");
        if (days != null && !days.isNull()) {
            if (!days.isIntegralNumber() || !days.canConvertToInt() || days.intValue() < 1
                    || days.intValue() > MAX_DAYS) {
                throw ApiError.invalid("expiresInDays", "must be a whole number from 1 to " + MAX_DAYS);
            }
            lifetime = Duration.ofDays(days.intValue());
        }
        ApiTokens.Issued issued;
        try {
            issued = tokens.issue(p.user().id(), name, lifetime);
        } catch (ApiTokens.Refused e) {
            throw ApiError.invalid(e.field(), e.getMessage());
        }
        LOG.info("{} made API token {} ({})", p.user().name(), issued.stored().id(), issued.stored().name());
        ObjectNode out = toJson(issued.stored(), false);
        out.put("token", issued.secret());
        ctx.status(201).contentType("application/json").result(Json.write(out));
    }

    void list(Context ctx) {
        Principal p = ApiGuard.principalOf(ctx);
        ObjectNode out = Json.object();
        var list = out.putArray("tokens");
        repository.findByUser(p.user().id()).forEach(t -> list.add(toJson(t, true)));
        ctx.contentType("application/json").result(Json.write(out));
    }

    void revoke(Context ctx) {
        Principal p = ApiGuard.principalOf(ctx);
        String id = ctx.pathParam("id");
        if (id.length() > 64 || !repository.delete(p.user().id(), id)) {
            throw ApiError.of(404, "no such token");
        }
        LOG.info("{} revoked API token {}", p.user().name(), id);
        ctx.status(204);
    }

    private static ObjectNode toJson(ApiTokenRepository.Stored t, boolean withLastUse) {
        ObjectNode o = Json.object().put("id", t.id()).put("name", t.name()).put("created", t.created().toString());
        if (withLastUse) {
            putInstant(o, "lastUsed", t.lastUsed());
        }
        putInstant(o, "expiresAt", t.expires());
        return o;
    }

    private static void putInstant(ObjectNode o, String field, Instant t) {
        if (t == null) {
            o.putNull(field);
        } else {
            o.put(field, t.toString());
        }
    }
}
