package dev.parley.sip.message;

import dev.parley.sip.header.HeaderName;
import dev.parley.sip.header.HeaderType;
import dev.parley.sip.header.Via;
import dev.parley.sip.uri.Uri;
import java.util.Objects;

/** A SIP request: {@code Method SP Request-URI SP SIP-Version CRLF} (RFC 3261 §7.1), headers and a body. */
public final class SipRequest extends SipMessage {
    private final String method;
    private final Uri requestUri;

    SipRequest(String method, Uri requestUri, Headers headers, Body body) {
        super(headers, body);
        this.method = SipMethod.intern(Objects.requireNonNull(method, "method"));
        this.requestUri = Objects.requireNonNull(requestUri, "requestUri");
    }

    /** A request assembled from parsed parts; used by the parser, which has checked them. */
    public static SipRequest of(String method, Uri requestUri, Headers headers, Body body) {
        return new SipRequest(method, requestUri, headers, body);
    }

    public static Builder builder(String method, Uri requestUri) {
        return new Builder(method, requestUri);
    }

    public Builder toBuilder() {
        return new Builder(this);
    }

    /**
     * This request with {@code via} in place of its top Via (a server transport adding {@code received} and
     * {@code rport}, RFC 3261 §18.2.1, RFC 3581 §4). When the top Via has a field line of its own, as nearly always,
     * only that line is replaced, in place; otherwise as {@code toBuilder().removeFirst(VIA).addFirst(VIA, via)}.
     */
    public SipRequest withTopVia(Via via) {
        Headers replaced = headers().replacingSoleFirstValue(HeaderType.VIA, SipMessage.Builder.field(HeaderName.VIA,
                via), via);
        return replaced != null ? new SipRequest(method, requestUri, replaced, body())
                : toBuilder().removeFirst(HeaderType.VIA).addFirst(HeaderType.VIA, via).build();
    }

    String requestMethod() {
        return method;
    }

    public Uri requestUri() {
        return requestUri;
    }

    public boolean isMethod(String name) {
        return method.equals(name);
    }

    @Override
    public boolean isRequest() {
        return true;
    }

    @Override
    public String startLine() {
        return method + ' ' + requestUri + ' ' + SIP_2_0;
    }

    @Override
    public String toString() {
        return startLine() + " (Call-ID " + headers().value(HeaderName.CALL_ID) + ")";
    }

    /** Builds a request; every header the caller does not set is absent. */
    public static final class Builder extends SipMessage.Builder<Builder> {
        private String method;
        private Uri requestUri;

        Builder(String method, Uri requestUri) {
            this.method = Objects.requireNonNull(method, "method");
            this.requestUri = Objects.requireNonNull(requestUri, "requestUri");
        }

        Builder(SipRequest from) {
            super(from);
            this.method = from.method;
            this.requestUri = from.requestUri;
        }

        @Override
        Builder self() {
            return this;
        }

        public Builder method(String newMethod) {
            this.method = Objects.requireNonNull(newMethod, "method");
            return this;
        }

        public Builder requestUri(Uri uri) {
            this.requestUri = Objects.requireNonNull(uri, "requestUri");
            return this;
        }

        public SipRequest build() {
            return new SipRequest(method, requestUri, buildHeaders(), builtBody());
        }
    }
}
