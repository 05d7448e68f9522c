package dev.parley.server.cli;

import dev.parley.server.config.ConfigLoader;
import dev.parley.server.runtime.PbxWiring;
import dev.parley.server.store.StoreOpener;
import java.io.PrintStream;
import java.time.Clock;
import java.util.Objects;
import java.util.concurrent.CountDownLatch;

/**
 * What the commands reach outside themselves: configuration sources, the store, the PBX wiring, the console, the
 * clock and the process lifecycle. {@link #system} is the real one; tests build their own.
 *
 * @param lifecycle how {@code run} registers its shutdown hook and waits for the end of the process
 */
public record CliEnvironment(ConfigLoader configLoader, StoreOpener storeOpener, PbxWiring pbx, PrintStream out,
        PrintStream err, Clock clock, Lifecycle lifecycle) {

    public CliEnvironment {
        Objects.requireNonNull(configLoader, "configLoader");
        Objects.requireNonNull(storeOpener, "storeOpener");
        Objects.requireNonNull(pbx, "pbx");
        Objects.requireNonNull(out, "out");
        Objects.requireNonNull(err, "err");
        Objects.requireNonNull(clock, "clock");
        Objects.requireNonNull(lifecycle, "lifecycle");
    }

    /** The process as {@code run} sees it. */
    public interface Lifecycle {
        /** Runs {@code hook} when the process is asked to stop (SIGTERM, SIGINT, System.exit). */
        void onShutdown(Runnable hook);

        /** Blocks the command until the process ends. */
        void awaitShutdown() throws InterruptedException;

        /** A JVM shutdown hook, and a wait that the JVM ends by halting after its hooks ran. */
        Lifecycle JVM = new Lifecycle() {
            @Override
            public void onShutdown(Runnable hook) {
                Runtime.getRuntime().addShutdownHook(new Thread(hook, "parley-shutdown"));
            }

            @Override
            public void awaitShutdown() throws InterruptedException {
                // Never returns: returning would let main call System.exit, which blocks for ever while the
                // shutdown hook (the drain) runs. The JVM halts once the hooks are done.
                new CountDownLatch(1).await();
            }
        };
    }

    /** The real environment, with the given store and PBX wiring. */
    public static CliEnvironment system(StoreOpener storeOpener, PbxWiring pbx) {
        return new CliEnvironment(ConfigLoader.fromSystem(), storeOpener, pbx, System.out, System.err,
                Clock.systemUTC(), Lifecycle.JVM);
    }
}
