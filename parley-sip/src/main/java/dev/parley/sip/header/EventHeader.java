package dev.parley.sip.header;

import dev.parley.sip.text.Cursor;
import dev.parley.sip.text.Parameters;
import java.util.Objects;

/** Event (RFC 6665 §8.2.1): {@code event-type *( SEMI event-param )}, event-type = package *( "." template ). */
public record EventHeader(String type, Parameters parameters) {
    public EventHeader {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(parameters, "parameters");
    }

    static EventHeader read(Cursor c) {
        return new EventHeader(c.token(), c.headerParameters());
    }

    public String id() {
        return parameters.value("id");
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder(32).append(type);
        parameters.appendTo(sb, ';');
        return sb.toString();
    }
}
