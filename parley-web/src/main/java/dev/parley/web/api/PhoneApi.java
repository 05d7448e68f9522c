package dev.parley.web.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.parley.pbx.webphone.WebPhoneCredentials;
import dev.parley.pbx.webphone.WebPhones;
import dev.parley.web.session.SessionStore;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The browser phone's SIP credentials, bound to the web session (issue 6): a signed-in page asks for them and
 * registers over WSS with what it gets, so nobody types or stores a SIP password in a browser.
 *
 * <table>
 *   <caption>Routes</caption>
 *   <tr><th>route</th><th>answer</th></tr>
 *   <tr><td>{@code POST /api/me/phone}</td><td>{@code 200} {@code {uri, authorizationUser, password, displayName,
 *       wsUri, expiresAt, iceServers}}: {@code uri} is {@code sip:<first extension>@<domain>}, {@code wsUri} this
 *       server's {@code /ws} at the host and port the browser used; the same session gets the same credentials;
 *       {@code 409} when the user has no extension. Session only: an API token cannot mint SIP credentials, and
 *       credentials must end with something (the session)</td></tr>
 * </table>
 *
 * <p>The credentials live in memory ({@link WebPhones}), are good over WSS only, and end with the session: as a
 * {@link SessionStore.Listener} this module is told of every session that ends (sign-out, idle expiry, a password
 * change ending the others, eviction; the web server registers modules that are listeners), and each sweep also
 * drops those past their lifetime. The password is in this answer only; nothing here logs it.
 */
public final class PhoneApi implements ApiModule, SessionStore.Listener {
    private static final Logger LOG = LoggerFactory.getLogger(PhoneApi.class);
    /** A Host header we are willing to echo into a URI: a DNS name, IPv4 or bracketed IPv6, and a port. */
    private static final Pattern AUTHORITY = Pattern.compile(
            "(?:[A-Za-z0-9](?:[A-Za-z0-9.-]{0,251}[A-Za-z0-9])?|\\[[0-9A-Fa-f:.]{2,45}\\])(?::[0-9]{1,5})?");

    static final JsonNode PHONE = Schemas.parse("""
            {"type": "object",
             "required": ["uri", "authorizationUser", "password", "displayName", "wsUri", "expiresAt", "iceServers"],
             "properties": {
               "uri": {"type": "string", "pattern": "^sip:[^@]+@.+$", "description": "the address of record"},
               "authorizationUser": {"type": "string", "description": "the Digest username, unique to this session"},
               "password": {"type": "string", "minLength": 22, "description": "the Digest password; shown here only"},
               "displayName": {"type": "string"},
               "wsUri": {"type": "string", "pattern": "^wss://.+/ws$"},
               "expiresAt": {"type": "string", "format": "date-time",
                             "description": "the latest they work; they end with the session before that"},
               "iceServers": {"type": "array", "items": {"type": "object"}}}}""");

    private final WebPhones phones;
    private final String domain;

    /**
     * @param domain the host part of the phone's address of record (the server's advertised host)
     */
    public PhoneApi(WebPhones phones, String domain) {
        this.phones = Objects.requireNonNull(phones, "phones");
        this.domain = uriHost(Objects.requireNonNull(domain, "domain"));
    }

    @Override
    public List<ApiRoute> routes() {
        return List.of(ApiRoute.of(HandlerType.POST, "/api/me/phone", Access.SIGNED_IN,
                        "SIP credentials for the browser phone, valid over WSS until the session ends", this::provision)
                .forSessionsOnly().answers(200, PHONE));
    }

    void provision(Context ctx) {
        Principal p = ApiGuard.principalOf(ctx);
        WebPhoneCredentials c = phones.issue(SessionStore.keyOf(p.session()), p.user().id())
                .orElseThrow(() -> ApiError.of(409, "the user has no extension: an admin must give them one first"));
        ObjectNode out = Json.object()
                .put("uri", "sip:" + c.extension() + "@" + domain)
                .put("authorizationUser", c.authorizationUser())
                .put("password", c.device().secret().reveal())
                .put("displayName", c.displayName())
                .put("wsUri", "wss://" + authority(ctx) + "/ws")
                .put("expiresAt", c.expiresAt().toString());
        out.putArray("iceServers"); // Parley is ICE-lite on a public address: the browser needs no STUN/TURN
        LOG.debug("{} has browser phone credentials for extension {}", p.user().name(), c.extension());
        ctx.contentType("application/json").result(Json.write(out));
    }

    /**
     * The host and port the browser reached us at (its Host header) when it is a plain authority, else ours. Safe
     * to echo: this route needs {@code Origin: https://<Host>} ({@link ApiGuard}), so the Host is the origin the
     * page was loaded from, the only one its CSP's {@code 'self'} lets it open {@code wss:} to (behind a reverse
     * proxy that keeps the Host, the public name and port). A client that sends another Host misleads only itself:
     * the answer is its own and never cached or shared.
     */
    private String authority(Context ctx) {
        String host = ctx.header("Host");
        if (host != null && AUTHORITY.matcher(host).matches()) {
            return host;
        }
        return domain + ":" + ctx.req().getLocalPort();
    }

    @Override
    public void onSessionEnded(String sessionKey) {
        phones.revoke(sessionKey);
    }

    @Override
    public Set<String> sessionsHeld() {
        phones.revokeExpired();
        return phones.sessionKeys();
    }

    private static String uriHost(String host) {
        return host.indexOf(':') >= 0 && !host.startsWith("[") ? "[" + host + "]" : host;
    }
}
