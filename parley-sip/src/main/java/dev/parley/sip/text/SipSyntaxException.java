package dev.parley.sip.text;

/**
 * Malformed SIP text: a URI, a header value or a message element that does not follow its grammar.
 *
 * <p>The message parser never lets this escape: it turns it into a {@code ParseResult} carrying the status a server
 * should answer. It surfaces directly only from the typed accessors of headers that are parsed lazily, where the
 * caller (the SIP stack) answers {@code 400 Bad Request} naming the header. It carries no stack trace: it is
 * ordinary bad input, not a programming error.
 */
public final class SipSyntaxException extends RuntimeException {
    private final int status;

    public SipSyntaxException(String message) {
        this(400, message);
    }

    public SipSyntaxException(int status, String message) {
        super(message, null, false, false);
        this.status = status;
    }

    /** The response status a server should answer with (400 unless a more specific one applies). */
    public int status() {
        return status;
    }
}
