package dev.parley.server.it.baresip;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.parley.pbx.account.PasswordHashing;
import dev.parley.server.it.ParleyUnderTest;
import dev.parley.server.it.TestDatabase;
import dev.parley.sipstack.flow.Transport;
import dev.parley.store.Store;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.AfterTestExecutionCallback;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The padlock over the API: two baresip phones over TLS with SDES-SRTP ({@code srtp-mand}, policy {@code required})
 * call each other; while they talk, the callee's {@code GET /api/me/calls/live} shows the call {@code encrypted}
 * with both legs {@code tls} / {@code srtp-sdes}; afterwards it is in the callee's history. On SQLite and PostgreSQL.
 */
@ParameterizedClass(name = "on {0}")
@EnumSource(TestDatabase.class)
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class SecureCallApiIT {
    private static final Duration SIGNALLING = Duration.ofSeconds(10);
    private static final Pattern COOKIE = Pattern.compile("__Host-parley=([A-Za-z0-9_-]{43});");
    private static final ObjectMapper JSON = new ObjectMapper();

    @Parameter
    TestDatabase database;
    @TempDir
    Path dir;

    private ParleyUnderTest parley;
    private final List<Baresip> phones = new ArrayList<>();

    @RegisterExtension
    final AfterTestExecutionCallback logsOnFailure = context -> context.getExecutionException().ifPresent(e -> {
        for (Baresip phone : phones) {
            System.out.println("==== baresip " + phone.name() + " ====\n" + phone.log());
        }
    });

    @AfterEach
    void stop() {
        phones.forEach(Baresip::close);
        if (parley != null) {
            parley.close();
        }
    }

    @Test
    void anSrtpCallOverTlsIsShownEncryptedLegByLeg() throws Exception {
        parley = ParleyUnderTest.start(Files.createDirectories(dir.resolve("parley")),
                database.settings(Map.of("PARLEY_PBX_DIGEST_ALGORITHMS", "MD5")));
        parley.addPhone("alice", "101", "alice-desk", "alice-secret-1234");
        parley.addPhone("bob", "102", "bob-desk", "bob-secret-1234");
        for (String device : List.of("alice-desk", "bob-desk")) {
            assertThat(parley.cli("device", "set", device, "--media-policy", "required")).as(parley.cliOutput())
                    .isZero();
        }
        try (Store store = Store.open(parley.databaseUrl(), null, null)) {
            store.webPasswords().set(store.users().findByName("bob").orElseThrow().id(),
                    PasswordHashing.argon2id("bob-long-password".toCharArray()));
        }
        HttpClient http = HttpClient.newBuilder().sslContext(trusting(dir.resolve("parley/data/tls/cert.pem")))
                .connectTimeout(Duration.ofSeconds(3)).build();
        String origin = "https://127.0.0.1:" + parley.httpsPort();
        HttpResponse<String> in = http.send(HttpRequest.newBuilder(URI.create(origin + "/api/session"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(
                        "{\"username\":\"bob\",\"password\":\"bob-long-password\"}")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(in.statusCode()).as(in.body()).isEqualTo(200);
        Matcher cookie = COOKIE.matcher(in.headers().firstValue("Set-Cookie").orElseThrow());
        assertThat(cookie.find()).isTrue();
        HttpRequest live = HttpRequest.newBuilder(URI.create(origin + "/api/me/calls/live"))
                .header("Cookie", "__Host-parley=" + cookie.group(1)).build();

        int tls = parley.port(Transport.TLS);
        Path tone = dir.resolve("tone-440.wav");
        Baresip alice = phone("alice", "<sip:alice-desk@127.0.0.1:" + tls + ";transport=tls>"
                + ";auth_pass=alice-secret-1234;regint=60;audio_codecs=PCMU;mediaenc=srtp-mand", tone);
        Baresip bob = phone("bob", "<sip:bob-desk@127.0.0.1:" + tls + ";transport=tls>"
                + ";auth_pass=bob-secret-1234;regint=60;audio_codecs=PCMU;answermode=auto;mediaenc=srtp-mand",
                tone);
        alice.awaitRegisteredOverTls("alice-desk", SIGNALLING);
        bob.awaitRegisteredOverTls("bob-desk", SIGNALLING);
        alice.command("dial", "sip:102@127.0.0.1:" + tls);
        alice.awaitCallEvent("CALL_ESTABLISHED", SIGNALLING);
        bob.awaitCallEvent("CALL_ESTABLISHED", SIGNALLING);
        JsonNode call = await().atMost(SIGNALLING).until(() -> JSON.readTree(
                        http.send(live, HttpResponse.BodyHandlers.ofString()).body()).get("calls"),
                c -> c.size() == 1 && c.get(0).get("state").asText().equals("answered")).get(0);
        alice.command("hangup", "");
        alice.awaitCallEvent("CALL_CLOSED", SIGNALLING);

        assertThat(call.get("encrypted").asBoolean()).as(call.toString()).isTrue();
        assertThat(call.get("legs").get(0).toString()).isEqualTo("{\"party\":\"caller\",\"endpoint\":"
                + "\"alice-desk\",\"browserPhone\":false,\"user\":\"alice\",\"extension\":\"101\","
                + "\"transport\":\"tls\",\"media\":\"srtp-sdes\",\"encrypted\":true}");
        assertThat(call.get("legs").get(1).toString()).isEqualTo("{\"party\":\"callee\",\"endpoint\":"
                + "\"bob-desk\",\"browserPhone\":false,\"user\":\"bob\",\"extension\":\"102\","
                + "\"transport\":\"tls\",\"media\":\"srtp-sdes\",\"encrypted\":true}");
        JsonNode history = await().atMost(SIGNALLING).until(() -> JSON.readTree(http.send(HttpRequest.newBuilder(
                        URI.create(origin + "/api/me/calls")).header("Cookie", "__Host-parley=" + cookie.group(1))
                        .build(), HttpResponse.BodyHandlers.ofString()).body()).get("calls"), c -> c.size() == 1);
        assertThat(history.get(0).get("id").asText()).isEqualTo(call.get("id").asText());
        assertThat(history.get(0).get("direction").asText()).isEqualTo("incoming");
        assertThat(history.get(0).get("outcome").asText()).isEqualTo("answered");
    }

    private Baresip phone(String name, String account, Path microphone) throws Exception {
        if (!Files.exists(microphone)) {
            Process sox = new ProcessBuilder("sox", "-n", "-r", "8000", "-c", "1", "-b", "16", microphone.toString(),
                    "synth", "30", "sine", "440", "vol", "0.1").redirectErrorStream(true).start();
            sox.getInputStream().readAllBytes();
            assertThat(sox.waitFor(30, TimeUnit.SECONDS) && sox.exitValue() == 0).as("sox").isTrue();
        }
        Baresip phone = Baresip.start(name, dir.resolve(name), account, microphone);
        phones.add(phone);
        return phone;
    }

    private static SSLContext trusting(Path pem) throws Exception {
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        try (InputStream in = Files.newInputStream(pem)) {
            trust.setCertificateEntry("parley", CertificateFactory.getInstance("X.509").generateCertificate(in));
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(null, tmf.getTrustManagers(), null);
        return ctx;
    }
}
