package dev.parley.web.api;

/**
 * The session cookie. The {@code __Host-} prefix (RFC 6265bis §4.1.3.2) makes browsers accept it only with
 * {@code Secure}, {@code Path=/} and no {@code Domain}, so no other host and no plain-HTTP page can set or
 * shadow it; {@code HttpOnly} keeps it from scripts; {@code SameSite=Strict} keeps it off every cross-site
 * request. No {@code Max-Age}: it lasts as long as the browser session, and the server expires it when idle.
 */
final class SessionCookie {
    static final String NAME = "__Host-parley";
    private static final String ATTRIBUTES = "; Path=/; Secure; HttpOnly; SameSite=Strict";

    private SessionCookie() {
    }

    static String set(String sessionId) {
        return NAME + "=" + sessionId + ATTRIBUTES;
    }

    static String clear() {
        return NAME + "=; Max-Age=0" + ATTRIBUTES;
    }
}
