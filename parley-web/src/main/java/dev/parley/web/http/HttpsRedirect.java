package dev.parley.web.http;

import java.util.regex.Pattern;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpURI;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * The whole of the plain-HTTP port: every request, whatever its method, gets {@code 308 Permanent Redirect}
 * (RFC 9110 §15.4.9: the method and body are kept, unlike 301) to the same path and query on the HTTPS port. Nothing
 * else is served over plain HTTP, and no HSTS is sent here (RFC 6797 §7.2: only over a secure transport).
 *
 * <p>The host of the Location is the one the client asked for when it is a well-formed host name or address
 * (so a user who typed a name stays on that name), else {@code fallbackHost}.
 */
public final class HttpsRedirect extends Handler.Abstract.NonBlocking {
    private static final Pattern HOST = Pattern.compile("[A-Za-z0-9.-]{1,253}|\\[[0-9A-Fa-f:.]{2,45}\\]");

    private final String fallbackHost;
    private final int httpsPort;

    public HttpsRedirect(String fallbackHost, int httpsPort) {
        this.fallbackHost = fallbackHost;
        this.httpsPort = httpsPort;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        HttpURI uri = request.getHttpURI();
        String host = uri.getHost();
        if (host == null || !HOST.matcher(host).matches()) {
            host = fallbackHost.indexOf(':') >= 0 && !fallbackHost.startsWith("[") ? "[" + fallbackHost + "]"
                    : fallbackHost;
        }
        String path = uri.getPath() == null || uri.getPath().isEmpty() ? "/" : uri.getPath();
        String query = uri.getQuery() == null ? "" : "?" + uri.getQuery();
        String location = "https://" + host + (httpsPort == 443 ? "" : ":" + httpsPort) + path + query;
        response.setStatus(308);
        response.getHeaders().put(HttpHeader.LOCATION, location);
        response.getHeaders().put(HttpHeader.CONTENT_LENGTH, 0L);
        response.getHeaders().put(HttpHeader.CONNECTION, "close");
        callback.succeeded();
        return true;
    }
}
