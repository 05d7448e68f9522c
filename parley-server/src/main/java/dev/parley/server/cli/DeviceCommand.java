package dev.parley.server.cli;

import dev.parley.pbx.directory.Device;
import dev.parley.pbx.directory.MediaPolicy;
import dev.parley.pbx.directory.SipSecret;
import dev.parley.server.config.ParleyConfig;
import java.io.PrintStream;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/**
 * {@code parley device add|list|set|set-password|delete}. A generated secret is printed once, when it is made; no command
 * prints a stored secret. {@code --secret} without a value asks for it on the terminal, so it stays out of the shell
 * history and the process list; {@code --secret=<value>} is for scripts.
 */
@Command(name = "device", mixinStandardHelpOptions = true,
        description = "Manage devices: the SIP credentials a phone registers with.",
        subcommands = picocli.CommandLine.HelpCommand.class)
final class DeviceCommand {
    private static final String MEDIA_POLICY_HELP = "required (SRTP only: needs TLS signalling and SDES),"
            + " preferred (SRTP when the phone's signalling is TLS and it offers or accepts it; the default),"
            + " or off (plain RTP)";

    @ParentCommand
    ParleyCommand parley;

    @Command(name = "add", mixinStandardHelpOptions = true,
            description = "Add a device for a user; prints its generated secret once.")
    int add(@Parameters(paramLabel = "<sip-username>", description = "the Digest username: letters, digits and"
                    + " . _ + -") String sipUsername,
            @Option(names = "--user", required = true, paramLabel = "<name>", description = "the owner") String user,
            @Option(names = "--secret", arity = "0..1", interactive = true, paramLabel = "<secret>",
                    description = "set this secret (8-128 printable ASCII) instead of generating one; without a"
                            + " value, asks for it") char[] secret,
            @Option(names = "--label", paramLabel = "<text>", description = "e.g. \"desk phone\"") String label,
            @Option(names = "--media-policy", paramLabel = "<policy>", description = MEDIA_POLICY_HELP)
            String mediaPolicy) {
        MediaPolicy policy = mediaPolicy == null ? MediaPolicy.PREFERRED : DirectoryAdmin.mediaPolicy(mediaPolicy);
        Optional<SipSecret> given = given(secret);
        Device device = parley.withStore(d -> d.addDevice(sipUsername, user, given, label, policy));
        out().println("Added device " + device.sipUsername() + " for user " + user + ".");
        printCredentials(device, given.isEmpty());
        return 0;
    }

    @Command(name = "list", mixinStandardHelpOptions = true,
            description = "List devices (never their secrets).")
    int list() {
        List<String[]> rows = parley.withStore(d -> d.devices().stream()
                .map(x -> new String[] {x.sipUsername(), d.userName(x.owner()), x.mediaPolicy().word(), x.label()})
                .toList());
        Table.print(out(), List.of("SIP USERNAME", "USER", "MEDIA", "LABEL"), rows, "no devices");
        return 0;
    }

    @Command(name = "set", mixinStandardHelpOptions = true,
            description = "Change a device's settings (its secret: set-password).")
    int set(@Parameters(paramLabel = "<sip-username>") String sipUsername,
            @Option(names = "--media-policy", required = true, paramLabel = "<policy>",
                    description = MEDIA_POLICY_HELP) String mediaPolicy) {
        MediaPolicy policy = DirectoryAdmin.mediaPolicy(mediaPolicy);
        Device device = parley.withStore(d -> d.setDeviceMediaPolicy(sipUsername, policy));
        out().println("Device " + device.sipUsername() + ": media policy " + device.mediaPolicy().word()
                + " (from its next call).");
        return 0;
    }

    @Command(name = "set-password", mixinStandardHelpOptions = true,
            description = "Give a device a new secret (generated and printed once, or"
            + " --secret).")
    int setPassword(@Parameters(paramLabel = "<sip-username>") String sipUsername,
            @Option(names = "--secret", arity = "0..1", interactive = true, paramLabel = "<secret>",
                    description = "set this secret instead of generating one; without a value, asks for it")
            char[] secret) {
        Optional<SipSecret> given = given(secret);
        Device device = parley.withStore(d -> d.setDeviceSecret(sipUsername, given));
        out().println("Changed the secret of device " + device.sipUsername() + "; phones using the old one will"
                + " fail to register until updated.");
        printCredentials(device, given.isEmpty());
        return 0;
    }

    @Command(name = "delete", mixinStandardHelpOptions = true,
            description = "Delete a device.")
    int delete(@Parameters(paramLabel = "<sip-username>") String sipUsername) {
        parley.withStore(d -> d.deleteDevice(sipUsername));
        out().println("Deleted device " + sipUsername + ".");
        return 0;
    }

    private static Optional<SipSecret> given(char[] secret) {
        if (secret == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(DirectoryAdmin.secret(secret));
        } finally {
            Arrays.fill(secret, '\0');
        }
    }

    /** What to type into the phone. The secret only when Parley made it up: the admin knows one they chose. */
    private void printCredentials(Device device, boolean showSecret) {
        ParleyConfig config = parley.configForOutput();
        PrintStream out = out();
        out.println();
        out.println("  SIP username  " + device.sipUsername());
        if (showSecret) {
            out.println("  secret        " + device.secret().reveal() + "   (shown once: enter it in the phone now)");
        }
        out.println("  realm         " + config.realm());
        StringBuilder ports = new StringBuilder();
        appendPort(ports, "udp", config.sip().udpPort());
        appendPort(ports, "tcp", config.sip().tcpPort());
        appendPort(ports, "tls", config.sip().tlsPort());
        out.println("  server        " + config.advertisedHost() + " (" + ports + ")");
    }

    private static void appendPort(StringBuilder sb, String transport, int port) {
        if (port > 0) {
            sb.append(sb.isEmpty() ? "" : ", ").append(transport).append(' ').append(port);
        }
    }

    private PrintStream out() {
        return parley.env.out();
    }
}
