package dev.parley.sip.message;

import dev.parley.sip.header.Address;
import dev.parley.sip.header.CSeq;
import dev.parley.sip.header.CallInfo;
import dev.parley.sip.header.Challenge;
import dev.parley.sip.header.Credentials;
import dev.parley.sip.header.EventHeader;
import dev.parley.sip.header.HeaderField;
import dev.parley.sip.header.HeaderName;
import dev.parley.sip.header.HeaderType;
import dev.parley.sip.header.MediaType;
import dev.parley.sip.header.RAck;
import dev.parley.sip.header.Reason;
import dev.parley.sip.header.Replaces;
import dev.parley.sip.header.RetryAfter;
import dev.parley.sip.header.SessionExpires;
import dev.parley.sip.header.SubscriptionState;
import dev.parley.sip.header.Via;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * A SIP request or response (RFC 3261 §7): a start line, header fields in order, and a body. Immutable; change one
 * through {@code toBuilder()}.
 *
 * <p>The accessors for Via, From, To, Call-ID, CSeq, Max-Forwards, Contact, Content-Type and Content-Length return
 * values the parser has already checked. The others read their header on first use and throw
 * {@link dev.parley.sip.text.SipSyntaxException} if it is malformed; the stack answers {@code 400} for that.
 */
public abstract sealed class SipMessage permits SipRequest, SipResponse {
    /** The only version Parley speaks (RFC 3261 §7.1). */
    public static final String SIP_2_0 = "SIP/2.0";

    private final Headers headers;
    private final Body body;

    SipMessage(Headers headers, Body body) {
        this.headers = Objects.requireNonNull(headers, "headers");
        this.body = Objects.requireNonNull(body, "body");
    }

    public final Headers headers() {
        return headers;
    }

    public final Body body() {
        return body;
    }

    public abstract boolean isRequest();

    /** The first line without its CRLF. */
    public abstract String startLine();

    /** The CSeq method: the method of the request, or of the request a response answers. */
    public final String method() {
        return this instanceof SipRequest r ? r.requestMethod() : cseq().method();
    }

    public final List<Via> vias() {
        return headers.list(HeaderType.VIA);
    }

    /** The topmost Via, or {@code null} when there is none (never for a parsed message). */
    public final Via topVia() {
        return headers.single(HeaderType.VIA);
    }

    public final Address from() {
        return headers.single(HeaderType.FROM);
    }

    public final Address to() {
        return headers.single(HeaderType.TO);
    }

    public final String callId() {
        return headers.single(HeaderType.CALL_ID);
    }

    public final CSeq cseq() {
        return headers.single(HeaderType.CSEQ);
    }

    /** Max-Forwards, or -1 when absent (RFC 2543 peers omit it). */
    public final int maxForwards() {
        Long v = headers.single(HeaderType.MAX_FORWARDS);
        return v == null ? -1 : v.intValue();
    }

    public final List<Address> contacts() {
        return headers.list(HeaderType.CONTACT);
    }

    public final List<Address> routes() {
        return headers.list(HeaderType.ROUTE);
    }

    public final List<Address> recordRoutes() {
        return headers.list(HeaderType.RECORD_ROUTE);
    }

    public final List<Address> paths() {
        return headers.list(HeaderType.PATH);
    }

    public final Optional<MediaType> contentType() {
        return Optional.ofNullable(headers.single(HeaderType.CONTENT_TYPE));
    }

    public final OptionalLong expires() {
        return optionalLong(headers.single(HeaderType.EXPIRES));
    }

    public final OptionalLong minExpires() {
        return optionalLong(headers.single(HeaderType.MIN_EXPIRES));
    }

    public final List<Credentials> authorizations() {
        return headers.list(HeaderType.AUTHORIZATION);
    }

    public final List<Credentials> proxyAuthorizations() {
        return headers.list(HeaderType.PROXY_AUTHORIZATION);
    }

    public final List<Challenge> wwwAuthenticates() {
        return headers.list(HeaderType.WWW_AUTHENTICATE);
    }

    public final List<Challenge> proxyAuthenticates() {
        return headers.list(HeaderType.PROXY_AUTHENTICATE);
    }

    public final List<String> require() {
        return headers.list(HeaderType.REQUIRE);
    }

    public final List<String> proxyRequire() {
        return headers.list(HeaderType.PROXY_REQUIRE);
    }

    public final List<String> supported() {
        return headers.list(HeaderType.SUPPORTED);
    }

    public final List<String> unsupported() {
        return headers.list(HeaderType.UNSUPPORTED);
    }

    public final List<String> allow() {
        return headers.list(HeaderType.ALLOW);
    }

    public final OptionalLong rseq() {
        return optionalLong(headers.single(HeaderType.RSEQ));
    }

    public final Optional<RAck> rack() {
        return Optional.ofNullable(headers.single(HeaderType.RACK));
    }

    public final List<CallInfo> callInfos() {
        return headers.list(HeaderType.CALL_INFO);
    }

    public final Optional<EventHeader> event() {
        return Optional.ofNullable(headers.single(HeaderType.EVENT));
    }

    public final Optional<SubscriptionState> subscriptionState() {
        return Optional.ofNullable(headers.single(HeaderType.SUBSCRIPTION_STATE));
    }

    public final Optional<Address> referTo() {
        return Optional.ofNullable(headers.single(HeaderType.REFER_TO));
    }

    public final Optional<Address> referredBy() {
        return Optional.ofNullable(headers.single(HeaderType.REFERRED_BY));
    }

    public final Optional<Replaces> replaces() {
        return Optional.ofNullable(headers.single(HeaderType.REPLACES));
    }

    public final Optional<SessionExpires> sessionExpires() {
        return Optional.ofNullable(headers.single(HeaderType.SESSION_EXPIRES));
    }

    public final OptionalLong minSe() {
        return optionalLong(headers.single(HeaderType.MIN_SE));
    }

    public final List<Reason> reasons() {
        return headers.list(HeaderType.REASON);
    }

    public final Optional<RetryAfter> retryAfter() {
        return Optional.ofNullable(headers.single(HeaderType.RETRY_AFTER));
    }

    /** User-Agent as written: product and comment tokens are free text to Parley. */
    public final Optional<String> userAgent() {
        return Optional.ofNullable(headers.value(HeaderName.USER_AGENT));
    }

    public final Optional<String> server() {
        return Optional.ofNullable(headers.value(HeaderName.SERVER));
    }

    /** The raw value of the first field with that name (compact forms included), if any. */
    public final Optional<String> header(String name) {
        return Optional.ofNullable(headers.value(HeaderName.of(name)));
    }

    private static OptionalLong optionalLong(Long v) {
        return v == null ? OptionalLong.empty() : OptionalLong.of(v);
    }

    /**
     * What requests and responses build alike: an ordered list of fields, with typed values remembered so the
     * built message does not parse what its author already had as objects.
     */
    public abstract static sealed class Builder<B extends Builder<B>> permits SipRequest.Builder, SipResponse.Builder {
        private final List<HeaderField> fields;
        private final List<Object> typed;
        private Body body;

        Builder() {
            fields = new ArrayList<>(16);
            typed = new ArrayList<>(16);
            body = Body.EMPTY;
        }

        Builder(SipMessage from) {
            HeaderField[] f = from.headers.fields();
            Object[] t = from.headers.typed();
            fields = new ArrayList<>(Arrays.asList(f));
            typed = new ArrayList<>(Arrays.asList(t));
            body = from.body;
        }

        abstract B self();

        /** Appends a raw field. */
        public final B add(HeaderName name, String value) {
            fields.add(field(name, value));
            typed.add(null);
            return self();
        }

        /** Appends a raw field by name (compact forms are recognized). */
        public final B add(String name, String value) {
            return add(HeaderName.of(name), value);
        }

        /** Appends a typed value as a field line of its own. */
        public final <T> B add(HeaderType<T> type, T value) {
            fields.add(field(type.name(), value));
            typed.add(cacheable(type, value));
            return self();
        }

        /**
         * Inserts a typed value above every existing field of that name (a proxy or B2BUA pushing its Via or
         * Record-Route, RFC 3261 §16.6); at the very top when there is none.
         */
        public final <T> B addFirst(HeaderType<T> type, T value) {
            int at = indexOf(type.name());
            if (at < 0) {
                at = 0;
            }
            fields.add(at, field(type.name(), value));
            typed.add(at, cacheable(type, value));
            return self();
        }

        /** Replaces every field of that name by one with this value, where the first one was (or at the end). */
        public final <T> B set(HeaderType<T> type, T value) {
            return replace(type.name(), field(type.name(), value), cacheable(type, value));
        }

        /** Replaces every field of that name by one raw field. */
        public final B set(HeaderName name, String value) {
            return replace(name, field(name, value), null);
        }

        /** Removes every field of that name. */
        public final B remove(HeaderName name) {
            for (int i = fields.size() - 1; i >= 0; i--) {
                if (fields.get(i).name().equals(name)) {
                    fields.remove(i);
                    typed.remove(i);
                }
            }
            return self();
        }

        /** Removes the topmost value of a list header (a proxy popping its Route or a UAC its Via). */
        public final <T> B removeFirst(HeaderType<T> type) {
            int at = indexOf(type.name());
            if (at < 0) {
                return self();
            }
            List<T> values = type.isList() ? listAt(at, type) : List.of();
            fields.remove(at);
            typed.remove(at);
            if (values.size() > 1) {
                List<T> rest = List.copyOf(values.subList(1, values.size()));
                StringBuilder sb = new StringBuilder();
                for (T v : rest) {
                    sb.append(sb.isEmpty() ? "" : ", ").append(v);
                }
                fields.add(at, new HeaderField(type.name(), sb.toString()));
                typed.add(at, rest);
            }
            return self();
        }

        public final B via(Via via) {
            return addFirst(HeaderType.VIA, via);
        }

        public final B from(Address from) {
            return set(HeaderType.FROM, from);
        }

        public final B to(Address to) {
            return set(HeaderType.TO, to);
        }

        public final B callId(String callId) {
            return set(HeaderType.CALL_ID, callId);
        }

        public final B cseq(CSeq cseq) {
            return set(HeaderType.CSEQ, cseq);
        }

        public final B maxForwards(int hops) {
            return set(HeaderType.MAX_FORWARDS, (long) hops);
        }

        public final B contact(Address contact) {
            return add(HeaderType.CONTACT, contact);
        }

        /** Sets the body and its Content-Type; Content-Length is written by the serializer. */
        public final B body(MediaType type, Body content) {
            this.body = Objects.requireNonNull(content, "content");
            set(HeaderType.CONTENT_TYPE, type);
            return set(HeaderType.CONTENT_LENGTH, (long) content.length());
        }

        /** Removes the body and Content-Type. */
        public final B noBody() {
            this.body = Body.EMPTY;
            remove(HeaderName.CONTENT_TYPE);
            return set(HeaderType.CONTENT_LENGTH, 0L);
        }

        final Headers buildHeaders() {
            return new Headers(fields.toArray(new HeaderField[0]), typed.toArray());
        }

        final Body builtBody() {
            return body;
        }

        private B replace(HeaderName name, HeaderField field, Object cache) {
            int at = indexOf(name);
            remove(name);
            if (at < 0 || at > fields.size()) {
                at = fields.size();
            }
            fields.add(at, field);
            typed.add(at, cache);
            return self();
        }

        /**
         * The values of list field {@code at}: the typed cache when the parser or an author filled it (a received
         * request's Via always, as the parser checks it), else a parse of the field's text.
         */
        @SuppressWarnings("unchecked")
        private <T> List<T> listAt(int at, HeaderType<T> type) {
            // the same shape test as Headers' cache, which holds a List for every list header it read
            return typed.get(at) instanceof List<?> cached ? (List<T>) cached : type.parseList(fields.get(at).value());
        }

        private int indexOf(HeaderName name) {
            for (int i = 0; i < fields.size(); i++) {
                if (fields.get(i).name().equals(name)) {
                    return i;
                }
            }
            return -1;
        }

        /**
         * A field from code, refused when its value holds CR or LF: written as is, such a value would end the line
         * and inject header fields or a body of the caller's choosing (RFC 3261 §7.3.1 allows no line break in a
         * value once unfolded). Parsed fields never hold one.
         */
        static HeaderField field(HeaderName name, Object value) {
            String text = Objects.requireNonNull(value, "value").toString();
            for (int i = 0; i < text.length(); i++) {
                char c = text.charAt(i);
                if (c == '\r' || c == '\n') {
                    throw new IllegalArgumentException("CR or LF in the value of " + name
                            + ": header values are single lines; remove the line break");
                }
            }
            return new HeaderField(name, text);
        }

        private static <T> Object cacheable(HeaderType<T> type, T value) {
            Objects.requireNonNull(value, "value");
            return type.isList() ? List.of(value) : value;
        }
    }
}
