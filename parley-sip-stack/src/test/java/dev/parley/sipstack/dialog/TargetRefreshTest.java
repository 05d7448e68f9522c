package dev.parley.sipstack.dialog;

import static dev.parley.sipstack.dialog.DialogMessages.answer;
import static dev.parley.sipstack.dialog.DialogMessages.fromAlice;
import static dev.parley.sipstack.dialog.DialogMessages.invite;
import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.sip.header.Address;
import dev.parley.sip.message.SipMethod;
import dev.parley.sip.message.SipRequest;
import dev.parley.sip.message.SipResponse;
import dev.parley.sip.uri.Uri;
import org.junit.jupiter.api.Test;

/** RFC 3261 §12.2.1.2 (UAC) and §12.2.2 (UAS); RFC 3311 for UPDATE. */
class TargetRefreshTest {
    private final SipRequest invite = invite();

    @Test
    void rfc3261_12_2_2_uasReplacesTheRemoteTargetOnAReInvite() {
        Dialog bob = Dialog.asUas(invite, answer(invite, 200, "a6c85cf"));
        bob.onRequest(fromAlice(SipMethod.INVITE, 314160, "<sip:alice@198.51.100.7:5070>"));

        assertThat(bob.remoteTarget()).isEqualTo(Uri.parse("sip:alice@198.51.100.7:5070"));
        assertThat(bob.newRequest(SipMethod.BYE).build().requestUri())
                .isEqualTo(Uri.parse("sip:alice@198.51.100.7:5070"));
    }

    @Test
    void rfc3311_uasReplacesTheRemoteTargetOnUpdate_butNotOnOtherRequests() {
        Dialog bob = Dialog.asUas(invite, answer(invite, 200, "a6c85cf"));
        bob.onRequest(fromAlice(SipMethod.INFO, 314160, "<sip:alice@203.0.113.9>"));
        assertThat(bob.remoteTarget()).isEqualTo(Uri.parse("sip:alice@pc33.atlanta.example.com"));

        bob.onRequest(fromAlice(SipMethod.UPDATE, 314161, "<sip:alice@203.0.113.9>"));
        assertThat(bob.remoteTarget()).isEqualTo(Uri.parse("sip:alice@203.0.113.9"));
    }

    @Test
    void rfc3261_12_2_1_2_uacReplacesTheRemoteTargetOnThe2xxToAReInvite_only() {
        Dialog alice = Dialog.asUac(invite, answer(invite, 200, "a6c85cf"));
        SipRequest reinvite = alice.newRequest(SipMethod.INVITE)
                .contact(Address.parse("<sip:alice@pc33.atlanta.example.com>")).build();

        SipResponse pending = SipResponse.to(reinvite, 491).contact(Address.parse("<sip:bob@203.0.113.1>")).build();
        alice.onResponse(reinvite, pending);
        assertThat(alice.remoteTarget()).isEqualTo(Uri.parse("sip:bob@192.0.2.4"));
        assertThat(alice.isConfirmed()).isTrue();

        SipResponse ok = SipResponse.to(reinvite, 200).contact(Address.parse("<sip:bob@203.0.113.1>")).build();
        alice.onResponse(reinvite, ok);
        assertThat(alice.remoteTarget()).isEqualTo(Uri.parse("sip:bob@203.0.113.1"));
    }

    @Test
    void rfc3261_12_2_1_2_481Or408EndsTheDialog() {
        Dialog alice = Dialog.asUac(invite, answer(invite, 200, "a6c85cf"));
        SipRequest info = alice.newRequest(SipMethod.INFO).build();
        alice.onResponse(info, SipResponse.to(info, 481).build());
        assertThat(alice.state()).isEqualTo(DialogState.TERMINATED);
    }
}
