package dev.parley.pbx;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.sip.header.Address;
import dev.parley.sip.header.CSeq;
import dev.parley.sip.message.SipMethod;
import dev.parley.sip.message.SipRequest;
import dev.parley.sip.message.SipResponse;
import dev.parley.sip.uri.SipUri;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** OPTIONS (RFC 3261 §11) and REGISTER through the PBX on real sockets. */
class OptionsAndRegisterIT {
    private final TestPbx pbx = new TestPbx();

    @AfterEach
    void stop() {
        pbx.close();
    }

    @Test
    void rfc3261_11_optionsIsAnsweredWithoutAuthenticationAndListsOnlyWhatWorks() throws Exception {
        try (TestPhone probe = pbx.phone("nobody", "nobody")) {
            SipRequest options = SipRequest.builder(SipMethod.OPTIONS, probe.pbxUri(null)).via(probe.newVia())
                    .maxForwards(0).from(Address.of(SipUri.builder().user("x").host("example.org").build())
                            .withTag("t1"))
                    .to(Address.of(SipUri.builder().host("pbx.example").build())).callId("opt-1")
                    .cseq(new CSeq(1, SipMethod.OPTIONS)).build();
            probe.send(options);
            SipResponse ok = probe.awaitResponse(r -> r.callId().equals("opt-1"));
            assertThat(ok.status()).isEqualTo(200);
            assertThat(ok.to().tag()).isNotNull();
            assertThat(ok.allow()).contains("INVITE", "ACK", "CANCEL", "BYE", "OPTIONS", "REGISTER", "UPDATE",
                    "REFER").doesNotContain("PRACK", "SUBSCRIBE");
            assertThat(ok.header("Accept")).contains("application/sdp");
            assertThat(ok.supported()).containsExactly("path");
        }
    }

    @Test
    void registerIsChallengedWith401ThenAccepted() throws Exception {
        try (TestPhone alice = pbx.phone("alice", "101")) {
            SipResponse ok = alice.register();
            assertThat(ok.status()).isEqualTo(200);
            assertThat(alice.responsesFor(ok.callId())).extracting(SipResponse::status).containsExactly(401, 200);
            assertThat(ok.contacts()).hasSize(1);
            assertThat(pbx.pbx.registrar().lookup("101")).hasSize(1);
        }
    }

    @Test
    void unknownMethodIs501WithAllow_knownButUnhandledIs405() throws Exception {
        try (TestPhone probe = pbx.phone("nobody", "nobody")) {
            probe.sendRaw("FOO sip:101@127.0.0.1 SIP/2.0\n"
                    + "Via: SIP/2.0/UDP 127.0.0.1:" + probe.localPort() + ";branch=z9hG4bKfoo1;rport\n"
                    + "Max-Forwards: 70\nFrom: <sip:x@example.org>;tag=1\nTo: <sip:101@pbx.example>\n"
                    + "Call-ID: foo-1\nCSeq: 1 FOO\nContent-Length: 0\n\n");
            SipResponse r501 = probe.awaitResponse(r -> r.callId().equals("foo-1"));
            assertThat(r501.status()).isEqualTo(501);
            assertThat(r501.allow()).contains("INVITE");
            probe.sendRaw("SUBSCRIBE sip:101@127.0.0.1 SIP/2.0\n"
                    + "Via: SIP/2.0/UDP 127.0.0.1:" + probe.localPort() + ";branch=z9hG4bKsub1;rport\n"
                    + "Max-Forwards: 70\nFrom: <sip:x@example.org>;tag=1\nTo: <sip:101@pbx.example>\n"
                    + "Call-ID: sub-1\nCSeq: 1 SUBSCRIBE\nEvent: presence\nContent-Length: 0\n\n");
            assertThat(probe.awaitResponse(r -> r.callId().equals("sub-1")).status()).isEqualTo(405);
        }
    }
}
