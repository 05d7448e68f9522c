package dev.parley.pbx;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.mediaapi.MediaEvent;
import dev.parley.pbx.cdr.CallRecord;
import dev.parley.sip.header.HeaderName;
import dev.parley.sip.header.Reason;
import dev.parley.sip.message.SipMethod;
import dev.parley.sip.message.SipRequest;
import dev.parley.sip.message.SipResponse;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * What the PBX does with a browser leg's media events (the scripted phones speak UDP and plain RTP; the events are
 * fired as the media plane would for a WebRTC endpoint): lost ICE consent and a failed DTLS handshake end the call
 * with BYE and a Reason on both legs and free every endpoint. The real browser and the real consent timer are in
 * parley-server's {@code BrowserToBaresipIT}.
 */
class BrowserMediaEventsIT {
    private final TestPbx pbx = new TestPbx();

    @AfterEach
    void stop() {
        pbx.close();
    }

    @Test
    void consentExpiredEndsTheCallWithReason408() throws Exception {
        endsTheCall(MediaEvent.ConsentExpired::new, 408, "ICE consent expired", "media-timeout");
    }

    @Test
    void dtlsFailedEndsTheCallWithReason488AfterItsGrace() throws Exception {
        endsTheCall(id -> new MediaEvent.DtlsFailed(id, "fingerprint mismatch"), 488, "DTLS-SRTP failed", "failed");
    }

    private void endsTheCall(Function<dev.parley.mediaapi.EndpointId, MediaEvent> event, int cause, String text,
            String cdrCause) throws Exception {
        try (TestPhone alice = pbx.phone("alice", "101"); TestPhone bob = pbx.phone("bob-desk", "102")) {
            alice.register();
            bob.register();
            TestPhone.Outgoing call = alice.call("102", Sdp.of("alice", 4000));
            TestPhone.Incoming in = bob.awaitInvite();
            in.answer(Sdp.of("bob", 5000));
            SipResponse ok = call.awaitFinal();
            call.ack();
            in.awaitAck();

            pbx.media.fire(event.apply(pbx.media.byPort(Sdp.parse(ok).media().getFirst().port())));
            SipRequest byeA = alice.awaitRequest(r -> r.isMethod(SipMethod.BYE) && r.callId().equals(call.callId));
            SipRequest byeB = in.awaitBye();
            for (SipRequest bye : new SipRequest[] {byeA, byeB}) {
                Reason reason = bye.reasons().getFirst();
                assertThat(reason.protocol()).isEqualTo("SIP");
                assertThat(reason.cause()).isEqualTo(cause);
                assertThat(bye.headers().value(HeaderName.REASON)).contains(text);
            }
            CallRecord cdr = pbx.awaitCdrs(1).getFirst();
            assertThat(cdr.cause()).isEqualTo(cdrCause);
            pbx.awaitNoCalls();
            assertThat(pbx.media.open).isEmpty();
        }
    }
}
