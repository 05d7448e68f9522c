package dev.parley.pbx;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.mediaapi.EndpointId;
import dev.parley.mediaapi.EndpointParameters;
import dev.parley.sdp.attribute.MediaDirection;
import dev.parley.sip.message.SipResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Early media through the anchor (RFC 3261 §13.2.1, RFC 3264): a callee's 183 with SDP is answered to the caller in
 * Parley's 183 with Parley's SDP, both endpoints are configured and bridged before the 200, and the 200 repeats the
 * 183's answer. With forking, the first branch with early SDP has the caller's ear. RTP itself is measured with
 * sipp and the real media plane in the server's {@code EarlyMediaIT}.
 */
class EarlyMediaIT {
    private final TestPbx pbx = new TestPbx();

    @AfterEach
    void stop() {
        pbx.close();
    }

    @Test
    void rfc3261_13_2_1_a183WithSdpIsAnchoredAndRelayedAndThe200RepeatsItsAnswer() throws Exception {
        try (TestPhone alice = pbx.phone("alice", "101"); TestPhone bob = pbx.phone("bob-desk", "102")) {
            alice.register();
            bob.register();
            TestPhone.Outgoing call = alice.call("102", Sdp.of("alice", 4000));
            TestPhone.Incoming in = bob.awaitInvite();
            int calleePort = Sdp.parse(in.invite).media().getFirst().port();
            String bobSdp = Sdp.of("bob", 5000).replace("RTP/AVP 0 8 101", "RTP/AVP 8 101");
            bob.respond(in.invite, 183, in.tag, bobSdp);

            SipResponse progress = call.awaitProvisional(183);
            int callerPort = Sdp.parse(progress).media().getFirst().port();
            Sdp.assertAnchored(progress, callerPort, MediaDirection.SENDRECV, 8, 101);
            EndpointId a = pbx.media.byPort(callerPort);
            EndpointId b = pbx.media.byPort(calleePort);
            assertThat(pbx.media.parameters.get(b).remoteRtp().getPort()).isEqualTo(5000);
            assertThat(pbx.media.parameters.get(a).remoteRtp().getPort()).isEqualTo(4000);
            assertThat(pbx.media.bridges).as("bridged before the 200").containsEntry(a, b);
            EndpointParameters early = pbx.media.parameters.get(a);

            in.answer(bobSdp); // the same SDP, same o= version: nothing changes
            SipResponse ok = call.awaitFinal();
            assertThat(ok.status()).isEqualTo(200);
            assertThat(ok.body().toUtf8String()).as("the 200 repeats the 183's answer")
                    .isEqualTo(progress.body().toUtf8String());
            assertThat(pbx.media.parameters.get(a)).isSameAs(early);
            call.ack();
            in.awaitAck();
            assertThat(call.bye().status()).isEqualTo(200);
            pbx.awaitCdrs(1);
            assertThat(pbx.media.open).isEmpty();
        }
    }

    @Test
    void aCalleeWhose200ChangesItsSdpIsReconfiguredAndTheCallerKeepsItsAnswer() throws Exception {
        try (TestPhone alice = pbx.phone("alice", "101"); TestPhone bob = pbx.phone("bob-desk", "102")) {
            alice.register();
            bob.register();
            TestPhone.Outgoing call = alice.call("102", Sdp.of("alice", 4000));
            TestPhone.Incoming in = bob.awaitInvite();
            int calleePort = Sdp.parse(in.invite).media().getFirst().port();
            bob.respond(in.invite, 183, in.tag, Sdp.of("bob", 5000));
            SipResponse progress = call.awaitProvisional(183);

            in.answer(Sdp.of("bob", 5100).replace("o=bob 1 1", "o=bob 1 2"));
            SipResponse ok = call.awaitFinal();
            assertThat(ok.body().toUtf8String()).isEqualTo(progress.body().toUtf8String());
            assertThat(pbx.media.parameters.get(pbx.media.byPort(calleePort)).remoteRtp().getPort())
                    .isEqualTo(5100);
            call.ack();
            call.bye();
            pbx.awaitCdrs(1);
        }
    }

    @Test
    void withForkingTheFirstBranchWithEarlySdpHasTheCallersEarAndAnotherWinnerIsJoinedToTheSameAnswer()
            throws Exception {
        try (TestPhone alice = pbx.phone("alice", "101"); TestPhone desk = pbx.phone("bob-desk", "102");
                TestPhone soft = pbx.phone("bob-soft", "bob-soft")) {
            alice.register();
            desk.register();
            soft.register();
            TestPhone.Outgoing call = alice.call("102", Sdp.of("alice", 4000));
            TestPhone.Incoming deskIn = desk.awaitInvite();
            TestPhone.Incoming softIn = soft.awaitInvite();
            desk.respond(deskIn.invite, 183, deskIn.tag, Sdp.of("desk", 5000));
            SipResponse first = call.awaitProvisional(183);
            assertThat(first.body().isEmpty()).isFalse();
            EndpointId caller = pbx.media.byPort(Sdp.parse(first).media().getFirst().port());
            EndpointId deskEndpoint = pbx.media.byPort(Sdp.parse(deskIn.invite).media().getFirst().port());
            assertThat(pbx.media.bridges).containsEntry(caller, deskEndpoint);

            soft.respond(softIn.invite, 183, softIn.tag, Sdp.of("soft", 6000));
            // one branch's early media at a time: the soft phone's 183 reaches the caller without SDP (TestPhone
            // files it as a retransmission of the first, so it is looked for among all messages received)
            long until = System.nanoTime() + 5_000_000_000L;
            while (alice.responsesFor(call.callId).stream().filter(r -> r.status() == 183).count() < 2
                    && System.nanoTime() < until) {
                Thread.sleep(10);
            }
            assertThat(alice.responsesFor(call.callId)).filteredOn(r -> r.status() == 183)
                    .extracting(r -> r.body().isEmpty()).containsExactly(false, true);

            softIn.answer(Sdp.of("soft", 6000));
            SipResponse ok = call.awaitFinal();
            assertThat(ok.body().toUtf8String()).isEqualTo(first.body().toUtf8String());
            EndpointId softEndpoint = pbx.media.byPort(Sdp.parse(softIn.invite).media().getFirst().port());
            assertThat(pbx.media.bridges).containsEntry(caller, softEndpoint);
            assertThat(pbx.media.parameters.get(softEndpoint).remoteRtp().getPort()).isEqualTo(6000);
            deskIn.awaitCancel();
            call.ack();
            call.bye();
            pbx.awaitCdrs(1);
            assertThat(pbx.media.open).isEmpty();
        }
    }
}
