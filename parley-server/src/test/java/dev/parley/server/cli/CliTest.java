package dev.parley.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.pbx.directory.Device;
import dev.parley.pbx.directory.MediaPolicy;
import dev.parley.server.config.ConfigLoader;
import dev.parley.server.runtime.PbxWiring;
import dev.parley.server.store.InMemoryRepositories;
import dev.parley.server.store.Repositories;
import dev.parley.server.store.StoreOpener;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The management commands and {@code run} through picocli, on in-memory repositories; {@link SqliteCliTest} runs
 * the same tests on the SQLite store.
 */
class CliTest {
    @TempDir
    Path dir;

    private final InMemoryRepositories memory = new InMemoryRepositories();
    protected final Map<String, String> environment = new HashMap<>();
    private final List<Runnable> shutdownHooks = new ArrayList<>();
    protected String out;
    protected String err;

    /** How the commands open the store. */
    protected StoreOpener opener() {
        return (config, cipher) -> memory;
    }

    /** The store as the test inspects it (for SQLite, a second connection, as a running server would hold). */
    protected Repositories store() {
        return memory;
    }

    protected int parley(String... args) {
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        ByteArrayOutputStream e = new ByteArrayOutputStream();
        CliEnvironment env = new CliEnvironment(new ConfigLoader(environment, dir), opener(),
                PbxWiring.standard(), new PrintStream(o, true, StandardCharsets.UTF_8),
                new PrintStream(e, true, StandardCharsets.UTF_8), Clock.systemUTC(),
                new CliEnvironment.Lifecycle() {
                    @Override
                    public void onShutdown(Runnable hook) {
                        shutdownHooks.add(hook);
                    }

                    @Override
                    public void awaitShutdown() {
                    }
                });
        int status = ParleyCommand.execute(env, args);
        out = o.toString(StandardCharsets.UTF_8);
        err = e.toString(StandardCharsets.UTF_8);
        return status;
    }

    protected void ok(String... args) {
        int status = parley(args);
        assertThat(status).as("exit status of %s, stderr: %s", String.join(" ", args), err).isZero();
    }

    @Test
    void addAndListUsers() {
        ok("user", "add", "alice", "--display-name", "Alice Martin");
        assertThat(out).contains("Added user alice (Alice Martin)");
        ok("user", "add", "bob");
        ok("extension", "add", "101", "--user", "alice");

        ok("user", "list");

        assertThat(out.lines().toList()).containsExactly(
                "NAME   DISPLAY NAME  EXTENSIONS  DEVICES",
                "alice  Alice Martin  101",
                "bob");
    }

    @Test
    void aDuplicateOrInvalidUserFailsWithStatusOne() {
        ok("user", "add", "alice");
        assertThat(parley("user", "add", "alice")).isEqualTo(1);
        assertThat(err).isEqualTo("parley: user alice already exists\n");
        assertThat(parley("user", "add", "al ice")).isEqualTo(1);
        assertThat(err).contains("a user name may hold letters, digits and . _ + - only");
    }

    @Test
    void extensionsBelongToKnownUsers() {
        assertThat(parley("extension", "add", "101", "--user", "nobody")).isEqualTo(1);
        assertThat(err).startsWith("parley: no user named nobody; see `parley user list`");
        assertThat(err).doesNotContain("\tat ");

        ok("user", "add", "alice");
        ok("user", "add", "bob");
        ok("extension", "add", "101", "--user", "alice");
        assertThat(parley("extension", "add", "101", "--user", "bob")).isEqualTo(1);
        assertThat(err).contains("extension 101 already belongs to alice");
        assertThat(parley("extension", "add", "10x", "--user", "bob")).isEqualTo(1);
        assertThat(err).contains("an extension number may hold digits and * # + only");

        ok("extension", "list");
        assertThat(out.lines().toList()).containsExactly("NUMBER  USER", "101     alice");

        ok("extension", "delete", "101");
        assertThat(store().extensions().findAll()).isEmpty();
        assertThat(parley("extension", "delete", "101")).isEqualTo(1);
        assertThat(err).contains("no extension 101");
        ok("extension", "list");
        assertThat(out).isEqualTo("(no extensions)\n");
    }

    @Test
    void extensionAddNeedsTheUserOption() {
        assertThat(parley("extension", "add", "101")).isEqualTo(2);
        assertThat(err).contains("Missing required option: '--user=<name>'");
    }

    @Test
    void deviceAddPrintsTheGeneratedSecretOnceAndListNeverDoes() {
        ok("user", "add", "alice");
        ok("device", "add", "alice-desk", "--user", "alice", "--label", "desk phone");

        String secret = secretIn(out);
        Device stored = store().devices().findBySipUsername("alice-desk").orElseThrow();
        assertThat(stored.secret().reveal()).isEqualTo(secret);
        assertThat(stored.label()).isEqualTo("desk phone");
        assertThat(out).contains("SIP username  alice-desk").contains("realm         parley");

        ok("device", "list");
        assertThat(out).doesNotContain(secret);
        assertThat(out.lines().toList())
                .containsExactly("SIP USERNAME  USER   MEDIA      LABEL", "alice-desk    alice  preferred  desk phone");
    }

    @Test
    void mediaPolicyIsSetOnAddAndChangedWithSet() {
        ok("user", "add", "alice");
        ok("device", "add", "alice-desk", "--user", "alice", "--media-policy", "required");
        assertThat(store().devices().findBySipUsername("alice-desk").orElseThrow().mediaPolicy())
                .isEqualTo(MediaPolicy.REQUIRED);
        ok("device", "add", "alice-soft", "--user", "alice");
        assertThat(store().devices().findBySipUsername("alice-soft").orElseThrow().mediaPolicy())
                .isEqualTo(MediaPolicy.PREFERRED);

        ok("device", "set", "alice-soft", "--media-policy", "OFF");
        assertThat(out).contains("media policy off");
        Device soft = store().devices().findBySipUsername("alice-soft").orElseThrow();
        assertThat(soft.mediaPolicy()).isEqualTo(MediaPolicy.OFF);

        assertThat(parley("device", "set", "alice-soft", "--media-policy", "sometimes")).isEqualTo(1);
        assertThat(err).contains("\"sometimes\" is not a media policy; use required, preferred or off");
        assertThat(parley("device", "add", "alice-x", "--user", "alice", "--media-policy", "srtp")).isEqualTo(1);
        assertThat(store().devices().findBySipUsername("alice-x")).isEmpty();
        assertThat(parley("device", "set", "nobody", "--media-policy", "off")).isEqualTo(1);
        assertThat(err).contains("no device nobody");
        assertThat(store().devices().findBySipUsername("alice-soft").orElseThrow()).isEqualTo(soft);
    }

    @Test
    void setPasswordGeneratesANewSecretOrTakesTheGivenOneWithoutEchoingIt() {
        ok("user", "add", "alice");
        ok("device", "add", "alice-desk", "--user", "alice");
        String first = secretIn(out);

        ok("device", "set-password", "alice-desk");
        String second = secretIn(out);
        assertThat(second).isNotEqualTo(first);
        assertThat(store().devices().findBySipUsername("alice-desk").orElseThrow().secret().reveal()).isEqualTo(second);

        ok("device", "set-password", "alice-desk", "--secret=Chosen-by-admin-42");
        assertThat(out).doesNotContain("Chosen-by-admin-42").doesNotContain("secret        ");
        assertThat(store().devices().findBySipUsername("alice-desk").orElseThrow().secret().reveal())
                .isEqualTo("Chosen-by-admin-42");

        assertThat(parley("device", "set-password", "alice-desk", "--secret=short")).isEqualTo(1);
        assertThat(err).contains("a SIP secret must be 8 to 128 characters long").doesNotContain("short\n");
        assertThat(parley("device", "set-password", "nobody-desk")).isEqualTo(1);
        assertThat(err).contains("no device nobody-desk");
    }

    @Test
    void deviceNamesAreUniqueAndDoNotShadowAnotherUsersExtension() {
        ok("user", "add", "alice");
        ok("user", "add", "bob");
        ok("extension", "add", "201", "--user", "bob");
        ok("device", "add", "alice-desk", "--user", "alice");

        assertThat(parley("device", "add", "alice-desk", "--user", "bob")).isEqualTo(1);
        assertThat(err).contains("device alice-desk already exists");
        assertThat(parley("device", "add", "201", "--user", "alice")).isEqualTo(1);
        assertThat(err).contains("SIP username 201 is extension 201 of bob");
        ok("device", "add", "201", "--user", "bob");
        assertThat(parley("device", "add", "x", "--user", "nobody")).isEqualTo(1);
        assertThat(err).contains("no user named nobody");

        ok("device", "delete", "alice-desk");
        assertThat(store().devices().findBySipUsername("alice-desk")).isEmpty();
        assertThat(parley("device", "delete", "alice-desk")).isEqualTo(1);
    }

    @Test
    void deletingAUserWithExtensionsOrDevicesNeedsCascade() {
        ok("user", "add", "alice");
        ok("extension", "add", "101", "--user", "alice");
        ok("device", "add", "alice-desk", "--user", "alice");

        assertThat(parley("user", "delete", "alice")).isEqualTo(1);
        assertThat(err).contains("user alice still has extension 101 and device alice-desk").contains("--cascade");
        assertThat(store().users().findByName("alice")).isPresent();

        ok("user", "delete", "alice", "--cascade");
        assertThat(store().users().findAll()).isEmpty();
        assertThat(store().extensions().findAll()).isEmpty();
        assertThat(store().devices().findAll()).isEmpty();
        assertThat(parley("user", "delete", "alice")).isEqualTo(1);
    }

    @Test
    void theDeviceSecretKeyIsCreatedBesideTheDatabaseReadableByItsOwnerOnly() throws Exception {
        ok("user", "add", "alice");
        Path key = dir.resolve("data/secret.key");
        assertThat(key).exists();
        assertThat(Files.size(key)).isEqualTo(32);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(key))).isEqualTo("rw-------");
        byte[] before = Files.readAllBytes(key);
        ok("user", "list");
        assertThat(Files.readAllBytes(key)).isEqualTo(before);
    }

    @Test
    void dataOptionWorksBeforeAndAfterTheSubcommand() {
        ok("--data", dir.resolve("d1").toString(), "user", "list");
        assertThat(dir.resolve("d1/secret.key")).exists();
        ok("user", "list", "--data", dir.resolve("d2").toString());
        assertThat(dir.resolve("d2/secret.key")).exists();
    }

    @Test
    void aBadSettingExitsWithStatusTwoAndOneLineNamingIt() throws Exception {
        environment.put("PARLEY_SIP_UDP_PORT", "70000");
        assertThat(parley("user", "list")).isEqualTo(2);
        assertThat(err).isEqualTo("parley: sip.udp-port: \"70000\" is not a port; use 1-65535, 0 for any free port,"
                + " or -1 to disable (from environment variable PARLEY_SIP_UDP_PORT)\n");

        environment.clear();
        Files.writeString(dir.resolve("parley.yml"), "sip:\n  udp_port: 5070\n");
        assertThat(parley("user", "list")).isEqualTo(2);
        assertThat(err).startsWith("parley: sip.udp_port: unknown setting").contains("did you mean \"udp-port\"");

        Files.delete(dir.resolve("parley.yml"));
        Path file = Files.writeString(dir.resolve("not-a-dir"), "x");
        assertThat(parley("user", "list", "--data", file.resolve("data").toString())).isEqualTo(2);
        assertThat(err).startsWith("parley: data.directory: cannot create " + file.resolve("data"));
        assertThat(err).doesNotContain("Exception").doesNotContain("\tat ");
    }

    @Test
    void runWithABadPortOptionNamesTheOption() {
        assertThat(parley("run", "--sip-port", "99999")).isEqualTo(2);
        assertThat(err).isEqualTo("parley: sip.udp-port: \"99999\" is not a port; use 1-65535, 0 for any free port,"
                + " or -1 to disable (from option --sip-port)\n");
    }

    @Test
    void runStartsTheServerShowsTheAdminPasswordOnceAndStopsOnTheShutdownHook() {
        // no shared WebRTC port: by default media.port-min (20000), bound at start, which another test JVM may hold
        environment.put("PARLEY_MEDIA_WEBRTC_PORT", "-1");
        ok("run", "--sip-port", "0", "--tls-port", "0", "--bind", "127.0.0.1");

        assertThat(out).contains("username   admin").containsPattern("SIP        udp 127\\.0\\.0\\.1:[1-9][0-9]*,");
        assertThat(dir.resolve("data/tls/cert.pem")).exists();
        assertThat(dir.resolve("data/tls/key.pem")).exists();
        assertThat(shutdownHooks).hasSize(1);
        assertThat(shutdownHooks.get(0)).isNotNull();
        shutdownHooks.get(0).run();
        if (store() instanceof InMemoryRepositories m) {
            assertThat(m.isClosed()).isTrue();
        }

        ok("run", "--sip-port", "0", "--tls-port", "0", "--bind", "127.0.0.1");
        assertThat(out).doesNotContain("password");
        shutdownHooks.get(1).run();
    }

    @Test
    void helpListsTheCommandsAndUnknownCommandsAreUsageErrors() {
        ok("--help");
        assertThat(out).contains("run", "user", "extension", "device", "--config", "--data");
        ok("help", "device");
        assertThat(out).contains("add", "list", "set-password", "delete");
        assertThat(parley("frobnicate")).isEqualTo(2);
        assertThat(err).contains("Unmatched argument");
        ok("--version");
        assertThat(out).startsWith("parley ");
    }

    private static String secretIn(String output) {
        Matcher m = Pattern.compile("secret {8}(\\S+) {3}\\(shown once").matcher(output);
        assertThat(m.find()).as("a secret line in:%n%s", output).isTrue();
        String secret = m.group(1);
        assertThat(output.indexOf(secret)).isEqualTo(output.lastIndexOf(secret)); // printed once
        return secret;
    }
}
