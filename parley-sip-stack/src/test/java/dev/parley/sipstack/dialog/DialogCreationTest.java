package dev.parley.sipstack.dialog;

import static dev.parley.sipstack.dialog.DialogMessages.P1;
import static dev.parley.sipstack.dialog.DialogMessages.P2;
import static dev.parley.sipstack.dialog.DialogMessages.P3;
import static dev.parley.sipstack.dialog.DialogMessages.answer;
import static dev.parley.sipstack.dialog.DialogMessages.invite;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.parley.sip.message.SipRequest;
import dev.parley.sip.message.SipResponse;
import dev.parley.sip.uri.Uri;
import org.junit.jupiter.api.Test;

/** RFC 3261 §12.1. */
class DialogCreationTest {
    private final SipRequest invite = invite();

    @Test
    void rfc3261_12_1_2_uacRouteSetIsTheRecordRouteReversed() {
        Dialog d = Dialog.asUac(invite, answer(invite, 200, "a6c85cf"));

        assertThat(d.routeSet()).containsExactly(P1, P2, P3);
        assertThat(d.id()).isEqualTo(new DialogId(DialogMessages.CALL_ID, "1928301774", "a6c85cf"));
        assertThat(d.remoteTarget()).isEqualTo(Uri.parse("sip:bob@192.0.2.4"));
        assertThat(d.localSequence()).isEqualTo(314159);
        assertThat(d.remoteSequence()).isEqualTo(-1);
        assertThat(d.localUri()).isEqualTo(Uri.parse("sip:alice@atlanta.example.com"));
        assertThat(d.remoteUri()).isEqualTo(Uri.parse("sip:bob@biloxi.example.com"));
        assertThat(d.state()).isEqualTo(DialogState.CONFIRMED);
        assertThat(d.isSecure()).isFalse();
    }

    @Test
    void rfc3261_12_1_1_uasRouteSetIsTheRecordRouteAsIs() {
        Dialog d = Dialog.asUas(invite, answer(invite, 200, "a6c85cf"));

        assertThat(d.routeSet()).containsExactly(P3, P2, P1);
        assertThat(d.id()).isEqualTo(new DialogId(DialogMessages.CALL_ID, "a6c85cf", "1928301774"));
        assertThat(d.remoteTarget()).isEqualTo(Uri.parse("sip:alice@pc33.atlanta.example.com"));
        assertThat(d.remoteSequence()).isEqualTo(314159);
        assertThat(d.localSequence()).isEqualTo(-1);
        assertThat(d.localAddress().tag()).isEqualTo("a6c85cf");
        assertThat(d.remoteAddress().tag()).isEqualTo("1928301774");
        assertThat(d.localUri()).isEqualTo(Uri.parse("sip:bob@biloxi.example.com"));
    }

    @Test
    void rfc3261_12_1_2_provisionalWithTagMakesAnEarlyDialog_the2xxConfirmsItAndRecomputesTheRouteSet() {
        SipResponse ringing = answer(invite, 180, "a6c85cf").toBuilder()
                .remove(dev.parley.sip.header.HeaderName.RECORD_ROUTE).build();
        Dialog d = Dialog.asUac(invite, ringing);
        assertThat(d.state()).isEqualTo(DialogState.EARLY);
        assertThat(d.routeSet()).isEmpty();

        d.onResponse(invite, answer(invite, 200, "a6c85cf"));
        assertThat(d.state()).isEqualTo(DialogState.CONFIRMED);
        assertThat(d.routeSet()).containsExactly(P1, P2, P3);
    }

    @Test
    void rfc3261_12_3_nonSuccessFinalEndsAnEarlyDialog() {
        Dialog uac = Dialog.asUac(invite, answer(invite, 183, "a6c85cf"));
        uac.onResponse(invite, answer(invite, 486, "a6c85cf"));
        assertThat(uac.state()).isEqualTo(DialogState.TERMINATED);

        Dialog uas = Dialog.asUas(invite, answer(invite, 180, "a6c85cf"));
        uas.onResponseSent(invite, answer(invite, 180, "a6c85cf"));
        assertThat(uas.state()).isEqualTo(DialogState.EARLY);
        uas.onResponseSent(invite, answer(invite, 200, "a6c85cf"));
        assertThat(uas.state()).isEqualTo(DialogState.CONFIRMED);
    }

    @Test
    void rfc3261_12_1_100AndUntaggedResponsesCreateNoDialog() {
        assertThatThrownBy(() -> Dialog.asUac(invite, SipResponse.to(invite, 100).build()))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Dialog.asUac(invite, SipResponse.to(invite, 180).build()))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Dialog.asUas(invite, SipResponse.to(invite, 200).build()))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Dialog.asUac(invite, answer(invite, 404, "x")))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void rfc3261_12_1_1_secureFlagFollowsASipsRequestUri() {
        SipRequest sips = invite.toBuilder().requestUri(Uri.parse("sips:bob@biloxi.example.com")).build();
        assertThat(Dialog.asUas(sips, answer(sips, 200, "t")).isSecure()).isTrue();
        assertThat(Dialog.asUac(sips, answer(sips, 200, "t")).isSecure()).isTrue();
    }
}
