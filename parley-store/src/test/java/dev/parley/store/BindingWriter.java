package dev.parley.store;

import static dev.parley.store.Fixtures.T0;
import static dev.parley.store.Fixtures.binding;

import java.util.List;

/**
 * Run in a child JVM by {@link CrashTest}: replaces the bindings of AOR {@code w<i>} for i = 0, 1, 2, … and prints
 * {@code committed <i>} after each {@code replace} has returned, until it is killed.
 */
public final class BindingWriter {
    private BindingWriter() {
    }

    public static void main(String[] args) {
        Store store = Store.open(args[0], null, null);
        for (int i = 0; ; i++) {
            String aor = "w" + i;
            store.bindings().replace(aor, List.of(binding(aor, "sip:" + aor + "@10.0.0.5", T0.plusMillis(i)),
                    binding(aor, "sip:" + aor + "@10.0.0.6", T0.plusMillis(i))));
            System.out.println("committed " + i);
            System.out.flush();
        }
    }
}
