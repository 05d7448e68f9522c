package dev.parley.sip.text;

import java.util.Arrays;

/**
 * A position in a header value or URI, with the small steps every SIP grammar is made of. Header values reach the
 * cursor already unfolded (continuation lines joined with a space), so LWS here is just SP and HTAB.
 *
 * <p>Every failing step throws {@link SipSyntaxException}; callers at the message level catch it once.
 */
public final class Cursor {
    /** Header parameters of Via, From, To and Contact that nearly every message carries. */
    private static final String[] LIKELY_PARAMETERS = {"branch", "tag", "rport", "received", "expires"};

    private final String text;
    private final int end;
    private int pos;

    public Cursor(String text) {
        this(text, 0, text.length());
    }

    public Cursor(String text, int start, int end) {
        this.text = text;
        this.pos = start;
        this.end = end;
    }

    public String text() {
        return text;
    }

    public int position() {
        return pos;
    }

    public void position(int position) {
        this.pos = position;
    }

    public int end() {
        return end;
    }

    public boolean atEnd() {
        return pos >= end;
    }

    /** The current character, or {@code 0} at the end. */
    public char peek() {
        return pos < end ? text.charAt(pos) : 0;
    }

    /** The character {@code offset} places ahead, or {@code 0} past the end. */
    public char peek(int offset) {
        int i = pos + offset;
        return i < end ? text.charAt(i) : 0;
    }

    public char next() {
        if (pos >= end) {
            throw error("unexpected end");
        }
        return text.charAt(pos++);
    }

    public void skip(int count) {
        pos = Math.min(end, pos + count);
    }

    /** Consumes {@code c} when it is next. */
    public boolean accept(char c) {
        if (pos < end && text.charAt(pos) == c) {
            pos++;
            return true;
        }
        return false;
    }

    public void expect(char c) {
        if (!accept(c)) {
            throw error("expected '" + c + "'");
        }
    }

    /** Skips SP and HTAB. */
    public Cursor skipWhitespace() {
        while (pos < end && SipChars.isWhitespace(text.charAt(pos))) {
            pos++;
        }
        return this;
    }

    /** SWS around a separator (RFC 3261 §25.1): consumes {@code [LWS] c [LWS]} and reports whether it was there. */
    public boolean acceptSeparator(char c) {
        int saved = pos;
        skipWhitespace();
        if (accept(c)) {
            skipWhitespace();
            return true;
        }
        pos = saved;
        return false;
    }

    public void expectSeparator(char c) {
        if (!acceptSeparator(c)) {
            throw error("expected '" + c + "'");
        }
    }

    /** A non-empty token. */
    public String token() {
        int start = pos;
        while (pos < end && SipChars.isToken(text.charAt(pos))) {
            pos++;
        }
        if (pos == start) {
            throw error("expected a token");
        }
        return text.substring(start, pos);
    }

    /** Skips a run of token characters and reports whether there was one; allocates nothing. */
    public boolean skipToken() {
        int start = pos;
        while (pos < end && SipChars.isToken(text.charAt(pos))) {
            pos++;
        }
        return pos > start;
    }

    /**
     * A non-empty token; when it is spelled exactly as one of {@code likely}, that string itself, so that the
     * values nearly every message carries ({@code SIP}, {@code UDP}, {@code branch}) cost no copy.
     */
    public String token(String[] likely) {
        int start = pos;
        if (!skipToken()) {
            throw error("expected a token");
        }
        int length = pos - start;
        for (String l : likely) {
            if (l.length() == length && sameAt(start, l)) {
                return l;
            }
        }
        return text.substring(start, pos);
    }

    /** True when {@code s} is spelled exactly so at {@code start}; for short strings, cheaper than regionMatches. */
    private boolean sameAt(int start, String s) {
        for (int i = 0; i < s.length(); i++) {
            if (text.charAt(start + i) != s.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    /** A run of token characters, possibly empty. */
    public String optionalToken() {
        int start = pos;
        while (pos < end && SipChars.isToken(text.charAt(pos))) {
            pos++;
        }
        return text.substring(start, pos);
    }

    /** A run of digits as a non-negative number no larger than {@code max}. */
    public long number(long max) {
        int start = pos;
        long value = 0;
        while (pos < end) {
            char c = text.charAt(pos);
            if (c < '0' || c > '9') {
                break;
            }
            value = value * 10 + (c - '0');
            if (value > max) {
                throw error("number larger than " + max);
            }
            pos++;
        }
        if (pos == start) {
            throw error("expected a number");
        }
        return value;
    }

    /** A quoted-string, returned with its quotes and escapes exactly as written. */
    public String quotedString() {
        int start = pos;
        expect('"');
        while (pos < end) {
            char c = text.charAt(pos++);
            if (c == '"') {
                return text.substring(start, pos);
            }
            if (c == '\\') {
                if (pos >= end) {
                    break;
                }
                char escaped = text.charAt(pos++);
                // RFC 3261 §25.1: quoted-pair = "\" (%x00-09 / %x0B-0C / %x0E-7F); CR and LF cannot be escaped
                if (escaped == '\r' || escaped == '\n') {
                    throw error("CR or LF in a quoted-pair");
                }
            } else if (c == '\r' || c == '\n') {
                throw error("CR or LF in a quoted-string");
            }
        }
        throw error("unterminated quoted-string");
    }

    /**
     * Generic parameters {@code *( SEMI generic-param )} of header values (RFC 3261 §25.1):
     * {@code token [ EQUAL gen-value ]}, gen-value = token / host / quoted-string.
     */
    public Parameters headerParameters() {
        if (!peekSeparator(';')) {
            return Parameters.EMPTY;
        }
        Parameters.Parameter[] items = new Parameters.Parameter[4];
        int count = 0;
        while (acceptSeparator(';')) {
            String name = token(LIKELY_PARAMETERS);
            String value = null;
            if (acceptSeparator('=')) {
                value = peek() == '"' ? quotedString() : genValue();
            }
            if (count == items.length) {
                items = Arrays.copyOf(items, count * 2);
            }
            items[count++] = new Parameters.Parameter(name, value);
        }
        return Parameters.of(items, count);
    }

    /** gen-value that is not quoted: a token or a host (including an IPv6 reference). */
    private String genValue() {
        int start = pos;
        if (peek() == '[') {
            while (pos < end && text.charAt(pos) != ']') {
                pos++;
            }
            expect(']');
            return text.substring(start, pos);
        }
        while (pos < end) {
            char c = text.charAt(pos);
            if (!SipChars.isToken(c) && c != ':') {
                break;
            }
            pos++;
        }
        if (pos == start) {
            throw error("expected a parameter value");
        }
        return text.substring(start, pos);
    }

    /** True when, after optional whitespace, {@code c} is next (nothing consumed). */
    public boolean peekSeparator(char c) {
        int i = pos;
        while (i < end && SipChars.isWhitespace(text.charAt(i))) {
            i++;
        }
        return i < end && text.charAt(i) == c;
    }

    /** Fails unless only whitespace remains. */
    public void expectEnd() {
        skipWhitespace();
        if (pos < end) {
            throw error("unexpected '" + text.charAt(pos) + "'");
        }
    }

    public String rest() {
        return text.substring(Math.min(pos, end), end);
    }

    public SipSyntaxException error(String what) {
        return new SipSyntaxException(what + " at " + pos + " in \"" + abbreviate() + '"');
    }

    private String abbreviate() {
        return text.length() <= 80 ? text : text.substring(0, 77) + "...";
    }
}
