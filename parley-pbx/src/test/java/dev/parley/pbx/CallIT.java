package dev.parley.pbx;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.pbx.cdr.CallRecord;
import dev.parley.sip.message.SipMethod;
import dev.parley.sip.message.SipRequest;
import dev.parley.sip.message.SipResponse;
import dev.parley.sip.uri.SipUri;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Answered calls through the B2BUA: forking, SDP pass-through, BYE from either side, CDRs. */
class CallIT {
    private final TestPbx pbx = new TestPbx();

    @AfterEach
    void stop() {
        pbx.close();
    }

    @Test
    void answeredCall_sdpUnchanged_callerHangsUp_cdrWritten() throws Exception {
        try (TestPhone alice = pbx.phone("alice", "101"); TestPhone bob = pbx.phone("bob-desk", "102")) {
            assertThat(alice.register().status()).isEqualTo(200);
            assertThat(bob.register().status()).isEqualTo(200);
            String offer = Sdp.of("alice", 4000);
            String answer = Sdp.of("bob", 5000);

            TestPhone.Outgoing call = alice.call("102", offer);
            assertThat(call.challenge.status()).isEqualTo(407);
            TestPhone.Incoming in = bob.awaitInvite();
            // the B-leg: its own Call-ID, the caller as Parley vouches for it, the SDP byte for byte
            assertThat(in.invite.callId()).isNotEqualTo(call.callId);
            assertThat(in.invite.body().toUtf8String()).isEqualTo(offer);
            assertThat(in.invite.from().displayName()).isEqualTo("Alice");
            assertThat(((SipUri) in.invite.from().uri()).user()).isEqualTo("101");
            assertThat(((SipUri) in.invite.to().uri()).user()).isEqualTo("102");
            assertThat(in.invite.maxForwards()).isEqualTo(69);
            assertThat(in.invite.proxyAuthorizations()).isEmpty();

            in.ring();
            SipResponse ringing = call.awaitProvisional(180);
            assertThat(ringing.to().tag()).isNotNull();
            in.answer(answer);
            SipResponse ok = call.awaitFinal();
            assertThat(ok.status()).isEqualTo(200);
            assertThat(ok.to().tag()).isEqualTo(ringing.to().tag());
            assertThat(ok.body().toUtf8String()).isEqualTo(answer);
            assertThat(ok.contacts()).hasSize(1);
            in.awaitAck(); // Parley ACKs the callee's 2xx itself
            call.ack();
            assertThat(pbx.pbx.activeCalls()).isEqualTo(1);

            assertThat(call.bye().status()).isEqualTo(200);
            bob.awaitRequest(r -> r.isMethod(SipMethod.BYE) && r.callId().equals(in.invite.callId()));
            CallRecord cdr = pbx.awaitCdrs(1).getFirst();
            assertThat(cdr.callId()).isEqualTo(call.callId);
            assertThat(cdr.caller()).isEqualTo("101");
            assertThat(cdr.callee()).isEqualTo("102");
            assertThat(cdr.answeredBy()).isEqualTo("bob-desk");
            assertThat(cdr.status()).isEqualTo(200);
            assertThat(cdr.cause()).isEqualTo("answered-caller-hangup");
            assertThat(cdr.answeredAt()).isNotNull().isAfterOrEqualTo(cdr.startedAt());
            assertThat(cdr.endedAt()).isAfterOrEqualTo(cdr.answeredAt());
            assertThat(pbx.pbx.activeCalls()).isZero();
        }
    }

    @Test
    void calleeHangsUp_callerGetsBye() throws Exception {
        try (TestPhone alice = pbx.phone("alice", "101"); TestPhone bob = pbx.phone("bob-desk", "102")) {
            alice.register();
            bob.register();
            TestPhone.Outgoing call = alice.call("102", Sdp.of("alice", 4000));
            TestPhone.Incoming in = bob.awaitInvite();
            in.answer(Sdp.of("bob", 5000));
            call.awaitFinal();
            call.ack();
            in.awaitAck();

            assertThat(in.bye().status()).isEqualTo(200);
            SipRequest bye = alice.awaitRequest(r -> r.isMethod(SipMethod.BYE) && r.callId().equals(call.callId));
            assertThat(bye.to().tag()).isEqualTo(call.fromTag);
            assertThat(pbx.awaitCdrs(1).getFirst().cause()).isEqualTo("answered-callee-hangup");
        }
    }

    @Test
    void twoContactsRingInParallel_firstAnswerWins_otherIsCancelled() throws Exception {
        try (TestPhone alice = pbx.phone("alice", "101"); TestPhone desk = pbx.phone("bob-desk", "102");
                TestPhone soft = pbx.phone("bob-soft", "bob-soft")) {
            alice.register();
            desk.register();
            soft.register(); // under its own username: the router looks there too
            TestPhone.Outgoing call = alice.call("102", Sdp.of("alice", 4000));
            TestPhone.Incoming deskIn = desk.awaitInvite();
            TestPhone.Incoming softIn = soft.awaitInvite();
            deskIn.ring();
            softIn.ring();
            call.awaitProvisional(180);
            softIn.answer(Sdp.of("soft", 6000));

            assertThat(call.awaitFinal().body().toUtf8String()).isEqualTo(Sdp.of("soft", 6000));
            SipRequest cancel = deskIn.awaitCancel();
            assertThat(cancel.reasons()).isNotEmpty();
            assertThat(cancel.reasons().getFirst().cause()).isEqualTo(200);
            // the desk phone answered the INVITE 487 and Parley ACKed it (its transaction layer)
            desk.awaitRequest(r -> r.isMethod(SipMethod.ACK) && r.callId().equals(deskIn.invite.callId()));
            call.ack();
            softIn.awaitAck();
            call.bye();
            soft.awaitRequest(r -> r.isMethod(SipMethod.BYE));
            CallRecord cdr = pbx.awaitCdrs(1).getFirst();
            assertThat(cdr.answeredBy()).isEqualTo("bob-soft");
        }
    }

    @Test
    void calleeOnTcpIsReachedOnTheConnectionItRegisteredFrom() throws Exception {
        try (TestPhone alice = pbx.phone("alice", "101"); TestPhone bob = pbx.tcpPhone("bob-desk", "102")) {
            alice.register();
            assertThat(bob.register().status()).isEqualTo(200);
            TestPhone.Outgoing call = alice.call("102", Sdp.of("alice", 4000));
            TestPhone.Incoming in = bob.awaitInvite();
            assertThat(in.invite.topVia().transport()).isEqualTo("TCP");
            in.ring();
            in.answer(Sdp.of("bob", 5000));
            assertThat(call.awaitFinal().status()).isEqualTo(200);
            call.ack();
            in.awaitAck();
            assertThat(call.bye().status()).isEqualTo(200);
            in.awaitBye();
        }
    }

    @Test
    void rfc3261_13_3_1_4_the2xxIsRetransmittedUntilTheAck() throws Exception {
        try (TestPhone alice = pbx.phone("alice", "101"); TestPhone bob = pbx.phone("bob-desk", "102")) {
            alice.register();
            bob.register();
            TestPhone.Outgoing call = alice.call("102", Sdp.of("alice", 4000));
            bob.awaitInvite().answer(Sdp.of("bob", 5000));
            call.awaitFinal();
            Thread.sleep(1700); // T1 = 500 ms: copies at 0, 0.5 and 1.5 s
            long copies = alice.responsesFor(call.callId).stream().filter(r -> r.status() == 200).count();
            assertThat(copies).isGreaterThanOrEqualTo(3);
            call.ack();
            Thread.sleep(100);
            long afterAck = alice.responsesFor(call.callId).stream().filter(r -> r.status() == 200).count();
            Thread.sleep(Duration.ofMillis(2100));
            assertThat(alice.responsesFor(call.callId).stream().filter(r -> r.status() == 200).count())
                    .isEqualTo(afterAck);
            call.bye();
        }
    }
}
