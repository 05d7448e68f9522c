package dev.parley.pbx.call;

import dev.parley.pbx.media.MediaLeg;
import dev.parley.sip.header.Address;
import dev.parley.sip.header.HeaderField;
import dev.parley.sip.header.HeaderName;
import dev.parley.sip.header.MediaType;
import dev.parley.sip.message.Body;
import dev.parley.sip.message.SipMessage;
import dev.parley.sip.message.SipMethod;
import dev.parley.sip.message.SipRequest;
import dev.parley.sip.message.SipResponse;
import dev.parley.sipstack.dialog.Dialog;
import dev.parley.sipstack.flow.Flow;
import dev.parley.sipstack.transaction.ClientTransaction;
import dev.parley.sipstack.transaction.DerivedMessages;
import dev.parley.sipstack.transaction.ServerTransaction;
import java.util.Set;

/**
 * One request relayed from one leg of an established call to the other (re-INVITE, UPDATE, INFO), and its
 * responses relayed back. For a re-INVITE it also carries the end-to-end ACK across: when the re-INVITE had an
 * offer, the far side's 2xx is ACKed at once; when it had none (the 2xx carries the offer, the ACK the answer), the
 * far side's ACK waits for the near side's, whose body it carries. The 2xx sent back is retransmitted until the
 * ACK (RFC 3261 §13.3.1.4). Confined to the call's lane.
 *
 * <p>SDP never crosses unchanged ({@link Anchor}): an offer in a re-INVITE or UPDATE is read under the near leg's
 * policy (a refused one gets {@code 488} from Parley and goes no further) and becomes Parley's offer on the far leg;
 * the far side's answer configures the far endpoint and becomes Parley's answer to the near side, which configures
 * the near endpoint. Hold and resume are such offers: the directions follow through both legs. A re-INVITE without
 * SDP works the other way round: the far side's 2xx offer becomes Parley's offer to the near side, and the near
 * side's ACK answer becomes Parley's ACK answer to the far side. The endpoints and the bridge stay; each leg keeps
 * its key while its suite stays.
 */
final class InDialogRelay implements ClientTransaction.Listener {
    /** Headers that describe the body or the request's purpose and so travel with it. */
    private static final Set<HeaderName> COPIED = Set.of(HeaderName.CONTENT_DISPOSITION, HeaderName.of("Info-Package"),
            HeaderName.SUBJECT);
    /** Headers of a failure response that tell the sender what to do next. */
    private static final Set<HeaderName> EXPLAINING = Set.of(HeaderName.RETRY_AFTER, HeaderName.UNSUPPORTED,
            HeaderName.ACCEPT, HeaderName.ALLOW, HeaderName.WARNING);

    private final Call call;
    final ServerTransaction origin;
    final SipRequest request;
    final boolean fromCaller;
    private final Dialog farDialog;
    private final Flow farFlow;
    private SipRequest out;
    private boolean provisional;
    private boolean cancelWanted;
    private boolean cancelSent;
    private boolean answered;
    /** The far side's 2xx came; its ACK waits for the near side's, which carries the SDP answer. */
    private boolean farAckWaiting;
    private SipRequest farAck;
    private Retransmitter retransmitter;
    private final MediaLeg nearMedia;
    private final MediaLeg farMedia;
    /** Parley sent the far side an offer (the near side's, rewritten): the far side's 2xx carries the answer. */
    private boolean offerSent;
    /** The call is ending ({@link #settle}): nothing more is relayed, a late 2xx is only ACKed. */
    private boolean settled;

    InDialogRelay(Call call, ServerTransaction origin, SipRequest request, boolean fromCaller, Dialog farDialog,
            Flow farFlow, MediaLeg nearMedia, MediaLeg farMedia) {
        this.call = call;
        this.origin = origin;
        this.request = request;
        this.fromCaller = fromCaller;
        this.farDialog = farDialog;
        this.farFlow = farFlow;
        this.nearMedia = nearMedia;
        this.farMedia = farMedia;
    }

    boolean isInvite() {
        return request.isMethod(SipMethod.INVITE);
    }

    void start() {
        String method = request.method();
        SipRequest.Builder b = farDialog.newRequest(method).via(call.stack().newVia(farFlow.transport()));
        if (isTargetRefresh()) {
            b.contact(Address.of(call.stack().contactUri(null, farFlow.transport())));
        }
        for (HeaderField f : request.headers()) {
            if (COPIED.contains(f.name())) {
                b.add(f.name(), f.value());
            }
        }
        if (isTargetRefresh() && !request.body().isEmpty()) {
            Anchor.Result r = Anchor.offer(nearMedia, farMedia, request);
            if (r instanceof Anchor.Result.Refused refused) {
                answered = true;
                origin.respond(Responses.to(request, refused.status()).build()); // RFC 3261 §14.2: 488
                call.relayDone(this);
                return;
            }
            Anchor.body(b, ((Anchor.Result.Rewritten) r).sdp());
            offerSent = true;
        } else {
            copyBody(request, b);
        }
        out = b.build();
        call.send(farFlow, out, this);
    }

    /** CANCEL of the relayed re-INVITE by its sender: passed on once the far side has answered provisionally. */
    void cancel() {
        if (answered || cancelWanted) {
            return;
        }
        cancelWanted = true;
        if (provisional && out != null) {
            sendCancel();
        }
    }

    private void sendCancel() {
        cancelSent = true;
        call.stack().sendRequest(DerivedMessages.cancel(out), farFlow, Call.QUIET);
    }

    /**
     * The call is ending: called before Parley sends BYE on either leg, so that no BYE overtakes an ACK.
     *
     * <ul>
     *   <li>RFC 3261 §13.2.2.4, §15: a 2xx the far side sent must be ACKed before its dialog is ended with BYE.
     *       A far ACK that still waits for the near side's (a re-INVITE without SDP: the near side's ACK would
     *       carry the answer) goes now, without the answer that will not come.</li>
     *   <li>The 2xx sent back to the near side stops being retransmitted: that leg gets BYE.</li>
     *   <li>A request the far side has not answered yet gets 487 on the near side (§15.1.2: pending requests of a
     *       dialog that ends are still answered, 487 recommended); when the far side's 2xx comes after all, it is
     *       ACKed at once and relayed no further (§13.2.2.4 holds for a 2xx that crossed the BYE too).</li>
     * </ul>
     */
    void settle() {
        settled = true;
        if (retransmitter != null) {
            retransmitter.stop();
        }
        if (farAckWaiting) {
            sendFarAck(null, null);
        }
        if (!answered) {
            answered = true;
            origin.respond(Responses.to(request, 487).build());
        }
    }

    @Override
    public void onProvisional(ClientTransaction transaction, SipResponse response) {
        if (settled) {
            return;
        }
        provisional = true;
        if (cancelWanted && !cancelSent) {
            sendCancel();
        }
        if (response.status() > 100 && isInvite() && !answered) {
            origin.respond(relayed(response));
        }
    }

    @Override
    public void onFinal(ClientTransaction transaction, SipResponse response) {
        if (settled) {
            if (response.isSuccess() && isInvite()) {
                sendFarAck(null, null); // a 2xx that crossed the BYE: ACKed, then the BYE ends it
            }
            return;
        }
        farDialog.onResponse(out, response);
        answered = true;
        SipResponse back = relayed(response, mediaFor(response));
        origin.respond(back);
        if (response.isSuccess() && isInvite()) {
            if (!request.body().isEmpty()) {
                sendFarAck(null, null);
            } else {
                farAckWaiting = true; // RFC 3264 §4: the 2xx carries the offer, the near side's ACK the answer
            }
            retransmitter = new Retransmitter(call.lane(), call.stack().timers(), () -> resend(back),
                    this::ackTimeout).start();
            return;
        }
        call.relayDone(this);
        int status = response.status();
        if (status == 481 || status == 408) {
            // RFC 3261 §12.2.1.2: the far dialog is gone; so is the call
            call.relayFailed(this);
        }
    }

    /** The ACK for our 2xx to the re-INVITE arrived from the near side. */
    void onAck(SipRequest ack) {
        if (retransmitter == null) {
            return;
        }
        retransmitter.stop();
        if (farAckWaiting) {
            // RFC 3264 §4: the near side's ACK answers Parley's offer; Parley's ACK answers the far side's
            Anchor.Result r = ack.body().isEmpty() ? null : Anchor.answer(nearMedia, farMedia, ack);
            if (r instanceof Anchor.Result.Rewritten w) {
                sendFarAck(MediaType.APPLICATION_SDP, w.body());
            } else {
                sendFarAck(null, null);
            }
        }
        call.relayDone(this);
    }

    private void ackTimeout() {
        if (farAckWaiting) {
            sendFarAck(null, null);
        }
        call.relayDone(this);
        call.relayFailed(this);
    }

    private void sendFarAck(MediaType type, Body body) {
        farAckWaiting = false;
        SipRequest.Builder b = farDialog.ackFor2xx(out).via(call.stack().newVia(farFlow.transport()));
        if (body != null && !body.isEmpty()) {
            b.body(type, body);
        }
        farAck = b.build();
        farFlow.send(farAck);
    }

    private void resend(SipResponse ok) {
        if (!origin.respond(ok)) {
            origin.flow().send(ok);
        }
    }

    @Override
    public void onAdditional2xx(ClientTransaction transaction, SipResponse response) {
        // a retransmitted 2xx: its ACK was lost or is still waiting for the near side's
        if (farAck != null) {
            farFlow.send(farAck);
        }
    }

    @Override
    public void onTimeout(ClientTransaction transaction) {
        if (settled) {
            return;
        }
        answered = true;
        origin.respond(Responses.to(request, 408).build());
        call.relayDone(this);
        call.relayFailed(this);
    }

    @Override
    public void onTransportError(ClientTransaction transaction) {
        if (settled) {
            return;
        }
        answered = true;
        origin.respond(Responses.to(request, 503).build());
        call.relayDone(this);
        call.relayFailed(this);
    }

    /**
     * The SDP for the near side in the far side's 2xx: Parley's answer when the far side answered Parley's offer,
     * Parley's offer when the far side offered (a re-INVITE without SDP); null for no body.
     */
    private Anchor.Result.Rewritten mediaFor(SipResponse response) {
        if (!response.isSuccess() || !isTargetRefresh() || response.body().isEmpty()) {
            return null;
        }
        Anchor.Result r;
        if (offerSent) {
            r = Anchor.answer(farMedia, nearMedia, response);
        } else if (isInvite()) {
            r = Anchor.offer(farMedia, nearMedia, response);
        } else {
            return null;
        }
        return r instanceof Anchor.Result.Rewritten w ? w : null;
    }

    /** The far side's response as an answer to the near side's request: same status and reason, Parley's SDP. */
    private SipResponse relayed(SipResponse response) {
        return relayed(response, null);
    }

    private SipResponse relayed(SipResponse response, Anchor.Result.Rewritten media) {
        SipResponse.Builder b = Responses.to(request, response.status()).status(response.status(),
                response.reason());
        if (response.isSuccess() && isTargetRefresh()) {
            b.contact(Address.of(call.stack().contactUri(null, origin.flow().transport())));
        }
        if (response.isSuccess() && isInvite()) {
            Capabilities.allow(b);
        }
        if (!response.isSuccess()) {
            for (HeaderField f : response.headers()) {
                if (EXPLAINING.contains(f.name())) {
                    b.add(f.name(), f.value());
                }
            }
        }
        if (media != null) {
            Anchor.body(b, media.sdp());
        } else if (!isTargetRefresh() && !response.body().isEmpty()) {
            copyBody(response, b); // an INFO's answer body is not SDP
        }
        return b.build();
    }

    private boolean isTargetRefresh() {
        return request.isMethod(SipMethod.INVITE) || request.isMethod(SipMethod.UPDATE);
    }

    private static void copyBody(SipMessage from, SipMessage.Builder<?> to) {
        if (!from.body().isEmpty()) {
            to.body(from.contentType().orElse(MediaType.APPLICATION_SDP), from.body());
        }
    }
}
