/**
 * Web sessions on the server ({@link dev.parley.web.session.SessionStore}): ids, CSRF tokens, idle expiry and
 * bounds. Knows nothing of HTTP; depends on the PBX directory ids and the JDK.
 */
package dev.parley.web.session;
