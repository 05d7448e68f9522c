package dev.parley.sip.header;

import dev.parley.sip.text.Cursor;
import dev.parley.sip.text.Parameters;
import java.util.Objects;

/** Retry-After (RFC 3261 §20.33): {@code delta-seconds [ comment ] *( SEMI retry-param )}. */
public record RetryAfter(long seconds, String comment, Parameters parameters) {
    public RetryAfter {
        Objects.requireNonNull(parameters, "parameters");
    }

    public static RetryAfter of(long seconds) {
        return new RetryAfter(seconds, null, Parameters.EMPTY);
    }

    static RetryAfter read(Cursor c) {
        long seconds = c.number(HeaderType.MAX_UINT32);
        String comment = null;
        c.skipWhitespace();
        if (c.peek() == '(') {
            comment = readComment(c);
        }
        return new RetryAfter(seconds, comment, c.headerParameters());
    }

    /** comment = LPAREN *(ctext / quoted-pair / comment) RPAREN; returned with its parentheses. */
    private static String readComment(Cursor c) {
        int start = c.position();
        int depth = 0;
        do {
            char ch = c.next();
            if (ch == '\\') {
                c.next();
            } else if (ch == '(') {
                depth++;
            } else if (ch == ')') {
                depth--;
            }
        } while (depth > 0);
        return c.text().substring(start, c.position());
    }

    /** The duration parameter, or -1 when absent. */
    public long duration() {
        return Numbers.deltaSeconds(parameters.value("duration"));
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder(32).append(seconds);
        if (comment != null) {
            sb.append(' ').append(comment);
        }
        parameters.appendTo(sb, ';');
        return sb.toString();
    }
}
