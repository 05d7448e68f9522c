package dev.parley.sip.header;

import dev.parley.sip.text.Cursor;
import java.util.Objects;

/**
 * CSeq (RFC 3261 §20.16): {@code 1*DIGIT LWS Method}. The number must fit a 32-bit unsigned integer; an overlarge
 * one (RFC 4475 §3.1.2.4) is a syntax error.
 */
public record CSeq(long sequence, String method) {
    public CSeq {
        Objects.requireNonNull(method, "method");
        if (sequence < 0 || sequence > HeaderType.MAX_UINT32) {
            throw new IllegalArgumentException("CSeq sequence out of range: " + sequence);
        }
    }

    public static CSeq parse(String value) {
        return HeaderType.CSEQ.parseSingle(value);
    }

    static CSeq read(Cursor c) {
        long n = c.number(HeaderType.MAX_UINT32);
        int before = c.position();
        c.skipWhitespace();
        if (c.position() == before) {
            throw c.error("expected LWS after the CSeq number");
        }
        return new CSeq(n, c.token());
    }

    @Override
    public String toString() {
        return sequence + " " + method;
    }
}
