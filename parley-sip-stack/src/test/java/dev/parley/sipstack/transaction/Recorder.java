package dev.parley.sipstack.transaction;

import dev.parley.sip.message.SipRequest;
import dev.parley.sip.message.SipResponse;
import dev.parley.sipstack.flow.Flow;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiConsumer;

/**
 * A TU and client-transaction listener that records every event as a line ("request INVITE", "final 486", ...)
 * and keeps the objects for inspection; {@link #onRequest} can answer through a hook.
 */
final class Recorder implements TransactionUser, ClientTransaction.Listener {
    final List<String> events = new ArrayList<>();
    final List<ServerTransaction> serverTransactions = new ArrayList<>();
    final List<SipRequest> acks = new ArrayList<>();
    final List<SipResponse> strays = new ArrayList<>();
    final List<SipResponse> finals = new ArrayList<>();
    ServerTransaction cancelTx;
    ServerTransaction cancelledInvite;
    BiConsumer<ServerTransaction, SipRequest> answer = (tx, r) -> { };

    @Override
    public void onRequest(ServerTransaction transaction, SipRequest request) {
        events.add("request " + request.method());
        serverTransactions.add(transaction);
        answer.accept(transaction, request);
    }

    @Override
    public void onCancel(ServerTransaction cancel, ServerTransaction invite) {
        events.add("cancel");
        cancelTx = cancel;
        cancelledInvite = invite;
    }

    @Override
    public void onAckFor2xx(SipRequest ack, Flow flow) {
        events.add("ack");
        acks.add(ack);
    }

    @Override
    public void onStrayResponse(SipResponse response, Flow flow) {
        events.add("stray " + response.status());
        strays.add(response);
    }

    @Override
    public void onTimeout(ServerTransaction transaction) {
        events.add("server timeout");
    }

    @Override
    public void onTransportError(ServerTransaction transaction) {
        events.add("server transport error");
    }

    @Override
    public void onProvisional(ClientTransaction transaction, SipResponse response) {
        events.add("provisional " + response.status());
    }

    @Override
    public void onFinal(ClientTransaction transaction, SipResponse response) {
        events.add("final " + response.status());
        finals.add(response);
    }

    @Override
    public void onAdditional2xx(ClientTransaction transaction, SipResponse response) {
        events.add("additional " + response.status() + " " + response.to().tag());
    }

    @Override
    public void onTimeout(ClientTransaction transaction) {
        events.add("timeout");
    }

    @Override
    public void onTransportError(ClientTransaction transaction) {
        events.add("transport error");
    }
}
