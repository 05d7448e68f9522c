package dev.parley.sipstack.transaction;

import static dev.parley.sipstack.transaction.Messages.request;
import static dev.parley.sipstack.transaction.Messages.response;
import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.common.VirtualScheduler;
import dev.parley.sip.message.SipMethod;
import dev.parley.sip.message.SipRequest;
import dev.parley.sipstack.flow.Transport;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** RFC 3261 §17.1.2. */
class NonInviteClientTransactionTest {
    private final VirtualScheduler clock = new VirtualScheduler();
    private final Recorder tu = new Recorder();
    private final TransactionLayer layer = new TransactionLayer(clock, TimerSettings.DEFAULT, tu);
    private final RecordingFlow udp = new RecordingFlow(Transport.UDP, clock);
    private final RecordingFlow tcp = new RecordingFlow(Transport.TCP, clock);
    private final SipRequest bye = request(SipMethod.BYE, "z9hG4bKnashds7");

    private static List<Duration> ms(long... values) {
        return Arrays.stream(values).mapToObj(Duration::ofMillis).toList();
    }

    @Test
    void rfc3261_17_1_2_2_timerE_sendsElevenTimesOverUdp_thenTimerFTimesOutAt32s() {
        ClientTransaction tx = layer.sendRequest(bye, udp, tu);

        clock.advance(Duration.ofMillis(31_999));
        assertThat(tu.events).isEmpty();
        clock.advance(Duration.ofMillis(1));

        assertThat(udp.requestTimes(SipMethod.BYE))
                .isEqualTo(ms(0, 500, 1500, 3500, 7500, 11500, 15500, 19500, 23500, 27500, 31500));
        assertThat(tu.events).containsExactly("timeout");
        assertThat(tx.state()).isEqualTo(TransactionState.TERMINATED);
        assertThat(layer.clientCount()).isZero();
        clock.advance(Duration.ofMinutes(1));
        assertThat(udp.sent()).hasSize(11);
    }

    @Test
    void rfc3261_17_1_2_2_noRetransmissionOverTcp_butTimerFStillAt32s() {
        layer.sendRequest(bye, tcp, tu);

        clock.advance(Duration.ofMillis(31_999));
        assertThat(tu.events).isEmpty();
        clock.advance(Duration.ofMillis(1));

        assertThat(tcp.requestTimes(SipMethod.BYE)).isEqualTo(ms(0));
        assertThat(tu.events).containsExactly("timeout");
    }

    @Test
    void rfc3261_17_1_2_2_inProceedingTimerEIsT2() {
        ClientTransaction tx = layer.sendRequest(bye, udp, tu);
        clock.advance(Duration.ofMillis(600));
        layer.onResponse(response(bye, 100, null), udp);
        assertThat(tx.state()).isEqualTo(TransactionState.PROCEEDING);

        clock.advance(Duration.ofMillis(31_400 - 1));
        assertThat(udp.requestTimes(SipMethod.BYE))
                .isEqualTo(ms(0, 500, 1500, 5500, 9500, 13500, 17500, 21500, 25500, 29500));
        // Timer F still runs in Proceeding
        clock.advance(Duration.ofMillis(1));
        assertThat(tu.events).containsExactly("provisional 100", "timeout");
    }

    @Test
    void rfc3261_17_1_2_2_completed_absorbsRetransmittedFinals_untilTimerK() {
        ClientTransaction tx = layer.sendRequest(bye, udp, tu);
        layer.onResponse(response(bye, 200, "t"), udp);
        layer.onResponse(response(bye, 200, "t"), udp);
        assertThat(tx.state()).isEqualTo(TransactionState.COMPLETED);
        assertThat(tu.events).containsExactly("final 200");

        clock.advance(Duration.ofMillis(4_999));
        assertThat(tx.state()).isEqualTo(TransactionState.COMPLETED);
        clock.advance(Duration.ofMillis(1));
        assertThat(tx.state()).isEqualTo(TransactionState.TERMINATED);
        assertThat(udp.sent()).hasSize(1);
        assertThat(clock.pending()).isZero();
    }

    @Test
    void rfc3261_17_1_2_2_timerKIsZeroOverTcp() {
        ClientTransaction tx = layer.sendRequest(bye, tcp, tu);
        layer.onResponse(response(bye, 481, "t"), tcp);

        assertThat(tx.state()).isEqualTo(TransactionState.TERMINATED);
        assertThat(tu.events).containsExactly("final 481");
        assertThat(layer.clientCount()).isZero();
        assertThat(clock.pending()).isZero();
    }
}
