package dev.parley.sipstack.transaction;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.sip.header.HeaderName;
import dev.parley.sip.header.Via;
import dev.parley.sip.message.SipMethod;
import dev.parley.sip.message.SipRequest;
import dev.parley.sip.message.SipResponse;
import org.junit.jupiter.api.Test;

/** RFC 3261 §9.1 and §8.2.6.1. */
class DerivedMessagesTest {

    @Test
    void rfc3261_9_1_cancelCopiesTheRequestsIdentityAndOnlyItsTopVia() {
        SipRequest invite = Messages.invite("z9hG4bK74bf9").toBuilder()
                .via(Via.of("UDP", "proxy.example.com", 5060, "z9hG4bKproxy")).build();
        SipRequest cancel = DerivedMessages.cancel(invite);

        assertThat(cancel.method()).isEqualTo(SipMethod.CANCEL);
        assertThat(cancel.requestUri()).isEqualTo(invite.requestUri());
        assertThat(cancel.vias()).containsExactly(invite.topVia());
        assertThat(cancel.to()).isEqualTo(invite.to());
        assertThat(cancel.from()).isEqualTo(invite.from());
        assertThat(cancel.callId()).isEqualTo(invite.callId());
        assertThat(cancel.cseq().sequence()).isEqualTo(invite.cseq().sequence());
        assertThat(cancel.cseq().method()).isEqualTo(SipMethod.CANCEL);
        assertThat(cancel.routes()).isEqualTo(invite.routes());
        assertThat(cancel.contacts()).isEmpty();
    }

    @Test
    void rfc3261_8_2_6_1_tryingCopiesTimestampAndAddsNoTag() {
        SipRequest invite = Messages.invite("z9hG4bK74bf9").toBuilder().add(HeaderName.TIMESTAMP, "54").build();
        SipResponse trying = DerivedMessages.trying(invite);

        assertThat(trying.status()).isEqualTo(100);
        assertThat(trying.to().tag()).isNull();
        assertThat(trying.headers().value(HeaderName.TIMESTAMP)).isEqualTo("54");
    }
}
