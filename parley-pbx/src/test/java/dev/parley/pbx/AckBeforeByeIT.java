package dev.parley.pbx;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.sip.header.Address;
import dev.parley.sip.header.CSeq;
import dev.parley.sip.message.SipMethod;
import dev.parley.sip.message.SipRequest;
import dev.parley.sip.message.SipResponse;
import java.time.Duration;
import java.util.List;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * RFC 3261 §13.2.2.4 and §15: Parley, as the UAC of a leg, ACKs every 2xx it received on that leg before it ends the
 * leg's dialog with BYE, also when the other leg hangs up while Parley's ACK is still waiting for that leg's ACK (a
 * delayed offer, a re-INVITE without SDP: the ACK carries the SDP answer). Each test lets one phone send BYE instead
 * of its ACK and checks the order in which the other phone received the requests of its dialog.
 */
class AckBeforeByeIT {
    private final TestPbx pbx = new TestPbx();

    @AfterEach
    void stop() {
        pbx.close();
    }

    @Test
    void delayedOffer_callerHangsUpBeforeItsAck_calleeGetsItsAckBeforeTheBye() throws Exception {
        try (TestPhone alice = pbx.phone("alice", "101"); TestPhone bob = pbx.phone("bob-desk", "102")) {
            alice.register();
            bob.register();
            TestPhone.Outgoing call = alice.call("102", null);
            TestPhone.Incoming in = bob.awaitInvite();
            in.answer(Sdp.of("bob", 5000)); // bob's offer: Parley's ACK to him waits for alice's answer
            assertThat(call.awaitFinal().status()).isEqualTo(200);

            assertThat(call.bye().status()).isEqualTo(200); // instead of the ACK
            in.awaitBye();
            assertAckedBeforeBye(bob, in.invite.callId(), in.invite.cseq().sequence());
            pbx.awaitNoCalls();
        }
    }

    @Test
    void reInviteWithoutSdp_callerHangsUpBeforeItsAck_calleeGetsItsAckBeforeTheBye() throws Exception {
        try (TestPhone alice = pbx.phone("alice", "101"); TestPhone bob = pbx.phone("bob-desk", "102")) {
            Established e = established(alice, bob);
            TestPhone.Outgoing call = e.call();
            String calleeCallId = e.in().invite.callId();

            call.inDialog(SipMethod.INVITE, null); // RFC 3264 §4: bob's 2xx offers, alice's ACK would answer
            SipRequest reinvite = bob.awaitRequest(r -> r.isMethod(SipMethod.INVITE) && r.to().tag() != null);
            assertThat(reinvite.body().isEmpty()).isTrue();
            bob.respond(reinvite, 200, null, Sdp.of("bob", 5000));
            assertThat(call.awaitFinal().status()).isEqualTo(200);

            assertThat(call.bye().status()).isEqualTo(200); // instead of the ACK
            bob.awaitRequest(r -> r.isMethod(SipMethod.BYE) && r.callId().equals(calleeCallId));
            assertAckedBeforeBye(bob, calleeCallId, reinvite.cseq().sequence());
            pbx.awaitNoCalls();
        }
    }

    @Test
    void reInviteWithoutSdp_calleeHangsUpBeforeItsAck_callerGetsItsAckBeforeTheBye() throws Exception {
        try (TestPhone alice = pbx.phone("alice", "101"); TestPhone bob = pbx.phone("bob-desk", "102")) {
            Established e = established(alice, bob);
            TestPhone.Outgoing call = e.call();
            SipRequest first = e.in().invite;
            long n = ++e.in().cseq;
            SipRequest reinvite = SipRequest.builder(SipMethod.INVITE, first.contacts().getFirst().uri())
                    .via(bob.newVia()).maxForwards(70).from(first.to().withTag(e.in().tag)).to(first.from())
                    .callId(first.callId()).cseq(new CSeq(n, SipMethod.INVITE)).contact(Address.of(bob.contactUri()))
                    .build();
            bob.send(reinvite);
            SipRequest relayed = alice.awaitRequest(r -> r.isMethod(SipMethod.INVITE) && r.to().tag() != null);
            assertThat(relayed.body().isEmpty()).isTrue();
            alice.respond(relayed, 200, null, Sdp.of("alice", 4000));
            SipResponse ok = bob.awaitResponse(r -> r.callId().equals(first.callId())
                    && r.cseq().sequence() == n && r.status() >= 200);
            assertThat(ok.status()).isEqualTo(200);

            assertThat(e.in().bye().status()).isEqualTo(200); // instead of the ACK
            alice.awaitRequest(r -> r.isMethod(SipMethod.BYE) && r.callId().equals(call.callId));
            assertAckedBeforeBye(alice, call.callId, relayed.cseq().sequence());
            pbx.awaitNoCalls();
        }
    }

    @Test
    void reInvitePendingAtTheCalleeWhenTheCallerHangsUp_itGets487_andALate2xxIsAckedAtOnce() throws Exception {
        try (TestPhone alice = pbx.phone("alice", "101"); TestPhone bob = pbx.phone("bob-desk", "102")) {
            Established e = established(alice, bob);
            TestPhone.Outgoing call = e.call();
            String calleeCallId = e.in().invite.callId();

            call.inDialog(SipMethod.INVITE, null);
            SipRequest reinvite = bob.awaitRequest(r -> r.isMethod(SipMethod.INVITE) && r.to().tag() != null);
            SipRequest bye = call.inDialog(SipMethod.BYE, null); // while bob has not answered the re-INVITE
            assertThat(alice.awaitResponse(r -> r.callId().equals(call.callId)
                    && r.cseq().sequence() == bye.cseq().sequence()).status()).isEqualTo(200);
            // RFC 3261 §15.1.2: the pending re-INVITE of the ended dialog is answered, 487
            assertThat(call.awaitFinal().status()).isEqualTo(487);
            bob.awaitRequest(r -> r.isMethod(SipMethod.BYE) && r.callId().equals(calleeCallId));

            // bob's 2xx crossed the BYE: Parley still ACKs it (RFC 3261 §13.2.2.4), at once, not after 64*T1
            bob.respond(reinvite, 200, null, Sdp.of("bob", 5000));
            assertThat(bob.sees(r -> r.isMethod(SipMethod.ACK) && r.callId().equals(calleeCallId)
                    && r.cseq().sequence() == reinvite.cseq().sequence(), Duration.ofSeconds(2)))
                    .as("the late 2xx is ACKed").isTrue();
            pbx.awaitNoCalls();
        }
    }

    private record Established(TestPhone.Outgoing call, TestPhone.Incoming in) {
    }

    /** alice calls bob, bob answers, alice ACKs: a confirmed call. */
    private static Established established(TestPhone alice, TestPhone bob) {
        alice.register();
        bob.register();
        TestPhone.Outgoing call = alice.call("102", Sdp.of("alice", 4000));
        TestPhone.Incoming in = bob.awaitInvite();
        in.answer(Sdp.of("bob", 5000));
        assertThat(call.awaitFinal().status()).isEqualTo(200);
        call.ack();
        in.awaitAck();
        return new Established(call, in);
    }

    /** {@code phone} received the ACK for the 2xx to INVITE {@code cseq} of {@code callId}, and before the BYE. */
    private static void assertAckedBeforeBye(TestPhone phone, String callId, long cseq) {
        List<SipRequest> inDialog = phone.requests().stream().filter(r -> r.callId().equals(callId)).toList();
        List<String> order = inDialog.stream().map(r -> r.method() + " " + r.cseq().sequence()).toList();
        int ack = indexOf(inDialog, r -> r.isMethod(SipMethod.ACK) && r.cseq().sequence() == cseq);
        int bye = indexOf(inDialog, r -> r.isMethod(SipMethod.BYE));
        assertThat(ack).as("the ACK for the 2xx to INVITE %d among %s", cseq, order).isNotNegative();
        assertThat(ack).as("ACK before BYE in %s", order).isLessThan(bye);
    }

    private static int indexOf(List<SipRequest> requests, Predicate<SipRequest> p) {
        for (int i = 0; i < requests.size(); i++) {
            if (p.test(requests.get(i))) {
                return i;
            }
        }
        return -1;
    }
}
