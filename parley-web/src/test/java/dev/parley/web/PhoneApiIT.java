package dev.parley.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.parley.pbx.account.PasswordHashing;
import dev.parley.pbx.directory.Extension;
import dev.parley.pbx.directory.Role;
import dev.parley.pbx.directory.User;
import dev.parley.pbx.directory.UserId;
import dev.parley.pbx.directory.memory.InMemoryDeviceRepository;
import dev.parley.pbx.directory.memory.InMemoryExtensionRepository;
import dev.parley.pbx.directory.memory.InMemoryUserRepository;
import dev.parley.pbx.directory.memory.InMemoryWebPasswordRepository;
import dev.parley.pbx.webphone.WebPhones;
import dev.parley.sipstack.transport.TestCerts;
import dev.parley.web.api.PhoneApi;
import java.net.InetAddress;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@code POST /api/me/phone} over real HTTPS with the in-memory store: the credentials' shape, the same ones for the
 * same session, others for another session, none without an extension (409), none for an API token or without a
 * session, and gone when the session ends (sign-out, a password change ending the others). That the SIP side takes
 * them over WSS only and drops their bindings is {@code WebPhonesTest} (parley-pbx) and {@code WebPhoneIT}
 * (parley-server, a real server and real SIP).
 */
@Timeout(120)
class PhoneApiIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String PASSWORD = "correct horse battery staple 7";
    private WebServer web;
    private ApiClient api;
    private WebPhones phones;

    @BeforeEach
    void start() {
        InMemoryUserRepository users = new InMemoryUserRepository();
        InMemoryExtensionRepository extensions = new InMemoryExtensionRepository();
        InMemoryWebPasswordRepository passwords = new InMemoryWebPasswordRepository();
        for (String name : new String[] {"alice", "bob"}) {
            User u = new User(UserId.random(), name, name.equals("alice") ? "Alice" : "", Role.USER, null);
            users.save(u);
            passwords.set(u.id(), PasswordHashing.argon2id(PASSWORD.toCharArray()));
            if (name.equals("alice")) {
                extensions.save(new Extension("101", u.id()));
            }
        }
        phones = new WebPhones(users, extensions, new InMemoryDeviceRepository(), Clock.systemUTC(),
                new SecureRandom(), Duration.ofHours(12));
        web = new WebServer(WebConfig.of(InetAddress.getLoopbackAddress(), 0, TestCerts.get().keyManagers()), null,
                "pbx.example", WebAccounts.of(users, extensions, passwords)
                        .withModule(new PhoneApi(phones, "pbx.example")));
        web.start();
        api = new ApiClient(web);
    }

    /** The module over {@code users} with no extensions (every caller gets 409), for the role walk and OpenAPI. */
    static PhoneApi module(InMemoryUserRepository users) {
        InMemoryExtensionRepository none = new InMemoryExtensionRepository();
        return new PhoneApi(new WebPhones(users, none, new InMemoryDeviceRepository(), Clock.systemUTC(),
                new SecureRandom(), WebPhones.DEFAULT_LIFETIME), "127.0.0.1");
    }

    @AfterEach
    void stop() {
        if (web != null) {
            web.close();
        }
    }

    private HttpResponse<String> phone(ApiClient.Signed s) throws Exception {
        return api.send(api.request("/api/me/phone").header("Cookie", s.header()).header("X-CSRF-Token", s.csrf())
                .header("Origin", api.origin()).POST(HttpRequest.BodyPublishers.noBody()));
    }

    @Test
    void credentialsForTheSessionTheSameOnesAgainAndOthersForAnotherSession() throws Exception {
        ApiClient.Signed s = api.signIn("alice", PASSWORD);
        HttpResponse<String> r = phone(s);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        ApiClient.assertSecurityHeaders(r);
        assertThat(r.headers().firstValue("Cache-Control")).hasValue("no-store");
        JsonNode c = JSON.readTree(r.body());
        assertThat(c.path("uri").asText()).isEqualTo("sip:101@pbx.example");
        assertThat(c.path("authorizationUser").asText()).matches("web-[A-Za-z0-9_-]{22}");
        assertThat(c.path("password").asText()).matches("[A-Za-z0-9_-]{24}"); // 144 bits
        assertThat(c.path("displayName").asText()).isEqualTo("Alice");
        assertThat(c.path("wsUri").asText()).isEqualTo("wss://127.0.0.1:" + web.httpsPort() + "/ws");
        assertThat(Instant.parse(c.path("expiresAt").asText())).isAfter(Instant.now().plus(Duration.ofHours(11)));
        assertThat(c.path("iceServers").isArray()).isTrue();

        assertThat(JSON.readTree(phone(s).body())).isEqualTo(c);
        JsonNode other = JSON.readTree(phone(api.signIn("alice", PASSWORD)).body());
        assertThat(other.path("authorizationUser").asText()).isNotEqualTo(c.path("authorizationUser").asText());
        assertThat(other.path("password").asText()).isNotEqualTo(c.path("password").asText());
        assertThat(phones.size()).isEqualTo(2);
    }

    @Test
    void signOutAndAPasswordChangeEndTheCredentialsOfTheSessionsTheyEnd() throws Exception {
        ApiClient.Signed first = api.signIn("alice", PASSWORD);
        ApiClient.Signed second = api.signIn("alice", PASSWORD);
        ApiClient.Signed third = api.signIn("alice", PASSWORD);
        String user = JSON.readTree(phone(first).body()).path("authorizationUser").asText();
        phone(second);
        phone(third);
        assertThat(phones.devices().findBySipUsername(user)).isPresent();

        HttpResponse<String> out = api.send(api.request("/api/session").header("Cookie", first.header())
                .header("X-CSRF-Token", first.csrf()).header("Origin", api.origin()).DELETE());
        assertThat(out.statusCode()).isEqualTo(204);
        assertThat(phones.devices().findBySipUsername(user)).isEmpty();
        assertThat(phones.size()).isEqualTo(2);

        HttpResponse<String> changed = api.send(api.request("/api/me/password").header("Cookie", third.header())
                .header("X-CSRF-Token", third.csrf()).header("Origin", api.origin())
                .header("Content-Type", "application/json").PUT(HttpRequest.BodyPublishers.ofString(
                        "{\"currentPassword\":\"" + PASSWORD + "\",\"newPassword\":\"" + PASSWORD + " new\"}")));
        assertThat(changed.statusCode()).as(changed.body()).isEqualTo(204);
        assertThat(phones.size()).as("only the session that changed the password keeps its phone").isEqualTo(1);
        assertThat(phone(third).statusCode()).isEqualTo(200);
        assertThat(phones.size()).isEqualTo(1);
    }

    @Test
    void noExtensionIs409AndNoSessionOrAForeignOriginGetsNothing() throws Exception {
        HttpResponse<String> bob = phone(api.signIn("bob", PASSWORD));
        assertThat(bob.statusCode()).isEqualTo(409);
        assertThat(bob.body()).contains("extension").doesNotContain("password");
        ApiClient.assertSecurityHeaders(bob);

        HttpResponse<String> none = api.send(api.request("/api/me/phone").header("Origin", api.origin())
                .POST(HttpRequest.BodyPublishers.noBody()));
        assertThat(none.statusCode()).isEqualTo(401);
        ApiClient.Signed s = api.signIn("alice", PASSWORD);
        HttpResponse<String> foreign = api.send(api.request("/api/me/phone").header("Cookie", s.header())
                .header("X-CSRF-Token", s.csrf()).header("Origin", "https://evil.example")
                .POST(HttpRequest.BodyPublishers.noBody()));
        assertThat(foreign.statusCode()).isEqualTo(403);
        HttpResponse<String> noCsrf = api.send(api.request("/api/me/phone").header("Cookie", s.header())
                .header("Origin", api.origin()).POST(HttpRequest.BodyPublishers.noBody()));
        assertThat(noCsrf.statusCode()).isEqualTo(403);
        assertThat(phones.size()).isZero();
    }

    @Test
    void anApiTokenCannotMintSipCredentials() throws Exception {
        ApiClient.Signed s = api.signIn("alice", PASSWORD);
        String token = ApiTokenIT.tokenOf(ApiTokenIT.createToken(api, s, "{\"name\":\"script\"}"));
        HttpResponse<String> r = api.send(api.request("/api/me/phone").header("Authorization", "Bearer " + token)
                .POST(HttpRequest.BodyPublishers.noBody()));
        assertThat(r.statusCode()).isEqualTo(403);
        assertThat(phones.size()).isZero();
    }
}
