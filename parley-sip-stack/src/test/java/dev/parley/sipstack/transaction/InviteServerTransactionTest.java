package dev.parley.sipstack.transaction;

import static dev.parley.sipstack.transaction.Messages.ackFor;
import static dev.parley.sipstack.transaction.Messages.invite;
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

/** RFC 3261 §17.2.1 with RFC 6026 §8.5–8.7. */
class InviteServerTransactionTest {
    private final VirtualScheduler clock = new VirtualScheduler();
    private final Recorder tu = new Recorder();
    private final TransactionLayer layer = new TransactionLayer(clock, TimerSettings.DEFAULT, tu);
    private final RecordingFlow udp = new RecordingFlow(Transport.UDP, clock);
    private final RecordingFlow tcp = new RecordingFlow(Transport.TCP, clock);
    private final SipRequest invite = invite("z9hG4bK776asdhds");

    private static List<Duration> ms(long... values) {
        return Arrays.stream(values).mapToObj(Duration::ofMillis).toList();
    }

    private ServerTransaction receiveInvite(RecordingFlow flow) {
        layer.onRequest(invite, flow);
        assertThat(tu.serverTransactions).hasSize(1);
        return tu.serverTransactions.getFirst();
    }

    @Test
    void rfc3261_17_2_1_100TryingIsSentAtOnce_beforeTheTuRuns() {
        tu.answer = (tx, r) -> assertThat(udp.responses()).extracting(SipResponse::status).containsExactly(100);
        ServerTransaction tx = receiveInvite(udp);

        SipResponse trying = (SipResponse) udp.last();
        assertThat(udp.responseTimes(100)).isEqualTo(ms(0));
        assertThat(trying.to().tag()).isNull();
        assertThat(trying.topVia().branch()).isEqualTo("z9hG4bK776asdhds");
        assertThat(trying.cseq()).isEqualTo(invite.cseq());
        assertThat(tx.state()).isEqualTo(TransactionState.PROCEEDING);
        assertThat(tu.events).containsExactly("request INVITE");
    }

    @Test
    void rfc3261_17_2_1_100TryingCanBeTurnedOff() {
        TransactionLayer quiet = new TransactionLayer(clock, TimerSettings.DEFAULT, tu, false);
        quiet.onRequest(invite, udp);

        assertThat(udp.sent()).isEmpty();
        assertThat(tu.events).containsExactly("request INVITE");
    }

    @Test
    void rfc3261_17_2_1_retransmittedInviteGetsTheLastProvisional_andIsNotPassedUp() {
        ServerTransaction tx = receiveInvite(udp);
        layer.onRequest(invite, udp);
        tx.respond(response(invite, 180, "a6c85cf"));
        clock.advance(Duration.ofMillis(500));
        layer.onRequest(invite, udp);

        assertThat(udp.responses()).extracting(SipResponse::status).containsExactly(100, 100, 180, 180);
        assertThat(tu.events).containsExactly("request INVITE");
    }

    @Test
    void rfc3261_17_2_1_anInviteWhose100WasSentEarlyGetsNoSecond_butARetransmissionGetsThe100Again() {
        // the SIP stack's I/O side sent the 100 of the first copy (over UDP): the transaction sends none on creation,
        // and answers a retransmission in Proceeding with that 100, its last provisional response, in case it was lost
        layer.onRequest(invite, udp, true);
        assertThat(udp.sent()).isEmpty();
        layer.onRequest(invite, udp);
        SipResponse trying = (SipResponse) udp.last();
        assertThat(trying.status()).isEqualTo(100);
        assertThat(trying.topVia().branch()).isEqualTo("z9hG4bK776asdhds");
        tu.serverTransactions.getFirst().respond(response(invite, 180, "a6c85cf"));
        layer.onRequest(invite, udp);

        assertThat(udp.responses()).extracting(SipResponse::status).containsExactly(100, 180, 180);
        assertThat(tu.events).containsExactly("request INVITE");
    }

    @Test
    void rfc3261_17_2_1_timerG_retransmitsTheFinalResponse_doublingUpToT2_untilTimerH() {
        ServerTransaction tx = receiveInvite(udp);
        clock.advance(Duration.ofSeconds(1));
        tx.respond(response(invite, 486, "a6c85cf"));
        assertThat(tx.state()).isEqualTo(TransactionState.COMPLETED);

        clock.advance(Duration.ofMillis(31_999));
        assertThat(tu.events).containsExactly("request INVITE");
        clock.advance(Duration.ofMillis(1));

        // sent at 1 s, then Timer G: +0.5, +1, +2, +4 (T2), +4, ...
        assertThat(udp.responseTimes(486))
                .isEqualTo(ms(1000, 1500, 2500, 4500, 8500, 12500, 16500, 20500, 24500, 28500, 32500));
        assertThat(tu.events).containsExactly("request INVITE", "server timeout");
        assertThat(tx.state()).isEqualTo(TransactionState.TERMINATED);
        assertThat(layer.serverCount()).isZero();
        assertThat(clock.pending()).isZero();
    }

    @Test
    void rfc3261_17_2_1_ackStopsRetransmissions_isAbsorbed_andTimerIEndsConfirmed() {
        ServerTransaction tx = receiveInvite(udp);
        SipResponse busy = response(invite, 486, "a6c85cf");
        tx.respond(busy);
        clock.advance(Duration.ofMillis(2000));
        layer.onRequest(ackFor(invite, busy), udp);

        assertThat(tx.state()).isEqualTo(TransactionState.CONFIRMED);
        assertThat(udp.responseTimes(486)).isEqualTo(ms(0, 500, 1500));
        layer.onRequest(ackFor(invite, busy), udp);
        layer.onRequest(invite, udp);
        clock.advance(Duration.ofMillis(4_999));
        assertThat(tx.state()).isEqualTo(TransactionState.CONFIRMED);
        clock.advance(Duration.ofMillis(1));

        assertThat(tx.state()).isEqualTo(TransactionState.TERMINATED);
        assertThat(udp.responseTimes(486)).hasSize(3);
        assertThat(tu.events).containsExactly("request INVITE");
        assertThat(layer.serverCount()).isZero();
    }

    @Test
    void rfc3261_17_2_1_retransmittedInviteInCompletedGetsTheFinalAgain() {
        ServerTransaction tx = receiveInvite(udp);
        tx.respond(response(invite, 404, "a6c85cf"));
        clock.advance(Duration.ofMillis(100));
        layer.onRequest(invite, udp);

        assertThat(udp.responseTimes(404)).isEqualTo(ms(0, 100));
        assertThat(tu.events).containsExactly("request INVITE");
    }

    @Test
    void rfc3261_17_2_1_overTcp_noTimerG_timerHStill32s_timerIZero() {
        ServerTransaction tx = receiveInvite(tcp);
        SipResponse busy = response(invite, 486, "a6c85cf");
        tx.respond(busy);
        clock.advance(Duration.ofSeconds(20));
        assertThat(tcp.responseTimes(486)).isEqualTo(ms(0));
        layer.onRequest(ackFor(invite, busy), tcp);
        assertThat(tx.state()).isEqualTo(TransactionState.TERMINATED);

        ServerTransaction second = null;
        SipRequest other = invite("z9hG4bKsecond");
        layer.onRequest(other, tcp);
        second = tu.serverTransactions.getLast();
        second.respond(response(other, 500, "x"));
        clock.advance(Duration.ofMillis(31_999));
        assertThat(second.state()).isEqualTo(TransactionState.COMPLETED);
        clock.advance(Duration.ofMillis(1));
        assertThat(second.state()).isEqualTo(TransactionState.TERMINATED);
        assertThat(tu.events).containsExactly("request INVITE", "request INVITE", "server timeout");
    }

    @Test
    void rfc6026_8_5_2xxMovesToAccepted_retransmittedInviteIsAbsorbed_timerLEndsIt() {
        ServerTransaction tx = receiveInvite(udp);
        SipResponse ok = response(invite, 200, "a6c85cf");
        assertThat(tx.respond(ok)).isTrue();
        assertThat(tx.state()).isEqualTo(TransactionState.ACCEPTED);

        clock.advance(Duration.ofSeconds(1));
        layer.onRequest(invite, udp);
        assertThat(udp.responseTimes(200)).isEqualTo(ms(0));
        assertThat(tu.events).containsExactly("request INVITE");

        // RFC 6026 §8.6: the TU's own 2xx retransmissions pass; anything else is discarded
        assertThat(tx.respond(ok)).isTrue();
        assertThat(tx.respond(response(invite, 486, "a6c85cf"))).isFalse();
        assertThat(udp.responseTimes(200)).isEqualTo(ms(0, 1000));

        clock.advance(Duration.ofMillis(30_999));
        assertThat(tx.state()).isEqualTo(TransactionState.ACCEPTED);
        clock.advance(Duration.ofMillis(1));
        assertThat(tx.state()).isEqualTo(TransactionState.TERMINATED);
        assertThat(layer.serverCount()).isZero();
    }

    @Test
    void rfc6026_8_7_ackInAcceptedGoesToTheTu() {
        ServerTransaction tx = receiveInvite(udp);
        SipResponse ok = response(invite, 200, "a6c85cf");
        tx.respond(ok);

        // a non-compliant peer reusing the INVITE's branch, and a compliant one with a new branch
        SipRequest sameBranch = ackFor(invite, ok);
        SipRequest newBranch = ackFor(invite("z9hG4bKack2xx"), ok);
        layer.onRequest(sameBranch, udp);
        layer.onRequest(newBranch, udp);

        assertThat(tu.events).containsExactly("request INVITE", "ack", "ack");
        assertThat(tu.acks).containsExactly(sameBranch, newBranch);
    }

    @Test
    void rfc3261_17_2_1_aSecondFinalResponseIsDiscarded() {
        ServerTransaction tx = receiveInvite(udp);
        tx.respond(response(invite, 486, "a"));
        assertThat(tx.respond(response(invite, 200, "a"))).isFalse();
        assertThat(udp.responses()).extracting(SipResponse::status).containsExactly(100, 486);
    }

    @Test
    void rfc3261_17_2_4_closedFlowTellsTheTu() {
        receiveInvite(tcp);
        layer.onFlowClosed(tcp);
        assertThat(tu.events).containsExactly("request INVITE", "server transport error");
        assertThat(layer.serverCount()).isZero();
    }

    @Test
    void rfc3261_17_2_1_aNonInviteRequestDoesNotMatchTheInviteTransaction() {
        receiveInvite(udp);
        layer.onRequest(request(SipMethod.OPTIONS, "z9hG4bK776asdhds"), udp);
        assertThat(tu.events).containsExactly("request INVITE", "request OPTIONS");
    }
}
