package dev.parley.web.api;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.parley.pbx.directory.Role;
import io.javalin.http.Context;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The OpenAPI 3.1 description of {@code /api}, generated from the route table ({@link ApiRoutes}) rather than
 * written by hand, so it cannot describe a route that is not served or miss one that is.
 *
 * <p>Per operation: the summary; {@code security} — none for public routes, else the session cookie or an API
 * token ({@code Authorization: Bearer}), the cookie alone for {@link ApiRoute#sessionOnly()} routes; the roles
 * allowed as the extension {@code x-roles} (OpenAPI has no notion of roles); {@code x-csrf: true} where a
 * session request needs the {@code X-CSRF-Token} header; path parameters from {@code {name}} segments; the
 * request and success bodies' JSON Schemas; and the error answers every route of its kind can give.
 */
public final class OpenApiDocument {
    public static final String PATH = "/api/openapi.json";
    private static final Pattern PARAMETER = Pattern.compile("\\{([A-Za-z][A-Za-z0-9]*)}");
    private static final String ERROR_REF = "#/components/schemas/Error";

    private volatile String json;

    OpenApiDocument() {
    }

    /** Builds the document for {@code routes}; called once, before the server starts. */
    void describe(List<ApiRoute> routes) {
        json = Json.write(of(routes));
    }

    void serve(Context ctx) {
        ctx.contentType("application/json").result(json);
    }

    /** The document for {@code routes}. */
    public static ObjectNode of(List<ApiRoute> routes) {
        ObjectNode doc = Json.object().put("openapi", "3.1.0");
        String version = OpenApiDocument.class.getPackage().getImplementationVersion();
        doc.putObject("info").put("title", "Parley API").put("version", version == null ? "development" : version)
                .put("description", "The HTTPS API of the Parley PBX. Sign in with POST /api/session (a session"
                        + " cookie; state-changing requests then need X-CSRF-Token from the answer) or send a"
                        + " personal API token as Authorization: Bearer.");
        ObjectNode paths = doc.putObject("paths");
        for (ApiRoute route : routes) {
            ObjectNode item = paths.has(route.path()) ? (ObjectNode) paths.get(route.path())
                    : paths.putObject(route.path());
            item.set(route.method().name().toLowerCase(Locale.ROOT), operation(route));
        }
        ObjectNode components = doc.putObject("components");
        components.putObject("schemas").set("Error", Schemas.ERROR);
        ObjectNode schemes = components.putObject("securitySchemes");
        schemes.putObject("session").put("type", "apiKey").put("in", "cookie").put("name", SessionCookie.NAME)
                .put("description", "From POST /api/session");
        schemes.putObject("token").put("type", "http").put("scheme", "bearer").put("bearerFormat", "parley_…")
                .put("description", "A personal API token from POST /api/me/tokens");
        return doc;
    }

    private static ObjectNode operation(ApiRoute route) {
        ObjectNode op = Json.object().put("operationId", operationId(route)).put("summary", route.summary());
        Matcher m = PARAMETER.matcher(route.path());
        if (m.find()) {
            ArrayNode parameters = op.putArray("parameters");
            do {
                ObjectNode p = parameters.addObject().put("name", m.group(1)).put("in", "path").put("required", true);
                p.putObject("schema").put("type", "string");
            } while (m.find());
        }
        ArrayNode security = op.putArray("security");
        ArrayNode roles = op.putArray("x-roles");
        if (!route.access().isPublic()) {
            security.addObject().putArray("session");
            if (!route.sessionOnly()) {
                security.addObject().putArray("token");
            }
            for (Role r : route.access().roles()) {
                roles.add(r.wireName());
            }
        }
        op.put("x-csrf", route.changesState() && !route.csrfExempt() && !route.access().isPublic());
        if (route.requestSchema() != null) {
            op.putObject("requestBody").put("required", true).putObject("content").putObject("application/json")
                    .set("schema", route.requestSchema());
        }
        ObjectNode responses = op.putObject("responses");
        ObjectNode ok = responses.putObject(Integer.toString(route.status())).put("description", "success");
        if (route.responseSchema() != null) {
            ok.putObject("content").putObject("application/json").set("schema", route.responseSchema());
        }
        if (route.requestSchema() != null) {
            error(responses, 400, "invalid input: field and problem name what");
            error(responses, 415, "the body is not application/json");
        }
        if (!route.access().isPublic()) {
            error(responses, 401, "no live session or API token");
            error(responses, 403, "the role may not call this, or (session) a foreign Origin or no CSRF token,"
                    + " or (token) a session-only route");
            error(responses, 429, "too many failed sign-ins from this source (Retry-After)");
        } else if (route.changesState()) {
            error(responses, 403, "a foreign Origin");
        }
        return op;
    }

    private static void error(ObjectNode responses, int status, String description) {
        responses.putObject(Integer.toString(status)).put("description", description).putObject("content")
                .putObject("application/json").putObject("schema").put("$ref", ERROR_REF);
    }

    /** {@code DELETE /api/me/tokens/{id}} → {@code deleteMeTokensId}. */
    static String operationId(ApiRoute route) {
        StringBuilder b = new StringBuilder(route.method().name().toLowerCase(Locale.ROOT));
        for (String part : route.path().substring("/api/".length()).split("[/{}.]+")) {
            if (!part.isEmpty()) {
                b.append(Character.toUpperCase(part.charAt(0))).append(part.substring(1));
            }
        }
        return b.toString();
    }
}
