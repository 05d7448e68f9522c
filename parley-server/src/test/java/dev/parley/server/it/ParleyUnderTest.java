package dev.parley.server.it;

import dev.parley.server.cli.CliEnvironment;
import dev.parley.server.cli.ParleyCommand;
import dev.parley.server.config.ConfigLoader;
import dev.parley.server.config.ParleyConfig;
import dev.parley.server.runtime.PbxWiring;
import dev.parley.server.runtime.Server;
import dev.parley.server.store.Stores;
import dev.parley.server.tls.TlsMaterial;
import dev.parley.sipstack.flow.Transport;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The real Parley, as {@code ./parley run} builds it (production store and PBX wiring), started in this JVM on
 * 127.0.0.1 with ephemeral ports, and provisioned through the real management CLI. Settings come as
 * {@code PARLEY_*} environment entries, exactly as an operator would give them.
 */
public final class ParleyUnderTest implements AutoCloseable {
    private final Path dir;
    private final Map<String, String> env;
    private final ByteArrayOutputStream console = new ByteArrayOutputStream();
    private final Server server;
    private final String databaseUrl;
    private String cliOutput = "";

    private ParleyUnderTest(Path dir, Map<String, String> env) {
        this.dir = dir;
        this.env = env;
        ParleyConfig config = loader().load(null, List.of());
        this.databaseUrl = config.databaseUrl();
        TlsMaterial tls = TlsMaterial.forConfig(config, Clock.systemUTC());
        this.server = new Server(config, tls, Stores.production(), PbxWiring.standard(),
                new PrintStream(console, true, StandardCharsets.UTF_8), Clock.systemUTC());
    }

    /** Starts Parley in {@code dir} (its data goes to {@code dir/data}); {@code settings} are PARLEY_* entries. */
    public static ParleyUnderTest start(Path dir, Map<String, String> settings) {
        Map<String, String> env = new HashMap<>();
        env.put("PARLEY_SIP_BIND_ADDRESS", "127.0.0.1");
        env.put("PARLEY_SIP_ADVERTISED_HOST", "127.0.0.1");
        env.put("PARLEY_SIP_UDP_PORT", "0");
        env.put("PARLEY_SIP_TCP_PORT", "0");
        env.put("PARLEY_SIP_TLS_PORT", "0");
        env.putAll(settings);
        ParleyUnderTest p = new ParleyUnderTest(dir, Map.copyOf(env));
        p.server.start();
        return p;
    }

    private ConfigLoader loader() {
        return new ConfigLoader(env, dir);
    }

    public int port(Transport transport) {
        return server.boundPort(transport);
    }

    public Path dir() {
        return dir;
    }

    /** The JDBC URL of this server's database (SQLite in {@code dir/data}, or {@code PARLEY_DATABASE_URL}). */
    public String databaseUrl() {
        return databaseUrl;
    }

    /** What the server printed (the first-start banner). */
    public String console() {
        return console.toString(StandardCharsets.UTF_8);
    }

    /** Runs a management command ({@code ./parley user add ...}) against this server's database. */
    public int cli(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrintStream ps = new PrintStream(out, true, StandardCharsets.UTF_8);
        CliEnvironment cliEnv = new CliEnvironment(loader(), Stores.production(), PbxWiring.standard(), ps, ps,
                Clock.systemUTC(), CliEnvironment.Lifecycle.JVM);
        int status = ParleyCommand.execute(cliEnv, args);
        cliOutput = out.toString(StandardCharsets.UTF_8);
        return status;
    }

    public String cliOutput() {
        return cliOutput;
    }

    /** A user with one extension and one device whose SIP username and secret are given. */
    public void addPhone(String user, String extension, String sipUsername, String secret) {
        require(cli("user", "add", user), "user add " + user);
        require(cli("extension", "add", extension, "--user", user), "extension add " + extension);
        require(cli("device", "add", sipUsername, "--user", user, "--secret", secret), "device add " + sipUsername);
    }

    private void require(int status, String what) {
        if (status != 0) {
            throw new IllegalStateException(what + " failed (" + status + "): " + cliOutput);
        }
    }

    @Override
    public void close() {
        server.stop();
    }
}
