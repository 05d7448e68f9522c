package dev.parley.server.it.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.server.it.ParleyUnderTest;
import dev.parley.server.it.TestDatabase;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.AfterParameterizedClassInvocation;
import org.junit.jupiter.params.BeforeParameterizedClassInvocation;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Contacts and their pictures through the whole server over HTTPS, on SQLite and PostgreSQL: create, list, change,
 * delete; a picture's bytes come back exactly with its type, {@code Cache-Control: private} and {@code nosniff};
 * 300 KiB is 413; a GIF, an HTML page (even declared image/png) and a PNG declared as JPEG are 400; another user
 * can neither read nor replace the picture; bad fields are 400 naming the field. Settings: defaults, a round trip,
 * and 400s naming the field.
 */
@ParameterizedClass(name = "on {0}")
@EnumSource(TestDatabase.class)
@Timeout(90)
class ContactsIT {
    private static final Pattern ID = Pattern.compile("\"id\":\"([0-9a-f-]{36})\"");

    @Parameter
    TestDatabase database;
    @TempDir
    static Path tmp;
    static ParleyUnderTest parley;

    @BeforeParameterizedClassInvocation
    static void startParley(TestDatabase database) throws Exception {
        Path dir = Files.createDirectories(tmp.resolve(database.name().toLowerCase(Locale.ROOT)));
        parley = ParleyUnderTest.start(dir, database.settings());
        parley.addPhone("alice", "101", "alice-desk", "alice-secret-5678");
        parley.addPhone("mallory", "666", "mallory-desk", "mallory-secret-5678");
    }

    @AfterParameterizedClassInvocation
    static void stopParley() {
        if (parley != null) {
            parley.close();
            parley = null;
        }
    }

    private static byte[] png(int size) {
        byte[] b = new byte[size];
        new Random(size).nextBytes(b);
        System.arraycopy(new byte[] {(byte) 0x89, 'P', 'N', 'G', 13, 10, 26, 10}, 0, b, 0, 8);
        return b;
    }

    private static String idOf(HttpResponse<String> r) {
        Matcher m = ID.matcher(r.body());
        assertThat(m.find()).as(r.body()).isTrue();
        return m.group(1);
    }

    @Test
    void contactsCrudWithAPictureThatOnlyItsOwnerCanRead() throws Exception {
        ApiUser alice = ApiUser.signIn(parley, "alice");
        ApiUser mallory = ApiUser.signIn(parley, "mallory");
        HttpResponse<String> made = alice.json("POST", "/api/me/contacts", "{\"displayName\":\"Bob Builder\","
                + "\"extension\":\"201\",\"phoneNumbers\":[\"+41 44 123 45 67\"],\"email\":\"bob@example.com\"}");
        assertThat(made.statusCode()).as(made.body()).isEqualTo(201);
        assertThat(made.body()).contains("\"displayName\":\"Bob Builder\"", "\"extension\":\"201\"",
                "\"phoneNumbers\":[\"+41 44 123 45 67\"]", "\"hasPicture\":false");
        String id = idOf(made);
        String picture = "/api/me/contacts/" + id + "/picture";

        byte[] bytes = png(200 * 1024);
        HttpResponse<String> put = alice.bytes("PUT", picture, "image/png", bytes);
        assertThat(put.statusCode()).as(put.body()).isEqualTo(204);
        HttpResponse<byte[]> got = alice.getBytes(picture);
        assertThat(got.statusCode()).isEqualTo(200);
        assertThat(got.body()).isEqualTo(bytes);
        assertThat(got.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t)
                .startsWith("image/png"));
        assertThat(got.headers().firstValue("Cache-Control")).contains("private");
        assertThat(got.headers().firstValue("X-Content-Type-Options")).contains("nosniff");
        assertThat(got.headers().firstValue("Strict-Transport-Security")).isPresent();
        assertThat(alice.get("/api/me/contacts").body()).contains("\"id\":\"" + id + "\"", "\"hasPicture\":true");

        // another user: the id is unknown to them, whatever they try
        assertThat(mallory.getBytes(picture).statusCode()).isEqualTo(404);
        assertThat(mallory.bytes("PUT", picture, "image/png", png(100)).statusCode()).isEqualTo(404);
        assertThat(mallory.delete(picture).statusCode()).isEqualTo(404);
        assertThat(mallory.json("PUT", "/api/me/contacts/" + id, "{\"displayName\":\"pwned\"}").statusCode())
                .isEqualTo(404);
        assertThat(mallory.get("/api/me/contacts").body()).isEqualTo("{\"contacts\":[]}");
        assertThat(alice.getBytes(picture).body()).as("untouched by mallory").isEqualTo(bytes);

        // refused uploads leave the stored picture as it was
        HttpResponse<String> big = alice.bytes("PUT", picture, "image/png", png(300 * 1024));
        assertThat(big.statusCode()).as(big.body()).isEqualTo(413);
        // read to its end first (up to 1 MiB): closing on a browser still sending can reset the 413 away
        assertThat(big.headers().allValues("connection")).as("the connection stays").doesNotContain("close");
        HttpResponse<String> gif = alice.bytes("PUT", picture, "image/gif",
                "GIF89a\u0001\0\u0001\0".getBytes(StandardCharsets.ISO_8859_1));
        assertThat(gif.statusCode()).isEqualTo(400);
        assertThat(gif.body()).contains("\"field\":\"Content-Type\"");
        HttpResponse<String> gifAsPng = alice.bytes("PUT", picture, "image/png",
                "GIF89a\u0001\0\u0001\0".getBytes(StandardCharsets.ISO_8859_1));
        assertThat(gifAsPng.statusCode()).isEqualTo(400);
        assertThat(gifAsPng.body()).contains("\"field\":\"body\"", "PNG, JPEG or WebP");
        HttpResponse<String> html = alice.bytes("PUT", picture, "image/png",
                "<html><script>alert(1)</script></html>".getBytes(StandardCharsets.US_ASCII));
        assertThat(html.statusCode()).isEqualTo(400);
        HttpResponse<String> mislabelled = alice.bytes("PUT", picture, "image/jpeg", png(64));
        assertThat(mislabelled.statusCode()).isEqualTo(400);
        assertThat(mislabelled.body()).contains("image/png");
        assertThat(alice.getBytes(picture).body()).isEqualTo(bytes);

        HttpResponse<String> changed = alice.json("PUT", "/api/me/contacts/" + id, "{\"displayName\":\"Bob B.\"}");
        assertThat(changed.statusCode()).as(changed.body()).isEqualTo(200);
        assertThat(changed.body()).contains("\"displayName\":\"Bob B.\"", "\"extension\":null",
                "\"hasPicture\":true");
        assertThat(alice.delete(picture).statusCode()).isEqualTo(204);
        assertThat(alice.getBytes(picture).statusCode()).isEqualTo(404);
        assertThat(alice.delete("/api/me/contacts/" + id).statusCode()).isEqualTo(204);
        assertThat(alice.get("/api/me/contacts").body()).doesNotContain(id);
    }

    @Test
    void badContactFieldsAre400NamingTheField() throws Exception {
        ApiUser alice = ApiUser.signIn(parley, "alice");
        assertThat(alice.json("POST", "/api/me/contacts", "{\"extension\":\"1\"}").body())
                .contains("\"field\":\"displayName\"");
        assertThat(alice.json("POST", "/api/me/contacts", "{\"displayName\":\"x\",\"phoneNumbers\":[\"1\",\"abc\"]}")
                .body()).contains("\"field\":\"phoneNumbers[1]\"");
        assertThat(alice.json("POST", "/api/me/contacts", "{\"displayName\":\"x\",\"email\":\"nope\"}").body())
                .contains("\"field\":\"email\"");
        assertThat(alice.json("POST", "/api/me/contacts", "{\"displayName\":\"x\",\"age\":3}").body())
                .contains("\"field\":\"age\"");
        assertThat(alice.json("PUT", "/api/me/contacts/no-such-id", "{\"displayName\":\"x\"}").statusCode())
                .isEqualTo(404);
    }

    @Test
    void settingsRoundTripAndBadValuesAre400NamingTheField() throws Exception {
        ApiUser alice = ApiUser.signIn(parley, "alice");
        HttpResponse<String> defaults = alice.get("/api/me/settings");
        assertThat(defaults.statusCode()).isEqualTo(200);
        assertThat(defaults.body()).isEqualTo("{\"doNotDisturb\":false,\"callWaiting\":true,\"autoAnswer\":false,"
                + "\"devices\":{\"microphone\":null,\"speaker\":null,\"ringer\":null,\"camera\":null}}");
        String chosen = "{\"doNotDisturb\":false,\"callWaiting\":false,\"autoAnswer\":true,\"devices\":{"
                + "\"microphone\":\"" + "a".repeat(200) + "\",\"speaker\":\"default\",\"ringer\":null,"
                + "\"camera\":\"cam-1\"}}";
        HttpResponse<String> put = alice.json("PUT", "/api/me/settings", chosen);
        assertThat(put.statusCode()).as(put.body()).isEqualTo(200);
        assertThat(put.body()).isEqualTo(chosen);
        assertThat(alice.get("/api/me/settings").body()).isEqualTo(chosen);
        assertThat(alice.json("PUT", "/api/me/settings", chosen.replace("a".repeat(200), "a".repeat(201))).body())
                .contains("\"field\":\"devices.microphone\"");
        assertThat(alice.json("PUT", "/api/me/settings", chosen.replace("\"autoAnswer\":true", "\"autoAnswer\":1"))
                .body()).contains("\"field\":\"autoAnswer\"");
        assertThat(alice.json("PUT", "/api/me/settings", "{\"doNotDisturb\":true}").body())
                .contains("\"field\":\"callWaiting\"");
        assertThat(alice.get("/api/me/settings").body()).as("nothing half-written").isEqualTo(chosen);
    }
}
