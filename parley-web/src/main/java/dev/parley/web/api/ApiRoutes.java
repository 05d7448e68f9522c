package dev.parley.web.api;

import io.javalin.http.HandlerType;
import java.util.ArrayList;
import java.util.List;

/**
 * The route table of {@code /api}: every route with the roles it allows, how it may be called and the schemas of
 * its bodies. {@code WebServer} registers exactly these, each behind {@link ApiGuard}; {@code ApiRoleIT} walks the
 * same list (no session → 401, a {@code user} session or token → 403 where users are not allowed), and
 * {@link OpenApiDocument} is generated from it, so a route added here is checked and documented without anyone
 * remembering to.
 */
public final class ApiRoutes {
    private ApiRoutes() {
    }

    /** {@code GET /api/health}: {@code {"status":"ok"}}. */
    public static ApiRoute health() {
        return ApiRoute.of(HandlerType.GET, "/api/health", Access.PUBLIC, "Is the server up",
                ctx -> ctx.contentType("application/json").result("{\"status\":\"ok\"}"))
                .answers(200, Schemas.parse("""
                        {"type": "object", "required": ["status"], "properties": {"status": {"const": "ok"}}}"""));
    }

    /** Health and the OpenAPI document alone: a web server without accounts. */
    public static List<ApiRoute> healthOnly() {
        return withDocument(List.of(health()));
    }

    /** The full table: the built-in routes, then each module's in order. */
    public static List<ApiRoute> table(SessionApi session, UserApi users, TokenApi tokens, List<ApiModule> modules) {
        List<ApiRoute> t = new ArrayList<>();
        t.add(health());
        t.add(ApiRoute.of(HandlerType.POST, "/api/session", Access.PUBLIC, "Sign in", session::signIn)
                .exemptFromCsrf().takes(SessionApi.LOGIN).answers(200, SessionApi.ME));
        t.add(ApiRoute.of(HandlerType.DELETE, "/api/session", Access.SIGNED_IN, "Sign out", session::signOut)
                .forSessionsOnly().answers(204, null));
        t.add(ApiRoute.of(HandlerType.GET, "/api/me", Access.SIGNED_IN, "The caller", session::me)
                .answers(200, SessionApi.ME));
        t.add(ApiRoute.of(HandlerType.PUT, "/api/me", Access.SIGNED_IN,
                        "Change the caller's own profile (display name)", session::updateMe)
                .takes(SessionApi.PROFILE).answers(200, SessionApi.ME));
        t.add(ApiRoute.of(HandlerType.PUT, "/api/me/password", Access.SIGNED_IN,
                        "Change the caller's password (ends their other sessions)", session::changePassword)
                .forSessionsOnly().takes(SessionApi.NEW_PASSWORD).answers(204, null));
        t.add(ApiRoute.of(HandlerType.POST, "/api/me/tokens", Access.SIGNED_IN,
                        "Make a personal API token (shown once)", tokens::create)
                .forSessionsOnly().takes(TokenApi.CREATE_REQUEST).answers(201, TokenApi.CREATED));
        t.add(ApiRoute.of(HandlerType.GET, "/api/me/tokens", Access.SIGNED_IN, "The caller's API tokens",
                tokens::list).answers(200, TokenApi.LIST));
        t.add(ApiRoute.of(HandlerType.DELETE, "/api/me/tokens/{id}", Access.SIGNED_IN, "Revoke an API token",
                tokens::revoke).answers(204, null));
        t.add(ApiRoute.of(HandlerType.GET, "/api/users", Access.ADMINS, "Every user", users::list)
                .answers(200, UserApi.LIST));
        modules.forEach(m -> t.addAll(m.routes()));
        return withDocument(t);
    }

    /** Adds {@code GET /api/openapi.json}, whose document describes {@code routes} and itself. */
    private static List<ApiRoute> withDocument(List<ApiRoute> routes) {
        List<ApiRoute> all = new ArrayList<>(routes);
        OpenApiDocument document = new OpenApiDocument();
        all.add(ApiRoute.of(HandlerType.GET, OpenApiDocument.PATH, Access.PUBLIC,
                        "This document (OpenAPI 3.1), generated from the route table", document::serve)
                .answers(200, Schemas.parse("{\"type\": \"object\"}")));
        document.describe(all);
        return List.copyOf(all);
    }
}
