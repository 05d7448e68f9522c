package dev.parley.pbx.settings;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.parley.pbx.settings.IncomingCallPolicy.Decision;
import dev.parley.pbx.settings.IncomingCallPolicy.Reason;
import org.junit.jupiter.api.Test;

class IncomingCallPolicyTest {
    private static final UserSettings.Devices NONE = UserSettings.Devices.NONE;
    private final IncomingCallPolicy policy = new IncomingCallPolicy(486);

    @Test
    void defaultsRingWithoutAutoAnswerEvenWhileOnACall() {
        assertThat(policy.decide(UserSettings.DEFAULTS, false)).isEqualTo(new Decision.Ring(false));
        assertThat(policy.decide(UserSettings.DEFAULTS, true)).isEqualTo(new Decision.Ring(false));
    }

    @Test
    void doNotDisturbRefusesWithTheConfiguredStatusBeforeAnythingElse() {
        UserSettings dnd = new UserSettings(true, false, true, NONE);
        assertThat(policy.decide(dnd, true)).isEqualTo(new Decision.Refuse(486, Reason.DO_NOT_DISTURB));
        assertThat(new IncomingCallPolicy(480).decide(dnd, false))
                .isEqualTo(new Decision.Refuse(480, Reason.DO_NOT_DISTURB));
    }

    @Test
    void callWaitingOffRefusesWith486OnlyWhileOnACall() {
        UserSettings noWaiting = new UserSettings(false, false, false, NONE);
        assertThat(policy.decide(noWaiting, true)).isEqualTo(new Decision.Refuse(486, Reason.BUSY));
        assertThat(policy.decide(noWaiting, false)).isEqualTo(new Decision.Ring(false));
    }

    @Test
    void autoAnswerRings() {
        assertThat(policy.decide(new UserSettings(false, true, true, NONE), false)).isEqualTo(new Decision.Ring(true));
    }

    @Test
    void onlyBusyHereOrTemporarilyUnavailableMayBeTheDndStatus() {
        for (int status : new int[] {200, 403, 487, 603, 0}) {
            assertThatThrownBy(() -> new IncomingCallPolicy(status)).isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void deviceIdsLongerThan200CharactersAreRefused() {
        assertThatThrownBy(() -> new UserSettings.Devices(null, "x".repeat(201), null, null))
                .hasMessageContaining("devices.speaker");
        assertThat(new UserSettings.Devices("x".repeat(200), null, null, null).microphone()).hasSize(200);
    }
}
