/**
 * Routing: who is calling (the authenticated device's user and number) and where a dialled number rings (the
 * extension's owner, that user's devices, and the contacts they registered). Blocking: it reads the directory and
 * the registrar's repository, so it runs on virtual threads, never on a lane.
 *
 * <p>Depends on {@code dev.parley.pbx.directory}, {@code dev.parley.pbx.registrar} and {@code parley-sip} URIs.
 */
package dev.parley.pbx.routing;
