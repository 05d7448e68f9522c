package dev.parley.server.cli;

import dev.parley.pbx.directory.User;
import java.io.PrintStream;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code parley user add|list|delete}. */
@Command(name = "user", mixinStandardHelpOptions = true,
        description = "Manage users: the people (or shared accounts) who own extensions and devices.",
        subcommands = picocli.CommandLine.HelpCommand.class)
final class UserCommand {
    @ParentCommand
    ParleyCommand parley;

    @Command(name = "add", mixinStandardHelpOptions = true,
            description = "Add a user.")
    int add(@Parameters(paramLabel = "<name>", description = "login name: letters, digits and . _ + -") String name,
            @Option(names = "--display-name", paramLabel = "<text>",
                    description = "name callees see, e.g. \"Alice Martin\"") String displayName) {
        User user = parley.withStore(d -> d.addUser(name, displayName));
        out().println("Added user " + user.name() + (user.displayName().isEmpty() ? "" : " (" + user.displayName()
                + ")") + ". Next: ./parley extension add <number> --user " + user.name());
        return 0;
    }

    @Command(name = "list", mixinStandardHelpOptions = true,
            description = "List users with their extensions and devices.")
    int list() {
        List<String[]> rows = parley.withStore(d -> d.users().stream().map(u -> new String[] {
                u.name(), u.displayName(),
                String.join(" ", d.extensions().stream().filter(e -> e.owner().equals(u.id()))
                        .map(e -> e.number()).toList()),
                String.join(" ", d.devices().stream().filter(x -> x.owner().equals(u.id()))
                        .map(x -> x.sipUsername()).toList())}).toList());
        Table.print(out(), List.of("NAME", "DISPLAY NAME", "EXTENSIONS", "DEVICES"), rows, "no users");
        return 0;
    }

    @Command(name = "delete", mixinStandardHelpOptions = true,
            description = "Delete a user (refused while it has extensions or devices, unless"
            + " --cascade).")
    int delete(@Parameters(paramLabel = "<name>") String name,
            @Option(names = "--cascade", description = "delete the user's extensions and devices too")
            boolean cascade) {
        parley.withStore(d -> d.deleteUser(name, cascade));
        out().println("Deleted user " + name + ".");
        return 0;
    }

    private PrintStream out() {
        return parley.env.out();
    }
}
