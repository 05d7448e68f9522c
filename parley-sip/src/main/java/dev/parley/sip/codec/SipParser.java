package dev.parley.sip.codec;

import dev.parley.common.Ascii;
import dev.parley.sip.header.HeaderField;
import dev.parley.sip.header.HeaderName;
import dev.parley.sip.header.HeaderType;
import dev.parley.sip.message.Body;
import dev.parley.sip.message.Headers;
import dev.parley.sip.message.SipMessage;
import dev.parley.sip.message.SipMethod;
import dev.parley.sip.message.SipRequest;
import dev.parley.sip.message.SipResponse;
import dev.parley.sip.text.SipChars;
import dev.parley.sip.text.SipSyntaxException;
import dev.parley.sip.uri.SipUri;
import dev.parley.sip.uri.Uri;
import dev.parley.sip.uri.UriParser;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Reads one SIP message from bytes (RFC 3261 §7). Thread-safe and stateless apart from its limits.
 *
 * <p>What it checks, so the layers above can rely on it:
 * <ul>
 *   <li>the start line exactly: one SP between elements (RFC 4475 §3.1.2.9/10), a Request-URI without whitespace
 *       (§3.1.2.8) or embedded headers (§3.1.2.11), a three-digit status (§3.1.2.19), version {@code SIP/2.0}
 *       (other versions get {@code 505}, §3.1.2.16);</li>
 *   <li>the headers a transaction needs: at least one Via; exactly one From, To, Call-ID and CSeq; at most one
 *       Max-Forwards, Content-Length and Content-Type (§3.3.8, §3.3.9); all of them, Contact, Route and
 *       Record-Route well-formed; the CSeq method equal to the request method (§3.1.2.17);</li>
 *   <li>the body length: Content-Length that is not a plain number, or that exceeds a datagram, is an error
 *       (§3.1.2.2, §3.1.2.3); octets after the body in a datagram are ignored (§3.1.1.8).</li>
 * </ul>
 * Every other header is kept as read and parsed on first access. Header values must be UTF-8 (RFC 3261 §7.3.1).
 */
public final class SipParser {
    private static final byte CR = '\r';
    private static final byte LF = '\n';
    /** Reads eight octets of a {@code byte[]} at once, so that {@link Reader#lineEnd} can skip ordinary text fast. */
    private static final VarHandle OCTETS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final long ONES = 0x0101_0101_0101_0101L;
    private static final long HIGH_BITS = 0x8080_8080_8080_8080L;

    private final SipLimits limits;

    public SipParser(SipLimits limits) {
        this.limits = limits;
    }

    public static SipParser standard() {
        return new SipParser(SipLimits.DEFAULT);
    }

    public SipLimits limits() {
        return limits;
    }

    /**
     * Parses one UDP datagram: the body runs to Content-Length or, without one, to the end of the datagram
     * (RFC 3261 §18.3). Never throws for any input.
     */
    public ParseResult parseDatagram(byte[] data, int offset, int length) {
        return parse(data, offset, length, false);
    }

    public ParseResult parseDatagram(byte[] data) {
        return parseDatagram(data, 0, data.length);
    }

    /** Parses a message the stream framer has delimited: Content-Length is required and matches exactly. */
    ParseResult parseFramed(byte[] data, int offset, int length) {
        return parse(data, offset, length, true);
    }

    private ParseResult parse(byte[] data, int offset, int length, boolean framed) {
        Reader r = new Reader(data, offset, offset + length);
        try {
            return r.read(framed);
        } catch (SipSyntaxException e) {
            return r.malformed(e.status(), e.getMessage());
        } catch (RuntimeException e) {
            // Defence in depth: a bug must not turn bad input into a crash. The fuzz tests keep this path unused.
            return r.malformed(400, "unparseable message (" + e.getClass().getSimpleName() + ")");
        }
    }

    /**
     * A {@code Malformed} result for a stream whose framing failed (no usable Content-Length, limits exceeded): the
     * header section is read as far as it goes so that the answer can still carry the right Via.
     */
    ParseResult.Malformed framingError(byte[] data, int offset, int length, int status, String error) {
        Reader r = new Reader(data, offset, offset + length);
        try {
            r.readHeadersOnly();
        } catch (RuntimeException ignored) {
            // what was read before the error is what the answer can use
        }
        return r.malformed(status, error);
    }

    /**
     * True when each of the eight octets of {@code word} lies in 0x0E..0x7F, so none is LF, CR, HTAB, NUL or
     * non-ASCII: text that {@link Reader#lineEnd} can pass over. An octet below 0x0E borrows when 0x0E is
     * subtracted from it and so sets its top bit; an octet above 0x7F has it set already. (A borrow can carry into
     * the next octet only from one that is itself below 0x0E, so no octet is misjudged when the answer is true.)
     */
    private static boolean isPlainText(long word) {
        return (((word - 0x0E * ONES) | word) & HIGH_BITS) == 0;
    }

    /** The state of reading one message. */
    private final class Reader {
        private final byte[] data;
        private final int end;
        private int pos;
        private final List<HeaderField> fields = new ArrayList<>(16);
        private boolean request;
        private String method;
        /** Set by {@link #lineEnd}: the line holds a CR before its end, a NUL, a non-ASCII or another control octet. */
        private boolean lineNeedsCare;
        // Field lines of the headers validate() and readBody() check, counted as they are read (RFC 3261 §7.3.1:
        // one header may be spread over several lines)
        private int viaCount;
        private int fromCount;
        private int toCount;
        private int callIdCount;
        private int cseqCount;
        private int maxForwardsCount;
        private int contentTypeCount;
        private int contentLengthCount;
        private String contentLength;
        // the fields validate() reads, in the order they came: their index and the type they are read as
        private int[] checkedIndex = new int[8];
        private HeaderType<?>[] checkedType = new HeaderType<?>[8];
        private int checkedCount;

        Reader(byte[] data, int start, int end) {
            this.data = data;
            this.pos = start;
            this.end = end;
        }

        ParseResult read(boolean framed) {
            // RFC 3261 §7.5: ignore CRLFs before the start line
            while (pos < end && (data[pos] == CR || data[pos] == LF)) {
                pos++;
            }
            if (pos == end) {
                return new ParseResult.KeepAlive();
            }
            if (end - pos > limits.maxMessageBytes()) {
                request = !startsWithSipVersion();
                // nothing is read: a message this large gets no answer over UDP, and a stream is closed
                throw new SipSyntaxException(513, "message of " + (end - pos) + " octets exceeds the limit");
            }
            int headerStart = pos;
            request = !startsWithSipVersion();
            int lineEnd = lineEnd(pos);
            String startLine = text(pos, contentEnd(pos, lineEnd), "start line");
            if (request) {
                int space = startLine.indexOf(' ');
                method = SipMethod.intern(space > 0 ? startLine.substring(0, space) : startLine);
            }
            pos = lineEnd + 1;
            // The headers first: an error in the start line (505, say) is still answered with the right Via.
            readHeaders(headerStart);
            StartLine start = readStartLine(startLine);
            Body body = readBody(framed);
            Headers headers = Headers.of(fields);
            SipMessage message = start.isRequest()
                    ? SipRequest.of(start.method, start.uri, headers, body)
                    : SipResponse.of(start.status, start.reason, headers, body);
            validate(message);
            return new ParseResult.Parsed(message);
        }

        void readHeadersOnly() {
            request = !startsWithSipVersion();
            int headerStart = pos;
            int lineEnd = lineEnd(pos);
            String startLine = text(pos, contentEnd(pos, lineEnd), "start line");
            if (request) {
                int space = startLine.indexOf(' ');
                method = SipMethod.intern(space > 0 ? startLine.substring(0, space) : startLine);
            }
            pos = lineEnd + 1;
            readHeaders(headerStart);
        }

        private boolean startsWithSipVersion() {
            return end - pos >= 4 && (data[pos] | 0x20) == 's' && (data[pos + 1] | 0x20) == 'i'
                    && (data[pos + 2] | 0x20) == 'p' && data[pos + 3] == '/';
        }

        // ---- start line (RFC 3261 §7.1, §7.2) ----

        private record StartLine(String method, Uri uri, int status, String reason) {
            boolean isRequest() {
                return method != null;
            }
        }

        private StartLine readStartLine(String line) {
            if (line.regionMatches(true, 0, "SIP/", 0, 4)) {
                return readStatusLine(line);
            }
            int firstSpace = line.indexOf(' ');
            int lastSpace = line.lastIndexOf(' ');
            if (firstSpace <= 0 || lastSpace == firstSpace) {
                throw new SipSyntaxException("request line is not Method SP Request-URI SP SIP-Version");
            }
            String m = line.substring(0, firstSpace);
            if (!SipChars.isToken(m)) {
                throw new SipSyntaxException("method is not a token");
            }
            checkVersion(line.substring(lastSpace + 1), true);
            int uriStart = firstSpace + 1;
            for (int i = uriStart; i < lastSpace; i++) {
                if (line.charAt(i) == ' ' || line.charAt(i) == '\t') {
                    throw new SipSyntaxException("whitespace inside or around the Request-URI");
                }
            }
            if (uriStart == lastSpace) {
                throw new SipSyntaxException("empty Request-URI");
            }
            Uri uri = UriParser.parse(line, uriStart, lastSpace);
            // RFC 3261 §19.1.5: headers are not allowed in a Request-URI (RFC 4475 §3.1.2.11)
            if (uri instanceof SipUri sip && !sip.headers().isEmpty()) {
                throw new SipSyntaxException("headers in the Request-URI");
            }
            return new StartLine(SipMethod.intern(m), uri, 0, null);
        }

        private StartLine readStatusLine(String line) {
            int firstSpace = line.indexOf(' ');
            if (firstSpace < 0) {
                throw new SipSyntaxException("status line is not SIP-Version SP Status-Code SP Reason-Phrase");
            }
            checkVersion(line.substring(0, firstSpace), false);
            int codeEnd = firstSpace + 1;
            while (codeEnd < line.length() && Ascii.isDigit(line.charAt(codeEnd))) {
                codeEnd++;
            }
            // Status-Code = 3DIGIT, 100 to 699 (RFC 3261 §7.2, RFC 4475 §3.1.2.19)
            if (codeEnd - firstSpace - 1 != 3 || (codeEnd < line.length() && line.charAt(codeEnd) != ' ')) {
                throw new SipSyntaxException("status code is not three digits");
            }
            int status = Integer.parseInt(line, firstSpace + 1, codeEnd, 10);
            if (status < 100 || status > 699) {
                throw new SipSyntaxException("status code out of range");
            }
            // An empty Reason-Phrase is valid (RFC 4475 §3.1.1.13); tolerate a missing SP before it.
            String reason = codeEnd < line.length() ? line.substring(codeEnd + 1) : "";
            return new StartLine(null, null, status, reason);
        }

        /** SIP-Version = "SIP" "/" 1*DIGIT "." 1*DIGIT; anything but 2.0 is {@code 505} (RFC 3261 §8.2.1). */
        private void checkVersion(String version, boolean isRequest) {
            if (version.equals(SipMessage.SIP_2_0)) {
                return;
            }
            int slash = 3;
            boolean wellFormed = version.length() > 6 && version.regionMatches(true, 0, "SIP", 0, 3)
                    && version.charAt(slash) == '/';
            int dot = version.indexOf('.', slash);
            wellFormed = wellFormed && dot > slash + 1 && dot < version.length() - 1
                    && allDigits(version, slash + 1, dot) && allDigits(version, dot + 1, version.length());
            if (!wellFormed) {
                throw new SipSyntaxException("malformed SIP-Version");
            }
            if (!version.substring(slash).equals("/2.0")) {
                throw new SipSyntaxException(isRequest ? 505 : 400, "unsupported SIP-Version " + version);
            }
        }

        private static boolean allDigits(String s, int from, int to) {
            for (int i = from; i < to; i++) {
                if (!Ascii.isDigit(s.charAt(i))) {
                    return false;
                }
            }
            return from < to;
        }

        // ---- header section (RFC 3261 §7.3) ----

        private void readHeaders(int headerStart) {
            HeaderName name = null;
            String value = null;
            StringBuilder folded = null;
            boolean pending = false;
            try {
                while (true) {
                    if (pos >= end) {
                        throw new SipSyntaxException("header section not terminated by an empty line");
                    }
                    int lineEnd = lineEnd(pos);
                    // Counted through the LF of each line, the empty line's included, as StreamSipFramer counts it:
                    // a stream cut anywhere must get the same answer (checking where a line starts let one line
                    // of up to maxLineBytes run past the limit).
                    if (lineEnd + 1 - headerStart > limits.maxHeaderSectionBytes()) {
                        throw new SipSyntaxException(513, "header section exceeds the limit");
                    }
                    int contentEnd = contentEnd(pos, lineEnd);
                    if (contentEnd == pos) {
                        pos = lineEnd + 1;
                        break;
                    }
                    byte first = data[pos];
                    if (first == ' ' || first == '\t') {
                        // RFC 3261 §7.3.1: a continuation line is the same as one SP
                        if (name == null) {
                            throw new SipSyntaxException("continuation line before any header");
                        }
                        if (folded == null) {
                            folded = new StringBuilder(value);
                        }
                        String more = value(pos, contentEnd, name.name());
                        if (!more.isEmpty()) {
                            if (!folded.isEmpty()) {
                                folded.append(' ');
                            }
                            folded.append(more);
                        }
                    } else {
                        if (name != null) {
                            pending = false;
                            addField(name, folded != null ? folded.toString() : value);
                        }
                        int colon = headerNameEnd(pos, contentEnd);
                        int nameEnd = colon;
                        while (nameEnd > pos && (data[nameEnd - 1] == ' ' || data[nameEnd - 1] == '\t')) {
                            nameEnd--;
                        }
                        name = headerName(pos, nameEnd);
                        value = value(colon + 1, contentEnd, name.name());
                        folded = null;
                        pending = true;
                    }
                    pos = lineEnd + 1;
                }
            } catch (SipSyntaxException e) {
                // A field is added when the next line shows it is not folded; one complete before the error is
                // still "what was read", and the answer needs its Via to be routed (RFC 3261 §18.2.2).
                if (pending && fields.size() < limits.maxHeaderCount()) {
                    fields.add(new HeaderField(name, folded != null ? folded.toString() : value));
                }
                throw e;
            }
            if (name != null) {
                addField(name, folded != null ? folded.toString() : value);
            }
        }

        private void addField(HeaderName name, String value) {
            if (fields.size() >= limits.maxHeaderCount()) {
                throw new SipSyntaxException(513, "more than " + limits.maxHeaderCount() + " header fields");
            }
            fields.add(new HeaderField(name, value));
            if (name.isKnown()) {
                countKnown(name, value);
            }
        }

        /**
         * Counts the headers {@link #validate} and {@link #readBody} need, by identity on the known names, and notes
         * the fields {@link #validate} reads.
         */
        private void countKnown(HeaderName name, String value) {
            if (name == HeaderName.VIA) {
                viaCount++;
                readLater(HeaderType.VIA);
            } else if (name == HeaderName.FROM) {
                fromCount++;
                readLater(HeaderType.FROM);
            } else if (name == HeaderName.TO) {
                toCount++;
                readLater(HeaderType.TO);
            } else if (name == HeaderName.CALL_ID) {
                callIdCount++;
                readLater(HeaderType.CALL_ID);
            } else if (name == HeaderName.CSEQ) {
                cseqCount++;
                readLater(HeaderType.CSEQ);
            } else if (name == HeaderName.MAX_FORWARDS) {
                maxForwardsCount++;
                readLater(HeaderType.MAX_FORWARDS);
            } else if (name == HeaderName.CONTENT_TYPE) {
                contentTypeCount++;
                readLater(HeaderType.CONTENT_TYPE);
            } else if (name == HeaderName.CONTENT_LENGTH) {
                if (contentLengthCount++ == 0) {
                    contentLength = value;
                }
            } else if (name == HeaderName.CONTACT) {
                readLater(HeaderType.CONTACT);
            } else if (name == HeaderName.ROUTE) {
                readLater(HeaderType.ROUTE);
            } else if (name == HeaderName.RECORD_ROUTE) {
                readLater(HeaderType.RECORD_ROUTE);
            }
        }

        /** Notes that {@link #validate} reads the field just added as {@code type}. */
        private void readLater(HeaderType<?> type) {
            if (checkedCount == checkedIndex.length) {
                checkedIndex = Arrays.copyOf(checkedIndex, checkedCount * 2);
                checkedType = Arrays.copyOf(checkedType, checkedCount * 2);
            }
            checkedIndex[checkedCount] = fields.size() - 1;
            checkedType[checkedCount++] = type;
        }

        /** field-name = token, then optional whitespace and the colon (HCOLON). */
        private int headerNameEnd(int from, int to) {
            int i = from;
            while (i < to && data[i] >= 0 && SipChars.isToken((char) data[i])) {
                i++;
            }
            if (i == from) {
                throw new SipSyntaxException("header line does not start with a field name");
            }
            while (i < to && (data[i] == ' ' || data[i] == '\t')) {
                i++;
            }
            if (i >= to || data[i] != ':') {
                throw new SipSyntaxException("header line without a colon");
            }
            return i;
        }

        private HeaderName headerName(int from, int to) {
            HeaderName known = HeaderName.lookup(data, from, to - from);
            return known != null ? known : HeaderName.of(new String(data, from, to - from, StandardCharsets.US_ASCII));
        }

        // ---- body (RFC 3261 §7.4, §18.3, §20.14) ----

        private Body readBody(boolean framed) {
            if (contentLengthCount > 1) {
                throw new SipSyntaxException("more than one Content-Length");
            }
            String lengthValue = contentLength;
            int available = end - pos;
            if (lengthValue == null) {
                if (framed) {
                    throw new SipSyntaxException("Content-Length is required on a stream");
                }
                return bodyOf(available);
            }
            long declared = HeaderType.CONTENT_LENGTH.parseSingle(lengthValue);
            if (declared > limits.maxBodyBytes()) {
                throw new SipSyntaxException(513, "Content-Length " + declared + " exceeds the limit");
            }
            if (declared > available) {
                throw new SipSyntaxException("Content-Length " + declared + " exceeds the " + available
                        + " octets received");
            }
            return bodyOf((int) declared);
        }

        private Body bodyOf(int length) {
            if (length > limits.maxBodyBytes()) {
                throw new SipSyntaxException(513, "body of " + length + " octets exceeds the limit");
            }
            return Body.of(data, pos, length);
        }

        // ---- the headers every layer relies on ----

        private void validate(SipMessage m) {
            requireOne(fromCount, HeaderName.FROM);
            requireOne(toCount, HeaderName.TO);
            requireOne(callIdCount, HeaderName.CALL_ID);
            requireOne(cseqCount, HeaderName.CSEQ);
            atMostOne(maxForwardsCount, HeaderName.MAX_FORWARDS);
            atMostOne(contentTypeCount, HeaderName.CONTENT_TYPE);
            if (viaCount == 0) {
                throw new SipSyntaxException("no Via");
            }
            Headers headers = m.headers();
            try {
                for (int k = 0; k < checkedCount; k++) {
                    headers.parseAt(checkedIndex[k], checkedType[k]);
                }
            } catch (SipSyntaxException e) {
                // One pass in the order the fields came is enough for a valid message. For an invalid one, the
                // checks run again header by header, so that the error reported does not depend on field order.
                checkInOrder(headers);
                throw e;
            }
            if (m instanceof SipRequest req && !req.cseq().method().equals(req.method())) {
                throw new SipSyntaxException("CSeq method " + req.cseq().method() + " differs from " + req.method());
            }
        }

        private static void checkInOrder(Headers headers) {
            headers.parseAll(HeaderType.VIA);
            check(headers, HeaderType.FROM);
            check(headers, HeaderType.TO);
            check(headers, HeaderType.CALL_ID);
            check(headers, HeaderType.CSEQ);
            check(headers, HeaderType.MAX_FORWARDS);
            check(headers, HeaderType.CONTENT_TYPE);
            check(headers, HeaderType.CONTACT);
            check(headers, HeaderType.ROUTE);
            check(headers, HeaderType.RECORD_ROUTE);
        }

        /** Reads every field of that header now, so that the message's accessors for it cannot fail later. */
        private static void check(Headers headers, HeaderType<?> type) {
            try {
                headers.parseAll(type);
            } catch (SipSyntaxException e) {
                throw new SipSyntaxException("malformed " + type.name() + ": " + e.getMessage());
            }
        }

        private static void requireOne(int count, HeaderName name) {
            if (count != 1) {
                throw new SipSyntaxException(count == 0 ? "missing " + name : "more than one " + name);
            }
        }

        private static void atMostOne(int count, HeaderName name) {
            if (count > 1) {
                throw new SipSyntaxException("more than one " + name);
            }
        }

        // ---- bytes to text ----

        /**
         * The index of the LF ending the line that starts at {@code from}; lines end in CRLF or a bare LF. The same
         * pass sets {@link #lineNeedsCare} so that {@link #text} looks at each octet again only on unusual lines.
         */
        private int lineEnd(int from) {
            int limit = Math.min(end, from + limits.maxLineBytes() + 2);
            int unusual = 0;
            int i = from;
            while (i < limit) {
                if (limit - i >= Long.BYTES && isPlainText((long) OCTETS.get(data, i))) {
                    i += Long.BYTES;
                    continue;
                }
                for (int stop = Math.min(i + Long.BYTES, limit); i < stop; i++) {
                    byte b = data[i];
                    // one compare covers LF, CR, NUL, the other controls but HTAB, and non-ASCII (negative as a byte)
                    if (b <= CR) {
                        if (b == LF) {
                            int endingCr = i > from && data[i - 1] == CR ? 1 : 0;
                            lineNeedsCare = unusual > endingCr;
                            return i;
                        }
                        if (b != '\t') {
                            unusual++;
                        }
                    }
                }
            }
            if (limit < end) {
                throw new SipSyntaxException(513, "line longer than " + limits.maxLineBytes() + " octets");
            }
            throw new SipSyntaxException("message truncated: line without CRLF");
        }

        private int contentEnd(int from, int lineEnd) {
            return lineEnd > from && data[lineEnd - 1] == CR ? lineEnd - 1 : lineEnd;
        }

        /**
         * Decodes a line as UTF-8, ASCII on the fast path. A bare CR is refused: some peers split lines on it, so
         * letting it through would make two parsers see two different messages. Control characters, NUL included,
         * are legal in quoted-pairs (RFC 3261 §25.1, RFC 4475 §3.1.1.2) and are kept.
         */
        private String text(int from, int to, String what) {
            if (!lineNeedsCare) {
                return new String(data, from, to - from, StandardCharsets.ISO_8859_1);
            }
            boolean ascii = true;
            for (int i = from; i < to; i++) {
                byte b = data[i];
                if (b == CR) {
                    throw new SipSyntaxException("bare CR in " + what);
                }
                // RFC 3261 §25.1: NUL is legal only as a quoted-pair ("\" %x00); a raw one ends strings in C peers
                if (b == 0 && !escaped(from, i)) {
                    throw new SipSyntaxException("NUL outside a quoted-pair in " + what);
                }
                if (b < 0) {
                    ascii = false;
                }
            }
            if (ascii) {
                return new String(data, from, to - from, StandardCharsets.ISO_8859_1);
            }
            try {
                CharBuffer chars = StandardCharsets.UTF_8.newDecoder()
                        .onMalformedInput(CodingErrorAction.REPORT)
                        .onUnmappableCharacter(CodingErrorAction.REPORT)
                        .decode(ByteBuffer.wrap(data, from, to - from));
                return chars.toString();
            } catch (CharacterCodingException e) {
                throw new SipSyntaxException("invalid UTF-8 in " + what);
            }
        }

        /**
         * A field value: {@link #text} without leading and trailing whitespace. A plain line is trimmed before the
         * copy, by the same rule as {@link String#strip()}; any other goes through {@code strip()} itself.
         */
        private String value(int from, int to, String what) {
            if (lineNeedsCare) {
                return text(from, to, what).strip();
            }
            while (from < to && Character.isWhitespace(data[from])) {
                from++;
            }
            while (to > from && Character.isWhitespace(data[to - 1])) {
                to--;
            }
            return new String(data, from, to - from, StandardCharsets.ISO_8859_1);
        }

        /** True when an odd number of backslashes precedes {@code data[i]} (from {@code from} on). */
        private boolean escaped(int from, int i) {
            int backslashes = 0;
            while (i - backslashes - 1 >= from && data[i - backslashes - 1] == '\\') {
                backslashes++;
            }
            return (backslashes & 1) == 1;
        }

        ParseResult.Malformed malformed(int status, String error) {
            return new ParseResult.Malformed(status, error, request, method, fields);
        }
    }
}
