package dev.parley.server.it.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import dev.parley.pbx.account.AccountFlows;
import dev.parley.pbx.account.PasswordHashing;
import dev.parley.pbx.account.Totp;
import dev.parley.pbx.cdr.CallRecord;
import dev.parley.pbx.directory.Extension;
import dev.parley.pbx.directory.Role;
import dev.parley.pbx.directory.User;
import dev.parley.pbx.directory.UserId;
import dev.parley.server.it.LogCapture;
import dev.parley.server.it.ParleyUnderTest;
import dev.parley.server.it.TestDatabase;
import dev.parley.store.Store;
import jakarta.mail.Message;
import jakarta.mail.internet.MimeMessage;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.AfterParameterizedClassInvocation;
import org.junit.jupiter.params.BeforeParameterizedClassInvocation;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The account flows and TOTP through the whole server over HTTPS (JDK {@link HttpClient}), on SQLite and on
 * PostgreSQL, with a real SMTP server (GreenMail on an ephemeral port of 127.0.0.1, {@code mail.security none})
 * receiving what Parley mails: sign-up → mail → confirm → sign-in; password reset; email change; closing an
 * account; TOTP enrollment, sign-in with codes computed here from the secret, replay, recovery codes; and
 * {@code web.require-totp-for-admins}.
 */
@ParameterizedClass(name = "on {0}")
@EnumSource(TestDatabase.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Timeout(180)
class AccountFlowsIT {
    private static final Pattern ONE_TIME = Pattern.compile("password {3}(\\S+)");
    private static final Pattern COOKIE = Pattern.compile("__Host-parley=([A-Za-z0-9_-]{43});");
    private static final Pattern CSRF = Pattern.compile("\"csrfToken\":\"([A-Za-z0-9_-]{43})\"");
    private static final Pattern SECRET = Pattern.compile("\"secret\":\"([A-Z2-7]{32})\"");
    private static final Pattern RECOVERY = Pattern.compile("\"([A-Z2-7]{4}-[A-Z2-7]{4}-[A-Z2-7]{4}-[A-Z2-7]{4})\"");
    private static final String STRONG = "lantern-harbour-quiet-7";

    @Parameter
    TestDatabase database;
    @TempDir
    static Path tmp;
    static ParleyUnderTest parley;
    static GreenMail smtp;
    static HttpClient http;
    static String adminPassword;
    static Path dir;
    static Map<String, String> settings;

    @BeforeParameterizedClassInvocation
    static void start(TestDatabase database) throws Exception {
        smtp = new GreenMail(new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_SMTP).dynamicPort());
        smtp.start();
        dir = Files.createDirectories(tmp.resolve(database.name().toLowerCase(Locale.ROOT)));
        settings = database.settings(Map.of("PARLEY_MAIL_SMTP_HOST", "127.0.0.1",
                "PARLEY_MAIL_SMTP_PORT", Integer.toString(smtp.getSmtp().getPort()),
                "PARLEY_MAIL_SECURITY", "none", "PARLEY_MAIL_FROM", "pbx@parley.test"));
        parley = ParleyUnderTest.start(dir, settings);
        Matcher m = ONE_TIME.matcher(parley.console());
        assertThat(m.find()).as("the first-start banner").isTrue();
        adminPassword = m.group(1);
        http = HttpClient.newBuilder().sslContext(WebLoginIT.trusting(dir.resolve("data/tls/cert.pem")))
                .connectTimeout(Duration.ofSeconds(3)).build();
    }

    @AfterParameterizedClassInvocation
    static void stop() {
        if (parley != null) {
            parley.close();
            parley = null;
        }
        if (smtp != null) {
            smtp.stop();
            smtp = null;
        }
    }

    // --- HTTP helpers --------------------------------------------------------------------------------------

    private record Signed(String cookie, String csrf) {
    }

    private static String origin() {
        return "https://127.0.0.1:" + parley.httpsPort();
    }

    private static HttpResponse<String> call(String method, String path, String json, Signed s) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(origin() + path)).timeout(Duration.ofSeconds(15))
                .header("Origin", origin());
        if (s != null) {
            b.header("Cookie", "__Host-parley=" + s.cookie()).header("X-CSRF-Token", s.csrf());
        }
        if (json != null) {
            b.header("Content-Type", "application/json");
        }
        b.method(method, json == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(json));
        HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.headers().firstValue("Strict-Transport-Security")).as("security headers on " + path)
                .isPresent();
        assertThat(r.headers().firstValue("X-Content-Type-Options")).contains("nosniff");
        return r;
    }

    private static HttpResponse<String> signInRaw(String login, String password, String code) throws Exception {
        String field = login.contains("@") ? "email" : "username";
        return call("POST", "/api/session", "{\"" + field + "\":\"" + login + "\",\"password\":\"" + password + "\""
                + (code == null ? "" : ",\"code\":\"" + code + "\"") + "}", null);
    }

    private static Signed signIn(String login, String password) throws Exception {
        HttpResponse<String> in = signInRaw(login, password, null);
        assertThat(in.statusCode()).as(in.body()).isEqualTo(200);
        return signed(in);
    }

    private static Signed signed(HttpResponse<String> in) {
        Matcher c = COOKIE.matcher(in.headers().firstValue("Set-Cookie").orElseThrow());
        Matcher t = CSRF.matcher(in.body());
        assertThat(c.find() && t.find()).as(in.body()).isTrue();
        return new Signed(c.group(1), t.group(1));
    }

    private static Store store() {
        return Store.open(parley.databaseUrl(), null, null);
    }

    /** Makes a user with a web password and an email address straight in the database. */
    private static User user(String name) {
        try (Store store = store()) {
            User u = new User(new UserId(UUID.randomUUID().toString()), name, name, Role.USER, name + "@example.org");
            store.users().save(u);
            store.webPasswords().set(u.id(), PasswordHashing.argon2id(STRONG.toCharArray()));
            return u;
        }
    }

    // --- mail helpers --------------------------------------------------------------------------------------

    private static List<MimeMessage> mailTo(String address) throws Exception {
        List<MimeMessage> out = new ArrayList<>();
        for (MimeMessage m : smtp.getReceivedMessages()) {
            for (var a : m.getRecipients(Message.RecipientType.TO)) {
                if (a.toString().equalsIgnoreCase(address)) {
                    out.add(m);
                }
            }
        }
        return out;
    }

    /** Waits for the {@code n}th mail to {@code address} and gives its text. */
    private static String awaitMail(String address, int n) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        while (System.nanoTime() < deadline) {
            List<MimeMessage> mine = mailTo(address);
            if (mine.size() >= n) {
                MimeMessage m = mine.get(n - 1);
                assertThat(m.getFrom()[0].toString()).isEqualTo("pbx@parley.test");
                return m.getContent().toString();
            }
            Thread.sleep(50);
        }
        throw new AssertionError("no mail number " + n + " to " + address + " within 15 s");
    }

    /** What was logged, but GreenMail's own lines (the test's SMTP server logs every line it receives at DEBUG). */
    private static String parleysLines(LogCapture log) {
        return log.text().lines().filter(l -> !l.matches("^[A-Z]+ com\\.icegreen\\..*"))
                .collect(java.util.stream.Collectors.joining("\n"));
    }

    /** The token of the link {@code https://127.0.0.1:<port>/#<action>=<token>} in a mail. */
    private static String token(String mail, String action) {
        Matcher m = Pattern.compile(Pattern.quote(origin() + "/#" + action + "=") + "([A-Za-z0-9_-]{43})")
                .matcher(mail);
        assertThat(m.find()).as(mail).isTrue();
        return m.group(1);
    }

    // --- tests ---------------------------------------------------------------------------------------------

    @Test
    @Order(1)
    void signUpMailsALinkAndTheAccountWorksOnlyOnceItIsConfirmed() throws Exception {
        try (LogCapture log = LogCapture.trace()) {
            signUpFlow(log);
        }
    }

    private void signUpFlow(LogCapture log) throws Exception {
        String signup = "{\"username\":\"erin\",\"email\":\"Erin@Example.org\",\"password\":\"" + STRONG
                + "\",\"displayName\":\"Erin E\"}";
        HttpResponse<String> off = call("POST", "/api/signup", signup, null);
        assertThat(off.statusCode()).as("sign-up is off by default: " + off.body()).isEqualTo(403);

        Signed admin = signIn("admin", adminPassword);
        assertThat(call("GET", "/api/settings/signup", null, admin).body()).isEqualTo("{\"enabled\":false}");
        HttpResponse<String> on = call("PUT", "/api/settings/signup", "{\"enabled\":true}", admin);
        assertThat(on.statusCode()).as(on.body()).isEqualTo(200);
        assertThat(on.body()).isEqualTo("{\"enabled\":true}");
        assertThat(call("PUT", "/api/settings/signup", "{\"enabled\":\"yes\"}", admin).body())
                .contains("\"field\":\"enabled\"");

        HttpResponse<String> fresh = call("POST", "/api/signup", signup, null);
        HttpResponse<String> takenName = call("POST", "/api/signup", "{\"username\":\"admin\",\"email\":"
                + "\"someone@example.org\",\"password\":\"" + STRONG + "\"}", null);
        assertThat(fresh.statusCode()).isEqualTo(202);
        assertThat(takenName.statusCode()).isEqualTo(202);
        assertThat(takenName.body()).as("same answer for a taken name").isEqualTo(fresh.body());
        HttpResponse<String> weak = call("POST", "/api/signup", "{\"username\":\"zed\",\"email\":\"z@example.org\","
                + "\"password\":\"password\"}", null);
        assertThat(weak.statusCode()).isEqualTo(400);
        assertThat(weak.body()).contains("\"field\":\"password\"").doesNotContain("\"password\"}");

        HttpResponse<String> early = signInRaw("erin", STRONG, null);
        HttpResponse<String> wrong = signInRaw("admin", "not-the-password-at-all", null);
        assertThat(early.statusCode()).isEqualTo(401);
        assertThat(early.body()).as("unconfirmed = wrong password").isEqualTo(wrong.body());

        String mail = awaitMail("erin@example.org", 1);
        String token = token(mail, "confirm");
        assertThat(call("POST", "/api/signup/confirm", "{\"token\":\"" + "A".repeat(43) + "\"}", null).body())
                .contains("\"field\":\"token\"");
        HttpResponse<String> confirmed = call("POST", "/api/signup/confirm", "{\"token\":\"" + token + "\"}", null);
        assertThat(confirmed.statusCode()).as(confirmed.body()).isEqualTo(204);
        assertThat(call("POST", "/api/signup/confirm", "{\"token\":\"" + token + "\"}", null).statusCode())
                .as("a link works once").isEqualTo(400);

        HttpResponse<String> in = signInRaw("erin", STRONG, null);
        assertThat(in.statusCode()).as(in.body()).isEqualTo(200);
        assertThat(in.body()).contains("\"username\":\"erin\"", "\"role\":\"user\"", "\"email\":\"erin@example.org\"",
                "\"displayName\":\"Erin E\"", "\"extensions\":[]");
        assertThat(mailTo("someone@example.org")).as("nothing for the taken name").isEmpty();
        try (Store store = store()) {
            assertThat(store.accountFlows().find(AccountFlows.hash(token), Instant.now())).isEmpty();
            String rows = store.users().findByName("erin").orElseThrow().toString();
            assertThat(rows).doesNotContain(token);
        }
        assertThat(log.events()).isPositive();
        assertThat(parleysLines(log)).as("the whole JVM at TRACE").doesNotContain(token).doesNotContain(STRONG);
    }

    @Test
    @Order(2)
    void passwordResetSetsANewPasswordAndEndsTheOldSessions() throws Exception {
        user("frank");
        Signed before = signIn("frank", STRONG);
        HttpResponse<String> known = call("POST", "/api/password-reset", "{\"email\":\"frank@example.org\"}", null);
        HttpResponse<String> unknown = call("POST", "/api/password-reset", "{\"email\":\"nobody@example.org\"}",
                null);
        assertThat(known.statusCode()).isEqualTo(202);
        assertThat(unknown.statusCode()).isEqualTo(202);
        assertThat(unknown.body()).isEqualTo(known.body());
        String token = token(awaitMail("frank@example.org", 1), "reset");

        HttpResponse<String> weak = call("POST", "/api/password-reset/confirm", "{\"token\":\"" + token
                + "\",\"password\":\"short\"}", null);
        assertThat(weak.statusCode()).isEqualTo(400);
        assertThat(weak.body()).contains("\"field\":\"password\"");
        String next = "granite-sparrow-tunnel-4";
        HttpResponse<String> done = call("POST", "/api/password-reset/confirm", "{\"token\":\"" + token
                + "\",\"password\":\"" + next + "\"}", null);
        assertThat(done.statusCode()).as(done.body()).isEqualTo(204);

        assertThat(call("GET", "/api/me", null, before).statusCode()).as("the old session is gone").isEqualTo(401);
        assertThat(signInRaw("frank", STRONG, null).statusCode()).as("old password").isEqualTo(401);
        assertThat(signInRaw("frank", next, null).statusCode()).as("new password").isEqualTo(200);
        assertThat(mailTo("nobody@example.org")).isEmpty();
    }

    @Test
    @Order(3)
    void changingTheEmailAddressIsConfirmedFromTheNewAddress() throws Exception {
        user("grace");
        Signed s = signIn("grace", STRONG);
        HttpResponse<String> wrong = call("PUT", "/api/me/email", "{\"email\":\"grace.new@example.org\","
                + "\"password\":\"not-her-password-x\"}", s);
        assertThat(wrong.statusCode()).isEqualTo(400);
        assertThat(wrong.body()).contains("\"field\":\"password\"");
        HttpResponse<String> asked = call("PUT", "/api/me/email", "{\"email\":\"Grace.New@example.org\","
                + "\"password\":\"" + STRONG + "\"}", s);
        assertThat(asked.statusCode()).as(asked.body()).isEqualTo(202);
        assertThat(call("GET", "/api/me", null, s).body()).contains("\"email\":\"grace@example.org\"");
        String token = token(awaitMail("grace.new@example.org", 1), "email");
        assertThat(mailTo("grace@example.org")).as("the link goes to the new address only").isEmpty();
        HttpResponse<String> confirmed = call("POST", "/api/me/email/confirm", "{\"token\":\"" + token + "\"}", s);
        assertThat(confirmed.statusCode()).as(confirmed.body()).isEqualTo(204);
        assertThat(call("GET", "/api/me", null, s).body()).contains("\"email\":\"grace.new@example.org\"");
        assertThat(signInRaw("grace.new@example.org", STRONG, null).statusCode()).isEqualTo(200);
    }

    @Test
    @Order(4)
    void closingAnAccountRemovesItAndKeepsItsCallRecordsAnonymous() throws Exception {
        User henry = user("henry");
        try (Store store = store()) {
            store.extensions().save(new Extension("150", henry.id()));
            store.callRecords().save(new CallRecord(UUID.randomUUID().toString(), "call-henry", "150", "100", null,
                    Instant.now().minusSeconds(60), null, Instant.now().minusSeconds(50), 480, "unavailable"));
        }
        Signed s = signIn("henry", STRONG);
        HttpResponse<String> wrong = call("DELETE", "/api/me", "{\"password\":\"not-his-password-x\"}", s);
        assertThat(wrong.statusCode()).isEqualTo(400);
        HttpResponse<String> closed = call("DELETE", "/api/me", "{\"password\":\"" + STRONG + "\"}", s);
        assertThat(closed.statusCode()).as(closed.body()).isEqualTo(204);
        assertThat(closed.headers().firstValue("Set-Cookie").orElseThrow()).contains("Max-Age=0");
        assertThat(call("GET", "/api/me", null, s).statusCode()).isEqualTo(401);
        assertThat(signInRaw("henry", STRONG, null).statusCode()).isEqualTo(401);
        try (Store store = store()) {
            assertThat(store.users().findByName("henry")).isEmpty();
            assertThat(store.extensions().find("150")).isEmpty();
            List<CallRecord> kept = store.callRecords().recent(100).stream()
                    .filter(c -> c.callId().equals("call-henry")).toList();
            assertThat(kept).singleElement().satisfies(c -> {
                assertThat(c.caller()).isEqualTo(AccountFlows.CLOSED_ACCOUNT);
                assertThat(c.callee()).isEqualTo("100");
            });
        }
    }

    @Test
    @Order(5)
    void totpSignInNeedsAFreshCodeAndRecoveryCodesWorkOnce() throws Exception {
        try (LogCapture log = LogCapture.trace()) {
            totpFlow(log);
        }
    }

    private void totpFlow(LogCapture log) throws Exception {
        user("ivan");
        Signed s = signIn("ivan", STRONG);
        HttpResponse<String> begun = call("POST", "/api/me/totp", null, s);
        assertThat(begun.statusCode()).as(begun.body()).isEqualTo(200);
        Matcher sm = SECRET.matcher(begun.body());
        assertThat(sm.find()).isTrue();
        byte[] key = Totp.fromBase32(sm.group(1));
        assertThat(begun.body()).contains("otpauth://totp/Parley:ivan?secret=" + sm.group(1));
        long step = Totp.step(Instant.now());
        assertThat(call("POST", "/api/me/totp/confirm", "{\"code\":\"" + Totp.code(key, step - 5) + "\"}", s).body())
                .contains("\"field\":\"code\"");
        HttpResponse<String> on = call("POST", "/api/me/totp/confirm", "{\"code\":\"" + Totp.code(key, step) + "\"}",
                s);
        assertThat(on.statusCode()).as(on.body()).isEqualTo(200);
        List<String> recovery = new ArrayList<>();
        for (Matcher rm = RECOVERY.matcher(on.body()); rm.find(); ) {
            recovery.add(rm.group(1));
        }
        assertThat(recovery).hasSize(10).doesNotHaveDuplicates();
        try (var c = java.sql.DriverManager.getConnection(parley.databaseUrl());
                var rs = c.createStatement().executeQuery("SELECT secret_ciphertext FROM totp")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getString(1)).isNotEmpty().doesNotContain(sm.group(1));
        }

        HttpResponse<String> noCode = signInRaw("ivan", STRONG, null);
        assertThat(noCode.statusCode()).isEqualTo(401);
        assertThat(noCode.body()).isEqualTo("{\"error\":\"second factor required\",\"secondFactor\":\"totp\"}");
        assertThat(noCode.headers().firstValue("Set-Cookie")).isEmpty();
        HttpResponse<String> wrongPassword = signInRaw("ivan", "not-the-password-x", Totp.code(key, step + 1));
        assertThat(wrongPassword.statusCode()).isEqualTo(401);
        assertThat(wrongPassword.body()).doesNotContain("secondFactor");

        // the confirming code (step) is used; the next step's code is within the ±1 window
        String used = Totp.code(key, step);
        String next = Totp.code(key, Totp.step(Instant.now()) + 1);
        assertThat(signInRaw("ivan", STRONG, used).statusCode()).as("the enrollment code again").isEqualTo(401);
        HttpResponse<String> withCode = signInRaw("ivan", STRONG, next);
        assertThat(withCode.statusCode()).as(withCode.body()).isEqualTo(200);
        HttpResponse<String> replay = signInRaw("ivan", STRONG, next);
        assertThat(replay.statusCode()).as("replayed code").isEqualTo(401);
        assertThat(replay.body()).contains("secondFactor");

        assertThat(signInRaw("ivan", STRONG, recovery.get(0)).statusCode()).as("recovery code").isEqualTo(200);
        assertThat(signInRaw("ivan", STRONG, recovery.get(0)).statusCode()).as("recovery code again")
                .isEqualTo(401);
        Signed later = signed(signInRaw("ivan", STRONG, recovery.get(1).toLowerCase(Locale.ROOT)));
        assertThat(call("DELETE", "/api/me/totp", "{\"code\":\"123\"}", later).statusCode()).isEqualTo(400);
        assertThat(call("DELETE", "/api/me/totp", "{\"code\":\"" + recovery.get(2) + "\"}", later).statusCode())
                .isEqualTo(204);
        assertThat(signInRaw("ivan", STRONG, null).statusCode()).as("TOTP off again").isEqualTo(200);
        // wrong codes count like wrong passwords (5 per account): 2 so far, 3 more, then 429
        for (int i = 0; i < 3; i++) {
            assertThat(call("DELETE", "/api/me/totp", "{\"code\":\"000000\"}", later).statusCode()).isEqualTo(400);
        }
        HttpResponse<String> tooMany = call("DELETE", "/api/me/totp", "{\"code\":\"000000\"}", later);
        assertThat(tooMany.statusCode()).as(tooMany.body()).isEqualTo(429);
        assertThat(tooMany.headers().firstValue("Retry-After")).isPresent();
        String logged = parleysLines(log);
        assertThat(logged).as("the whole JVM at TRACE").doesNotContain(sm.group(1)).doesNotContain(STRONG)
                .doesNotContain(next);
        recovery.forEach(r -> assertThat(logged).doesNotContain(r));
    }

    @Test
    @Order(6)
    void adminsMustEnrollWhenTheSettingSaysSo() throws Exception {
        parley.close();
        Map<String, String> more = new HashMap<>(settings);
        more.put("PARLEY_WEB_REQUIRE_TOTP_FOR_ADMINS", "true");
        parley = ParleyUnderTest.start(dir, more);
        Signed admin = signIn("admin", adminPassword);
        HttpResponse<String> users = call("GET", "/api/users", null, admin);
        assertThat(users.statusCode()).isEqualTo(403);
        assertThat(users.body()).isEqualTo("{\"error\":\"enroll a second factor\"}");
        assertThat(call("GET", "/api/settings/signup", null, admin).statusCode()).isEqualTo(403);
        assertThat(call("GET", "/api/me", null, admin).statusCode()).isEqualTo(200);
        HttpResponse<String> begun = call("POST", "/api/me/totp", null, admin);
        assertThat(begun.statusCode()).as(begun.body()).isEqualTo(200);
        Matcher sm = SECRET.matcher(begun.body());
        assertThat(sm.find()).isTrue();
        byte[] key = Totp.fromBase32(sm.group(1));
        assertThat(call("POST", "/api/me/totp/confirm", "{\"code\":\"" + Totp.code(key, Totp.step(Instant.now()))
                + "\"}", admin).statusCode()).isEqualTo(200);
        assertThat(call("GET", "/api/users", null, admin).statusCode()).as("enrolled").isEqualTo(200);
        Signed erin = signIn("erin", STRONG);
        assertThat(call("GET", "/api/me/tokens", null, erin).statusCode()).as("users are not held to it")
                .isEqualTo(200);
        assertThat(call("DELETE", "/api/session", null, admin).statusCode()).isEqualTo(204);
    }

    @Test
    @Order(7)
    void withoutAnSmtpServerTheLinkIsLoggedAndThePublicRoutesAreThrottledPerSource() throws Exception {
        parley.close();
        Map<String, String> noMail = new HashMap<>(settings);
        noMail.remove("PARLEY_MAIL_SMTP_HOST");
        noMail.remove("PARLEY_MAIL_SMTP_PORT");
        parley = ParleyUnderTest.start(dir, noMail);
        int mails = smtp.getReceivedMessages().length;
        try (LogCapture log = LogCapture.trace()) {
            assertThat(call("POST", "/api/password-reset", "{\"email\":\"grace.new@example.org\"}", null)
                    .statusCode()).isEqualTo(202);
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (!log.text().contains(origin() + "/#reset=") && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            assertThat(log.text()).contains("INFO dev.parley.server.mail.LogMailer", "grace.new@example.org",
                    origin() + "/#reset=");
        }
        assertThat(smtp.getReceivedMessages()).hasSize(mails);
        // 20 requests per source in 15 minutes (LoginThrottle's per-source limit): the first was above
        for (int i = 2; i <= 20; i++) {
            assertThat(call("POST", "/api/password-reset", "{\"email\":\"x" + i + "@example.org\"}", null)
                    .statusCode()).as("request " + i).isEqualTo(202);
        }
        HttpResponse<String> throttled = call("POST", "/api/password-reset", "{\"email\":\"x@example.org\"}", null);
        assertThat(throttled.statusCode()).isEqualTo(429);
        assertThat(throttled.headers().firstValue("Retry-After")).isPresent();
        assertThat(call("POST", "/api/signup/confirm", "{\"token\":\"" + "B".repeat(43) + "\"}", null).statusCode())
                .isEqualTo(429);
        assertThat(signInRaw("grace.new@example.org", STRONG, null).statusCode())
                .as("sign-ins keep their own budget").isEqualTo(200);
    }
}
