package dev.parley.sip.header;

import dev.parley.sip.text.Cursor;
import dev.parley.sip.text.Parameters;
import java.util.Objects;

/** Subscription-State (RFC 6665 §8.2.3): {@code substate-value *( SEMI subexp-params )}. */
public record SubscriptionState(String state, Parameters parameters) {
    public SubscriptionState {
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(parameters, "parameters");
    }

    static SubscriptionState read(Cursor c) {
        return new SubscriptionState(c.token(), c.headerParameters());
    }

    public String reason() {
        return parameters.value("reason");
    }

    /** The expires parameter, or -1 when absent or not a number. */
    public long expires() {
        return Numbers.deltaSeconds(parameters.value("expires"));
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder(32).append(state);
        parameters.appendTo(sb, ';');
        return sb.toString();
    }
}
