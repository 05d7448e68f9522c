package dev.parley.web;

import dev.parley.sipstack.transport.TestCerts;
import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.web.http.SecurityHeaders;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A JDK HTTP client over real HTTPS to a {@link WebServer} on 127.0.0.1, trusting the test certificate. Cookies
 * are sent by hand (no cookie manager), so every test says exactly what a browser would send.
 */
final class ApiClient {
    static final Pattern COOKIE = Pattern.compile("__Host-parley=([A-Za-z0-9_-]{43});");
    private static final Pattern CSRF = Pattern.compile("\"csrfToken\":\"([A-Za-z0-9_-]{43})\"");

    private final HttpClient http = HttpClient.newBuilder().sslContext(TestCerts.get().trustingClient())
            .connectTimeout(Duration.ofSeconds(3)).build();
    private final WebServer web;

    ApiClient(WebServer web) {
        this.web = web;
    }

    /** This server's origin as a browser names it. */
    String origin() {
        return "https://127.0.0.1:" + web.httpsPort();
    }

    HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(URI.create(origin() + path)).timeout(Duration.ofSeconds(10));
    }

    /**
     * Sends {@code request} once. No retry: the server keeps a kept-alive connection usable after a refusal that did
     * not read the body ({@code KeptAliveRefusalIT}), so a failure here is a failure.
     */
    HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> login(String field, String login, String password) throws Exception {
        return send(request("/api/session").header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"" + field + "\":\"" + login + "\",\"password\":\""
                        + password + "\"}")));
    }

    /** A signed-in session: its cookie value and CSRF token. */
    record Signed(String cookie, String csrf) {
        String header() {
            return "__Host-parley=" + cookie;
        }
    }

    Signed signIn(String username, String password) throws Exception {
        HttpResponse<String> r = login("username", username, password);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return new Signed(cookieOf(r), csrfOf(r.body()));
    }

    static String cookieOf(HttpResponse<?> r) {
        String setCookie = r.headers().firstValue("Set-Cookie").orElseThrow();
        Matcher m = COOKIE.matcher(setCookie);
        assertThat(m.find()).as(setCookie).isTrue();
        return m.group(1);
    }

    static String csrfOf(String body) {
        Matcher m = CSRF.matcher(body);
        assertThat(m.find()).as(body).isTrue();
        return m.group(1);
    }

    static void assertSecurityHeaders(HttpResponse<?> r) {
        assertThat(r.headers().firstValue("Strict-Transport-Security")).hasValue(SecurityHeaders.HSTS);
        assertThat(r.headers().firstValue("Content-Security-Policy")).get().asString()
                .contains("frame-ancestors 'none'").contains("default-src 'self'");
        assertThat(r.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
        assertThat(r.headers().firstValue("Referrer-Policy")).hasValue("no-referrer");
        assertThat(r.headers().firstValue("X-Frame-Options")).hasValue("DENY");
        assertThat(r.headers().firstValue("Server")).isEmpty();
    }
}
