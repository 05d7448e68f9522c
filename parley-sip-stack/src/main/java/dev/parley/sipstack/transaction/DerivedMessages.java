package dev.parley.sipstack.transaction;

import dev.parley.sip.header.CSeq;
import dev.parley.sip.header.HeaderField;
import dev.parley.sip.header.HeaderName;
import dev.parley.sip.message.SipMethod;
import dev.parley.sip.message.SipRequest;
import dev.parley.sip.message.SipResponse;

/**
 * Messages built from a request by rule rather than by the TU's choice: the ACK for a non-2xx final response
 * (RFC 3261 §17.1.1.3), a CANCEL (§9.1) and the 100 Trying (§8.2.6.1).
 */
public final class DerivedMessages {
    private static final int MAX_FORWARDS = 70;

    private DerivedMessages() {
    }

    /**
     * RFC 3261 §17.1.1.3: Request-URI, Call-ID, From and the top Via (so the branch) of the INVITE; To of the
     * response (with its tag); CSeq number of the INVITE with method ACK; the INVITE's Route header fields.
     */
    public static SipRequest ackForNon2xx(SipRequest invite, SipResponse response) {
        SipRequest.Builder b = SipRequest.builder(SipMethod.ACK, invite.requestUri())
                .via(invite.topVia())
                .maxForwards(MAX_FORWARDS)
                .from(invite.from())
                .to(response.to())
                .callId(invite.callId())
                .cseq(new CSeq(invite.cseq().sequence(), SipMethod.ACK));
        copyRoutes(invite, b);
        return b.build();
    }

    /**
     * RFC 3261 §9.1: a CANCEL for {@code request} with the same Request-URI, Call-ID, To, From and CSeq number, the
     * request's top Via only (so it matches the same server transaction), and its Route header fields. Send it in a
     * client transaction of its own, and only after a provisional response has been received (§9.1).
     */
    public static SipRequest cancel(SipRequest request) {
        SipRequest.Builder b = SipRequest.builder(SipMethod.CANCEL, request.requestUri())
                .via(request.topVia())
                .maxForwards(MAX_FORWARDS)
                .from(request.from())
                .to(request.to())
                .callId(request.callId())
                .cseq(new CSeq(request.cseq().sequence(), SipMethod.CANCEL));
        copyRoutes(request, b);
        return b.build();
    }

    /**
     * RFC 3261 §8.2.6.1: a 100 Trying with the request's Via, From, To (no tag added), Call-ID and CSeq, and its
     * Timestamp copied.
     */
    public static SipResponse trying(SipRequest request) {
        SipResponse.Builder b = SipResponse.to(request, 100);
        String timestamp = request.headers().value(HeaderName.TIMESTAMP);
        if (timestamp != null) {
            b.add(HeaderName.TIMESTAMP, timestamp);
        }
        return b.build();
    }

    /** The Route fields exactly as written, in order. */
    private static void copyRoutes(SipRequest from, SipRequest.Builder to) {
        for (HeaderField f : from.headers()) {
            if (f.name().equals(HeaderName.ROUTE)) {
                to.add(f.name(), f.value());
            }
        }
    }
}
