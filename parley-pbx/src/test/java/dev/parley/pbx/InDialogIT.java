package dev.parley.pbx;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.sip.message.SipMethod;
import dev.parley.sip.message.SipRequest;
import dev.parley.sip.message.SipResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Requests inside an established call relayed between the legs, and the delayed-offer ACK. */
class InDialogIT {
    private final TestPbx pbx = new TestPbx();

    @AfterEach
    void stop() {
        pbx.close();
    }

    private record Established(TestPhone.Outgoing call, TestPhone.Incoming in) {
    }

    private Established establish(TestPhone alice, TestPhone bob, String offer, String answer) {
        alice.register();
        bob.register();
        TestPhone.Outgoing call = alice.call("102", offer);
        TestPhone.Incoming in = bob.awaitInvite();
        in.answer(answer);
        call.awaitFinal();
        return new Established(call, in);
    }

    @Test
    void reInviteFromTheCallerIsRelayedToTheCalleeAndAnswered() throws Exception {
        try (TestPhone alice = pbx.phone("alice", "101"); TestPhone bob = pbx.phone("bob-desk", "102")) {
            Established e = establish(alice, bob, Sdp.of("alice", 4000), Sdp.of("bob", 5000));
            e.call.ack();
            e.in.awaitAck();

            String hold = Sdp.of("alice", 4000).replace("a=sendrecv", "a=sendonly");
            e.call.inDialog(SipMethod.INVITE, hold);
            SipRequest reinvite = bob.awaitRequest(r -> r.isMethod(SipMethod.INVITE) && r.to().tag() != null);
            assertThat(reinvite.callId()).isEqualTo(e.in.invite.callId());
            assertThat(reinvite.to().tag()).isEqualTo(e.in.tag);
            assertThat(reinvite.body().toUtf8String()).isEqualTo(hold);
            String held = Sdp.of("bob", 5000).replace("a=sendrecv", "a=recvonly");
            bob.respond(reinvite, 200, null, held);

            SipResponse ok = e.call.awaitFinal();
            assertThat(ok.status()).isEqualTo(200);
            assertThat(ok.body().toUtf8String()).isEqualTo(held);
            // the callee's 2xx is ACKed by Parley because the re-INVITE carried the offer
            bob.awaitRequest(r -> r.isMethod(SipMethod.ACK) && r.cseq().sequence() == reinvite.cseq().sequence());
            e.call.ack();

            assertThat(e.call.bye().status()).isEqualTo(200);
            e.in.awaitBye();
        }
    }

    @Test
    void updateFromTheCalleeIsRelayedToTheCaller() throws Exception {
        try (TestPhone alice = pbx.phone("alice", "101"); TestPhone bob = pbx.phone("bob-desk", "102")) {
            Established e = establish(alice, bob, Sdp.of("alice", 4000), Sdp.of("bob", 5000));
            e.call.ack();
            e.in.awaitAck();
            long n = ++e.in.cseq;
            SipRequest update = SipRequest.builder(SipMethod.UPDATE, e.in.invite.contacts().getFirst().uri())
                    .via(bob.newVia()).maxForwards(70).from(e.in.invite.to().withTag(e.in.tag))
                    .to(e.in.invite.from()).callId(e.in.invite.callId())
                    .cseq(new dev.parley.sip.header.CSeq(n, SipMethod.UPDATE))
                    .contact(dev.parley.sip.header.Address.of(bob.contactUri()))
                    .body(dev.parley.sip.header.MediaType.APPLICATION_SDP,
                            dev.parley.sip.message.Body.of(Sdp.of("bob", 5002)))
                    .build();
            bob.send(update);
            SipRequest relayed = alice.awaitRequest(r -> r.isMethod(SipMethod.UPDATE));
            assertThat(relayed.callId()).isEqualTo(e.call.callId);
            assertThat(relayed.body().toUtf8String()).isEqualTo(Sdp.of("bob", 5002));
            // the phone answered 200 (no body): relayed back to bob
            SipResponse ok = bob.awaitResponse(r -> r.method().equals(SipMethod.UPDATE) && r.status() >= 200);
            assertThat(ok.status()).isEqualTo(200);
        }
    }

    @Test
    void delayedOffer_theCallersAckCarriesTheAnswerToTheCallee() throws Exception {
        try (TestPhone alice = pbx.phone("alice", "101"); TestPhone bob = pbx.phone("bob-desk", "102")) {
            Established e = establish(alice, bob, null, Sdp.of("bob", 5000));
            assertThat(e.in.invite.body().isEmpty()).isTrue();
            assertThat(e.call.ok.body().toUtf8String()).isEqualTo(Sdp.of("bob", 5000));
            e.call.ack(Sdp.of("alice", 4000));
            SipRequest ack = e.in.awaitAck();
            assertThat(ack.body().toUtf8String()).isEqualTo(Sdp.of("alice", 4000));
            e.call.bye();
        }
    }
}
