package dev.parley.web.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.javalin.http.Handler;
import io.javalin.http.HandlerType;
import java.util.Objects;

/**
 * One row of the route table: method, path, who may call it, how, what it takes and answers. The OpenAPI document
 * ({@link OpenApiDocument}) is generated from these rows, so it describes exactly what is registered.
 *
 * @param csrfExempt the one state-changing request allowed without a CSRF token (login: there is no session to
 *     hold a token yet)
 * @param sessionOnly refused ({@code 403}) with an API token: only a signed-in browser session may call it
 * @param summary one line for the OpenAPI document
 * @param status the status of a successful answer
 * @param requestSchema JSON Schema (2020-12) of the body, or null when the route takes none
 * @param responseSchema JSON Schema of a successful answer's body, or null when it has none
 */
public record ApiRoute(HandlerType method, String path, Access access, boolean csrfExempt, boolean sessionOnly,
        String summary, int status, JsonNode requestSchema, JsonNode responseSchema, Handler handler) {
    public ApiRoute {
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(access, "access");
        Objects.requireNonNull(summary, "summary");
        Objects.requireNonNull(handler, "handler");
        if (!path.startsWith("/api/")) {
            throw new IllegalArgumentException("API routes live under /api/: " + path);
        }
        if (status < 200 || status > 299) {
            throw new IllegalArgumentException("a success status is 2xx, was " + status);
        }
    }

    /** A route answering {@code 200} with no declared bodies; add them with the {@code with…} methods. */
    public static ApiRoute of(HandlerType method, String path, Access access, String summary, Handler handler) {
        return new ApiRoute(method, path, access, false, false, summary, 200, null, null, handler);
    }

    public ApiRoute exemptFromCsrf() {
        return new ApiRoute(method, path, access, true, sessionOnly, summary, status, requestSchema, responseSchema,
                handler);
    }

    public ApiRoute forSessionsOnly() {
        return new ApiRoute(method, path, access, csrfExempt, true, summary, status, requestSchema, responseSchema,
                handler);
    }

    public ApiRoute takes(JsonNode schema) {
        return new ApiRoute(method, path, access, csrfExempt, sessionOnly, summary, status,
                Objects.requireNonNull(schema, "schema"), responseSchema, handler);
    }

    /** Answers {@code status} with a body of {@code schema} (null: no body, as for {@code 204}). */
    public ApiRoute answers(int successStatus, JsonNode schema) {
        return new ApiRoute(method, path, access, csrfExempt, sessionOnly, summary, successStatus, requestSchema,
                schema, handler);
    }

    /** POST, PUT, PATCH and DELETE change state: they need a same-origin Origin and the CSRF token. */
    public boolean changesState() {
        return method == HandlerType.POST || method == HandlerType.PUT || method == HandlerType.PATCH
                || method == HandlerType.DELETE;
    }

    @Override
    public String toString() {
        return method + " " + path + " " + (access.isPublic() ? "public" : access.roles())
                + (sessionOnly ? " session-only" : "");
    }
}
