package dev.parley.pbx;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.pbx.cdr.CallRecord;
import dev.parley.sip.header.Challenge;
import dev.parley.sip.message.SipMethod;
import dev.parley.sip.message.SipResponse;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Calls that end without an answer, and INVITEs refused before they ring anything. */
class UnansweredCallIT {
    private final TestPbx pbx = new TestPbx(PbxConfig.defaults(TestPhone.REALM)
            .withNoAnswerTimeout(Duration.ofSeconds(2)));

    @AfterEach
    void stop() {
        pbx.close();
    }

    @Test
    void busyIsRelayed() throws Exception {
        try (TestPhone alice = pbx.phone("alice", "101"); TestPhone bob = pbx.phone("bob-desk", "102")) {
            alice.register();
            bob.register();
            TestPhone.Outgoing call = alice.call("102", Sdp.of("alice", 4000));
            TestPhone.Incoming in = bob.awaitInvite();
            in.ring();
            in.reject(486);
            assertThat(call.awaitFinal().status()).isEqualTo(486);
            // Parley's INVITE client transaction ACKs the 486
            bob.awaitRequest(r -> r.isMethod(SipMethod.ACK) && r.callId().equals(in.invite.callId()));
            CallRecord cdr = pbx.awaitCdrs(1).getFirst();
            assertThat(cdr.status()).isEqualTo(486);
            assertThat(cdr.cause()).isEqualTo("busy");
            assertThat(cdr.answeredBy()).isNull();
        }
    }

    @Test
    void noAnswerWithinTheTimeout_callerGets480_calleeGetsCancel() throws Exception {
        try (TestPhone alice = pbx.phone("alice", "101"); TestPhone bob = pbx.phone("bob-desk", "102")) {
            alice.register();
            bob.register();
            TestPhone.Outgoing call = alice.call("102", Sdp.of("alice", 4000));
            TestPhone.Incoming in = bob.awaitInvite();
            in.ring();
            long t0 = System.nanoTime();
            assertThat(call.awaitFinal().status()).isEqualTo(480);
            assertThat(Duration.ofNanos(System.nanoTime() - t0)).isBetween(Duration.ofMillis(1500),
                    Duration.ofMillis(3500));
            in.awaitCancel();
            assertThat(pbx.awaitCdrs(1).getFirst().cause()).isEqualTo("no-answer");
        }
    }

    @Test
    void callerCancels_487ToTheCaller_cancelToTheCallee() throws Exception {
        try (TestPhone alice = pbx.phone("alice", "101"); TestPhone bob = pbx.phone("bob-desk", "102")) {
            alice.register();
            bob.register();
            TestPhone.Outgoing call = alice.call("102", Sdp.of("alice", 4000));
            TestPhone.Incoming in = bob.awaitInvite();
            in.ring();
            SipResponse ringing = call.awaitProvisional(180);
            call.cancel();
            SipResponse cancelOk = alice.awaitResponse(r -> r.callId().equals(call.callId)
                    && r.method().equals(SipMethod.CANCEL));
            assertThat(cancelOk.status()).isEqualTo(200);
            SipResponse terminated = call.awaitFinal();
            assertThat(terminated.status()).isEqualTo(487);
            assertThat(terminated.to().tag()).isEqualTo(ringing.to().tag());
            in.awaitCancel();
            assertThat(pbx.awaitCdrs(1).getFirst().cause()).isEqualTo("cancelled");
            pbx.awaitNoCalls();
            assertThat(pbx.pbx.activeCalls()).isZero();
        }
    }

    @Test
    void unknownExtensionIs404() throws Exception {
        try (TestPhone alice = pbx.phone("alice", "101")) {
            alice.register();
            TestPhone.Outgoing call = alice.call("999", Sdp.of("alice", 4000));
            assertThat(call.awaitFinal().status()).isEqualTo(404);
            assertThat(pbx.awaitCdrs(1).getFirst().cause()).isEqualTo("not-found");
        }
    }

    @Test
    void extensionWithoutRegisteredContactIs480() throws Exception {
        try (TestPhone alice = pbx.phone("alice", "101")) {
            alice.register();
            TestPhone.Outgoing call = alice.call("104", Sdp.of("alice", 4000));
            assertThat(call.awaitFinal().status()).isEqualTo(480);
            assertThat(pbx.awaitCdrs(1).getFirst().cause()).isEqualTo("unavailable");
        }
    }

    @Test
    void maxForwardsZeroIs483() throws Exception {
        try (TestPhone alice = pbx.phone("alice", "101")) {
            TestPhone.Outgoing call = alice.new Outgoing("102", "mf0-" + TestPhone.random(), "t");
            alice.send(call.newInvite(Sdp.of("alice", 4000), 0));
            assertThat(call.awaitFinal().status()).isEqualTo(483);
        }
    }

    @Test
    void anInviteCarryingTheCallIdOfOurOwnCalleeLegIsALoop_482() throws Exception {
        try (TestPhone alice = pbx.phone("alice", "101"); TestPhone bob = pbx.phone("bob-desk", "102")) {
            alice.register();
            bob.register();
            TestPhone.Outgoing call = alice.call("102", Sdp.of("alice", 4000));
            TestPhone.Incoming in = bob.awaitInvite();
            in.ring();
            // what a phone that forwards the call straight back to Parley would send
            TestPhone.Outgoing loop = bob.new Outgoing("101", in.invite.callId(), "loop");
            bob.send(loop.newInvite(Sdp.of("bob", 5000), 68));
            assertThat(loop.awaitFinal().status()).isEqualTo(482);
            call.cancel();
            call.awaitFinal();
        }
    }

    @Test
    void wrongPasswordGets407_identicalToAnUnknownUser_andCountsTowardsABan() throws Exception {
        try (TestPhone alice = pbx.phone("alice", "101"); TestPhone mallory = pbx.phone("mallory", "101")) {
            TestPhone.Outgoing wrong = alice.call("102", Sdp.of("alice", 4000), "not-the-password");
            SipResponse wrongAnswer = wrong.awaitFinal();
            TestPhone.Outgoing unknown = mallory.call("102", Sdp.of("mallory", 4000), "whatever-secret");
            SipResponse unknownAnswer = unknown.awaitFinal();

            assertThat(wrongAnswer.status()).isEqualTo(407);
            assertThat(unknownAnswer.status()).isEqualTo(407);
            assertThat(wrongAnswer.reason()).isEqualTo(unknownAnswer.reason());
            assertThat(names(wrongAnswer)).isEqualTo(names(unknownAnswer));
            Challenge a = wrongAnswer.proxyAuthenticates().getFirst();
            Challenge b = unknownAnswer.proxyAuthenticates().getFirst();
            assertThat(a.parameters().without("nonce")).isEqualTo(b.parameters().without("nonce"));
            assertThat(pbx.pbx.bans().trackedSources()).isEqualTo(1);
            assertThat(pbx.awaitCdrs(0)).isEmpty();
        }
    }

    private static java.util.List<String> names(SipResponse r) {
        return r.headers().asList().stream().map(f -> f.name().name()).toList();
    }

    @Test
    void inDialogRequestForAnUnknownDialogIs481() throws Exception {
        try (TestPhone alice = pbx.phone("alice", "101")) {
            alice.sendRaw("BYE sip:101@127.0.0.1 SIP/2.0\n"
                    + "Via: SIP/2.0/UDP 127.0.0.1:" + alice.localPort() + ";branch=z9hG4bKbye481;rport\n"
                    + "Max-Forwards: 70\nFrom: <sip:alice@pbx.example>;tag=a\nTo: <sip:101@pbx.example>;tag=b\n"
                    + "Call-ID: nodialog-1\nCSeq: 5 BYE\nContent-Length: 0\n\n");
            assertThat(alice.awaitResponse(r -> r.callId().equals("nodialog-1")).status()).isEqualTo(481);
        }
    }

    @Test
    void requireOfAnUnknownExtensionIs420() throws Exception {
        try (TestPhone alice = pbx.phone("alice", "101")) {
            alice.sendRaw("INVITE sip:102@127.0.0.1 SIP/2.0\n"
                    + "Via: SIP/2.0/UDP 127.0.0.1:" + alice.localPort() + ";branch=z9hG4bKreq420;rport\n"
                    + "Max-Forwards: 70\nFrom: <sip:alice@pbx.example>;tag=a\nTo: <sip:102@pbx.example>\n"
                    + "Call-ID: req-420\nCSeq: 1 INVITE\nRequire: 100rel, foo\nContent-Length: 0\n\n");
            SipResponse r = alice.awaitResponse(m -> m.callId().equals("req-420") && m.status() >= 200);
            assertThat(r.status()).isEqualTo(420);
            assertThat(r.unsupported()).containsExactly("100rel", "foo");
        }
    }
}
