package dev.parley.sip.codec;

import dev.parley.sip.header.HeaderField;
import dev.parley.sip.header.HeaderName;
import dev.parley.sip.message.SipMessage;
import dev.parley.sip.message.SipMethod;
import dev.parley.sip.message.SipResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/** What the parser made of some bytes: a message, a keep-alive, or the reason it could not. */
public sealed interface ParseResult {

    /** A well-formed message. */
    record Parsed(SipMessage message) implements ParseResult {
        public Parsed {
            Objects.requireNonNull(message, "message");
        }
    }

    /** Only CRLFs: a keep-alive (RFC 5626 §3.5.1 over streams; some phones send one as a UDP datagram too). */
    record KeepAlive() implements ParseResult {
    }

    /**
     * Input that is not a valid SIP message.
     *
     * @param status what a server answers a request like this with: 400, 505 or 513
     * @param error what was wrong, for a debug log line (never contains key material: it names elements, and
     *     quotes at most a short prefix of a header value)
     * @param request true when the start line looked like a request, so an answer is due; false for responses and
     *     for garbage, which are dropped silently (RFC 3261 §18.1.2, §18.2.1)
     * @param method the request's method when it was read, or {@code null}
     * @param headersRead the header fields read before the error, exactly as received
     */
    record Malformed(int status, String error, boolean request, String method, List<HeaderField> headersRead)
            implements ParseResult {
        public Malformed {
            Objects.requireNonNull(error, "error");
            headersRead = List.copyOf(headersRead);
        }

        /**
         * The error response to send, when there is one: for a request that is not an ACK (RFC 3261 §17.1.1.3: an
         * ACK is never answered) and whose Via was read, so the answer can be routed (RFC 3261 §18.2.2). It copies
         * Via, From, To, Call-ID and CSeq as read (§8.2.6.2); the stack adds a To tag.
         */
        public Optional<SipResponse> errorResponse() {
            if (!request || SipMethod.ACK.equals(method)) {
                return Optional.empty();
            }
            SipResponse.Builder b = SipResponse.builder(status);
            boolean hasVia = false;
            List<HeaderName> copied = new ArrayList<>(4);
            for (HeaderField f : headersRead) {
                HeaderName n = f.name();
                if (n.equals(HeaderName.VIA)) {
                    hasVia = true;
                    b.add(n, f.value());
                } else if ((n.equals(HeaderName.FROM) || n.equals(HeaderName.TO) || n.equals(HeaderName.CALL_ID)
                        || n.equals(HeaderName.CSEQ)) && !copied.contains(n)) {
                    // only the first: a request refused for a duplicate From must not get an answer that has one
                    copied.add(n);
                    b.add(n, f.value());
                }
            }
            return hasVia ? Optional.of(b.build()) : Optional.empty();
        }
    }
}
