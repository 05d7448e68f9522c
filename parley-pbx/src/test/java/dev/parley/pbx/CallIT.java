package dev.parley.pbx;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.mediaapi.Direction;
import dev.parley.mediaapi.EndpointId;
import dev.parley.mediaapi.EndpointParameters;
import dev.parley.mediaapi.PayloadFormat;
import dev.parley.pbx.cdr.CallRecord;
import dev.parley.pbx.cdr.LegRecord;
import dev.parley.sdp.attribute.MediaDirection;
import dev.parley.sip.message.SipMethod;
import dev.parley.sip.message.SipRequest;
import dev.parley.sip.message.SipResponse;
import dev.parley.sip.uri.SipUri;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Answered calls through the B2BUA: forking, SDP anchored on both legs, BYE from either side, CDRs, no port leaks. */
class CallIT {
    private final TestPbx pbx = new TestPbx();

    @AfterEach
    void stop() {
        pbx.close();
    }

    @Test
    void answeredCall_sdpAnchoredOnBothLegs_callerHangsUp_cdrWritten() throws Exception {
        try (TestPhone alice = pbx.phone("alice", "101"); TestPhone bob = pbx.phone("bob-desk", "102")) {
            assertThat(alice.register().status()).isEqualTo(200);
            assertThat(bob.register().status()).isEqualTo(200);
            String offer = Sdp.of("alice", 4000);
            String answer = Sdp.of("bob", 5000);

            TestPhone.Outgoing call = alice.call("102", offer);
            assertThat(call.challenge.status()).isEqualTo(407);
            TestPhone.Incoming in = bob.awaitInvite();
            // the B-leg: its own Call-ID, the caller as Parley vouches for it, Parley's offer with alice's codecs
            assertThat(in.invite.callId()).isNotEqualTo(call.callId);
            int calleePort = Sdp.parse(in.invite).media().getFirst().port();
            Sdp.assertAnchored(in.invite, calleePort, MediaDirection.SENDRECV, 0, 8, 101);
            assertThat(calleePort).isNotIn(4000, 5000);
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
            int callerPort = Sdp.parse(ok).media().getFirst().port();
            Sdp.assertAnchored(ok, callerPort, MediaDirection.SENDRECV, 0, 8, 101);
            assertThat(callerPort).isNotEqualTo(calleePort);
            assertThat(ok.contacts()).hasSize(1);
            in.awaitAck(); // Parley ACKs the callee's 2xx itself
            call.ack();
            assertThat(pbx.pbx.activeCalls()).isEqualTo(1);

            // each endpoint sends to its own peer, the two are bridged
            EndpointId a = pbx.media.byPort(callerPort);
            EndpointId b = pbx.media.byPort(calleePort);
            EndpointParameters pa = pbx.media.parameters.get(a);
            EndpointParameters pb = pbx.media.parameters.get(b);
            assertThat(pa.remoteRtp()).isEqualTo(new InetSocketAddress("127.0.0.1", 4000));
            assertThat(pb.remoteRtp()).isEqualTo(new InetSocketAddress("127.0.0.1", 5000));
            assertThat(pa.formats()).extracting(PayloadFormat::payloadType).containsExactly(0, 8, 101);
            assertThat(pa.direction()).isEqualTo(Direction.SENDRECV);
            assertThat(pb.direction()).isEqualTo(Direction.SENDRECV);
            assertThat(pa.encrypted() || pb.encrypted()).isFalse();
            assertThat(pbx.media.bridges).containsEntry(a, b);
            assertThat(pbx.pbx.liveCalls()).singleElement().satisfies(v -> {
                assertThat(v.answeredBy()).isEqualTo("bob-desk");
                assertThat(v.security().encryptedAllLegs()).isFalse();
                assertThat(v.security().caller().mediaText()).isEqualTo("RTP");
            });

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
            assertThat(cdr.callerLeg()).isEqualTo(new LegRecord("UDP", "RTP", 7, 5));
            assertThat(cdr.calleeLeg()).isEqualTo(new LegRecord("UDP", "RTP", 7, 5));
            assertThat(cdr.encryptedAllLegs()).isFalse();
            assertThat(pbx.pbx.activeCalls()).isZero();
            assertThat(pbx.media.open).as("endpoints left open").isEmpty();
            assertThat(pbx.media.everOpened).hasSize(2);
        }
    }

    /**
     * RFC 3261 §13.2.2.4 once the call is over: its branch has let go of the ended call (Timer M keeps the branch
     * 32 s, RFC 6026 §8.4), yet the callee's retransmitted 2xx still gets the same ACK again, and a 2xx from another
     * fork (another To tag) an ACK and a BYE.
     */
    @Test
    void afterTheCallEnded_aRetransmitted2xxIsAckedAgain_andALateForkIsAckedAndEnded() throws Exception {
        try (TestPhone alice = pbx.phone("alice", "101"); TestPhone bob = pbx.phone("bob-desk", "102")) {
            alice.register();
            bob.register();
            TestPhone.Outgoing call = alice.call("102", Sdp.of("alice", 4000));
            TestPhone.Incoming in = bob.awaitInvite();
            String answer = Sdp.of("bob", 5000);
            in.answer(answer);
            call.awaitFinal();
            call.ack();
            SipRequest ack = in.awaitAck();
            assertThat(call.bye().status()).isEqualTo(200);
            in.awaitBye();
            pbx.awaitNoCalls();
            assertThat(pbx.pbx.activeCalls()).isZero();

            bob.respond(in.invite, 200, in.tag, answer); // the 200 again: Parley's ACK was lost, as far as bob knows
            assertThat(awaitCount(bob, r -> r.isMethod(SipMethod.ACK) && r.callId().equals(in.invite.callId()), 2))
                    .as("the same ACK, sent again").hasSize(2).extracting(a -> a.topVia().branch())
                    .containsOnly(ack.topVia().branch());

            bob.respond(in.invite, 200, "late-fork", answer);
            assertThat(awaitCount(bob, r -> r.isMethod(SipMethod.ACK) && "late-fork".equals(r.to().tag()), 1))
                    .hasSize(1);
            SipRequest bye = bob.awaitRequest(r -> r.isMethod(SipMethod.BYE) && "late-fork".equals(r.to().tag()));
            assertThat(bye.callId()).isEqualTo(in.invite.callId());
        }
    }

    /** Every request {@code phone} received that matches, once there are {@code count} of them (5 s at most). */
    private static List<SipRequest> awaitCount(TestPhone phone,
            Predicate<SipRequest> p, int count) throws InterruptedException {
        long end = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        List<SipRequest> found;
        do {
            found = phone.received.stream().filter(m -> m instanceof SipRequest r && p.test(r))
                    .map(m -> (SipRequest) m).toList();
            if (found.size() >= count) {
                return found;
            }
            Thread.sleep(10);
        } while (System.nanoTime() - end < 0);
        return found;
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

            SipResponse ok = call.awaitFinal();
            EndpointId callerEndpoint = pbx.media.byPort(Sdp.parse(ok).media().getFirst().port());
            EndpointId softEndpoint = pbx.media.byPort(Sdp.parse(softIn.invite).media().getFirst().port());
            assertThat(pbx.media.parameters.get(softEndpoint).remoteRtp().getPort()).isEqualTo(6000);
            assertThat(pbx.media.bridges).containsEntry(callerEndpoint, softEndpoint);
            // the desk phone's endpoint closed as soon as the soft phone won
            assertThat(pbx.media.open.keySet()).containsExactlyInAnyOrder(callerEndpoint, softEndpoint);
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
            assertThat(pbx.media.open).isEmpty();
            assertThat(pbx.media.everOpened).hasSize(3);
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
