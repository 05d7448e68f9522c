package dev.parley.pbx;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.sip.message.SipMethod;
import dev.parley.sip.message.SipRequest;
import dev.parley.sip.message.SipResponse;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Graceful shutdown: new work refused with 503 + Retry-After, calls in progress finish or are ended with BYE. */
class DrainIT {
    private final TestPbx pbx = new TestPbx(PbxConfig.defaults(TestPhone.REALM)
            .withDrainRetryAfter(Duration.ofSeconds(120)));

    @AfterEach
    void stop() {
        pbx.close();
    }

    @Test
    void whileDraining_newInviteAndRegisterGet503_theCallInProgressContinuesToBye() throws Exception {
        try (TestPhone alice = pbx.phone("alice", "101"); TestPhone bob = pbx.phone("bob-desk", "102");
                TestPhone carol = pbx.phone("carol", "103")) {
            alice.register();
            bob.register();
            carol.register();
            TestPhone.Outgoing call = alice.call("102", Sdp.of("alice", 4000));
            TestPhone.Incoming in = bob.awaitInvite();
            in.answer(Sdp.of("bob", 5000));
            call.awaitFinal();
            call.ack();
            in.awaitAck();

            pbx.pbx.drain();
            TestPhone.Outgoing refused = carol.call("101", Sdp.of("carol", 7000));
            SipResponse busy = refused.last != null ? refused.last : refused.awaitFinal();
            assertThat(busy.status()).isEqualTo(503);
            assertThat(busy.retryAfter()).isPresent();
            assertThat(busy.retryAfter().get().seconds()).isEqualTo(120);
            assertThat(carol.register().status()).isEqualTo(503);

            assertThat(pbx.pbx.activeCalls()).isEqualTo(1);
            assertThat(call.bye().status()).isEqualTo(200);
            in.awaitBye();
            assertThat(pbx.pbx.awaitCalls(Duration.ofSeconds(2))).isZero();
        }
    }

    @Test
    void atTheDeadlineRemainingCallsAreEndedWithByeAndReason() throws Exception {
        try (TestPhone alice = pbx.phone("alice", "101"); TestPhone bob = pbx.phone("bob-desk", "102")) {
            alice.register();
            bob.register();
            TestPhone.Outgoing call = alice.call("102", Sdp.of("alice", 4000));
            TestPhone.Incoming in = bob.awaitInvite();
            in.answer(Sdp.of("bob", 5000));
            call.awaitFinal();
            call.ack();
            in.awaitAck();

            pbx.pbx.drain();
            assertThat(pbx.pbx.awaitCalls(Duration.ofMillis(200))).isEqualTo(1);
            SipRequest byeToCaller = alice.awaitRequest(SipMethod.BYE);
            SipRequest byeToCallee = bob.awaitRequest(SipMethod.BYE);
            assertThat(byeToCaller.reasons().getFirst().cause()).isEqualTo(503);
            assertThat(byeToCallee.reasons()).isNotEmpty();
            assertThat(pbx.awaitCdrs(1).getFirst().cause()).isEqualTo("shutdown");
            assertThat(pbx.pbx.activeCalls()).isZero();
        }
    }
}
