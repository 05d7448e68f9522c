package dev.parley.server.cli;

import dev.parley.server.config.ConfigLoader;
import dev.parley.server.config.DataDirectory;
import dev.parley.server.config.ParleyConfig;
import dev.parley.server.runtime.Server;
import dev.parley.server.tls.TlsMaterial;
import java.lang.management.ManagementFactory;
import java.lang.management.RuntimeMXBean;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/**
 * {@code parley run}: loads the configuration, prepares the data directory and the TLS material, starts the
 * {@link Server} and waits; SIGTERM or Ctrl-C stops it gracefully (drain, then close).
 */
@Command(name = "run", mixinStandardHelpOptions = true,
        description = "Start the server (stop with Ctrl-C or SIGTERM: calls are drained first).")
final class RunCommand implements Callable<Integer> {
    private static final Logger LOG = LoggerFactory.getLogger(RunCommand.class);

    @ParentCommand
    ParleyCommand parley;

    @Option(names = "--sip-port", paramLabel = "<port>",
            description = "UDP and TCP port for SIP (sip.udp-port and sip.tcp-port; default 5060; 0 any free, -1 off)")
    String sipPort;

    @Option(names = "--tls-port", paramLabel = "<port>",
            description = "TLS port for SIP (sip.tls-port; default 5061; 0 any free, -1 off)")
    String tlsPort;

    @Option(names = "--https-port", paramLabel = "<port>",
            description = "HTTPS port: web UI, /api, SIP over WebSocket at /ws (web.https-port; default 8443;"
                    + " 0 any free, -1 off)")
    String httpsPort;

    @Option(names = "--bind", paramLabel = "<address>",
            description = "IP address the SIP listeners bind to (sip.bind-address; default 0.0.0.0)")
    String bind;

    @Override
    public Integer call() throws InterruptedException {
        List<ConfigLoader.Override> overrides = new ArrayList<>();
        if (sipPort != null) {
            overrides.add(new ConfigLoader.Override("sip.udp-port", sipPort, "--sip-port"));
            overrides.add(new ConfigLoader.Override("sip.tcp-port", sipPort, "--sip-port"));
        }
        if (tlsPort != null) {
            overrides.add(new ConfigLoader.Override("sip.tls-port", tlsPort, "--tls-port"));
        }
        if (httpsPort != null) {
            overrides.add(new ConfigLoader.Override("web.https-port", httpsPort, "--https-port"));
        }
        if (bind != null) {
            overrides.add(new ConfigLoader.Override("sip.bind-address", bind, "--bind"));
        }
        CliEnvironment env = parley.env;
        ParleyConfig config = parley.loadConfig(overrides);
        DataDirectory.prepare(config.dataDirectory());
        LOG.info("starting Parley; data in {}", config.dataDirectory());
        TlsMaterial tls = TlsMaterial.forConfig(config, env.clock());
        Server server = new Server(config, tls, env.storeOpener(), env.pbx(), env.out(), env.clock());
        env.lifecycle().onShutdown(() -> {
            server.stop();
            RuntimeMXBean jvm = ManagementFactory.getRuntimeMXBean();
            AotTraining.markIfTrained(jvm.getInputArguments(), Duration.ofMillis(jvm.getUptime()));
        });
        server.start();
        env.lifecycle().awaitShutdown();
        return 0;
    }
}
