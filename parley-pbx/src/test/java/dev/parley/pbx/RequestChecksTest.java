package dev.parley.pbx;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.pbx.auth.TestSip;
import dev.parley.sip.message.SipRequest;
import dev.parley.sip.message.SipResponse;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** RFC 3261 §8.2: the checks a UAS makes before it looks at what a request asks. */
class RequestChecksTest {

    private static SipRequest request(String method, String uri, String... extra) {
        StringBuilder sb = new StringBuilder();
        sb.append(method).append(' ').append(uri).append(" SIP/2.0\n");
        sb.append("Via: SIP/2.0/UDP 192.0.2.10:5060;branch=z9hG4bK-1\n");
        sb.append("Max-Forwards: 70\nFrom: <sip:101@pbx.example>;tag=f\nTo: <sip:102@pbx.example>\n");
        sb.append("Call-ID: rc-1\nCSeq: 1 ").append(method).append('\n');
        for (String h : extra) {
            sb.append(h).append('\n');
        }
        if (!String.join("", extra).contains("Content-Length")) {
            sb.append("Content-Length: 0\n");
        }
        sb.append('\n');
        return TestSip.parse(sb.toString());
    }

    private static int status(SipRequest r) {
        return RequestChecks.screen(r).map(SipResponse::status).orElse(0);
    }

    @Test
    void rfc3261_8_2_1_unknownMethodIs501_knownButUnhandledIs405_bothWithAllow() {
        SipResponse r = RequestChecks.screen(request("NEWMETHOD", "sip:102@pbx.example")).orElseThrow();
        assertThat(r.status()).isEqualTo(501);
        assertThat(r.allow()).contains("INVITE", "OPTIONS");
        assertThat(r.to().tag()).isNotNull();
        assertThat(status(request("MESSAGE", "sip:102@pbx.example"))).isEqualTo(405);
        assertThat(status(request("PRACK", "sip:102@pbx.example"))).isEqualTo(405);
    }

    @Test
    void rfc3261_8_2_2_1_unsupportedUriSchemeIs416() {
        assertThat(status(request("INVITE", "mailto:bob@example.org"))).isEqualTo(416);
        assertThat(status(request("INVITE", "tel:+15551234"))).isZero();
        assertThat(status(request("INVITE", "sips:102@pbx.example"))).isZero();
    }

    @Test
    void rfc3261_8_2_2_3_requireIsRefusedWith420ListingTheTags_butNotForRegisterAckOrCancel() {
        SipResponse r = RequestChecks.screen(request("OPTIONS", "sip:pbx.example", "Require: foo, timer"))
                .orElseThrow();
        assertThat(r.status()).isEqualTo(420);
        assertThat(r.unsupported()).containsExactly("foo", "timer");
        assertThat(status(request("REGISTER", "sip:pbx.example", "Require: path"))).isZero();
        assertThat(status(request("ACK", "sip:102@pbx.example", "Require: foo"))).isZero();
    }

    @Test
    void rfc3261_8_2_3_aBodyThatIsNotSdpIs415WithAccept() {
        SipRequest html = TestSip.parse("INVITE sip:102@pbx.example SIP/2.0\nVia: SIP/2.0/UDP 192.0.2.10;branch=z9hG4bK-2\n"
                + "Max-Forwards: 70\nFrom: <sip:101@pbx.example>;tag=f\nTo: <sip:102@pbx.example>\n"
                + "Call-ID: rc-2\nCSeq: 1 INVITE\nContent-Type: text/html\nContent-Length: 5\n\nhello");
        Optional<SipResponse> r = RequestChecks.screen(html);
        assertThat(r).isPresent();
        assertThat(r.get().status()).isEqualTo(415);
        assertThat(r.get().header("Accept")).contains("application/sdp");
        SipRequest sdp = TestSip.parse("INVITE sip:102@pbx.example SIP/2.0\nVia: SIP/2.0/UDP 192.0.2.10;"
                + "branch=z9hG4bK-3\nMax-Forwards: 70\nFrom: <sip:101@pbx.example>;tag=f\nTo: <sip:102@pbx.example>\n"
                + "Call-ID: rc-3\nCSeq: 1 INVITE\nContent-Type: application/sdp\nContent-Length: 4\n\nv=0\n");
        assertThat(RequestChecks.screen(sdp)).isEmpty();
    }
}
