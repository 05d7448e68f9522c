package dev.parley.pbx.call;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** RFC 3261 §16.7 (simplified): which branch answer the caller gets, and the CDR cause it means. */
class OutcomeTest {

    private static int best(int... branchStatuses) {
        int best = 0;
        for (int s : branchStatuses) {
            best = Outcome.better(best, Outcome.forCaller(s));
        }
        return best;
    }

    @Test
    void busyWinsOverUnavailableWhicheverComesFirst() {
        assertThat(best(480, 486)).isEqualTo(486);
        assertThat(best(486, 480)).isEqualTo(486);
        assertThat(best(408, 503, 486)).isEqualTo(486);
    }

    @Test
    void whatWouldMisleadTheCallerBecomes480() {
        assertThat(Outcome.forCaller(302)).isEqualTo(480);
        assertThat(Outcome.forCaller(401)).isEqualTo(480);
        assertThat(Outcome.forCaller(407)).isEqualTo(480);
        assertThat(Outcome.forCaller(404)).isEqualTo(480);
        assertThat(Outcome.forCaller(408)).isEqualTo(480);
        assertThat(Outcome.forCaller(500)).isEqualTo(480);
        assertThat(Outcome.forCaller(503)).isEqualTo(480);
        assertThat(Outcome.forCaller(486)).isEqualTo(486);
        assertThat(Outcome.forCaller(488)).isEqualTo(488);
        assertThat(Outcome.forCaller(603)).isEqualTo(603);
    }

    @Test
    void rfc3261_16_7_sixHundredsEndForkingAndRankFirst() {
        assertThat(Outcome.endsForking(603)).isTrue();
        assertThat(Outcome.endsForking(486)).isFalse();
        assertThat(best(486, 603)).isEqualTo(603);
    }

    @Test
    void otherClientErrorsRankBetweenMediaRefusalAndUnavailable() {
        assertThat(best(480, 403)).isEqualTo(403);
        assertThat(best(403, 488)).isEqualTo(488);
    }

    @Test
    void causes() {
        assertThat(Outcome.causeOf(486)).isEqualTo(Cause.BUSY);
        assertThat(Outcome.causeOf(600)).isEqualTo(Cause.BUSY);
        assertThat(Outcome.causeOf(480)).isEqualTo(Cause.UNAVAILABLE);
        assertThat(Outcome.causeOf(404)).isEqualTo(Cause.NOT_FOUND);
        assertThat(Outcome.causeOf(487)).isEqualTo(Cause.CANCELLED);
        assertThat(Outcome.causeOf(603)).isEqualTo(Cause.REJECTED);
        assertThat(Outcome.causeOf(403)).isEqualTo(Cause.REJECTED);
        assertThat(Outcome.causeOf(503)).isEqualTo(Cause.FAILED);
        assertThat(Cause.ANSWERED_CALLER_HANGUP.text()).isEqualTo("answered-caller-hangup");
    }
}
