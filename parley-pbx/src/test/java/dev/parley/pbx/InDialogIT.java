package dev.parley.pbx;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.mediaapi.Direction;
import dev.parley.mediaapi.EndpointId;
import dev.parley.sdp.attribute.MediaDirection;
import dev.parley.sip.message.SipMethod;
import dev.parley.sip.message.SipRequest;
import dev.parley.sip.message.SipResponse;
import java.time.Duration;
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

            int callerPort = Sdp.parse(e.call.ok).media().getFirst().port();
            int calleePort = Sdp.parse(e.in.invite).media().getFirst().port();
            EndpointId a = pbx.media.byPort(callerPort);
            EndpointId b = pbx.media.byPort(calleePort);
            String firstVersion = Sdp.parse(e.in.invite).origin().sessionVersion();

            // hold (RFC 3264 §8.4): alice offers sendonly, bob answers recvonly; both endpoints and ports stay
            e.call.inDialog(SipMethod.INVITE, Sdp.of("alice", 4000, MediaDirection.SENDONLY));
            SipRequest reinvite = bob.awaitRequest(r -> r.isMethod(SipMethod.INVITE) && r.to().tag() != null);
            assertThat(reinvite.callId()).isEqualTo(e.in.invite.callId());
            assertThat(reinvite.to().tag()).isEqualTo(e.in.tag);
            Sdp.assertAnchored(reinvite, calleePort, MediaDirection.SENDONLY, 0, 8, 101);
            assertThat(Sdp.parse(reinvite).origin().sessionVersion()).isNotEqualTo(firstVersion);
            bob.respond(reinvite, 200, null, Sdp.of("bob", 5000, MediaDirection.RECVONLY));

            SipResponse ok = e.call.awaitFinal();
            assertThat(ok.status()).isEqualTo(200);
            Sdp.assertAnchored(ok, callerPort, MediaDirection.RECVONLY, 0, 8, 101);
            // the callee's 2xx is ACKed by Parley because the re-INVITE carried the offer
            bob.awaitRequest(r -> r.isMethod(SipMethod.ACK) && r.cseq().sequence() == reinvite.cseq().sequence());
            e.call.ack();
            // Parley still hears alice (she may play music) but sends her nothing; it sends bob what alice sends
            assertThat(pbx.media.parameters.get(a).direction()).isEqualTo(Direction.RECVONLY);
            assertThat(pbx.media.parameters.get(b).direction()).isEqualTo(Direction.SENDONLY);
            assertThat(pbx.media.bridges).containsEntry(a, b);

            // resume
            e.call.inDialog(SipMethod.INVITE, Sdp.of("alice", 4000));
            SipRequest resume = bob.awaitRequest(r -> r.isMethod(SipMethod.INVITE) && r.to().tag() != null
                    && r.cseq().sequence() > reinvite.cseq().sequence());
            Sdp.assertAnchored(resume, calleePort, MediaDirection.SENDRECV, 0, 8, 101);
            bob.respond(resume, 200, null, Sdp.of("bob", 5000));
            Sdp.assertAnchored(e.call.awaitFinal(), callerPort, MediaDirection.SENDRECV, 0, 8, 101);
            e.call.ack();
            assertThat(pbx.media.parameters.get(a).direction()).isEqualTo(Direction.SENDRECV);
            assertThat(pbx.media.parameters.get(b).direction()).isEqualTo(Direction.SENDRECV);
            assertThat(pbx.media.open.keySet()).containsExactlyInAnyOrder(a, b);

            assertThat(e.call.bye().status()).isEqualTo(200);
            e.in.awaitBye();
            pbx.awaitNoCalls();
            assertThat(pbx.media.open).isEmpty();
        }
    }

    @Test
    void aReInviteWhoseMediaCannotBeUsedGets488AndTheCallGoesOn() throws Exception {
        try (TestPhone alice = pbx.phone("alice", "101"); TestPhone bob = pbx.phone("bob-desk", "102")) {
            Established e = establish(alice, bob, Sdp.of("alice", 4000), Sdp.of("bob", 5000));
            e.call.ack();
            e.in.awaitAck();
            e.call.inDialog(SipMethod.INVITE, Sdp.of("alice", 4000).replace("m=audio", "m=video"));
            assertThat(e.call.awaitFinal().status()).isEqualTo(488);
            assertThat(bob.sees(r -> r.isMethod(SipMethod.INVITE) && r.to().tag() != null, Duration.ofMillis(300)))
                    .as("a refused offer is not relayed").isFalse();
            assertThat(e.call.bye().status()).isEqualTo(200);
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
            Sdp.assertAnchored(relayed, Sdp.parse(e.call.ok).media().getFirst().port(), MediaDirection.SENDRECV,
                    0, 8, 101);
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
            // bob's offer in his 2xx becomes Parley's offer to alice in hers
            int callerPort = Sdp.parse(e.call.ok).media().getFirst().port();
            Sdp.assertAnchored(e.call.ok, callerPort, MediaDirection.SENDRECV, 0, 8, 101);
            assertThat(bob.sees(r -> r.isMethod(SipMethod.ACK), Duration.ofMillis(200)))
                    .as("bob's ACK waits for alice's answer").isFalse();
            e.call.ack(Sdp.of("alice", 4000));
            SipRequest ack = e.in.awaitAck();
            EndpointId b = pbx.media.openIds().stream().filter(id -> !id.equals(pbx.media.byPort(callerPort)))
                    .findFirst().orElseThrow();
            int calleePort = pbx.media.open.get(b).rtp().getPort();
            Sdp.assertAnchored(ack, calleePort, MediaDirection.SENDRECV, 0, 8, 101);
            EndpointId a = pbx.media.byPort(callerPort);
            assertThat(pbx.media.parameters.get(a).remoteRtp().getPort()).isEqualTo(4000);
            assertThat(pbx.media.parameters.get(b).remoteRtp().getPort()).isEqualTo(5000);
            assertThat(pbx.media.bridges).containsEntry(a, b);
            e.call.bye();
            pbx.awaitNoCalls();
            assertThat(pbx.media.open).isEmpty();
        }
    }
}
