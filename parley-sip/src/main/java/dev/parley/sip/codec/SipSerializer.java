package dev.parley.sip.codec;

import dev.parley.sip.header.HeaderField;
import dev.parley.sip.header.HeaderName;
import dev.parley.sip.message.SipMessage;
import java.nio.charset.StandardCharsets;

/**
 * Writes messages in canonical form: the start line, each header field on one line as
 * {@code Name: value} with the long name in its registered spelling (compact forms expanded, unknown names as
 * received), values as stored, exactly one {@code Content-Length} equal to the body's length, an empty line and
 * the body. Parsing the output gives the same message, and writing that again gives the same bytes.
 */
public final class SipSerializer {
    private SipSerializer() {
    }

    public static byte[] serialize(SipMessage message) {
        StringBuilder head = new StringBuilder(512);
        head.append(message.startLine()).append("\r\n");
        boolean lengthWritten = false;
        int bodyLength = message.body().length();
        for (HeaderField f : message.headers()) {
            HeaderName name = f.name();
            if (name.equals(HeaderName.CONTENT_LENGTH)) {
                if (!lengthWritten) {
                    head.append("Content-Length: ").append(bodyLength).append("\r\n");
                    lengthWritten = true;
                }
                continue;
            }
            head.append(name.name()).append(": ").append(f.value()).append("\r\n");
        }
        if (!lengthWritten) {
            head.append("Content-Length: ").append(bodyLength).append("\r\n");
        }
        head.append("\r\n");
        byte[] headBytes = encode(head);
        byte[] out = new byte[headBytes.length + bodyLength];
        System.arraycopy(headBytes, 0, out, 0, headBytes.length);
        message.body().copyTo(out, headBytes.length);
        return out;
    }

    /** UTF-8, with the common all-ASCII case copied without a charset encoder. */
    private static byte[] encode(StringBuilder text) {
        int n = text.length();
        for (int i = 0; i < n; i++) {
            if (text.charAt(i) >= 0x80) {
                return text.toString().getBytes(StandardCharsets.UTF_8);
            }
        }
        byte[] out = new byte[n];
        for (int i = 0; i < n; i++) {
            out[i] = (byte) text.charAt(i);
        }
        return out;
    }

    /** The message as text, for logs and tests. */
    public static String toText(SipMessage message) {
        return new String(serialize(message), StandardCharsets.UTF_8);
    }
}
