package dev.parley.sipstack.dialog;

import static dev.parley.sipstack.dialog.DialogMessages.P1;
import static dev.parley.sipstack.dialog.DialogMessages.P2;
import static dev.parley.sipstack.dialog.DialogMessages.P3;
import static dev.parley.sipstack.dialog.DialogMessages.answer;
import static dev.parley.sipstack.dialog.DialogMessages.invite;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.parley.sip.header.Address;
import dev.parley.sip.header.HeaderName;
import dev.parley.sip.header.HeaderType;
import dev.parley.sip.header.Via;
import dev.parley.sip.message.SipMethod;
import dev.parley.sip.message.SipRequest;
import dev.parley.sip.message.SipResponse;
import dev.parley.sip.uri.Uri;
import dev.parley.sipstack.transaction.Branches;
import org.junit.jupiter.api.Test;

/** RFC 3261 §12.2.1.1 and §13.2.2.4. */
class InDialogRequestTest {
    private final SipRequest invite = invite();

    private Dialog uac(SipResponse response) {
        return Dialog.asUac(invite, response);
    }

    @Test
    void rfc3261_12_2_1_1_looseRouting_requestUriIsTheRemoteTarget_routeIsTheRouteSet() {
        Dialog d = uac(answer(invite, 200, "a6c85cf"));
        SipRequest bye = d.newRequest(SipMethod.BYE)
                .via(Via.of("UDP", "pc33.atlanta.example.com", 5060, Branches.newBranch())).build();

        assertThat(bye.requestUri()).isEqualTo(Uri.parse("sip:bob@192.0.2.4"));
        assertThat(bye.routes()).containsExactly(P1, P2, P3);
        assertThat(bye.cseq().sequence()).isEqualTo(314160);
        assertThat(bye.cseq().method()).isEqualTo(SipMethod.BYE);
        assertThat(bye.from().tag()).isEqualTo("1928301774");
        assertThat(bye.to().tag()).isEqualTo("a6c85cf");
        assertThat(bye.callId()).isEqualTo(DialogMessages.CALL_ID);
        assertThat(bye.maxForwards()).isEqualTo(70);
        assertThat(d.localSequence()).isEqualTo(314160);
        assertThat(d.newRequest(SipMethod.INFO).build().cseq().sequence()).isEqualTo(314161);
    }

    @Test
    void rfc3261_12_2_1_1_strictRouter_firstRouteBecomesTheRequestUri_remoteTargetGoesLast() {
        Address strict = Address.parse("<sip:strict.example.com;transport=udp;method=INVITE?h=v>");
        SipResponse ok = SipResponse.to(invite, 200).to(invite.to().withTag("a6c85cf"))
                .contact(Address.parse("<sip:bob@192.0.2.4>"))
                .add(HeaderType.RECORD_ROUTE, P3)
                .add(HeaderType.RECORD_ROUTE, strict)
                .build();
        Dialog d = uac(ok);
        assertThat(d.routeSet()).containsExactly(strict, P3);

        SipRequest bye = d.newRequest(SipMethod.BYE).build();

        // stripped of what a Request-URI may not carry (RFC 3261 §19.1.1): the method parameter and headers
        assertThat(bye.requestUri()).isEqualTo(Uri.parse("sip:strict.example.com;transport=udp"));
        assertThat(bye.routes()).containsExactly(P3, Address.of(Uri.parse("sip:bob@192.0.2.4")));
    }

    @Test
    void rfc3261_12_2_1_1_noRouteSet_noRouteHeader() {
        SipResponse ok = answer(invite, 200, "a6c85cf").toBuilder().remove(HeaderName.RECORD_ROUTE).build();
        SipRequest bye = uac(ok).newRequest(SipMethod.BYE).build();

        assertThat(bye.routes()).isEmpty();
        assertThat(bye.requestUri()).isEqualTo(Uri.parse("sip:bob@192.0.2.4"));
    }

    @Test
    void rfc3261_12_2_1_1_uasLocalSequenceStartsFromEmpty() {
        Dialog d = Dialog.asUas(invite, answer(invite, 200, "a6c85cf"));
        SipRequest bye = d.newRequest(SipMethod.BYE).build();

        assertThat(bye.cseq().sequence()).isEqualTo(1);
        assertThat(bye.from().tag()).isEqualTo("a6c85cf");
        assertThat(bye.to().tag()).isEqualTo("1928301774");
        assertThat(bye.requestUri()).isEqualTo(Uri.parse("sip:alice@pc33.atlanta.example.com"));
        // UAS: the route set in Record-Route order, P3 (nearest the UAS) first
        assertThat(bye.routes()).containsExactly(P3, P2, P1);
    }

    @Test
    void rfc3261_13_2_2_4_ackFor2xxHasTheInviteCSeqNumberAndCredentials() {
        SipRequest authed = invite.toBuilder()
                .add(HeaderName.PROXY_AUTHORIZATION, "Digest username=\"alice\", realm=\"atlanta.example.com\", "
                        + "nonce=\"xyz\", uri=\"sip:bob@biloxi.example.com\", response=\"0123456789abcdef\"")
                .build();
        Dialog d = Dialog.asUac(authed, answer(authed, 200, "a6c85cf"));
        SipRequest ack = d.ackFor2xx(authed).via(Via.of("UDP", "pc33", 5060, Branches.newBranch())).build();

        assertThat(ack.method()).isEqualTo(SipMethod.ACK);
        assertThat(ack.cseq().sequence()).isEqualTo(314159);
        assertThat(ack.cseq().method()).isEqualTo(SipMethod.ACK);
        assertThat(ack.requestUri()).isEqualTo(Uri.parse("sip:bob@192.0.2.4"));
        assertThat(ack.routes()).containsExactly(P1, P2, P3);
        assertThat(ack.proxyAuthorizations()).hasSize(1);
        assertThat(d.localSequence()).isEqualTo(314159);
    }

    @Test
    void ackAndCancelAreNotBuiltWithNewRequest_andATerminatedDialogBuildsNothing() {
        Dialog d = uac(answer(invite, 200, "a6c85cf"));
        assertThatThrownBy(() -> d.newRequest(SipMethod.ACK)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> d.newRequest(SipMethod.CANCEL)).isInstanceOf(IllegalArgumentException.class);
        d.terminate();
        assertThatThrownBy(() -> d.newRequest(SipMethod.BYE)).isInstanceOf(IllegalStateException.class);
    }
}
