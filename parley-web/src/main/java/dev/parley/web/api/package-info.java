/**
 * The REST API under {@code /api}: the route table ({@link dev.parley.web.api.ApiRoutes}) in which every route
 * declares the roles it allows, whether API tokens may call it and the JSON Schemas of its bodies; the guard every
 * route passes (API token, or origin, session, role, CSRF token: {@link dev.parley.web.api.ApiGuard}); the OpenAPI
 * 3.1 document generated from the table ({@link dev.parley.web.api.OpenApiDocument}); JSON in and out with
 * field-level errors; and the handlers (sign-in, sign-out, me, password, API tokens, users). Depends on
 * {@code session}, the PBX's directory and account packages, Javalin and Jackson; not on {@code http}, {@code ws}
 * or the root package.
 */
package dev.parley.web.api;
