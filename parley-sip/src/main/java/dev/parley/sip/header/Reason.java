package dev.parley.sip.header;

import dev.parley.sip.text.Cursor;
import dev.parley.sip.text.Parameters;
import dev.parley.sip.text.Quoting;
import java.util.Objects;

/** Reason (RFC 3326 §2): {@code protocol *(SEMI reason-params)}, e.g. {@code SIP ;cause=200 ;text="Call completed"}. */
public record Reason(String protocol, Parameters parameters) {
    public Reason {
        Objects.requireNonNull(protocol, "protocol");
        Objects.requireNonNull(parameters, "parameters");
    }

    public static Reason of(String protocol, int cause, String text) {
        Parameters p = Parameters.EMPTY.with("cause", Integer.toString(cause));
        if (text != null) {
            p = p.with("text", Quoting.quote(text));
        }
        return new Reason(protocol, p);
    }

    static Reason read(Cursor c) {
        return new Reason(c.token(), c.headerParameters());
    }

    /** The cause code, or -1 when absent or not a number. */
    public int cause() {
        long v = Numbers.deltaSeconds(parameters.value("cause"));
        return v > Integer.MAX_VALUE ? -1 : (int) v;
    }

    public String text() {
        return parameters.unquotedValue("text");
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder(48).append(protocol);
        parameters.appendTo(sb, ';');
        return sb.toString();
    }
}
