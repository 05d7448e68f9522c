package dev.parley.pbx.call;

import dev.parley.common.Scheduler;
import dev.parley.pbx.cdr.CallRecord;
import dev.parley.pbx.registrar.Binding;
import dev.parley.pbx.routing.CallerId;
import dev.parley.pbx.routing.Route;
import dev.parley.pbx.routing.Target;
import dev.parley.sip.header.Address;
import dev.parley.sip.header.CSeq;
import dev.parley.sip.header.HeaderType;
import dev.parley.sip.header.MediaType;
import dev.parley.sip.header.Reason;
import dev.parley.sip.message.SipMessage;
import dev.parley.sip.message.SipMethod;
import dev.parley.sip.message.SipRequest;
import dev.parley.sip.message.SipResponse;
import dev.parley.sip.uri.SipUri;
import dev.parley.sip.uri.Uri;
import dev.parley.sipstack.SipStack;
import dev.parley.sipstack.dialog.Dialog;
import dev.parley.sipstack.dialog.RequestCheck;
import dev.parley.sipstack.dialog.Tags;
import dev.parley.sipstack.flow.Flow;
import dev.parley.sipstack.lane.Lane;
import dev.parley.sipstack.transaction.ClientTransaction;
import dev.parley.sipstack.transaction.ServerTransaction;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One call through the B2BUA: the caller's leg (the INVITE server transaction and the UAS dialog with our To tag),
 * the callee branches rung in parallel ({@link Branch}), and, once one answers, the two confirmed dialogs between
 * which BYE, re-INVITE, UPDATE and INFO are relayed ({@link InDialogRelay}).
 *
 * <pre>
 *   RINGING ──first 2xx──▶ ANSWERED ──caller's ACK──▶ CONFIRMED ──BYE from either side──▶ ENDED
 *      └──all branches failed / 6xx / CANCEL / no answer / early BYE──▶ ENDED (final response to the caller)
 *   ANSWERED ──no ACK within 64·T1 (RFC 3261 §13.3.1.4)──▶ ENDED (BYE to both legs)
 * </pre>
 *
 * <p>The SDP is passed through unchanged in both directions (media anchoring comes with the media plane). A caller
 * INVITE without SDP (delayed offer) is supported: the winner's 2xx carries the offer, and its ACK waits for the
 * caller's ACK, which carries the answer.
 *
 * <p>Confined to the lane of the caller's Call-ID, which is also the lane of every branch's Call-ID.
 */
public final class Call {
    private static final Logger LOG = LoggerFactory.getLogger(Call.class);
    /** RFC 3326; what phones show instead of "missed call" when another device took it. */
    private static final Reason ANSWERED_ELSEWHERE = Reason.of("SIP", 200, "Call completed elsewhere");
    private static final Reason SHUTTING_DOWN = Reason.of("SIP", 503, "Service shutting down");

    /** A listener for requests whose outcome does not matter (BYE, CANCEL): their transactions just run out. */
    static final ClientTransaction.Listener QUIET = new ClientTransaction.Listener() {
        @Override
        public void onProvisional(ClientTransaction transaction, SipResponse response) {
        }

        @Override
        public void onFinal(ClientTransaction transaction, SipResponse response) {
        }

        @Override
        public void onAdditional2xx(ClientTransaction transaction, SipResponse response) {
        }

        @Override
        public void onTimeout(ClientTransaction transaction) {
        }

        @Override
        public void onTransportError(ClientTransaction transaction) {
        }
    };

    enum State { RINGING, ANSWERED, CONFIRMED, ENDED }

    private final CallContext ctx;
    private final Lane lane;
    private final String id = UUID.randomUUID().toString();
    private final ServerTransaction callerTx;
    private final SipRequest callerInvite;
    private final String callerTag = Tags.newTag();
    private final CallerId caller;
    private final String dialled;
    private final Address calleeFrom;
    private final Instant startedAt;
    private final List<Branch> branches = new ArrayList<>();
    private final List<String> callIds = new ArrayList<>();
    private Dialog callerDialog;
    private Branch winner;
    private State state = State.RINGING;
    private Instant answeredAt;
    private Scheduler.Timer noAnswer;
    private SipResponse callerOk;
    private Retransmitter okRetransmitter;
    /** Delayed offer: the winner's 2xx is not ACKed until the caller's ACK brings the SDP answer. */
    private boolean calleeAckWaiting;
    private int bestStatus;
    private InDialogRelay inviteRelay;

    private Call(CallContext ctx, ServerTransaction callerTx, SipRequest invite, CallerId caller, String dialled,
            Instant startedAt) {
        this.ctx = ctx;
        this.lane = ctx.stack().laneFor(invite.callId());
        this.callerTx = callerTx;
        this.callerInvite = invite;
        this.caller = caller;
        this.dialled = dialled;
        this.startedAt = startedAt;
        this.calleeFrom = Address.of(caller.displayName(), callerUri(invite, caller.number(), ctx.stack()));
    }

    /**
     * Starts a call on the lane of {@code invite}'s Call-ID: registers it, rings every target and starts the
     * no-answer timer.
     */
    public static Call start(CallContext ctx, ServerTransaction tx, SipRequest invite, CallerId caller,
            Route.Ring route, Instant startedAt) {
        Call call = new Call(ctx, tx, invite, caller, route.dialled(), startedAt);
        if (!call.lane.inLane()) {
            throw new IllegalStateException("a call starts on the lane of its Call-ID");
        }
        call.ring(route.targets());
        return call;
    }

    private void ring(List<Target> targets) {
        ctx.calls().add(this);
        index(callerInvite.callId());
        for (Target t : targets) {
            Branch b = new Branch(this, t, ctx.stack().newCallId(lane));
            index(b.callId);
            branches.add(b);
        }
        CallRecorder.started(id, callerInvite.callId(), caller.number(), dialled, branches.size());
        noAnswer = lane.schedule(ctx.noAnswerTimeout(), this::noAnswer);
        for (Branch b : List.copyOf(branches)) {
            b.start();
        }
    }

    private void index(String callId) {
        callIds.add(callId);
        ctx.calls().index(callId, this);
    }

    public String id() {
        return id;
    }

    public Lane lane() {
        return lane;
    }

    SipStack stack() {
        return ctx.stack();
    }

    /** The Call-ID of the caller's leg. */
    public String callerCallId() {
        return callerInvite.callId();
    }

    // ---- the branches ----

    /**
     * The INVITE of a branch: Request-URI = the registered contact; Route = its Path (RFC 3327); our Via and
     * Contact; From = the caller as Parley vouches for it, with the branch's tag; To = what the caller dialled;
     * Max-Forwards one less than the caller's (RFC 3261 §16.6 step 3, kept by a B2BUA so loops end); SDP unchanged.
     */
    SipRequest newBranchInvite(Branch branch, Flow flow) {
        Binding binding = branch.target.binding();
        Uri target = binding.contact().uri();
        if (target instanceof SipUri s) {
            target = s.withoutHeaders().withoutParameter("method"); // RFC 3261 §19.1.1, Table 1
        }
        int hops = callerInvite.maxForwards() < 0 ? 70 : Math.max(0, callerInvite.maxForwards() - 1);
        SipRequest.Builder b = SipRequest.builder(SipMethod.INVITE, target)
                .via(ctx.stack().newVia(flow.transport()))
                .maxForwards(hops)
                .from(calleeFrom.withTag(branch.fromTag))
                .to(callerInvite.to())
                .callId(branch.callId)
                .cseq(new CSeq(1, SipMethod.INVITE))
                .contact(Address.of(ctx.stack().contactUri(null, flow.transport())));
        for (Address hop : binding.path()) {
            b.add(HeaderType.ROUTE, hop);
        }
        Capabilities.allow(b);
        copyBody(callerInvite, b);
        return b.build();
    }

    void onBranchProvisional(Branch branch, SipResponse response) {
        if (state != State.RINGING) {
            return;
        }
        SipResponse.Builder b = Responses.to(callerInvite, response.status(), callerTag)
                .status(response.status(), response.reason())
                .contact(ourContact(callerTx.flow()));
        copyBody(response, b);
        SipResponse relayed = b.build();
        callerTx.respond(relayed);
        if (callerDialog == null) {
            callerDialog = Dialog.asUas(callerInvite, relayed); // early dialog, one To tag for the whole call
        }
    }

    void onBranchAnswered(Branch branch, SipResponse ok) {
        if (state != State.RINGING) {
            branch.ackAndBye(ok); // RFC 3261 §13.2.2.4: late or crossed with CANCEL
            return;
        }
        Dialog calleeDialog;
        try {
            calleeDialog = Dialog.asUac(branch.invite, ok);
        } catch (IllegalArgumentException e) {
            LOG.debug("2xx without a To tag from {}: {}", branch, e.getMessage());
            onBranchFailed(branch, 502);
            return;
        }
        winner = branch;
        branch.dialog = calleeDialog;
        cancel(noAnswer);
        for (Branch other : branches) {
            if (other != branch) {
                other.cancel(ANSWERED_ELSEWHERE); // RFC 3261 §9.1: CANCEL the other branches
            }
        }
        calleeAckWaiting = callerInvite.body().isEmpty();
        if (!calleeAckWaiting) {
            branch.ack(calleeDialog, null, null);
        }
        SipResponse.Builder b = Responses.to(callerInvite, 200, callerTag).contact(ourContact(callerTx.flow()));
        Capabilities.allow(b);
        copyBody(ok, b);
        callerOk = b.build();
        callerTx.respond(callerOk);
        if (callerDialog == null) {
            callerDialog = Dialog.asUas(callerInvite, callerOk);
        } else {
            callerDialog.onResponseSent(callerInvite, callerOk);
        }
        state = State.ANSWERED;
        answeredAt = ctx.clock().instant();
        CallRecorder.answered(id, callerInvite.callId(), branch.target.device().sipUsername());
        // RFC 3261 §13.3.1.4: the 2xx is retransmitted until the ACK, BYE after 64·T1 without one
        okRetransmitter = new Retransmitter(lane, ctx.stack().timers(), this::resendOk, this::noAck).start();
    }

    void onBranchAdditional2xx(Branch branch, SipResponse ok) {
        String tag = ok.to().tag();
        if (tag == null || branch.reack(tag)) {
            return;
        }
        if (branch == winner && tag.equals(branch.dialog.remoteTag())) {
            return; // a retransmission whose ACK waits for the caller's (delayed offer)
        }
        branch.ackAndBye(ok); // another fork behind the contact answered too
    }

    void onBranchFailed(Branch branch, int status) {
        if (state != State.RINGING) {
            return;
        }
        int forCaller = Outcome.forCaller(status);
        bestStatus = Outcome.better(bestStatus, forCaller);
        if (Outcome.endsForking(status)) {
            finishUnanswered(forCaller, Outcome.causeOf(forCaller)); // RFC 3261 §16.7 step 5
            return;
        }
        for (Branch b : branches) {
            if (!b.isFinished()) {
                return;
            }
        }
        finishUnanswered(bestStatus, Outcome.causeOf(bestStatus));
    }

    private void noAnswer() {
        if (state == State.RINGING) {
            finishUnanswered(480, Cause.NO_ANSWER);
        }
    }

    /** Ends an unanswered call: CANCEL what still rings, answer the caller with {@code status}. */
    private void finishUnanswered(int status, Cause cause) {
        state = State.ENDED;
        cancel(noAnswer);
        for (Branch b : branches) {
            b.cancel(null);
        }
        SipResponse last = Responses.to(callerInvite, status, callerTag).build();
        callerTx.respond(last);
        if (callerDialog != null) {
            callerDialog.onResponseSent(callerInvite, last);
        }
        record(status, cause);
    }

    // ---- the caller's leg ----

    /** A CANCEL from the caller (RFC 3261 §9.2): 200 to it, and 487 to the INVITE if still ringing. */
    public void onCancel(ServerTransaction cancel, ServerTransaction invite) {
        cancel.respond(Responses.to(cancel.request(), 200, callerTag).build());
        if (invite == callerTx) {
            if (state == State.RINGING) {
                finishUnanswered(487, Cause.CANCELLED);
            }
        } else if (inviteRelay != null && inviteRelay.origin == invite) {
            inviteRelay.cancel();
        }
    }

    /** An ACK for a 2xx (end to end, RFC 3261 §13.2.2.4) from either leg. */
    public void onAck(SipRequest ack) {
        boolean fromCaller = ack.callId().equals(callerInvite.callId());
        if (fromCaller && state == State.ANSWERED && ack.cseq().sequence() == callerInvite.cseq().sequence()) {
            okRetransmitter.stop();
            state = State.CONFIRMED;
            if (calleeAckWaiting) {
                calleeAckWaiting = false;
                winner.ack(winner.dialog, ack.contentType().orElse(MediaType.APPLICATION_SDP), ack.body());
            }
            return;
        }
        if (inviteRelay != null && inviteRelay.fromCaller == fromCaller
                && ack.cseq().sequence() == inviteRelay.request.cseq().sequence()) {
            inviteRelay.onAck(ack);
        }
    }

    private void resendOk() {
        if (!callerTx.respond(callerOk)) {
            callerTx.flow().send(callerOk); // Timer L ended the transaction: the TU keeps going (RFC 6026 §8.5)
        }
    }

    private void noAck() {
        if (state == State.ANSWERED) {
            LOG.debug("no ACK for the 2xx of call {} within 64*T1: ending it", id);
            end(Cause.FAILED, true, true, null);
        }
    }

    /** A 2xx after the branch's transaction ended (Timer M): ACK it again, or end an unwanted dialog. */
    public void onStray2xx(SipResponse ok) {
        for (Branch b : branches) {
            if (b.callId.equals(ok.callId()) && b.invite != null) {
                onBranchAdditional2xx(b, ok);
            }
        }
    }

    /** A server transaction of this call could not deliver its response (RFC 3261 §17.2.4). */
    public void onTransportError(ServerTransaction tx) {
        if (tx != callerTx) {
            return;
        }
        if (state == State.RINGING) {
            state = State.ENDED;
            cancel(noAnswer);
            branches.forEach(b -> b.cancel(null));
            record(503, Cause.FAILED);
        } else if (state == State.ANSWERED) {
            end(Cause.FAILED, false, true, null);
        }
    }

    // ---- requests inside the dialogs ----

    /** A request with a To tag whose Call-ID belongs to this call. */
    public void onRequest(ServerTransaction tx, SipRequest request) {
        boolean fromCaller = isFromCaller(request);
        boolean fromCallee = !fromCaller && isFromCallee(request);
        Dialog near = fromCaller ? callerDialog : fromCallee ? winner.dialog : null;
        if (near == null || state == State.ENDED) {
            tx.respond(Responses.to(request, 481).build()); // RFC 3261 §12.2.2
            return;
        }
        RequestCheck check = near.onRequest(request);
        if (!check.isAccepted()) {
            tx.respond(Responses.to(request, check.status()).build());
            return;
        }
        if (request.isMethod(SipMethod.BYE)) {
            tx.respond(Responses.to(request, 200).build());
            if (state == State.RINGING) {
                finishUnanswered(487, Cause.CANCELLED); // BYE in the caller's early dialog: like CANCEL
            } else {
                end(fromCaller ? Cause.ANSWERED_CALLER_HANGUP : Cause.ANSWERED_CALLEE_HANGUP, !fromCaller,
                        fromCaller, null);
            }
            return;
        }
        boolean invite = request.isMethod(SipMethod.INVITE);
        if (state == State.RINGING || (invite && (state != State.CONFIRMED || inviteRelay != null))) {
            // RFC 3261 §14.2 / RFC 3311 §5.2: an offer while another is pending
            tx.respond(Responses.to(request, 491).build());
            return;
        }
        Dialog far = fromCaller ? winner.dialog : callerDialog;
        Flow farFlow = fromCaller ? winner.flow : callerTx.flow();
        InDialogRelay relay = new InDialogRelay(this, tx, request, fromCaller, far, farFlow);
        if (invite) {
            inviteRelay = relay;
        }
        relay.start();
    }

    private boolean isFromCaller(SipRequest request) {
        return request.callId().equals(callerInvite.callId()) && callerTag.equals(request.to().tag())
                && Objects.equals(request.from().tag(), callerInvite.from().tag());
    }

    private boolean isFromCallee(SipRequest request) {
        return winner != null && winner.dialog != null && request.callId().equals(winner.callId)
                && winner.fromTag.equals(request.to().tag())
                && Objects.equals(request.from().tag(), winner.dialog.remoteTag());
    }

    void relayDone(InDialogRelay relay) {
        if (inviteRelay == relay) {
            inviteRelay = null;
        }
    }

    /** A relayed request timed out or found the far dialog gone: the call cannot go on. */
    void relayFailed(InDialogRelay relay) {
        end(Cause.FAILED, true, true, null);
    }

    /** Sends a request in a client transaction on {@code flow}, reopening a closed connection to the same peer. */
    void send(Flow flow, SipRequest request, ClientTransaction.Listener listener) {
        if (flow.isOpen()) {
            ctx.stack().sendRequest(request, flow, listener);
            return;
        }
        ctx.stack().flowTo(flow.transport(), flow.remoteAddress()).whenComplete((f, error) -> lane.execute(() -> {
            if (error != null) {
                LOG.debug("no flow to {} for {}: {}", flow.remoteAddress(), request.method(), error.toString());
                listener.onTransportError(null);
            } else {
                ctx.stack().sendRequest(request, f, listener);
            }
        }));
    }

    // ---- the end ----

    /** Ends an answered call, sending BYE to the legs that did not hang up themselves. */
    private void end(Cause cause, boolean byeCaller, boolean byeCallee, Reason reason) {
        if (state == State.ENDED) {
            return;
        }
        State was = state;
        state = State.ENDED;
        cancel(noAnswer);
        if (okRetransmitter != null) {
            okRetransmitter.stop();
        }
        if (calleeAckWaiting) {
            calleeAckWaiting = false;
            winner.ack(winner.dialog, null, null); // the 2xx must be ACKed before it can be ended with BYE
        }
        if (byeCaller && callerDialog != null && was != State.RINGING) {
            bye(callerDialog, callerTx.flow(), reason);
        }
        if (byeCallee && winner != null) {
            bye(winner.dialog, winner.flow, reason);
        }
        if (callerDialog != null) {
            callerDialog.terminate();
        }
        if (winner != null) {
            winner.dialog.terminate();
        }
        record(200, cause);
    }

    private void bye(Dialog dialog, Flow flow, Reason reason) {
        SipRequest.Builder b = dialog.newRequest(SipMethod.BYE).via(ctx.stack().newVia(flow.transport()));
        if (reason != null) {
            b.add(HeaderType.REASON, reason);
        }
        send(flow, b.build(), QUIET);
    }

    /** Graceful shutdown: an unanswered call gets 503, an answered one BYE on both legs with a Reason. */
    public void shutdown() {
        switch (state) {
            case RINGING -> {
                state = State.ENDED;
                cancel(noAnswer);
                branches.forEach(b -> b.cancel(SHUTTING_DOWN));
                SipResponse last = Responses.to(callerInvite, 503, callerTag).build();
                callerTx.respond(last);
                record(503, Cause.SHUTDOWN);
            }
            case ANSWERED, CONFIRMED -> end(Cause.SHUTDOWN, true, true, SHUTTING_DOWN);
            case ENDED -> {
            }
        }
    }

    private void record(int status, Cause cause) {
        ctx.calls().remove(this, callIds);
        String answeredBy = answeredAt == null ? null : winner.target.device().sipUsername();
        CallRecorder.ended(ctx, new CallRecord(id, callerInvite.callId(), caller.number(), dialled, answeredBy,
                startedAt, answeredAt, ctx.clock().instant(), status, cause.text()));
    }

    // ---- helpers ----

    private Address ourContact(Flow flow) {
        return Address.of(ctx.stack().contactUri(null, flow.transport()));
    }

    private static void copyBody(SipMessage from, SipMessage.Builder<?> to) {
        if (!from.body().isEmpty()) {
            to.body(from.contentType().orElse(MediaType.APPLICATION_SDP), from.body());
        }
    }

    private static void cancel(Scheduler.Timer timer) {
        if (timer != null) {
            timer.cancel();
        }
    }

    /** {@code sip:<number>@<the host the caller dialled>}: the caller as the callee's phone should show it. */
    private static SipUri callerUri(SipRequest invite, String number, SipStack stack) {
        String host = invite.requestUri() instanceof SipUri s ? s.host().text() : stack.advertisedHost();
        return SipUri.builder().user(SipUri.escapeUser(number)).host(host).build();
    }

    @Override
    public String toString() {
        return "Call[" + id + " " + state + "]";
    }
}
