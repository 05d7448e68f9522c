package dev.parley.sipstack.dialog;

import dev.parley.sip.header.Address;
import dev.parley.sip.header.CSeq;
import dev.parley.sip.header.HeaderType;
import dev.parley.sip.header.Via;
import dev.parley.sip.message.SipMethod;
import dev.parley.sip.message.SipRequest;
import dev.parley.sip.message.SipResponse;
import dev.parley.sip.uri.Uri;

/** An INVITE from Alice to Bob through three record-routing proxies, in the style of RFC 3665. */
final class DialogMessages {
    static final String CALL_ID = "a84b4c76e66710@pc33.atlanta.example.com";
    static final Address P1 = Address.parse("<sip:p1.atlanta.example.com;lr>");
    static final Address P2 = Address.parse("<sip:p2.example.com;lr>");
    static final Address P3 = Address.parse("<sip:p3.biloxi.example.com;lr>");

    private DialogMessages() {
    }

    /** As the UAS receives it: the proxy nearest the UAS (P3) pushed its Record-Route last, on top. */
    static SipRequest invite() {
        return SipRequest.builder(SipMethod.INVITE, Uri.parse("sip:bob@biloxi.example.com"))
                .via(Via.of("UDP", "pc33.atlanta.example.com", 5060, "z9hG4bK776asdhds"))
                .maxForwards(70)
                .to(Address.parse("Bob <sip:bob@biloxi.example.com>"))
                .from(Address.parse("Alice <sip:alice@atlanta.example.com>;tag=1928301774"))
                .callId(CALL_ID)
                .cseq(new CSeq(314159, SipMethod.INVITE))
                .contact(Address.parse("<sip:alice@pc33.atlanta.example.com>"))
                .add(HeaderType.RECORD_ROUTE, P3)
                .add(HeaderType.RECORD_ROUTE, P2)
                .add(HeaderType.RECORD_ROUTE, P1)
                .build();
    }

    /** Bob's answer, which copies the Record-Route (RFC 3261 §12.1.1) and carries Bob's Contact. */
    static SipResponse answer(SipRequest request, int status, String toTag) {
        SipResponse.Builder b = SipResponse.to(request, status).to(request.to().withTag(toTag))
                .contact(Address.parse("<sip:bob@192.0.2.4>"));
        for (Address rr : request.recordRoutes()) {
            b.add(HeaderType.RECORD_ROUTE, rr);
        }
        return b.build();
    }

    /** A request Bob sends to Alice in the dialog (UAS → UAC direction). */
    static SipRequest fromBob(String method, long cseq, String contact) {
        SipRequest.Builder b = SipRequest.builder(method, Uri.parse("sip:alice@pc33.atlanta.example.com"))
                .via(Via.of("UDP", "192.0.2.4", 5060, "z9hG4bKbob" + cseq))
                .maxForwards(70)
                .from(Address.parse("Bob <sip:bob@biloxi.example.com>;tag=a6c85cf"))
                .to(Address.parse("Alice <sip:alice@atlanta.example.com>;tag=1928301774"))
                .callId(CALL_ID)
                .cseq(new CSeq(cseq, method));
        if (contact != null) {
            b.contact(Address.parse(contact));
        }
        return b.build();
    }

    /** A request Alice sends to Bob in the dialog (UAC → UAS direction). */
    static SipRequest fromAlice(String method, long cseq, String contact) {
        SipRequest.Builder b = SipRequest.builder(method, Uri.parse("sip:bob@192.0.2.4"))
                .via(Via.of("UDP", "pc33.atlanta.example.com", 5060, "z9hG4bKalice" + cseq))
                .maxForwards(70)
                .from(Address.parse("Alice <sip:alice@atlanta.example.com>;tag=1928301774"))
                .to(Address.parse("Bob <sip:bob@biloxi.example.com>;tag=a6c85cf"))
                .callId(CALL_ID)
                .cseq(new CSeq(cseq, method));
        if (contact != null) {
            b.contact(Address.parse(contact));
        }
        return b.build();
    }
}
