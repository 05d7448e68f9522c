package dev.parley.sip.header;

import dev.parley.sip.text.Cursor;
import dev.parley.sip.text.Parameters;
import dev.parley.sip.text.SipChars;
import java.util.Objects;

/** Replaces (RFC 3891 §6.1): {@code callid *(SEMI replaces-param)} with to-tag, from-tag and early-only. */
public record Replaces(String callId, Parameters parameters) {
    public Replaces {
        Objects.requireNonNull(callId, "callId");
        Objects.requireNonNull(parameters, "parameters");
    }

    static Replaces read(Cursor c) {
        int start = c.position();
        while (!c.atEnd() && (SipChars.isWord(c.peek()) || c.peek() == '@')) {
            c.skip(1);
        }
        if (c.position() == start) {
            throw c.error("expected a Call-ID");
        }
        return new Replaces(c.text().substring(start, c.position()), c.headerParameters());
    }

    public String toTag() {
        return parameters.value("to-tag");
    }

    public String fromTag() {
        return parameters.value("from-tag");
    }

    public boolean earlyOnly() {
        return parameters.has("early-only");
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder(64).append(callId);
        parameters.appendTo(sb, ';');
        return sb.toString();
    }
}
