package dev.parley.pbx;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.mediaapi.EndpointId;
import dev.parley.mediaapi.MediaEvent;
import dev.parley.pbx.cdr.CallRecord;
import dev.parley.pbx.directory.MediaPolicy;
import dev.parley.sdp.MediaDescription;
import dev.parley.sdp.attribute.MediaDirection;
import dev.parley.sip.header.Reason;
import dev.parley.sip.message.SipMethod;
import dev.parley.sip.message.SipRequest;
import dev.parley.sip.message.SipResponse;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The media policy of each leg, over UDP (the scripted phones speak UDP): SDES keys are never sent or taken over it,
 * a {@code required} account gets {@code 488}, and every call gives back every endpoint it opened, whichever way it
 * ends, media timeout included. SRTP over TLS is proven with real phones in the server's integration tests.
 */
class MediaPolicyIT {
    /** An SDES offer as a phone would send it over UDP: its key is public now, so Parley must not use it. */
    private static final String SDES_OFFER = Sdp.of("alice", 4000).replace("RTP/AVP", "RTP/SAVP")
            .replace("a=sendrecv", "a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:"
                    + "WVNfX19zZW1jdGwgKCkgewkyMjA7fQp9CnVubGVz\r\na=sendrecv");

    private final TestPbx pbx = new TestPbx();

    @AfterEach
    void stop() {
        pbx.close();
    }

    private void policy(String device, MediaPolicy policy) {
        pbx.ports.devices().save(pbx.ports.devices().findBySipUsername(device).orElseThrow().withMediaPolicy(policy));
    }

    @Test
    void requiredCallerOfferingPlainRtpGets488AndNothingRings() throws Exception {
        policy("alice", MediaPolicy.REQUIRED);
        try (TestPhone alice = pbx.phone("alice", "101"); TestPhone bob = pbx.phone("bob-desk", "102")) {
            alice.register();
            bob.register();
            TestPhone.Outgoing call = alice.call("102", Sdp.of("alice", 4000));
            assertThat(call.awaitFinal().status()).isEqualTo(488);
            assertThat(bob.sees(r -> r.isMethod(SipMethod.INVITE), Duration.ofMillis(300))).isFalse();
            CallRecord cdr = pbx.awaitCdrs(1).getFirst();
            assertThat(cdr.status()).isEqualTo(488);
            assertThat(cdr.cause()).isEqualTo("rejected");
            assertThat(cdr.callerLeg().signalling()).isEqualTo("UDP");
            assertThat(pbx.media.everOpened).as("no endpoint for a refused offer").isEmpty();
        }
    }

    @Test
    void sdesOverUdpToARequiredAccountGets488() throws Exception {
        policy("alice", MediaPolicy.REQUIRED);
        try (TestPhone alice = pbx.phone("alice", "101"); TestPhone bob = pbx.phone("bob-desk", "102")) {
            alice.register();
            bob.register();
            TestPhone.Outgoing call = alice.call("102", SDES_OFFER);
            assertThat(call.awaitFinal().status()).isEqualTo(488);
            assertThat(bob.sees(r -> r.isMethod(SipMethod.INVITE), Duration.ofMillis(300))).isFalse();
        }
    }

    @Test
    void sdesOverUdpFromAPreferredAccountIsAnsweredWithoutCryptoAndNoKeyTravels() throws Exception {
        try (TestPhone alice = pbx.phone("alice", "101"); TestPhone bob = pbx.phone("bob-desk", "102")) {
            alice.register();
            bob.register();
            TestPhone.Outgoing call = alice.call("102", SDES_OFFER);
            TestPhone.Incoming in = bob.awaitInvite();
            int calleePort = Sdp.parse(in.invite).media().getFirst().port();
            Sdp.assertAnchored(in.invite, calleePort, MediaDirection.SENDRECV, 0, 8, 101);
            in.answer(Sdp.of("bob", 5000));
            SipResponse ok = call.awaitFinal();
            MediaDescription m = Sdp.assertAnchored(ok, Sdp.parse(ok).media().getFirst().port(),
                    MediaDirection.SENDRECV, 0, 8, 101);
            assertThat(m.proto()).isEqualTo("RTP/AVP");
            EndpointId a = pbx.media.byPort(m.port());
            assertThat(pbx.media.parameters.get(a).receive().encrypted()).as("the public key is not used").isFalse();
            call.ack();
            assertThat(pbx.pbx.liveCalls().getFirst().security().encryptedAllLegs()).isFalse();
            call.bye();
            CallRecord cdr = pbx.awaitCdrs(1).getFirst();
            assertThat(cdr.callerLeg().media()).isEqualTo("RTP");
            assertThat(cdr.encryptedAllLegs()).isFalse();
        }
    }

    @Test
    void requiredCalleeRegisteredOverUdpIsNotRungAndTheCallerGets488() throws Exception {
        policy("bob-desk", MediaPolicy.REQUIRED);
        try (TestPhone alice = pbx.phone("alice", "101"); TestPhone bob = pbx.phone("bob-desk", "102")) {
            alice.register();
            bob.register();
            TestPhone.Outgoing call = alice.call("102", Sdp.of("alice", 4000));
            assertThat(call.awaitFinal().status()).isEqualTo(488);
            assertThat(bob.sees(r -> r.isMethod(SipMethod.INVITE), Duration.ofMillis(300))).isFalse();
            pbx.awaitNoCalls();
            assertThat(pbx.media.open).isEmpty();
        }
    }

    @Test
    void calleeAnsweringWithUnusableMediaFailsItsBranchWith488() throws Exception {
        try (TestPhone alice = pbx.phone("alice", "101"); TestPhone bob = pbx.phone("bob-desk", "102")) {
            alice.register();
            bob.register();
            TestPhone.Outgoing call = alice.call("102", Sdp.of("alice", 4000));
            TestPhone.Incoming in = bob.awaitInvite();
            in.answer(Sdp.of("bob", 0)); // RFC 3264 §6: port 0 rejects the stream
            assertThat(call.awaitFinal().status()).isEqualTo(488);
            in.awaitAck();
            in.awaitBye(); // Parley ACKs and ends the dialog it cannot use
            pbx.awaitNoCalls();
            assertThat(pbx.media.open).isEmpty();
        }
    }

    @Test
    void mediaTimeoutEndsTheCallWithByeOnBothLegsAndReason408() throws Exception {
        try (TestPhone alice = pbx.phone("alice", "101"); TestPhone bob = pbx.phone("bob-desk", "102")) {
            alice.register();
            bob.register();
            TestPhone.Outgoing call = alice.call("102", Sdp.of("alice", 4000));
            TestPhone.Incoming in = bob.awaitInvite();
            in.answer(Sdp.of("bob", 5000));
            SipResponse ok = call.awaitFinal();
            call.ack();
            in.awaitAck();

            pbx.media.fire(new MediaEvent.MediaTimeout(pbx.media.byPort(Sdp.parse(ok).media().getFirst().port())));
            SipRequest byeA = alice.awaitRequest(r -> r.isMethod(SipMethod.BYE) && r.callId().equals(call.callId));
            SipRequest byeB = in.awaitBye();
            for (SipRequest bye : new SipRequest[] {byeA, byeB}) {
                Reason reason = bye.reasons().getFirst();
                assertThat(reason.protocol()).isEqualTo("SIP");
                assertThat(reason.cause()).isEqualTo(408);
                assertThat(bye.headers().value(dev.parley.sip.header.HeaderName.REASON)).contains("Media timeout");
            }
            CallRecord cdr = pbx.awaitCdrs(1).getFirst();
            assertThat(cdr.cause()).isEqualTo("media-timeout");
            pbx.awaitNoCalls();
            assertThat(pbx.media.open).isEmpty();
        }
    }

    @Test
    void cancelWhileRingingClosesEveryEndpoint() throws Exception {
        try (TestPhone alice = pbx.phone("alice", "101"); TestPhone desk = pbx.phone("bob-desk", "102");
                TestPhone soft = pbx.phone("bob-soft", "102")) {
            alice.register();
            desk.register();
            soft.register();
            TestPhone.Outgoing call = alice.call("102", Sdp.of("alice", 4000));
            desk.awaitInvite().ring();
            soft.awaitInvite().ring();
            call.awaitProvisional(180);
            assertThat(pbx.media.open).hasSize(3);
            call.cancel();
            assertThat(call.awaitFinal().status()).isEqualTo(487);
            pbx.awaitNoCalls();
            assertThat(pbx.media.open).isEmpty();
        }
    }
}
