package dev.parley.sipstack.transaction;

import static dev.parley.sipstack.transaction.Messages.ackFor;
import static dev.parley.sipstack.transaction.Messages.invite;
import static dev.parley.sipstack.transaction.Messages.request;
import static dev.parley.sipstack.transaction.Messages.response;
import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.common.VirtualScheduler;
import dev.parley.sip.header.CSeq;
import dev.parley.sip.header.HeaderType;
import dev.parley.sip.header.Via;
import dev.parley.sip.message.SipMethod;
import dev.parley.sip.message.SipRequest;
import dev.parley.sip.message.SipResponse;
import dev.parley.sipstack.flow.Transport;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** RFC 3261 §17.2.3 (with its RFC 2543 fallback) and §9.2. */
class TransactionMatchingTest {
    private final VirtualScheduler clock = new VirtualScheduler();
    private final Recorder tu = new Recorder();
    private final TransactionLayer layer = new TransactionLayer(clock, TimerSettings.DEFAULT, tu);
    private final RecordingFlow udp = new RecordingFlow(Transport.UDP, clock);

    private static SipRequest withTopVia(SipRequest r, Via via) {
        return r.toBuilder().removeFirst(HeaderType.VIA).via(via).build();
    }

    @Test
    void rfc3261_17_2_3_sameBranchFromAnotherSentByIsAnotherTransaction() {
        SipRequest a = invite("z9hG4bKsame");
        SipRequest b = withTopVia(a, Via.of("UDP", "pc34.atlanta.example.com", 5060, "z9hG4bKsame"));
        layer.onRequest(a, udp);
        layer.onRequest(b, udp);

        assertThat(tu.events).containsExactly("request INVITE", "request INVITE");
        assertThat(layer.serverCount()).isEqualTo(2);
    }

    @Test
    void rfc3261_17_2_3_sentByHostComparesIgnoringCase() {
        SipRequest a = invite("z9hG4bKsame");
        SipRequest b = withTopVia(a, Via.of("UDP", "PC33.Atlanta.Example.COM", 5060, "z9hG4bKsame"));
        layer.onRequest(a, udp);
        layer.onRequest(b, udp);

        assertThat(tu.events).containsExactly("request INVITE");
    }

    @Test
    void rfc3261_9_2_cancelGetsItsOwnTransaction_andTheTuIsToldWhichInvite() {
        SipRequest invite = invite("z9hG4bK74bf9");
        layer.onRequest(invite, udp);
        ServerTransaction inviteTx = tu.serverTransactions.getFirst();
        SipRequest cancel = DerivedMessages.cancel(invite);

        layer.onRequest(cancel, udp);

        assertThat(tu.events).containsExactly("request INVITE", "cancel");
        assertThat(tu.cancelledInvite).isSameAs(inviteTx);
        assertThat(tu.cancelTx).isNotSameAs(inviteTx);
        assertThat(tu.cancelTx.request().method()).isEqualTo(SipMethod.CANCEL);

        tu.cancelTx.respond(response(cancel, 200, "a6c85cf"));
        inviteTx.respond(response(invite, 487, "a6c85cf"));
        assertThat(udp.responses()).extracting(r -> r.status() + " " + r.cseq().method())
                .containsExactly("100 INVITE", "200 CANCEL", "487 INVITE");

        // the CANCEL retransmission is absorbed by its own transaction
        layer.onRequest(cancel, udp);
        assertThat(tu.events).containsExactly("request INVITE", "cancel");
        assertThat(udp.responses()).extracting(SipResponse::status).containsExactly(100, 200, 487, 200);
    }

    @Test
    void rfc3261_9_2_cancelMatchingNoInviteGoesToTheTuAsARequest() {
        SipRequest cancel = DerivedMessages.cancel(invite("z9hG4bKunknown"));
        layer.onRequest(cancel, udp);

        assertThat(tu.events).containsExactly("request CANCEL");
    }

    @Test
    void rfc3261_17_2_3_ackWithANewBranchIsTheAckFor2xx() {
        SipRequest invite = invite("z9hG4bK74bf9");
        layer.onRequest(invite, udp);
        tu.serverTransactions.getFirst().respond(response(invite, 200, "a6c85cf"));

        SipRequest ack = request(SipMethod.ACK, "z9hG4bKnewbranch");
        layer.onRequest(ack, udp);
        assertThat(tu.events).containsExactly("request INVITE", "ack");
        assertThat(layer.serverCount()).isEqualTo(1);
    }

    @Test
    void rfc3261_17_2_3_rfc2543_noMagicCookie_retransmissionAndAckMatchByRequestFields() {
        SipRequest invite = invite("oldbranch1");
        layer.onRequest(invite, udp);
        ServerTransaction tx = tu.serverTransactions.getFirst();
        SipResponse busy = response(invite, 486, "a6c85cf");
        tx.respond(busy);

        layer.onRequest(invite, udp);
        assertThat(tu.events).containsExactly("request INVITE");
        assertThat(udp.responses()).extracting(SipResponse::status).containsExactly(100, 486, 486);

        // an ACK whose To tag is not the tag of our response belongs to something else
        SipRequest strangerAck = ackFor(invite, response(invite, 486, "someone-else"));
        layer.onRequest(strangerAck, udp);
        assertThat(tx.state()).isEqualTo(TransactionState.COMPLETED);
        assertThat(tu.events).containsExactly("request INVITE", "ack");

        layer.onRequest(ackFor(invite, busy), udp);
        assertThat(tx.state()).isEqualTo(TransactionState.CONFIRMED);
        assertThat(tu.events).containsExactly("request INVITE", "ack");
    }

    @Test
    void rfc3261_17_2_3_rfc2543_aDifferentCSeqIsADifferentTransaction() {
        SipRequest first = invite("oldbranch1");
        SipRequest second = first.toBuilder().cseq(new CSeq(314160, SipMethod.INVITE)).build();
        layer.onRequest(first, udp);
        layer.onRequest(second, udp);

        assertThat(tu.events).containsExactly("request INVITE", "request INVITE");
    }

    @Test
    void rfc3261_9_2_rfc2543_cancelMatchesTheInviteByItsFields() {
        SipRequest invite = invite("oldbranch1");
        layer.onRequest(invite, udp);
        layer.onRequest(DerivedMessages.cancel(invite), udp);

        assertThat(tu.events).containsExactly("request INVITE", "cancel");
        assertThat(tu.cancelledInvite).isSameAs(tu.serverTransactions.getFirst());
    }

    @Test
    void rfc3261_17_2_3_rfc2543_nonInviteIncludesTheToTag() {
        SipRequest bye = request(SipMethod.BYE, "oldbranch2");
        SipRequest byeTagged = bye.toBuilder().to(bye.to().withTag("x")).build();
        layer.onRequest(bye, udp);
        layer.onRequest(bye, udp);
        layer.onRequest(byeTagged, udp);

        assertThat(tu.events).containsExactly("request BYE", "request BYE");
    }

    @Test
    void findServerTransactionLooksWithoutCreating() {
        SipRequest invite = invite("z9hG4bK74bf9");
        assertThat(layer.findServerTransaction(invite)).isNull();
        layer.onRequest(invite, udp);
        assertThat(layer.findServerTransaction(invite)).isSameAs(tu.serverTransactions.getFirst());
        clock.advance(Duration.ofSeconds(1));
    }
}
