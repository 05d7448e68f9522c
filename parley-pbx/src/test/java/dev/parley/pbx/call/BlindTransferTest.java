package dev.parley.pbx.call;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.sip.header.Address;
import dev.parley.sip.header.CSeq;
import dev.parley.sip.header.HeaderName;
import dev.parley.sip.message.SipMethod;
import dev.parley.sip.message.SipRequest;
import dev.parley.sip.uri.SipUri;
import dev.parley.sip.uri.UriParser;
import org.junit.jupiter.api.Test;

/** What a REFER must carry before Parley accepts a blind transfer (RFC 3515 §2.4.1, RFC 3891 for Replaces). */
class BlindTransferTest {
    private static SipRequest refer(String... referTo) {
        SipRequest.Builder b = SipRequest.builder(SipMethod.REFER, UriParser.parseSip("sip:pbx.example"))
                .from(Address.of(UriParser.parseSip("sip:201@pbx.example")).withTag("b"))
                .to(Address.of(UriParser.parseSip("sip:101@pbx.example")).withTag("a"))
                .callId("refer-1").cseq(new CSeq(2, SipMethod.REFER)).maxForwards(70);
        for (String r : referTo) {
            b.add(HeaderName.REFER_TO, r);
        }
        return b.build();
    }

    private static BlindTransfer.Screened.Refused refused(SipRequest refer) {
        return (BlindTransfer.Screened.Refused) BlindTransfer.screen(refer);
    }

    @Test
    void rfc3515Section241ExactlyOneReferToOrElse400() {
        assertThat(refused(refer()).status()).isEqualTo(400);
        assertThat(refused(refer("<sip:103@pbx.example>", "<sip:104@pbx.example>")).status()).isEqualTo(400);
        assertThat(refused(refer("<sip:103@pbx.example")).status()).isEqualTo(400);
    }

    @Test
    void anAttendedTransferWithReplacesIsNotImplemented() {
        assertThat(refused(refer("<sip:103@pbx.example?Replaces=abc%40host%3Bto-tag%3D1%3Bfrom-tag%3D2>")).status())
                .isEqualTo(501);
    }

    @Test
    void onlyASipNumberIsATarget() {
        assertThat(refused(refer("<tel:+15551234>")).status()).isEqualTo(416);
        assertThat(refused(refer("<sip:pbx.example>")).status()).isEqualTo(403);
        assertThat(refused(refer("<sip:103@pbx.example?method=BYE>")).status()).isEqualTo(403);
    }

    @Test
    void aPlainTargetIsAcceptedWithoutItsHeaders() {
        BlindTransfer.Screened s = BlindTransfer.screen(refer("\"Carol\" <sip:103@pbx.example;user=phone>"));
        assertThat(s).isInstanceOf(BlindTransfer.Screened.Accepted.class);
        SipUri target = ((BlindTransfer.Screened.Accepted) s).target();
        assertThat(target.user()).isEqualTo("103");
        assertThat(target.headers().isEmpty()).isTrue();
    }
}
