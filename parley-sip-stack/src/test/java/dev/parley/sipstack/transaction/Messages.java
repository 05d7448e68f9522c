package dev.parley.sipstack.transaction;

import dev.parley.sip.header.Address;
import dev.parley.sip.header.CSeq;
import dev.parley.sip.header.HeaderType;
import dev.parley.sip.header.Via;
import dev.parley.sip.message.SipMethod;
import dev.parley.sip.message.SipRequest;
import dev.parley.sip.message.SipResponse;
import dev.parley.sip.uri.Uri;

/** Requests and responses in the style of RFC 3665's examples. */
final class Messages {
    static final String CALL_ID = "a84b4c76e66710@pc33.atlanta.example.com";

    private Messages() {
    }

    static SipRequest request(String method, String branch) {
        return request(method, branch, "UDP", 314159);
    }

    static SipRequest request(String method, String branch, String transport, long cseq) {
        return SipRequest.builder(method, Uri.parse("sip:bob@biloxi.example.com"))
                .via(Via.of(transport, "pc33.atlanta.example.com", 5060, branch))
                .maxForwards(70)
                .to(Address.parse("Bob <sip:bob@biloxi.example.com>"))
                .from(Address.parse("Alice <sip:alice@atlanta.example.com>;tag=1928301774"))
                .callId(CALL_ID)
                .cseq(new CSeq(cseq, method))
                .contact(Address.parse("<sip:alice@pc33.atlanta.example.com>"))
                .add(HeaderType.ROUTE, Address.parse("<sip:ss1.atlanta.example.com;lr>"))
                .build();
    }

    static SipRequest invite(String branch) {
        return request(SipMethod.INVITE, branch);
    }

    static SipResponse response(SipRequest request, int status, String toTag) {
        SipResponse.Builder b = SipResponse.to(request, status);
        if (toTag != null) {
            b.to(request.to().withTag(toTag));
        }
        return b.build();
    }

    /** The ACK a UAC's INVITE transaction sends for a non-2xx (same branch), as a peer would. */
    static SipRequest ackFor(SipRequest invite, SipResponse response) {
        return DerivedMessages.ackForNon2xx(invite, response);
    }
}
