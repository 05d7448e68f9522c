package dev.parley.web.api;

import io.javalin.http.HandlerType;
import java.util.ArrayList;
import java.util.List;

/**
 * The route table of {@code /api}: every route with the roles it allows. {@code WebServer} registers exactly these,
 * each behind {@link ApiGuard}, and {@code ApiRoleIT} walks the same list (no session → 401, a {@code user}
 * session → 403 where users are not allowed), so a route added here is checked without anyone remembering to.
 */
public final class ApiRoutes {
    private ApiRoutes() {
    }

    /** {@code GET /api/health}: {@code {"status":"ok"}}. */
    public static ApiRoute health() {
        return new ApiRoute(HandlerType.GET, "/api/health", Access.PUBLIC, false,
                ctx -> ctx.contentType("application/json").result("{\"status\":\"ok\"}"));
    }

    /** Health alone: a web server without accounts. */
    public static List<ApiRoute> healthOnly() {
        return List.of(health());
    }

    /** The full table. */
    public static List<ApiRoute> table(SessionApi session, UserApi users) {
        List<ApiRoute> t = new ArrayList<>();
        t.add(health());
        t.add(new ApiRoute(HandlerType.POST, "/api/session", Access.PUBLIC, true, session::signIn));
        t.add(new ApiRoute(HandlerType.DELETE, "/api/session", Access.SIGNED_IN, false, session::signOut));
        t.add(new ApiRoute(HandlerType.GET, "/api/me", Access.SIGNED_IN, false, session::me));
        t.add(new ApiRoute(HandlerType.PUT, "/api/me/password", Access.SIGNED_IN, false, session::changePassword));
        t.add(new ApiRoute(HandlerType.GET, "/api/users", Access.ADMINS, false, users::list));
        return List.copyOf(t);
    }
}
