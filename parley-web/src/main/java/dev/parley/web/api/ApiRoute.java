package dev.parley.web.api;

import io.javalin.http.Handler;
import io.javalin.http.HandlerType;
import java.util.Objects;

/**
 * One row of the route table: method, path, who may call it, and whether it is the one state-changing request
 * allowed without a CSRF token (login: there is no session to hold a token yet).
 */
public record ApiRoute(HandlerType method, String path, Access access, boolean csrfExempt, Handler handler) {
    public ApiRoute {
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(access, "access");
        Objects.requireNonNull(handler, "handler");
        if (!path.startsWith("/api/")) {
            throw new IllegalArgumentException("API routes live under /api/: " + path);
        }
    }

    /** POST, PUT, PATCH and DELETE change state: they need a same-origin Origin and the CSRF token. */
    public boolean changesState() {
        return method == HandlerType.POST || method == HandlerType.PUT || method == HandlerType.PATCH
                || method == HandlerType.DELETE;
    }

    @Override
    public String toString() {
        return method + " " + path + " " + (access.isPublic() ? "public" : access.roles());
    }
}
