/**
 * The REST API under {@code /api}: the route table ({@link dev.parley.web.api.ApiRoutes}) in which every route
 * declares the roles it allows, the guard every route passes (origin, session, role, CSRF token:
 * {@link dev.parley.web.api.ApiGuard}), JSON in and out with field-level errors, and the handlers (sign-in,
 * sign-out, me, users). Depends on {@code session}, the PBX's directory and account packages, Javalin and Jackson;
 * not on {@code http}, {@code ws} or the root package.
 */
package dev.parley.web.api;
