package dev.parley.sip.message;

import dev.parley.sip.header.HeaderField;
import dev.parley.sip.header.HeaderName;
import java.util.Objects;

/** A SIP response: {@code SIP-Version SP Status-Code SP Reason-Phrase CRLF} (RFC 3261 §7.2), headers and a body. */
public final class SipResponse extends SipMessage {
    private final int status;
    private final String reason;

    SipResponse(int status, String reason, Headers headers, Body body) {
        super(headers, body);
        if (status < 100 || status > 699) {
            throw new IllegalArgumentException("status code out of range 100-699: " + status);
        }
        this.status = status;
        this.reason = Objects.requireNonNull(reason, "reason");
    }

    /** A response assembled from parsed parts; used by the parser, which has checked them. */
    public static SipResponse of(int status, String reason, Headers headers, Body body) {
        return new SipResponse(status, reason, headers, body);
    }

    /** A response with the default reason phrase and no headers yet. */
    public static Builder builder(int status) {
        return new Builder(status, ReasonPhrases.of(status));
    }

    /**
     * A response to {@code request}, carrying the headers RFC 3261 §8.2.6.2 says to copy: every Via in order, From,
     * To, Call-ID and CSeq. A UAS adds the To tag itself.
     */
    public static Builder to(SipRequest request, int status) {
        Builder b = builder(status);
        for (HeaderField f : request.headers()) {
            HeaderName n = f.name();
            if (n.equals(HeaderName.VIA) || n.equals(HeaderName.FROM) || n.equals(HeaderName.TO)
                    || n.equals(HeaderName.CALL_ID) || n.equals(HeaderName.CSEQ)) {
                b.add(n, f.value());
            }
        }
        return b;
    }

    public Builder toBuilder() {
        return new Builder(this);
    }

    public int status() {
        return status;
    }

    public String reason() {
        return reason;
    }

    /** 1xx. */
    public boolean isProvisional() {
        return status < 200;
    }

    /** 2xx. */
    public boolean isSuccess() {
        return status >= 200 && status < 300;
    }

    /** 2xx to 6xx. */
    public boolean isFinal() {
        return status >= 200;
    }

    @Override
    public boolean isRequest() {
        return false;
    }

    @Override
    public String startLine() {
        return SIP_2_0 + ' ' + status + ' ' + reason;
    }

    @Override
    public String toString() {
        return startLine() + " (Call-ID " + headers().value(HeaderName.CALL_ID) + ")";
    }

    /** Builds a response. */
    public static final class Builder extends SipMessage.Builder<Builder> {
        private int status;
        private String reason;

        Builder(int status, String reason) {
            this.status = status;
            this.reason = Objects.requireNonNull(reason, "reason");
        }

        Builder(SipResponse from) {
            super(from);
            this.status = from.status;
            this.reason = from.reason;
        }

        @Override
        Builder self() {
            return this;
        }

        public Builder status(int newStatus, String newReason) {
            this.status = newStatus;
            this.reason = Objects.requireNonNull(newReason, "reason");
            return this;
        }

        public SipResponse build() {
            return new SipResponse(status, reason, buildHeaders(), builtBody());
        }
    }
}
