package dev.parley.sip.header;

import dev.parley.sip.text.Cursor;
import java.util.Objects;

/** RAck (RFC 3262 §7.2): {@code response-num LWS CSeq-num LWS Method}. */
public record RAck(long responseNumber, long cseqNumber, String method) {
    public RAck {
        Objects.requireNonNull(method, "method");
    }

    public static RAck parse(String value) {
        return HeaderType.RACK.parseSingle(value);
    }

    static RAck read(Cursor c) {
        long rseq = c.number(HeaderType.MAX_UINT32);
        requireSpace(c);
        long cseq = c.number(HeaderType.MAX_UINT32);
        requireSpace(c);
        return new RAck(rseq, cseq, c.token());
    }

    private static void requireSpace(Cursor c) {
        int before = c.position();
        c.skipWhitespace();
        if (c.position() == before) {
            throw c.error("expected LWS");
        }
    }

    @Override
    public String toString() {
        return responseNumber + " " + cseqNumber + " " + method;
    }
}
