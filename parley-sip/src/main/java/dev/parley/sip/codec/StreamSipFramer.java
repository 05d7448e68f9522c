package dev.parley.sip.codec;

/**
 * Cuts a byte stream (TCP, TLS) into SIP messages (RFC 3261 §18.3): the header section ends at the first empty line,
 * and Content-Length, mandatory on streams, says where the body ends. Input may arrive split at any byte.
 *
 * <p>Between messages, CRLFs are keep-alives (RFC 5626 §3.5.1): a double CRLF is a "ping" that the transport
 * answers with a single CRLF "pong"; single CRLFs are ignored.
 *
 * <p>When framing is lost (no or bad Content-Length, a header section or body over the limits) the framer reports
 * one {@link ParseResult.Malformed}, whose error response the transport may send, and then ignores the rest of the
 * stream: the transport should close the connection, since no later byte can be trusted to start a message.
 *
 * <p>Not thread-safe: one framer per connection, fed from that connection's event loop.
 */
public final class StreamSipFramer {

    /** Receives what the framer finds, in stream order. */
    public interface Listener {
        /** A complete message, or a malformed one (the framer has failed if the framing itself was wrong). */
        void onMessage(ParseResult result);

        /** A CRLFCRLF ping arrived between messages; answer with CRLF (RFC 5626 §4.4.1). */
        void onKeepAlivePing();
    }

    private final SipParser parser;
    private final SipLimits limits;
    private byte[] buffer = new byte[4096];
    private int start;
    private int end;
    /** How far the search for the empty line has looked, relative to {@code start}. */
    private int scanned;
    /** Total length of the current message once its header section is known, or -1. */
    private int frameLength = -1;
    private int crlfRun;
    private boolean failed;

    public StreamSipFramer(SipParser parser) {
        this.parser = parser;
        this.limits = parser.limits();
    }

    /** True once framing was lost: the connection should be closed. */
    public boolean failed() {
        return failed;
    }

    /** Bytes held for an incomplete message. */
    public int buffered() {
        return end - start;
    }

    /** Feeds the next bytes of the stream; complete messages go to {@code listener} before this returns. */
    public void feed(byte[] data, int offset, int length, Listener listener) {
        if (failed) {
            return;
        }
        int i = offset;
        int stop = offset + length;
        while (i < stop && !failed) {
            if (end == start) {
                // between messages: consume keep-alive CRLFs without buffering them
                i = skipKeepAlives(data, i, stop, listener);
                if (i == stop) {
                    break;
                }
            }
            int take = stop - i;
            if (frameLength >= 0) {
                take = Math.min(take, frameLength - (end - start));
            } else {
                // never more than a header section may hold, so where the stream was cut cannot matter
                take = Math.min(take, limits.maxHeaderSectionBytes() - (end - start));
            }
            append(data, i, take);
            i += take;
            drain(listener);
        }
    }

    private int skipKeepAlives(byte[] data, int i, int stop, Listener listener) {
        while (i < stop) {
            byte b = data[i];
            if (b == '\r' || b == '\n') {
                crlfRun = b == '\n' ? crlfRun + 1 : crlfRun;
                if (crlfRun == 2) {
                    listener.onKeepAlivePing();
                    crlfRun = 0;
                }
                i++;
            } else {
                crlfRun = 0;
                return i;
            }
        }
        return i;
    }

    private void drain(Listener listener) {
        while (!failed && end > start) {
            if (frameLength < 0) {
                // keep-alives may follow a message in the same read
                start = skipKeepAlives(buffer, start, end, listener);
                if (start == end) {
                    start = 0;
                    end = 0;
                    return;
                }
            }
            if (frameLength < 0 && !findFrame(listener)) {
                return;
            }
            if (failed || end - start < frameLength) {
                return;
            }
            ParseResult result = parser.parseFramed(buffer, start, frameLength);
            start += frameLength;
            frameLength = -1;
            scanned = 0;
            if (start == end) {
                start = 0;
                end = 0;
            }
            listener.onMessage(result);
        }
    }

    /** Looks for the end of the header section and reads Content-Length; false when more bytes are needed. */
    private boolean findFrame(Listener listener) {
        int headerEnd = -1;
        for (int i = start + Math.max(0, scanned - 3); i < end; i++) {
            if (buffer[i] == '\n') {
                // an empty line: LF followed by LF, or by CRLF
                if (i + 1 < end && buffer[i + 1] == '\n') {
                    headerEnd = i + 2;
                    break;
                }
                if (i + 2 < end && buffer[i + 1] == '\r' && buffer[i + 2] == '\n') {
                    headerEnd = i + 3;
                    break;
                }
            }
        }
        if (headerEnd < 0) {
            scanned = end - start;
            // a full section's worth without its empty line: the section, empty line included, cannot fit
            if (scanned >= limits.maxHeaderSectionBytes()) {
                fail(listener, 513, "header section exceeds " + limits.maxHeaderSectionBytes() + " octets");
            }
            return false;
        }
        long contentLength = contentLength(headerEnd);
        if (contentLength == MISSING) {
            fail(listener, 400, "no Content-Length on a stream transport");
            return false;
        }
        if (contentLength == INVALID) {
            fail(listener, 400, "malformed or repeated Content-Length");
            return false;
        }
        if (contentLength > limits.maxBodyBytes()
                || headerEnd - start + contentLength > limits.maxMessageBytes()) {
            fail(listener, 513, "Content-Length " + contentLength + " exceeds the limit");
            return false;
        }
        frameLength = (int) (headerEnd - start + contentLength);
        return true;
    }

    private static final long MISSING = -1;
    private static final long INVALID = -2;

    /** The Content-Length of the header section in {@code buffer[start..headerEnd)}, MISSING or INVALID. */
    private long contentLength(int headerEnd) {
        long found = MISSING;
        int line = start;
        while (line < headerEnd) {
            int lf = line;
            while (lf < headerEnd && buffer[lf] != '\n') {
                lf++;
            }
            // RFC 3261 §7.3.1: continuation lines belong to the field, so its value may be folded
            int fieldEnd = lf;
            while (fieldEnd + 1 < headerEnd && (buffer[fieldEnd + 1] == ' ' || buffer[fieldEnd + 1] == '\t')) {
                fieldEnd++;
                while (fieldEnd < headerEnd && buffer[fieldEnd] != '\n') {
                    fieldEnd++;
                }
            }
            int colon = nameEndIfContentLength(line, lf);
            if (colon >= 0) {
                if (found != MISSING) {
                    return INVALID;
                }
                found = digits(colon + 1, fieldEnd);
                if (found == INVALID) {
                    return INVALID;
                }
            }
            line = fieldEnd + 1;
        }
        return found;
    }

    /** The colon's index when the line is a Content-Length (or compact {@code l}) header, else -1. */
    private int nameEndIfContentLength(int from, int to) {
        int i = from;
        while (i < to && buffer[i] != ':' && buffer[i] != ' ' && buffer[i] != '\t') {
            i++;
        }
        int nameEnd = i;
        while (i < to && (buffer[i] == ' ' || buffer[i] == '\t')) {
            i++;
        }
        if (i >= to || buffer[i] != ':') {
            return -1;
        }
        int len = nameEnd - from;
        if (len == 1 && (buffer[from] | 0x20) == 'l') {
            return i;
        }
        String name = "content-length";
        if (len != name.length()) {
            return -1;
        }
        for (int k = 0; k < len; k++) {
            if ((buffer[from + k] | 0x20) != name.charAt(k) && !(name.charAt(k) == '-' && buffer[from + k] == '-')) {
                return -1;
            }
        }
        return i;
    }

    /** 1*DIGIT surrounded by optional whitespace, at most 10 digits; INVALID otherwise. */
    private long digits(int from, int to) {
        int i = skipLinearWhitespace(from, to);
        long v = 0;
        int n = 0;
        while (i < to && buffer[i] >= '0' && buffer[i] <= '9') {
            v = v * 10 + (buffer[i] - '0');
            i++;
            n++;
            // bounded by value, not by digit count: leading zeros are 1*DIGIT too (RFC 3261 §20.14)
            if (v > 0xFFFF_FFFFL) {
                return INVALID;
            }
        }
        i = skipLinearWhitespace(i, to);
        return n == 0 || i != to ? INVALID : v;
    }

    /** Skips SP, HTAB and the CR/LF of folded lines. */
    private int skipLinearWhitespace(int from, int to) {
        int i = from;
        while (i < to && (buffer[i] == ' ' || buffer[i] == '\t' || buffer[i] == '\r' || buffer[i] == '\n')) {
            i++;
        }
        return i;
    }

    private void fail(Listener listener, int status, String error) {
        failed = true;
        ParseResult.Malformed m = parser.framingError(buffer, start, end - start, status, error);
        buffer = new byte[0];
        start = 0;
        end = 0;
        listener.onMessage(m);
    }

    private void append(byte[] data, int offset, int length) {
        if (end + length > buffer.length) {
            int live = end - start;
            if (live + length <= buffer.length && start > 0) {
                System.arraycopy(buffer, start, buffer, 0, live);
            } else {
                byte[] grown = new byte[Math.max(buffer.length * 2, live + length)];
                System.arraycopy(buffer, start, grown, 0, live);
                buffer = grown;
            }
            start = 0;
            end = live;
        }
        System.arraycopy(data, offset, buffer, end, length);
        end += length;
    }

    @Override
    public String toString() {
        return "StreamSipFramer[buffered=" + buffered() + (failed ? ", failed" : "") + "]";
    }
}
