package dev.parley.server;

import dev.parley.server.cli.CliEnvironment;
import dev.parley.server.cli.ParleyCommand;
import dev.parley.server.runtime.PbxWiring;
import dev.parley.server.store.Stores;

/** {@code java -jar parley.jar <command>}: see {@code parley help}. */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) {
        int status = ParleyCommand.execute(CliEnvironment.system(Stores.production(), PbxWiring.standard()), args);
        System.exit(status);
    }
}
