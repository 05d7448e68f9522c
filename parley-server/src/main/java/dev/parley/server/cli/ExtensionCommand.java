package dev.parley.server.cli;

import dev.parley.pbx.directory.Extension;
import java.io.PrintStream;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code parley extension add|list|delete}. */
@Command(name = "extension", mixinStandardHelpOptions = true,
        description = "Manage extensions: numbers that ring a user.",
        subcommands = picocli.CommandLine.HelpCommand.class)
final class ExtensionCommand {
    @ParentCommand
    ParleyCommand parley;

    @Command(name = "add", mixinStandardHelpOptions = true,
            description = "Give a user an extension number.")
    int add(@Parameters(paramLabel = "<number>", description = "digits and * # +, up to 32") String number,
            @Option(names = "--user", required = true, paramLabel = "<name>", description = "the user it rings")
            String user) {
        Extension e = parley.withStore(d -> d.addExtension(number, user));
        out().println("Added extension " + e.number() + " for user " + user + ".");
        return 0;
    }

    @Command(name = "list", mixinStandardHelpOptions = true,
            description = "List extensions and the users they ring.")
    int list() {
        List<String[]> rows = parley.withStore(d -> d.extensions().stream()
                .map(e -> new String[] {e.number(), d.userName(e.owner())}).toList());
        Table.print(out(), List.of("NUMBER", "USER"), rows, "no extensions");
        return 0;
    }

    @Command(name = "delete", mixinStandardHelpOptions = true,
            description = "Delete an extension.")
    int delete(@Parameters(paramLabel = "<number>") String number) {
        parley.withStore(d -> d.deleteExtension(number));
        out().println("Deleted extension " + number + ".");
        return 0;
    }

    private PrintStream out() {
        return parley.env.out();
    }
}
