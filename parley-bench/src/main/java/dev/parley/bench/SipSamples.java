package dev.parley.bench;

import java.nio.charset.StandardCharsets;

/**
 * Three messages as a PBX receives them from real equipment, for benchmarks that compare parsers on the same bytes.
 * Lines end in CRLF and Content-Length is computed from the body, so every sample is well-formed by construction.
 */
public final class SipSamples {
    private SipSamples() {
    }

    /** An offer of PCMU, PCMA and telephone-event, as a desk phone sends it (about 300 octets). */
    private static final String OFFER_SDP = """
            v=0
            o=- 1718358942 1718358942 IN IP4 192.168.1.23
            s=SDP data
            c=IN IP4 192.168.1.23
            t=0 0
            m=audio 11780 RTP/AVP 0 8 101
            a=rtpmap:0 PCMU/8000
            a=rtpmap:8 PCMA/8000
            a=rtpmap:101 telephone-event/8000
            a=fmtp:101 0-15
            a=ptime:20
            a=maxptime:150
            a=rtcp:11781
            a=silenceSupp:off - - - -
            a=sendrecv
            """;

    /** The callee's answer: PCMU and telephone-event. */
    private static final String ANSWER_SDP = """
            v=0
            o=- 3951442 3951443 IN IP4 192.168.1.42
            s=SDP data
            c=IN IP4 192.168.1.42
            t=0 0
            m=audio 12414 RTP/AVP 0 101
            a=rtpmap:0 PCMU/8000
            a=rtpmap:101 telephone-event/8000
            a=fmtp:101 0-15
            a=ptime:20
            a=rtcp:12415
            a=sendrecv
            """;

    /** A desk phone calling extension 1002 through the PBX: the message a PBX parses most often after OPTIONS. */
    public static final byte[] INVITE = message("""
            INVITE sip:1002@pbx.example.com SIP/2.0
            Via: SIP/2.0/UDP 192.168.1.23:5060;rport;branch=z9hG4bK1717358942
            From: "Alice Desk" <sip:1001@pbx.example.com>;tag=3482613727
            To: <sip:1002@pbx.example.com>
            Call-ID: 2209836151@192.168.1.23
            CSeq: 1 INVITE
            Contact: <sip:1001@192.168.1.23:5060>
            Max-Forwards: 70
            User-Agent: Yealink SIP-T46S 66.86.0.15
            Allow: INVITE, INFO, PRACK, ACK, BYE, CANCEL, OPTIONS, NOTIFY, REGISTER, SUBSCRIBE, REFER, PUBLISH, UPDATE, MESSAGE
            Supported: timer, replaces, 100rel
            Allow-Events: talk,hold,conference,refer,check-sync
            Content-Type: application/sdp
            """, OFFER_SDP);

    /** A re-registration answering a 401 challenge with RFC 2617 Digest credentials (qop=auth). */
    public static final byte[] REGISTER = message("""
            REGISTER sip:pbx.example.com SIP/2.0
            Via: SIP/2.0/UDP 192.168.1.23:5060;rport;branch=z9hG4bK2468013579
            From: "Alice Desk" <sip:1001@pbx.example.com>;tag=1928301774
            To: "Alice Desk" <sip:1001@pbx.example.com>
            Call-ID: 843817637684230@192.168.1.23
            CSeq: 2 REGISTER
            Contact: <sip:1001@192.168.1.23:5060>;expires=3600
            Max-Forwards: 70
            User-Agent: Yealink SIP-T46S 66.86.0.15
            Allow: INVITE, INFO, PRACK, ACK, BYE, CANCEL, OPTIONS, NOTIFY, REGISTER, SUBSCRIBE, REFER, PUBLISH, UPDATE, MESSAGE
            Authorization: Digest username="1001", realm="pbx.example.com", nonce="5f8e1c2a9b3d4e6f7a8b9c0d1e2f3a4b", uri="sip:pbx.example.com", response="6629fae49393a05397450978507c4ef1", algorithm=MD5, cnonce="0a4f113b", qop=auth, nc=00000001
            Expires: 3600
            """, "");

    /** The callee's 200 OK to {@link #INVITE} as the PBX receives it: Record-Route, two Vias, a To tag, SDP. */
    public static final byte[] RESPONSE_200 = message("""
            SIP/2.0 200 OK
            Via: SIP/2.0/UDP 192.168.1.10:5060;branch=z9hG4bK74bf9.8c1f2a3d;received=192.168.1.10
            Via: SIP/2.0/UDP 192.168.1.23:5060;rport=5060;received=192.168.1.23;branch=z9hG4bK1717358942
            Record-Route: <sip:192.168.1.10;lr>
            From: "Alice Desk" <sip:1001@pbx.example.com>;tag=3482613727
            To: <sip:1002@pbx.example.com>;tag=as5f1e62b1
            Call-ID: 2209836151@192.168.1.23
            CSeq: 1 INVITE
            Contact: <sip:1002@192.168.1.42:5060>
            Server: Grandstream GXP2170 1.0.11.23
            Allow: INVITE, ACK, OPTIONS, CANCEL, BYE, SUBSCRIBE, NOTIFY, INFO, REFER, UPDATE, MESSAGE
            Supported: replaces, timer
            Content-Type: application/sdp
            """, ANSWER_SDP);

    /** The header lines (without Content-Length), then Content-Length, an empty line and the body, all in CRLF. */
    private static byte[] message(String headers, String body) {
        String crlfBody = body.replace("\n", "\r\n");
        byte[] bodyBytes = crlfBody.getBytes(StandardCharsets.UTF_8);
        String text = headers.replace("\n", "\r\n") + "Content-Length: " + bodyBytes.length + "\r\n\r\n" + crlfBody;
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
