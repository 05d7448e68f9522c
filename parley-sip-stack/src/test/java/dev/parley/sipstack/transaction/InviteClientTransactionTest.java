package dev.parley.sipstack.transaction;

import static dev.parley.sipstack.transaction.Messages.invite;
import static dev.parley.sipstack.transaction.Messages.response;
import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.common.VirtualScheduler;
import dev.parley.sip.header.Via;
import dev.parley.sip.message.SipMethod;
import dev.parley.sip.message.SipRequest;
import dev.parley.sipstack.flow.Transport;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** RFC 3261 §17.1.1 with RFC 6026 §8.4. */
class InviteClientTransactionTest {
    private final VirtualScheduler clock = new VirtualScheduler();
    private final Recorder tu = new Recorder();
    private final TransactionLayer layer = new TransactionLayer(clock, TimerSettings.DEFAULT, tu);
    private final RecordingFlow udp = new RecordingFlow(Transport.UDP, clock);
    private final RecordingFlow tcp = new RecordingFlow(Transport.TCP, clock);
    private final SipRequest invite = invite("z9hG4bK776asdhds");

    private static List<Duration> ms(long... values) {
        return java.util.Arrays.stream(values).mapToObj(Duration::ofMillis).toList();
    }

    @Test
    void rfc3261_17_1_1_2_timerA_sendsSevenTimesOverUdp_thenTimerBTimesOutAt32s() {
        ClientTransaction tx = layer.sendRequest(invite, udp, tu);

        clock.advance(Duration.ofMillis(31_999));
        assertThat(tu.events).isEmpty();
        assertThat(tx.state()).isEqualTo(TransactionState.CALLING);

        clock.advance(Duration.ofMillis(1));
        assertThat(udp.requestTimes(SipMethod.INVITE)).isEqualTo(ms(0, 500, 1500, 3500, 7500, 15500, 31500));
        assertThat(tu.events).containsExactly("timeout");
        assertThat(tx.state()).isEqualTo(TransactionState.TERMINATED);
        assertThat(layer.clientCount()).isZero();

        clock.advance(Duration.ofMinutes(5));
        assertThat(udp.sent()).hasSize(7);
        assertThat(clock.pending()).isZero();
    }

    @Test
    void rfc3261_17_1_1_2_noRetransmissionOverTcp_butTimerBStillAt32s() {
        layer.sendRequest(invite, tcp, tu);

        clock.advance(Duration.ofMillis(31_999));
        assertThat(tu.events).isEmpty();
        clock.advance(Duration.ofMillis(1));

        assertThat(tcp.requestTimes(SipMethod.INVITE)).isEqualTo(ms(0));
        assertThat(tu.events).containsExactly("timeout");
        assertThat(layer.clientCount()).isZero();
    }

    @Test
    void rfc3261_17_1_1_2_provisionalStopsRetransmissionsAndTimerB() {
        ClientTransaction tx = layer.sendRequest(invite, udp, tu);
        clock.advance(Duration.ofMillis(600));
        layer.onResponse(response(invite, 100, null), udp);
        layer.onResponse(response(invite, 180, "a6c85cf"), udp);

        assertThat(tx.state()).isEqualTo(TransactionState.PROCEEDING);
        clock.advance(Duration.ofSeconds(60));
        assertThat(udp.requestTimes(SipMethod.INVITE)).isEqualTo(ms(0, 500));
        assertThat(tu.events).containsExactly("provisional 100", "provisional 180");
        assertThat(tx.state()).isEqualTo(TransactionState.PROCEEDING);
    }

    @Test
    void rfc3261_17_1_1_3_ackForNon2xxUsesTheInviteBranchRouteAndTheResponseToTag() {
        layer.sendRequest(invite, udp, tu);
        clock.advance(Duration.ofMillis(100));
        layer.onResponse(response(invite, 486, "a6c85cf"), udp);

        SipRequest ack = udp.requests(SipMethod.ACK).getFirst();
        assertThat(ack.requestUri()).isEqualTo(invite.requestUri());
        assertThat(ack.vias()).hasSize(1);
        assertThat(ack.topVia().branch()).isEqualTo("z9hG4bK776asdhds");
        assertThat(ack.cseq().sequence()).isEqualTo(314159);
        assertThat(ack.cseq().method()).isEqualTo(SipMethod.ACK);
        assertThat(ack.to().tag()).isEqualTo("a6c85cf");
        assertThat(ack.from()).isEqualTo(invite.from());
        assertThat(ack.callId()).isEqualTo(invite.callId());
        assertThat(ack.routes()).isEqualTo(invite.routes());
        assertThat(tu.events).containsExactly("final 486");
    }

    @Test
    void rfc3261_17_1_1_2_completed_retransmittedFinalIsAckedAgainNotPassedUp_untilTimerD() {
        ClientTransaction tx = layer.sendRequest(invite, udp, tu);
        layer.onResponse(response(invite, 486, "a6c85cf"), udp);
        assertThat(tx.state()).isEqualTo(TransactionState.COMPLETED);

        clock.advance(Duration.ofSeconds(10));
        layer.onResponse(response(invite, 486, "a6c85cf"), udp);
        clock.advance(Duration.ofMillis(21_999));
        layer.onResponse(response(invite, 486, "a6c85cf"), udp);
        assertThat(udp.requests(SipMethod.ACK)).hasSize(3);
        assertThat(tu.events).containsExactly("final 486");

        clock.advance(Duration.ofMillis(1));
        assertThat(tx.state()).isEqualTo(TransactionState.TERMINATED);
        assertThat(layer.clientCount()).isZero();
        layer.onResponse(response(invite, 486, "a6c85cf"), udp);
        assertThat(udp.requests(SipMethod.ACK)).hasSize(3);
        assertThat(tu.events).containsExactly("final 486", "stray 486");
    }

    @Test
    void rfc3261_17_1_1_2_timerDIsZeroOverTcp() {
        ClientTransaction tx = layer.sendRequest(invite, tcp, tu);
        layer.onResponse(response(invite, 603, "x"), tcp);

        assertThat(tcp.requests(SipMethod.ACK)).hasSize(1);
        assertThat(tx.state()).isEqualTo(TransactionState.TERMINATED);
        assertThat(clock.pending()).isZero();
    }

    @Test
    void rfc6026_8_4_2xxMovesToAccepted_andForkedOrRetransmitted2xxGoToTheTuUntilTimerM() {
        ClientTransaction tx = layer.sendRequest(invite, udp, tu);
        clock.advance(Duration.ofSeconds(1));
        layer.onResponse(response(invite, 200, "fork-a"), udp);
        assertThat(tx.state()).isEqualTo(TransactionState.ACCEPTED);

        clock.advance(Duration.ofSeconds(1));
        layer.onResponse(response(invite, 200, "fork-b"), udp);
        layer.onResponse(response(invite, 200, "fork-a"), udp);
        layer.onResponse(response(invite, 486, "fork-c"), udp);

        // the transaction ACKs no 2xx (RFC 3261 §13.2.2.4: that is the TU's job) and stopped retransmitting
        assertThat(udp.requests(SipMethod.ACK)).isEmpty();
        assertThat(udp.requestTimes(SipMethod.INVITE)).isEqualTo(ms(0, 500));
        assertThat(tu.events).containsExactly("final 200", "additional 200 fork-b", "additional 200 fork-a");

        // Timer M: 64*T1 after the first 2xx (t = 1 s)
        clock.advance(Duration.ofMillis(30_999));
        assertThat(tx.state()).isEqualTo(TransactionState.ACCEPTED);
        clock.advance(Duration.ofMillis(1));
        assertThat(tx.state()).isEqualTo(TransactionState.TERMINATED);
        layer.onResponse(response(invite, 200, "fork-a"), udp);
        assertThat(tu.events).last().isEqualTo("stray 200");
    }

    @Test
    void rfc3261_17_1_4_closedFlowIsATransportError() {
        layer.sendRequest(invite, tcp, tu);
        tcp.open = false;
        layer.onFlowClosed(tcp);

        assertThat(tu.events).containsExactly("transport error");
        assertThat(layer.clientCount()).isZero();
        clock.advance(Duration.ofSeconds(40));
        assertThat(tu.events).containsExactly("transport error");
    }

    @Test
    void rfc3261_17_1_4_sendingOnAClosedFlowIsATransportError() {
        tcp.open = false;
        ClientTransaction tx = layer.sendRequest(invite, tcp, tu);

        assertThat(tx.isTerminated()).isTrue();
        assertThat(tcp.sent()).isEmpty();
        assertThat(tu.events).containsExactly("transport error");
    }

    @Test
    void rfc3261_17_1_3_responseMatchesByBranchAndCSeqMethod() {
        layer.sendRequest(invite, udp, tu);
        SipRequest cancel = DerivedMessages.cancel(invite);
        Recorder cancelTu = new Recorder();
        layer.sendRequest(cancel, udp, cancelTu);

        layer.onResponse(response(cancel, 200, "a6c85cf"), udp);
        layer.onResponse(response(invite, 487, "a6c85cf"), udp);
        layer.onResponse(response(invite("z9hG4bKother"), 200, "a6c85cf"), udp);

        assertThat(cancelTu.events).containsExactly("final 200");
        assertThat(tu.events).containsExactly("final 487", "stray 200");
    }

    @Test
    void ackIsNeverAClientTransaction_andBranchesMustBeRfc3261() {
        SipRequest ack = invite.toBuilder().method(SipMethod.ACK).build();
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> layer.sendRequest(ack, udp, tu))
                .isInstanceOf(IllegalArgumentException.class);
        SipRequest old = invite.toBuilder().removeFirst(dev.parley.sip.header.HeaderType.VIA)
                .via(Via.of("UDP", "h", 5060, "1234")).build();
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> layer.sendRequest(old, udp, tu))
                .isInstanceOf(IllegalArgumentException.class);
        layer.sendRequest(invite, udp, tu);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> layer.sendRequest(invite, udp, tu))
                .isInstanceOf(IllegalStateException.class);
    }
}
