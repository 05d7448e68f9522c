package dev.parley.server.cli;

import ch.qos.logback.classic.Level;
import dev.parley.server.config.ConfigException;
import dev.parley.server.config.ConfigLoader;
import dev.parley.server.config.DataDirectory;
import dev.parley.server.config.ParleyConfig;
import dev.parley.server.store.Repositories;
import dev.parley.server.store.SecretKeyFile;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/**
 * {@code parley}: the top command. Options {@code --config} and {@code --data} apply to every subcommand and may be
 * written before or after it. Exit status: 0 done, 1 the command could not do what was asked (unknown user, taken
 * number), 2 bad usage or a bad setting (the message names it).
 */
@Command(name = "parley", mixinStandardHelpOptions = true, versionProvider = ParleyCommand.Version.class,
        description = "Parley: a phone system (SIP PBX) in one process.",
        subcommands = {RunCommand.class, UserCommand.class, ExtensionCommand.class, DeviceCommand.class,
                CommandLine.HelpCommand.class},
        footer = {"", "Settings come from parley.yml (--config), PARLEY_<SECTION>_<KEY> environment variables and"
                + " options, in rising precedence; see parley-server/README.md."})
public final class ParleyCommand {
    /** Exit status for a command that could not do what was asked. */
    public static final int FAILED = 1;
    /** Exit status for bad usage or a bad setting. */
    public static final int BAD_CONFIG = 2;

    final CliEnvironment env;

    @Option(names = "--config", scope = ScopeType.INHERIT, paramLabel = "<file>",
            description = "configuration file (default: ./parley.yml if present, or $PARLEY_CONFIG)")
    Path configFile;

    @Option(names = "--data", scope = ScopeType.INHERIT, paramLabel = "<dir>",
            description = "data directory: database, TLS material, keys (setting data.directory, default ./data)")
    String dataDirectory;

    public ParleyCommand(CliEnvironment env) {
        this.env = env;
    }

    /** Parses {@code args}, runs the command, and returns the exit status; prints errors without stack traces. */
    public static int execute(CliEnvironment env, String... args) {
        CommandLine cl = new CommandLine(new ParleyCommand(env));
        cl.setOut(new java.io.PrintWriter(env.out(), true));
        cl.setErr(new java.io.PrintWriter(env.err(), true));
        cl.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            if (e instanceof ConfigException) {
                env.err().println("parley: " + e.getMessage());
                return BAD_CONFIG;
            }
            if (e instanceof ManagementException) {
                env.err().println("parley: " + e.getMessage());
                return FAILED;
            }
            throw e; // a bug: picocli prints the stack trace and returns status 1
        });
        return cl.execute(args);
    }

    /** The configuration with {@code --config}, {@code --data} and the command's own options applied. */
    ParleyConfig loadConfig(List<ConfigLoader.Override> commandOverrides) {
        List<ConfigLoader.Override> overrides = new ArrayList<>();
        if (dataDirectory != null) {
            overrides.add(new ConfigLoader.Override("data.directory", dataDirectory, "--data"));
        }
        overrides.addAll(commandOverrides);
        return env.configLoader().load(configFile, overrides);
    }

    /**
     * Runs {@code action} on the store named by the configuration, opened with the device secret key, and closes
     * it. Log output below WARN is silenced: a management command prints its result and nothing else.
     */
    <T> T withStore(Function<DirectoryAdmin, T> action) {
        quietLogs();
        ParleyConfig config = loadConfig(List.of());
        DataDirectory.prepare(config.dataDirectory());
        try (Repositories store = env.storeOpener().open(config, SecretKeyFile.openOrCreate(config.secretKeyPath()))) {
            return action.apply(new DirectoryAdmin(store));
        }
    }

    ParleyConfig configForOutput() {
        return loadConfig(List.of());
    }

    private static void quietLogs() {
        Logger root = LoggerFactory.getLogger(Logger.ROOT_LOGGER_NAME);
        if (root instanceof ch.qos.logback.classic.Logger logback) {
            logback.setLevel(Level.WARN);
        }
    }

    /** {@code parley --version}: the version the jar was built as. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = ParleyCommand.class.getPackage().getImplementationVersion();
            return new String[] {"parley " + (v == null ? "(development build)" : v),
                    "Java " + Runtime.version() + " (" + System.getProperty("java.vm.vendor") + ")"};
        }
    }
}
