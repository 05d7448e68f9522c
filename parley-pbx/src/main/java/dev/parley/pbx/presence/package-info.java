/**
 * Presence and the live events of the browser phone: {@link dev.parley.pbx.presence.PresenceBook} (single-threaded,
 * no I/O) derives each extension's presence from registrations, calls in progress and do-not-disturb, and turns the
 * calls' ringing, answer and end into per-user events; {@link dev.parley.pbx.presence.PresenceEngine} feeds it from
 * the call registry and the repositories on a thread of its own and hands the events to bounded
 * {@link dev.parley.pbx.presence.Subscription}s.
 *
 * <p>Depends on {@code dev.parley.pbx.call} (the listener hook and {@code CallView}), {@code cdr}, {@code directory}
 * and {@code registrar}; nothing in the PBX depends on it.
 */
package dev.parley.pbx.presence;
