package dev.parley.server.it.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.pbx.account.PasswordHashing;
import dev.parley.pbx.directory.User;
import dev.parley.server.it.ParleyUnderTest;
import dev.parley.store.Store;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A user signed in to a running Parley over HTTPS (JDK HttpClient, cookie and CSRF token by hand). */
final class ApiUser {
    private static final Pattern COOKIE = Pattern.compile("__Host-parley=([A-Za-z0-9_-]{43});");
    private static final Pattern CSRF = Pattern.compile("\"csrfToken\":\"([A-Za-z0-9_-]{43})\"");

    private final ParleyUnderTest parley;
    private final HttpClient http;
    private final String cookie;
    private final String csrf;

    private ApiUser(ParleyUnderTest parley, HttpClient http, String cookie, String csrf) {
        this.parley = parley;
        this.http = http;
        this.cookie = cookie;
        this.csrf = csrf;
    }

    /** Gives the existing {@code username} a web password (in the database, as an admin would) and signs in. */
    static ApiUser signIn(ParleyUnderTest parley, String username) throws Exception {
        String password = username + "-web-password-2026";
        try (Store store = Store.open(parley.databaseUrl(), null, null)) {
            User u = store.users().findByName(username).orElseThrow();
            store.webPasswords().set(u.id(), PasswordHashing.argon2id(password.toCharArray()));
        }
        HttpClient http = HttpClient.newBuilder()
                .sslContext(WebLoginIT.trusting(parley.dir().resolve("data/tls/cert.pem")))
                .connectTimeout(Duration.ofSeconds(3)).build();
        HttpResponse<String> in = http.send(HttpRequest.newBuilder(URI.create(origin(parley) + "/api/session"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(
                        "{\"username\":\"" + username + "\",\"password\":\"" + password + "\"}")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(in.statusCode()).as(in.body()).isEqualTo(200);
        Matcher c = COOKIE.matcher(in.headers().firstValue("Set-Cookie").orElseThrow());
        Matcher t = CSRF.matcher(in.body());
        assertThat(c.find() && t.find()).isTrue();
        return new ApiUser(parley, http, c.group(1), t.group(1));
    }

    private static String origin(ParleyUnderTest parley) {
        return "https://127.0.0.1:" + parley.httpsPort();
    }

    HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(URI.create(origin(parley) + path)).timeout(Duration.ofSeconds(10))
                .header("Cookie", "__Host-parley=" + cookie).header("X-CSRF-Token", csrf)
                .header("Origin", origin(parley));
    }

    HttpResponse<String> get(String path) throws Exception {
        return http.send(request(path).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<byte[]> getBytes(String path) throws Exception {
        return http.send(request(path).GET().build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    HttpResponse<String> json(String method, String path, String body) throws Exception {
        return http.send(request(path).header("Content-Type", "application/json")
                .method(method, HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> bytes(String method, String path, String contentType, byte[] body) throws Exception {
        return http.send(request(path).header("Content-Type", contentType)
                .method(method, HttpRequest.BodyPublishers.ofByteArray(body)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** A streaming GET (server-sent events): the lines as they come. */
    HttpResponse<java.util.stream.Stream<String>> lines(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(origin(parley) + path))
                .header("Cookie", "__Host-parley=" + cookie).header("Accept", "text/event-stream").GET().build(),
                HttpResponse.BodyHandlers.ofLines());
    }

    HttpResponse<String> delete(String path) throws Exception {
        return http.send(request(path).DELETE().build(), HttpResponse.BodyHandlers.ofString());
    }
}
