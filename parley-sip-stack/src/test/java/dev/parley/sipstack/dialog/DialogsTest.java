package dev.parley.sipstack.dialog;

import static dev.parley.sipstack.dialog.DialogMessages.answer;
import static dev.parley.sipstack.dialog.DialogMessages.fromAlice;
import static dev.parley.sipstack.dialog.DialogMessages.fromBob;
import static dev.parley.sipstack.dialog.DialogMessages.invite;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.parley.sip.message.SipMethod;
import dev.parley.sip.message.SipRequest;
import org.junit.jupiter.api.Test;

/** RFC 3261 §12: dialogs found by their id, from either side. */
class DialogsTest {
    private final SipRequest invite = invite();
    private final Dialogs dialogs = new Dialogs();

    @Test
    void rfc3261_12_2_2_uasFindsTheDialogOfAnIncomingRequest() {
        Dialog bob = dialogs.add(Dialog.asUas(invite, answer(invite, 200, "a6c85cf")));

        assertThat(dialogs.forIncomingRequest(fromAlice(SipMethod.BYE, 314160, null))).containsSame(bob);
        assertThat(dialogs.forIncomingRequest(invite)).isEmpty();
    }

    @Test
    void rfc3261_12_1_2_forkedEarlyDialogsAreDistinct_andTheUacFindsEach() {
        Dialog forkA = dialogs.add(Dialog.asUac(invite, answer(invite, 180, "fork-a")));
        Dialog forkB = dialogs.add(Dialog.asUac(invite, answer(invite, 180, "fork-b")));

        assertThat(dialogs.size()).isEqualTo(2);
        assertThat(dialogs.forIncomingResponse(answer(invite, 200, "fork-b"))).containsSame(forkB);
        assertThat(dialogs.forIncomingResponse(answer(invite, 200, "fork-a"))).containsSame(forkA);
        assertThat(dialogs.forIncomingRequest(fromBob(SipMethod.BYE, 1, null))).isEmpty();

        assertThat(dialogs.remove(forkA.id())).isTrue();
        assertThat(dialogs.find(forkA.id())).isEmpty();
        assertThatThrownBy(() -> dialogs.add(Dialog.asUac(invite, answer(invite, 180, "fork-b"))))
                .isInstanceOf(IllegalStateException.class);
    }

    @Test
    void rfc3261_19_3_tagsAreRandomTokens() {
        assertThat(Tags.newTag()).hasSize(11).isNotEqualTo(Tags.newTag());
    }
}
