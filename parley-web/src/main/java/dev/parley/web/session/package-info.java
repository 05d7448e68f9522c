/**
 * Web sessions on the server ({@link dev.parley.web.session.SessionStore}): ids, CSRF tokens, idle expiry and
 * bounds, kept through the PBX's {@code WebSessionRepository} port (the database in production). Knows nothing of
 * HTTP; depends on the PBX's directory ids and account port and the JDK.
 */
package dev.parley.web.session;
