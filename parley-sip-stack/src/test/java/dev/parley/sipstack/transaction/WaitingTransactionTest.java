package dev.parley.sipstack.transaction;

import static dev.parley.sipstack.transaction.Messages.ackFor;
import static dev.parley.sipstack.transaction.Messages.invite;
import static dev.parley.sipstack.transaction.Messages.request;
import static dev.parley.sipstack.transaction.Messages.response;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.parley.common.VirtualScheduler;
import dev.parley.sip.message.SipMethod;
import dev.parley.sip.message.SipRequest;
import dev.parley.sip.message.SipResponse;
import dev.parley.sipstack.flow.Transport;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * A transaction that waits out its timer (Completed, Accepted, Confirmed) keeps no parsed message, and still does
 * what RFC 3261 §17 and RFC 6026 ask of it there, with the same bytes on the wire as before.
 */
class WaitingTransactionTest {
    private final VirtualScheduler clock = new VirtualScheduler();
    private final Recorder tu = new Recorder();
    private final TransactionLayer layer = new TransactionLayer(clock, TimerSettings.DEFAULT, tu);
    private final RecordingFlow udp = new RecordingFlow(Transport.UDP, clock);
    private final SipRequest invite = invite("z9hG4bK776asdhds");

    private static void assertLetGo(Transaction tx) {
        assertThatThrownBy(tx::request).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("callId()");
        assertThat(tx.callId()).isEqualTo(Messages.CALL_ID);
    }

    @Test
    void rfc3261_17_2_1_completed_resendsTheSameBytes_onRetransmissionAndTimerG_withoutTheRequest() {
        layer.onRequest(invite, udp);
        ServerTransaction tx = tu.serverTransactions.getFirst();
        assertThat(tx.request()).isSameAs(invite);
        tx.respond(response(invite, 486, "a6c85cf"));
        assertLetGo(tx);
        assertThat(tx.method()).isEqualTo(SipMethod.INVITE);
        assertThat(tx.branch()).isEqualTo("z9hG4bK776asdhds");

        layer.onRequest(invite, udp); // retransmission
        clock.advance(Duration.ofMillis(500)); // Timer G

        String first = udp.wire().get(1);
        assertThat(first).startsWith("SIP/2.0 486 ");
        assertThat(udp.wire()).hasSize(4).last().isEqualTo(first);
        assertThat(udp.wire().get(2)).isEqualTo(first);

        SipResponse busy = (SipResponse) udp.messages().get(1);
        layer.onRequest(ackFor(invite, busy), udp);
        assertThat(tx.state()).isEqualTo(TransactionState.CONFIRMED);
        layer.onRequest(invite, udp); // Confirmed absorbs
        clock.advance(Duration.ofSeconds(2));
        assertThat(udp.wire()).hasSize(4);
        assertThat(tu.events).containsExactly("request INVITE");
    }

    @Test
    void rfc6026_8_5_accepted_absorbsInvites_andACancelStillFindsTheInviteByItsCallId() {
        layer.onRequest(invite, udp);
        ServerTransaction tx = tu.serverTransactions.getFirst();
        tx.respond(response(invite, 200, "a6c85cf"));
        assertThat(tx.state()).isEqualTo(TransactionState.ACCEPTED);
        assertLetGo(tx);

        layer.onRequest(invite, udp); // RFC 6026 §8.7: absorbed
        assertThat(udp.responses()).extracting(SipResponse::status).containsExactly(100, 200);
        assertThat(tx.respond(response(invite, 200, "a6c85cf"))).isTrue(); // the TU's own retransmission
        assertThat(udp.wire().get(2)).isEqualTo(udp.wire().get(1));

        // RFC 3261 §9.2: a CANCEL crossing the 2xx gets its own transaction; the TU finds the call by Call-ID
        layer.onRequest(DerivedMessages.cancel(invite), udp);
        assertThat(tu.events).containsExactly("request INVITE", "cancel");
        assertThat(tu.cancelledInvite).isSameAs(tx);
        assertThat(tu.cancelledInvite.callId()).isEqualTo(invite.callId());
        assertThat(tu.cancelledInvite.state()).isEqualTo(TransactionState.ACCEPTED);
    }

    @Test
    void rfc3261_17_2_2_completed_resendsTheSameBytes_withoutTheRequest() {
        SipRequest bye = request(SipMethod.BYE, "z9hG4bKnashds7");
        layer.onRequest(bye, udp);
        ServerTransaction tx = tu.serverTransactions.getFirst();
        tx.respond(response(bye, 200, "t"));
        assertLetGo(tx);

        clock.advance(Duration.ofSeconds(10));
        layer.onRequest(bye, udp);
        assertThat(udp.wire()).hasSize(2);
        assertThat(udp.wire().get(1)).isEqualTo(udp.wire().get(0)).startsWith("SIP/2.0 200 ");
    }

    @Test
    void rfc3261_17_1_1_3_completed_acksARetransmittedFinalWithTheSameBytes_withoutTheRequestOrTheListener() {
        ClientTransaction tx = layer.sendRequest(invite, udp, tu);
        layer.onResponse(response(invite, 486, "a6c85cf"), udp);
        assertThat(tx.state()).isEqualTo(TransactionState.COMPLETED);
        assertLetGo(tx);
        assertThat(tx.listener).isNull(); // nothing more is reported: whatever the listener holds may go

        layer.onResponse(response(invite, 486, "a6c85cf"), udp);
        assertThat(udp.requests(SipMethod.ACK)).hasSize(2);
        assertThat(udp.wire().get(2)).isEqualTo(udp.wire().get(1)).startsWith("ACK ");
        assertThat(tu.events).containsExactly("final 486");
    }

    @Test
    void rfc6026_8_4_accepted_passesFurther2xxUp_withoutTheRequest() {
        ClientTransaction tx = layer.sendRequest(invite, udp, tu);
        layer.onResponse(response(invite, 200, "fork-a"), udp);
        assertLetGo(tx);

        layer.onResponse(response(invite, 200, "fork-b"), udp);
        assertThat(tu.events).containsExactly("final 200", "additional 200 fork-b");
    }

    @Test
    void rfc3261_17_1_2_2_completed_keepsNeitherTheRequestNorTheListener() {
        SipRequest bye = request(SipMethod.BYE, "z9hG4bKnashds7");
        ClientTransaction tx = layer.sendRequest(bye, udp, tu);
        layer.onResponse(response(bye, 200, "t"), udp);
        assertThat(tx.state()).isEqualTo(TransactionState.COMPLETED);
        assertLetGo(tx);
        assertThat(tx.listener).isNull();

        layer.onResponse(response(bye, 200, "t"), udp); // absorbed
        assertThat(tu.events).containsExactly("final 200");
    }
}
