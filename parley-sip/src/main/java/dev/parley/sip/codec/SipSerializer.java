package dev.parley.sip.codec;

import dev.parley.sip.header.HeaderField;
import dev.parley.sip.header.HeaderName;
import dev.parley.sip.message.Body;
import dev.parley.sip.message.Headers;
import dev.parley.sip.message.SipMessage;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Writes messages in canonical form: the start line, each header field on one line as
 * {@code Name: value} with the long name in its registered spelling (compact forms expanded, unknown names as
 * received), values as stored, exactly one {@code Content-Length} equal to the body's length, an empty line and
 * the body. Parsing the output gives the same message, and writing that again gives the same bytes.
 */
public final class SipSerializer {
    private static final byte[] CRLF = {'\r', '\n'};
    private static final byte[] NAME_END = {':', ' '};
    private static final byte[] CONTENT_LENGTH = "Content-Length: ".getBytes(StandardCharsets.US_ASCII);

    private SipSerializer() {
    }

    /**
     * The message's octets, written straight into one array sized from the text's length (the exact size for an
     * all-ASCII head): no intermediate text and no second copy on the send path, where every SIP message Parley
     * sends is serialised (issue 3, docs/benchmarks.md).
     */
    public static byte[] serialize(SipMessage message) {
        Headers headers = message.headers();
        Body body = message.body();
        int bodyLength = body.length();
        String startLine = message.startLine();
        // start line, the one Content-Length line, the empty line, the body; then each other field
        int size = startLine.length() + 2 + CONTENT_LENGTH.length + digits(bodyLength) + 2 + 2 + bodyLength;
        int n = headers.size();
        for (int i = 0; i < n; i++) {
            HeaderField f = headers.get(i);
            if (!f.name().equals(HeaderName.CONTENT_LENGTH)) {
                size += f.name().name().length() + 2 + f.value().length() + 2;
            }
        }
        Octets out = new Octets(size);
        out.text(startLine).raw(CRLF);
        boolean lengthWritten = false;
        for (int i = 0; i < n; i++) {
            HeaderField f = headers.get(i);
            HeaderName name = f.name();
            if (name.equals(HeaderName.CONTENT_LENGTH)) {
                if (!lengthWritten) {
                    out.raw(CONTENT_LENGTH).number(bodyLength).raw(CRLF);
                    lengthWritten = true;
                }
                continue;
            }
            out.text(name.name()).raw(NAME_END).text(f.value()).raw(CRLF);
        }
        if (!lengthWritten) {
            out.raw(CONTENT_LENGTH).number(bodyLength).raw(CRLF);
        }
        out.raw(CRLF);
        return out.withBody(body);
    }

    private static int digits(int value) {
        int d = 1;
        for (int v = value; v >= 10; v /= 10) {
            d++;
        }
        return d;
    }

    /** The message as text, for logs and tests. */
    public static String toText(SipMessage message) {
        return new String(serialize(message), StandardCharsets.UTF_8);
    }

    /**
     * A growing array of octets. Text is UTF-8: ASCII (nearly every SIP header) is copied char by char; a string
     * with any other character is encoded whole by the JDK.
     */
    private static final class Octets {
        private byte[] bytes;
        private int length;

        Octets(int capacity) {
            bytes = new byte[capacity];
        }

        Octets text(String s) {
            int n = s.length();
            room(n);
            byte[] b = bytes;
            int at = length;
            for (int i = 0; i < n; i++) {
                char c = s.charAt(i);
                if (c >= 0x80) {
                    return raw(s.getBytes(StandardCharsets.UTF_8));
                }
                b[at + i] = (byte) c;
            }
            length = at + n;
            return this;
        }

        Octets raw(byte[] octets) {
            room(octets.length);
            System.arraycopy(octets, 0, bytes, length, octets.length);
            length += octets.length;
            return this;
        }

        /** A body's length in decimal: never negative. */
        Octets number(int value) {
            int digits = digits(value);
            room(digits);
            int at = length + digits;
            int v = value;
            do {
                bytes[--at] = (byte) ('0' + v % 10);
                v /= 10;
            } while (v != 0);
            length += digits;
            return this;
        }

        byte[] withBody(Body body) {
            int total = length + body.length();
            byte[] out = total == bytes.length ? bytes : Arrays.copyOf(bytes, total);
            body.copyTo(out, length);
            return out;
        }

        private void room(int more) {
            if (length + more > bytes.length) {
                bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, length + more));
            }
        }
    }
}
