package dev.parley.pbx.auth;

import static java.nio.charset.StandardCharsets.UTF_8;

import dev.parley.sip.auth.Digest;
import dev.parley.sip.auth.DigestAlgorithm;
import dev.parley.sip.codec.ParseResult;
import dev.parley.sip.codec.SipParser;
import dev.parley.sip.codec.SipSerializer;
import dev.parley.sip.header.Credentials;
import dev.parley.sip.header.HeaderType;
import dev.parley.sip.message.SipMessage;
import dev.parley.sip.message.SipRequest;
import dev.parley.sip.message.SipResponse;

/** SIP messages for PBX tests, made from text through the real parser. */
public final class TestSip {
    public static final String REALM = "pbx.example";

    private TestSip() {
    }

    @SuppressWarnings("unchecked")
    public static <M extends SipMessage> M parse(String text) {
        byte[] bytes = text.replace("\r\n", "\n").replace("\n", "\r\n").getBytes(UTF_8);
        ParseResult r = SipParser.standard().parseDatagram(bytes);
        if (!(r instanceof ParseResult.Parsed p)) {
            throw new AssertionError("test message does not parse: " + r);
        }
        return (M) p.message();
    }

    /** Serializes and parses again, as the peer would see it. */
    public static <M extends SipMessage> M reparse(M message) {
        return parse(new String(SipSerializer.serialize(message), UTF_8));
    }

    public static String text(SipMessage m) {
        return new String(SipSerializer.serialize(m), UTF_8);
    }

    /** A REGISTER of {@code sip:<aorUser>@pbx.example}; {@code headers} are extra lines (Contact, Expires, ...). */
    public static SipRequest register(String aorUser, String callId, long cseq, String... headers) {
        StringBuilder sb = new StringBuilder();
        sb.append("REGISTER sip:pbx.example SIP/2.0\n");
        sb.append("Via: SIP/2.0/UDP 192.0.2.10:5060;branch=z9hG4bK-").append(callId).append('-').append(cseq)
                .append('\n');
        sb.append("Max-Forwards: 70\n");
        sb.append("From: <sip:").append(aorUser).append("@pbx.example>;tag=from-").append(callId).append('\n');
        sb.append("To: <sip:").append(aorUser).append("@pbx.example>\n");
        sb.append("Call-ID: ").append(callId).append('\n');
        sb.append("CSeq: ").append(cseq).append(" REGISTER\n");
        for (String h : headers) {
            sb.append(h).append('\n');
        }
        sb.append("Content-Length: 0\n\n");
        return parse(sb.toString());
    }

    /** An INVITE from {@code user} to 102. */
    public static SipRequest invite(String user, String callId) {
        return parse("INVITE sip:102@pbx.example SIP/2.0\n"
                + "Via: SIP/2.0/UDP 192.0.2.10:5060;branch=z9hG4bK-inv-" + callId + "\n"
                + "Max-Forwards: 70\n"
                + "From: <sip:" + user + "@pbx.example>;tag=inv\n"
                + "To: <sip:102@pbx.example>\n"
                + "Call-ID: " + callId + "\n"
                + "CSeq: 1 INVITE\n"
                + "Contact: <sip:" + user + "@192.168.1.10:5060>\n"
                + "Content-Length: 0\n\n");
    }

    /** The nonce of the first challenge in a 401 or 407. */
    public static String nonceOf(SipResponse challenge) {
        return challenge.status() == 401 ? challenge.wwwAuthenticates().getFirst().nonce()
                : challenge.proxyAuthenticates().getFirst().nonce();
    }

    /**
     * {@code request} with Digest credentials computed with {@link Digest} for {@code qop=auth}, written as the peer
     * would (Authorization for REGISTER, Proxy-Authorization otherwise), then re-parsed.
     */
    public static SipRequest withCredentials(SipRequest request, DigestAlgorithm alg, String username, String password,
            String nonce, String nc, String cnonce) {
        String uri = request.requestUri().toString();
        String ha1 = Digest.ha1(alg, username, REALM, password);
        String ha2 = Digest.ha2(alg, request.method(), uri);
        String response = Digest.response(alg, ha1, nonce, nc, cnonce, "auth", ha2);
        return withResponse(request, alg, username, nonce, nc, cnonce, response);
    }

    /** {@code request} with Digest credentials carrying a given {@code response} value. */
    public static SipRequest withResponse(SipRequest request, DigestAlgorithm alg, String username, String nonce,
            String nc, String cnonce, String response) {
        Credentials c = Credentials.digest(username, REALM, nonce, request.requestUri().toString(), response,
                alg.token(), cnonce, "auth", nc, null);
        HeaderType<Credentials> type = request.isMethod("REGISTER") ? HeaderType.AUTHORIZATION
                : HeaderType.PROXY_AUTHORIZATION;
        return reparse(request.toBuilder().add(type, c).build());
    }
}
