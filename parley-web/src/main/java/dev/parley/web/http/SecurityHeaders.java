package dev.parley.web.http;

import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.Request;

/**
 * The headers every HTTPS response carries, set before any handler runs so that error pages, static files, the API
 * and WebSocket refusals all get them.
 *
 * <table>
 *   <caption>Headers</caption>
 *   <tr><th>header</th><th>value</th><th>why</th></tr>
 *   <tr><td>{@code Strict-Transport-Security}</td><td>{@code max-age=31536000}</td><td>RFC 6797: the browser
 *       never tries plain HTTP for a year (no {@code includeSubDomains}: Parley does not own the parent
 *       domain)</td></tr>
 *   <tr><td>{@code Content-Security-Policy}</td><td>{@link #CONTENT_SECURITY_POLICY}</td><td>scripts, styles and
 *       connections only from this origin (the browser phone's WebSocket is same-origin), no plugins, and
 *       {@code frame-ancestors 'none'}: no other site can frame the phone or the admin (clickjacking)</td></tr>
 *   <tr><td>{@code X-Frame-Options}</td><td>{@code DENY}</td><td>the same for browsers without CSP 2</td></tr>
 *   <tr><td>{@code X-Content-Type-Options}</td><td>{@code nosniff}</td><td>a response is only what its
 *       Content-Type says</td></tr>
 *   <tr><td>{@code Referrer-Policy}</td><td>{@code no-referrer}</td><td>admin URLs never leak to other
 *       sites</td></tr>
 * </table>
 */
public final class SecurityHeaders implements HttpConfiguration.Customizer {
    public static final String CONTENT_SECURITY_POLICY = "default-src 'self'; script-src 'self'; style-src 'self';"
            + " img-src 'self' data:; connect-src 'self'; media-src 'self' blob:; object-src 'none';"
            + " base-uri 'none'; form-action 'self'; frame-ancestors 'none'";
    public static final String HSTS = "max-age=31536000";

    @Override
    public Request customize(Request request, HttpFields.Mutable responseHeaders) {
        responseHeaders.put("Strict-Transport-Security", HSTS);
        responseHeaders.put("Content-Security-Policy", CONTENT_SECURITY_POLICY);
        responseHeaders.put("X-Frame-Options", "DENY");
        responseHeaders.put("X-Content-Type-Options", "nosniff");
        responseHeaders.put("Referrer-Policy", "no-referrer");
        return request;
    }
}
