package dev.parley.pbx.call;

import dev.parley.common.Scheduler;
import dev.parley.pbx.directory.Device;
import dev.parley.pbx.routing.Route;
import dev.parley.pbx.routing.Target;
import dev.parley.sip.header.Address;
import dev.parley.sip.header.HeaderName;
import dev.parley.sip.header.HeaderType;
import dev.parley.sip.header.MediaType;
import dev.parley.sip.message.Body;
import dev.parley.sip.message.ReasonPhrases;
import dev.parley.sip.message.SipMethod;
import dev.parley.sip.message.SipRequest;
import dev.parley.sip.message.SipResponse;
import dev.parley.sip.text.Parameters;
import dev.parley.sip.text.SipSyntaxException;
import dev.parley.sip.uri.SipUri;
import dev.parley.sipstack.dialog.Dialog;
import dev.parley.sipstack.dialog.DialogState;
import dev.parley.sipstack.flow.Flow;
import dev.parley.sipstack.transaction.ClientTransaction;
import dev.parley.sipstack.transaction.ServerTransaction;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A blind transfer (RFC 3515 REFER, RFC 5589 §6) asked for by the callee of an answered call: the transferor
 * (the callee) names a target in {@code Refer-To}; Parley, not the transferee, places the new leg, because it
 * anchors the transferee's media and vouches for its identity.
 *
 * <pre>
 *   REFER ──202 + NOTIFY "100 Trying"──▶ routing ──▶ branches ring the target (caller id = the transferee)
 *     target answers: bridge the transferee's endpoint to the target's (same anchor: no re-INVITE),
 *                     NOTIFY "200 OK" (terminated), then BYE the transferor; the original call's CDR ends
 *                     "transferred", the transferee–target call is recorded as a new call
 *     target fails:   NOTIFY with its final status (terminated; 480 when it rang out the no-answer timeout);
 *                     the original call goes on
 * </pre>
 *
 * <p>Limits: only the callee may transfer (the caller's REFER gets 403); no attended transfer ({@code Replaces},
 * 501); a target whose answer needs a codec the transferee's settled answer does not reach fails with 488 rather
 * than re-INVITE the transferee. The transferor hanging up before the target answers does not stop the transfer;
 * if the target then fails, the transferee is hung up on.
 *
 * <p>Confined to the call's lane.
 */
final class BlindTransfer {
    private static final Logger LOG = LoggerFactory.getLogger(BlindTransfer.class);
    /** RFC 3420: the NOTIFY body is a fragment of the new leg's status line. */
    private static final MediaType SIPFRAG = new MediaType("message", "sipfrag", Parameters.EMPTY);
    /** RFC 3515 §2.4.4: the implicit subscription lasts while the transfer runs; this bounds it. */
    private static final String ACTIVE = "active;expires=60";
    /** RFC 6665 §4.1.3: the subscription ends because the transfer has a final outcome. */
    private static final String TERMINATED = "terminated;reason=noresource";

    /** A checked REFER: the target to ring, or the status the REFER is refused with. */
    sealed interface Screened {
        record Accepted(SipUri target) implements Screened {
        }

        record Refused(int status, String reason) implements Screened {
        }
    }

    private final Call call;
    private final Dialog transferorDialog;
    private final Flow transferorFlow;
    private final Device transferor;
    private final SipUri target;
    /** RFC 3515 §2.4.6: NOTIFYs name the REFER they report on by its CSeq number. */
    private final long eventId;
    private final Instant requestedAt;
    private final List<Branch> branches = new ArrayList<>();
    /** The target rings at most as long as any call's callee (pbx.no-answer-timeout), then the transfer fails. */
    private Scheduler.Timer noAnswer;
    private String number;
    private int bestStatus;
    private boolean transferorLeft;
    private boolean done;
    /** Set once the target answered: the transferor's dialog is then no longer the call's callee leg. */
    private boolean completed;

    BlindTransfer(Call call, Dialog transferorDialog, Flow transferorFlow, Device transferor, SipRequest refer,
            SipUri target, Instant requestedAt) {
        this.call = call;
        this.transferorDialog = transferorDialog;
        this.transferorFlow = transferorFlow;
        this.transferor = transferor;
        this.target = target;
        this.eventId = refer.cseq().sequence();
        this.requestedAt = requestedAt;
    }

    /**
     * RFC 3515 §2.4.1: exactly one {@code Refer-To}, else 400. Only {@code sip:}/{@code sips:} targets that Parley
     * itself routes; a {@code Replaces} header in the URI asks for an attended transfer (RFC 3891), not built.
     */
    static Screened screen(SipRequest refer) {
        List<String> values = refer.headers().values(HeaderName.REFER_TO);
        if (values.size() != 1) {
            return new Screened.Refused(400, "exactly one Refer-To is required");
        }
        Address referTo;
        try {
            referTo = refer.headers().single(HeaderType.REFER_TO);
        } catch (SipSyntaxException e) {
            return new Screened.Refused(400, "malformed Refer-To");
        }
        if (referTo == null || !(referTo.uri() instanceof SipUri uri)) {
            return new Screened.Refused(416, "Refer-To must be a sip or sips URI");
        }
        if (uri.headers().has("Replaces")) {
            return new Screened.Refused(501, "attended transfer (Replaces) is not supported");
        }
        if (uri.headers().has("method") || uri.user() == null || uri.user().isEmpty()) {
            return new Screened.Refused(403, "Refer-To must name a number to call");
        }
        return new Screened.Accepted(uri.withoutHeaders());
    }

    /** After the 202: tells the transferor the attempt started, then routes the target off the lane. */
    void start() {
        notifyTransferor(100, false);
        CallContext ctx = call.context();
        Calls.TransferRouting routing = ctx.calls().transferRouting();
        if (routing == null) {
            fail(503);
            return;
        }
        ctx.blocking().execute(() -> {
            Route route;
            try {
                route = routing.route(target, transferor);
            } catch (RuntimeException e) {
                LOG.warn("call {}: the transfer target could not be routed: {}", call.id(), e.toString());
                route = null;
            }
            Route decided = route;
            call.lane().execute(() -> routed(decided));
        });
    }

    private void routed(Route route) {
        if (done) {
            return;
        }
        switch (route) {
            case null -> fail(500);
            case Route.NotFound n -> fail(404);
            case Route.Unavailable u -> fail(480);
            case Route.Ring ring -> {
                number = ring.dialled();
                noAnswer = call.lane().schedule(call.context().noAnswerTimeout(), this::noAnswer);
                for (Target t : ring.targets()) {
                    branches.add(call.transferBranch(t));
                }
                for (Branch b : List.copyOf(branches)) {
                    b.start();
                }
            }
        }
    }

    private void noAnswer() {
        if (done) {
            return;
        }
        for (Branch b : branches) {
            b.cancel(null);
        }
        fail(480);
    }

    boolean owns(Branch branch) {
        return branches.contains(branch);
    }

    /** Whether the new leg may still ring: the call is up and the transfer undecided. */
    boolean ringing() {
        return !done;
    }

    /** The To of the new leg: the target as the transferor named it. */
    Address to() {
        return Address.of(target);
    }

    String number() {
        return number;
    }

    Instant requestedAt() {
        return requestedAt;
    }

    /**
     * The target answered. Its answer must reach the transferee's settled media through the same anchor (the
     * transferee's endpoint keeps its address, ports and keys, so the transferee needs no re-INVITE).
     */
    void onAnswered(Branch branch, SipResponse ok) {
        if (done) {
            branch.ackAndBye(ok); // RFC 3261 §13.2.2.4: a second fork, or the call ended meanwhile
            return;
        }
        Dialog dialog;
        try {
            dialog = Dialog.asUac(branch.invite, ok);
        } catch (IllegalArgumentException e) {
            LOG.debug("transfer of call {}: 2xx without a To tag from {}", call.id(), branch);
            onFailed(branch, 502);
            return;
        }
        Anchor.Result.Refused refused = Anchor.takeAnswer(branch.media, ok);
        if (refused == null && !call.callerMediaJoinable(branch.media.peerMedia())) {
            refused = new Anchor.Result.Refused(488, "the target's codecs cannot reach the transferee's");
        }
        if (refused != null) {
            LOG.debug("transfer of call {}: {} answered with media Parley cannot use: {}", call.id(), branch,
                    refused.reason());
            branch.ackAndBye(ok);
            onFailed(branch, refused.status());
            return;
        }
        done = true;
        stopTimer();
        branch.dialog = dialog;
        branch.ack(dialog, null, null);
        for (Branch other : branches) {
            if (other != branch) {
                other.cancel(null);
                other.media.close();
            }
        }
        completed = true;
        call.transferCompleted(this, branch);
        if (transferorLeft) {
            return;
        }
        // RFC 5589 §6: the transferor learns of the success; Parley then ends its leg, as it would hang up itself
        notifyTransferor(200, true, new Done(this::byeTransferor));
    }

    void onFailed(Branch branch, int status) {
        branch.media.close();
        if (done) {
            return;
        }
        bestStatus = Outcome.better(bestStatus, Outcome.forCaller(status));
        for (Branch b : branches) {
            if (!b.isFinished()) {
                return;
            }
        }
        fail(bestStatus);
    }

    private void fail(int status) {
        done = true;
        stopTimer();
        LOG.debug("transfer of call {} failed with {}", call.id(), status);
        if (transferorLeft) {
            call.transferFailedAlone();
            return;
        }
        notifyTransferor(status, true); // the original call goes on
        call.transferEnded(this);
    }

    /** The call ended while the transfer ran: stop ringing the target. */
    void abandon() {
        if (done) {
            return;
        }
        done = true;
        stopTimer();
        for (Branch b : branches) {
            b.cancel(null);
        }
    }

    private void stopTimer() {
        if (noAnswer != null) {
            noAnswer.cancel();
        }
    }

    /** The transferor sent BYE before the outcome: the transfer goes on without anyone to tell. */
    void transferorLeft() {
        transferorLeft = true;
        transferorDialog.terminate();
    }

    boolean pending() {
        return !done;
    }

    /** A request on the transferor's dialog after the target took its place. */
    boolean isFromTransferor(SipRequest request) {
        return completed && request.callId().equals(transferorDialog.callId())
                && transferorDialog.localTag().equals(request.to().tag());
    }

    void onTransferorRequest(ServerTransaction tx, SipRequest request) {
        if (request.isMethod(SipMethod.BYE)) {
            tx.respond(Responses.to(request, 200).build()); // it hung up as Parley's BYE crossed it
            transferorDialog.terminate();
        } else {
            tx.respond(Responses.to(request, 481).build());
        }
    }

    private void byeTransferor() {
        if (transferorDialog.state() == DialogState.TERMINATED) {
            return;
        }
        SipRequest bye = transferorDialog.newRequest(SipMethod.BYE)
                .via(call.stack().newVia(transferorFlow.transport())).build();
        transferorDialog.terminate();
        call.send(transferorFlow, bye, Call.QUIET);
    }

    private void notifyTransferor(int status, boolean terminated) {
        notifyTransferor(status, terminated, Call.QUIET);
    }

    /** RFC 3515 §2.4.4–2.4.5: NOTIFY in the REFER's dialog with the new leg's status line as a sipfrag. */
    private void notifyTransferor(int status, boolean terminated, ClientTransaction.Listener listener) {
        if (transferorDialog.state() == DialogState.TERMINATED) {
            return;
        }
        String frag = "SIP/2.0 " + status + " " + ReasonPhrases.of(status) + "\r\n";
        SipRequest notify = transferorDialog.newRequest(SipMethod.NOTIFY)
                .via(call.stack().newVia(transferorFlow.transport()))
                .set(HeaderName.EVENT, "refer;id=" + eventId)
                .set(HeaderName.SUBSCRIPTION_STATE, terminated ? TERMINATED : ACTIVE)
                .contact(Address.of(call.stack().contactUri(null, transferorFlow.transport())))
                .body(SIPFRAG, Body.of(frag))
                .build();
        call.send(transferorFlow, notify, listener);
    }

    /** Runs {@code then} once the NOTIFY's transaction ends, however it ends. */
    private record Done(Runnable then) implements ClientTransaction.Listener {
        @Override
        public void onProvisional(ClientTransaction transaction, SipResponse response) {
        }

        @Override
        public void onFinal(ClientTransaction transaction, SipResponse response) {
            then.run();
        }

        @Override
        public void onAdditional2xx(ClientTransaction transaction, SipResponse response) {
        }

        @Override
        public void onTimeout(ClientTransaction transaction) {
            then.run();
        }

        @Override
        public void onTransportError(ClientTransaction transaction) {
            then.run();
        }
    }
}
