package dev.parley.sipstack.dialog;

import static dev.parley.sipstack.dialog.DialogMessages.answer;
import static dev.parley.sipstack.dialog.DialogMessages.fromAlice;
import static dev.parley.sipstack.dialog.DialogMessages.fromBob;
import static dev.parley.sipstack.dialog.DialogMessages.invite;
import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.sip.message.SipMethod;
import dev.parley.sip.message.SipRequest;
import org.junit.jupiter.api.Test;

/** RFC 3261 §12.2.2: the remote sequence number. */
class CSeqCheckTest {
    private final SipRequest invite = invite();

    @Test
    void rfc3261_12_2_2_lowerCSeqIsRejectedWith500() {
        Dialog bob = Dialog.asUas(invite, answer(invite, 200, "a6c85cf"));

        RequestCheck check = bob.onRequest(fromAlice(SipMethod.INFO, 314158, null));
        assertThat(check).isEqualTo(RequestCheck.OUT_OF_ORDER);
        assertThat(check.status()).isEqualTo(500);
        assertThat(bob.remoteSequence()).isEqualTo(314159);
    }

    @Test
    void rfc3261_12_2_2_higherCSeqIsAcceptedAndRemembered() {
        Dialog bob = Dialog.asUas(invite, answer(invite, 200, "a6c85cf"));

        assertThat(bob.onRequest(fromAlice(SipMethod.INFO, 314170, null))).isEqualTo(RequestCheck.ACCEPTED);
        assertThat(bob.remoteSequence()).isEqualTo(314170);
        assertThat(bob.onRequest(fromAlice(SipMethod.BYE, 314169, null)).isAccepted()).isFalse();
        assertThat(bob.onRequest(fromAlice(SipMethod.BYE, 314171, null)).isAccepted()).isTrue();
    }

    @Test
    void rfc3261_12_2_2_anEmptyRemoteSequenceTakesTheFirstRequests() {
        Dialog alice = Dialog.asUac(invite, answer(invite, 200, "a6c85cf"));
        assertThat(alice.remoteSequence()).isEqualTo(-1);

        assertThat(alice.onRequest(fromBob(SipMethod.BYE, 7, null))).isEqualTo(RequestCheck.ACCEPTED);
        assertThat(alice.remoteSequence()).isEqualTo(7);
    }

    @Test
    void rfc3261_13_2_2_4_theAckForA2xxCarriesTheInviteNumberAndIsNotChecked() {
        Dialog bob = Dialog.asUas(invite, answer(invite, 200, "a6c85cf"));
        bob.onRequest(fromAlice(SipMethod.INFO, 314160, null));

        assertThat(bob.onRequest(fromAlice(SipMethod.ACK, 314159, null))).isEqualTo(RequestCheck.ACCEPTED);
        assertThat(bob.remoteSequence()).isEqualTo(314160);
    }
}
