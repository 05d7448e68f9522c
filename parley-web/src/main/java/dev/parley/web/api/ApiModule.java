package dev.parley.web.api;

import java.util.List;

/**
 * A feature's resources under {@code /api}: the rows it adds to the route table. The server plugs modules in with
 * {@code WebAccounts.withModule}; {@link ApiRoutes#table} appends their routes after the built-in ones, so each
 * is guarded by {@link ApiGuard}, walked by the role tests and described in the OpenAPI document like any other.
 *
 * <p>A handler finds its caller with {@link ApiGuard#principalOf}; routes that act on the caller's own data live
 * under {@code /api/me/…}, so no user can name another user's data, and admins reach others' data through
 * admin-only routes.
 */
@FunctionalInterface
public interface ApiModule {
    List<ApiRoute> routes();
}
