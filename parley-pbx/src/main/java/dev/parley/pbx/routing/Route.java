package dev.parley.pbx.routing;

import java.util.List;
import java.util.Objects;

/** Where a dialled number leads. */
public sealed interface Route {

    /** The number as dialled (the Request-URI's user part or telephone number). */
    String dialled();

    /**
     * Ring these contacts, all at once; {@code autoAnswer}: the callee asked their devices to answer by themselves
     * ({@link dev.parley.pbx.settings.UserSettings#autoAnswer()}).
     */
    record Ring(String dialled, List<Target> targets, boolean autoAnswer) implements Route {
        public Ring {
            Objects.requireNonNull(dialled, "dialled");
            targets = List.copyOf(targets);
            if (targets.isEmpty()) {
                throw new IllegalArgumentException("nothing to ring: use Unavailable");
            }
        }

        public Ring(String dialled, List<Target> targets) {
            this(dialled, targets, false);
        }

        public Ring withAutoAnswer(boolean on) {
            return new Ring(dialled, targets, on);
        }
    }

    /** No such extension: 404. */
    record NotFound(String dialled) implements Route {
    }

    /** The extension exists but none of its devices is registered: 480. */
    record Unavailable(String dialled) implements Route {
    }
}
