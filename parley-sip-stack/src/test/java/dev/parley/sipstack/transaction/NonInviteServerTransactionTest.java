package dev.parley.sipstack.transaction;

import static dev.parley.sipstack.transaction.Messages.request;
import static dev.parley.sipstack.transaction.Messages.response;
import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.common.VirtualScheduler;
import dev.parley.sip.message.SipMethod;
import dev.parley.sip.message.SipRequest;
import dev.parley.sip.message.SipResponse;
import dev.parley.sipstack.flow.Transport;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** RFC 3261 §17.2.2. */
class NonInviteServerTransactionTest {
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
    void rfc3261_17_2_2_retransmissionInTryingIsAbsorbed() {
        layer.onRequest(bye, udp);
        layer.onRequest(bye, udp);

        assertThat(udp.sent()).isEmpty();
        assertThat(tu.events).containsExactly("request BYE");
        assertThat(tu.serverTransactions.getFirst().state()).isEqualTo(TransactionState.TRYING);
    }

    @Test
    void rfc3261_17_2_2_retransmissionInProceedingGetsTheLastProvisional() {
        layer.onRequest(bye, udp);
        ServerTransaction tx = tu.serverTransactions.getFirst();
        tx.respond(response(bye, 100, null));
        layer.onRequest(bye, udp);

        assertThat(tx.state()).isEqualTo(TransactionState.PROCEEDING);
        assertThat(udp.responses()).extracting(SipResponse::status).containsExactly(100, 100);
    }

    @Test
    void rfc3261_17_2_2_finalResponseIsResentOnRetransmission_untilTimerJAt32s() {
        layer.onRequest(bye, udp);
        ServerTransaction tx = tu.serverTransactions.getFirst();
        tx.respond(response(bye, 200, "t"));
        assertThat(tx.state()).isEqualTo(TransactionState.COMPLETED);

        clock.advance(Duration.ofMillis(500));
        layer.onRequest(bye, udp);
        clock.advance(Duration.ofMillis(31_000));
        layer.onRequest(bye, udp);
        assertThat(udp.responseTimes(200)).isEqualTo(ms(0, 500, 31_500));
        assertThat(tu.events).containsExactly("request BYE");

        clock.advance(Duration.ofMillis(499));
        assertThat(tx.state()).isEqualTo(TransactionState.COMPLETED);
        clock.advance(Duration.ofMillis(1));
        assertThat(tx.state()).isEqualTo(TransactionState.TERMINATED);
        assertThat(layer.serverCount()).isZero();

        // after Timer J the same request is new to the layer
        layer.onRequest(bye, udp);
        assertThat(tu.events).containsExactly("request BYE", "request BYE");
    }

    @Test
    void rfc3261_17_2_2_timerJIsZeroOverTcp() {
        layer.onRequest(bye, tcp);
        ServerTransaction tx = tu.serverTransactions.getFirst();
        tx.respond(response(bye, 200, "t"));

        assertThat(tx.state()).isEqualTo(TransactionState.TERMINATED);
        assertThat(layer.serverCount()).isZero();
        assertThat(clock.pending()).isZero();
    }

    @Test
    void rfc3261_17_2_2_furtherFinalResponsesAreDiscarded() {
        tu.answer = (tx, r) -> tx.respond(response(r, 200, "t"));
        layer.onRequest(bye, udp);
        ServerTransaction tx = tu.serverTransactions.getFirst();

        assertThat(tx.respond(response(bye, 500, "t"))).isFalse();
        assertThat(udp.responses()).extracting(SipResponse::status).containsExactly(200);
        layer.onRequest(bye, udp); // a retransmission still gets the 200 that was sent, not the discarded 500
        assertThat(udp.responses()).extracting(SipResponse::status).containsExactly(200, 200);
    }
}
