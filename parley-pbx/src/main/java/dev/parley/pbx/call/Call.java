package dev.parley.pbx.call;

import dev.parley.common.Scheduler;
import dev.parley.mediaapi.EndpointId;
import dev.parley.mediaapi.EndpointRequest;
import dev.parley.mediaapi.EndpointStats;
import dev.parley.mediaapi.MediaEvent;
import dev.parley.pbx.cdr.CallIds;
import dev.parley.pbx.cdr.CallRecord;
import dev.parley.pbx.cdr.LegRecord;
import dev.parley.pbx.directory.UserId;
import dev.parley.pbx.media.CallSecurity;
import dev.parley.pbx.media.LegPolicy;
import dev.parley.pbx.media.MediaLeg;
import dev.parley.pbx.media.PeerMedia;
import dev.parley.sdp.SdpParseResult;
import dev.parley.sdp.attribute.MediaDirection;
import dev.parley.sdp.SessionDescription;
import dev.parley.pbx.registrar.Binding;
import dev.parley.pbx.routing.CallerId;
import dev.parley.pbx.routing.Route;
import dev.parley.pbx.routing.Target;
import dev.parley.sip.header.Address;
import dev.parley.sip.header.CSeq;
import dev.parley.sip.header.HeaderType;
import dev.parley.sip.header.MediaType;
import dev.parley.sip.header.Reason;
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
import java.util.Optional;
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
 * <p>Every call is anchored ({@link Anchor}): the caller's leg and each branch get a media endpoint of their own,
 * and every SDP is Parley's, with Parley's address and ports, the codecs of the offer passed through, and
 * {@code a=crypto} per each leg's {@link dev.parley.pbx.directory.MediaPolicy} and signalling transport. The caller's
 * offer is checked before anything rings (a {@code required} caller offering plain RTP, or SDES over UDP, gets
 * {@code 488}); each branch's answer is checked under its own policy (a refused answer fails that branch with
 * {@code 488}). The winner's answer configures its endpoint, Parley answers the caller and bridges the two.
 * Losing branches' endpoints close at once; every endpoint closes when the call ends, whichever way.
 *
 * <p>A caller INVITE without SDP (delayed offer, RFC 3264 §4): the branches are rung without SDP too, the winner's
 * 2xx carries its offer, Parley offers the caller in its 200 OK, and the caller's ACK brings the answer, which
 * Parley turns into the answer in its ACK to the callee; only then are the endpoints bridged.
 *
 * <p>Early media (RFC 3261 §13.2.1, RFC 3960's gateway model): a callee's 18x with SDP answers Parley's offer on
 * its branch; Parley answers the caller in the 18x it relays (its own leg's answer) and bridges the two endpoints,
 * so the callee's announcements or ringback reach the caller before the 200. The 200 to the caller then repeats
 * that same answer, byte for byte (§13.2.1: no other answer may follow); a callee's 200 repeating its 18x SDP (same
 * o= version) changes nothing, one with new SDP reconfigures the callee's leg only. With forking, one branch's
 * early media at a time: the first branch whose 18x carries usable SDP has the caller's ear until it fails; the
 * others' 18x reach the caller without SDP. A winner other than that branch is joined to the answer the caller
 * already has, or fails like unusable media (488) when no codec of it can reach the caller's.
 *
 * <p>Confined to the lane of the caller's Call-ID, which is also the lane of every branch's Call-ID.
 */
public final class Call {
    private static final Logger LOG = LoggerFactory.getLogger(Call.class);
    /** RFC 3326; what phones show instead of "missed call" when another device took it. */
    private static final Reason ANSWERED_ELSEWHERE = Reason.of("SIP", 200, "Call completed elsewhere");
    private static final Reason SHUTTING_DOWN = Reason.of("SIP", 503, "Service shutting down");
    /** RFC 3326: why Parley hung up on both legs after no RTP arrived for the configured time. */
    static final Reason MEDIA_TIMEOUT = Reason.of("SIP", 408, "Media timeout");
    /** A browser leg stopped answering ICE consent checks (RFC 7675 §5.1): the browser went away. */
    static final Reason CONSENT_EXPIRED = Reason.of("SIP", 408, "ICE consent expired");
    /** A browser leg's DTLS handshake failed (fingerprint, profiles, timeout) or its association closed. */
    static final Reason DTLS_FAILED = Reason.of("SIP", 488, "DTLS-SRTP failed");
    /** How long a DTLS failure waits for a BYE that may have crossed it (see onMediaEvent). */
    static final java.time.Duration DTLS_FAILURE_GRACE = java.time.Duration.ofSeconds(2);
    /** RFC 3326: the other party's browser lost its signalling connection (page reload, closed tab, network). */
    static final Reason CONNECTION_LOST = Reason.of("SIP", 480, "Connection lost");
    private static final Reason NOT_ACCEPTABLE = Reason.of("SIP", 488, "Not Acceptable Here");

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
    /** A new id when a blind transfer turns this into a new call between the transferee and the target. */
    private volatile String id = CallIds.next();
    private final ServerTransaction callerTx;
    private final SipRequest callerInvite;
    private final String callerTag = Tags.newTag();
    private final CallerId caller;
    private volatile String dialled;
    private final Address calleeFrom;
    private volatile Instant startedAt;
    private final List<Branch> branches = new ArrayList<>();
    private final List<String> callIds = new ArrayList<>();
    private Dialog callerDialog;
    private Branch winner;
    private State state = State.RINGING;
    private volatile Instant answeredAt;
    private Scheduler.Timer noAnswer;
    private SipResponse callerOk;
    private Retransmitter okRetransmitter;
    /** Delayed offer: the winner's 2xx is not ACKed until the caller's ACK brings the SDP answer. */
    private boolean calleeAckWaiting;
    private int bestStatus;
    private InDialogRelay inviteRelay;
    /** The caller's leg through Parley's media plane, and the winner's once one answers. */
    private final MediaLeg callerMedia;
    private MediaLeg calleeMedia;
    /** The caller's INVITE had no SDP (RFC 3264 §4 delayed offer). */
    private final boolean lateOffer;
    /** The caller's offer as read under its policy; null for a late offer. */
    private PeerMedia callerOffer;
    private final List<EndpointId> endpoints = new ArrayList<>();
    /** The branch whose endpoint was bridged to the caller's before anyone answered (see branchMediaOpened). */
    private Branch earlyBridged;
    /** The branch whose early media the caller hears, if any. */
    private Branch earlyMedia;
    /** Parley's answer to the caller once sent in an 18x: every later response to the INVITE repeats it. */
    private SessionDescription callerAnswer;
    private volatile CallSecurity security;
    /** Who holds the answered call, from each leg's last settled audio direction ({@link #updateSecurity}). */
    private volatile CallView.Hold hold = CallView.Hold.NONE;
    private volatile String answeredBy;
    /** The owner of the devices rung (the dialled extension's user), once ringing starts. */
    private volatile dev.parley.pbx.directory.UserId calleeUser;
    /** The owner of the device that answered: with the caller's owner, who is "on a call" for call waiting. */
    private volatile UserId answeringUser;
    /** Ask the callee's devices to answer by themselves (RFC 7462 answer-after=0). */
    private final boolean autoAnswer;
    /** The callee's blind transfer of the caller (REFER), while it runs and after it replaced the callee. */
    private BlindTransfer transfer;

    private Call(CallContext ctx, ServerTransaction callerTx, SipRequest invite, CallerId caller, String dialled,
            boolean autoAnswer, Instant startedAt) {
        this.autoAnswer = autoAnswer;
        this.ctx = ctx;
        this.lane = ctx.stack().laneFor(invite.callId());
        this.callerTx = callerTx;
        this.callerInvite = invite;
        this.caller = caller;
        this.dialled = dialled;
        this.startedAt = startedAt;
        this.calleeFrom = Address.of(caller.displayName(), callerUri(invite, caller.number(), ctx.stack()));
        this.callerMedia = new MediaLeg(ctx.media(), ctx.random(),
                new LegPolicy(caller.device().mediaPolicy(), callerTx.flow().transport()));
        this.lateOffer = invite.body().isEmpty();
        this.security = new CallSecurity(callerMedia.security(), null);
    }

    /**
     * Starts a call on the lane of {@code invite}'s Call-ID: registers it, rings every target and starts the
     * no-answer timer.
     */
    public static Call start(CallContext ctx, ServerTransaction tx, SipRequest invite, CallerId caller,
            Route.Ring route, Instant startedAt) {
        Call call = new Call(ctx, tx, invite, caller, route.dialled(), route.autoAnswer(), startedAt);
        if (!call.lane.inLane()) {
            throw new IllegalStateException("a call starts on the lane of its Call-ID");
        }
        call.begin(route.targets());
        return call;
    }

    /**
     * Checks the caller's offer under its policy (488 before anything rings when it cannot be used), opens the
     * caller's endpoint, then rings.
     */
    private void begin(List<Target> targets) {
        ctx.calls().add(this);
        ctx.calls().indexFlow(callerTx.flow(), this);
        index(callerInvite.callId());
        CallRecorder.started(id, callerInvite.callId(), caller.number(), dialled, targets.size());
        if (!lateOffer) {
            SdpParseResult parsed = Anchor.parse(callerInvite);
            if (!(parsed instanceof SdpParseResult.Parsed p)) {
                refuseCaller(488, parsed.toString());
                return;
            }
            Optional<MediaLeg.Refusal> refused = callerMedia.takeOffer(p.description());
            if (refused.isPresent()) {
                refuseCaller(refused.get().status(), refused.get().reason());
                return;
            }
            callerOffer = callerMedia.pendingPeerOffer();
        } else if (callerMedia.policy().requiresSrtp() && !callerMedia.policy().maySendKeys()) {
            // Parley would have to offer the caller SRTP keys in its 200 OK over signalling that cannot carry them
            refuseCaller(488, "SRTP is required but the signalling is " + callerMedia.policy().signalling());
            return;
        }
        noAnswer = lane.schedule(ctx.noAnswerTimeout(), this::noAnswer);
        open(callerMedia, "caller", () -> ring(targets), () -> {
            if (state == State.RINGING) {
                finishUnanswered(503, Cause.FAILED);
            }
        });
    }

    /** Answers the caller {@code status} (488: its media cannot be used under its policy) and ends the call. */
    private void refuseCaller(int status, String reason) {
        LOG.debug("call {}: refusing the caller's media with {}: {}", id, status, reason);
        state = State.ENDED;
        callerTx.respond(Responses.to(callerInvite, status, callerTag).build());
        record(status, Cause.REJECTED);
    }

    /**
     * Opens {@code leg}'s endpoint and, back on the lane, runs {@code then}, or {@code failed} when the media plane
     * has no ports. An endpoint that opens after the call ended is closed at once (no leaked ports). Every leg but
     * the caller's opens near the caller's endpoint, which it may be bridged to: on the same media thread, so the
     * bridge moves no sockets and loses no packets.
     */
    void open(MediaLeg leg, String label, Runnable then, Runnable failed) {
        EndpointId near = leg == callerMedia ? null : callerMedia.endpoint();
        String endpointLabel = callerInvite.callId() + "/" + label;
        // A browser's leg (WebSocket signalling or a DTLS-SRTP offer) gets an ICE-lite, DTLS-SRTP endpoint.
        EndpointRequest request = leg.isWebRtc() ? EndpointRequest.webRtc(endpointLabel, near)
                : new EndpointRequest(endpointLabel, near);
        ctx.media().open(request)
                .whenComplete((local, error) -> lane.execute(() -> {
                    if (error != null) {
                        LOG.warn("call {}: no media endpoint for the {} leg: {}", id, label, error.toString());
                        failed.run();
                        return;
                    }
                    if (!leg.opened(local)) {
                        return; // the leg closed while its endpoint opened
                    }
                    endpoints.add(local.id());
                    ctx.calls().indexEndpoint(local.id(), this);
                    then.run();
                }));
    }

    private void ring(List<Target> targets) {
        if (state != State.RINGING) {
            return;
        }
        calleeUser = targets.getFirst().device().owner();
        for (Target t : targets) {
            Branch b = new Branch(this, t, ctx.stack().newCallId(lane));
            index(b.callId);
            branches.add(b);
        }
        for (Branch b : List.copyOf(branches)) {
            b.start();
        }
        ctx.calls().ringing(this);
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

    CallContext context() {
        return ctx;
    }

    boolean isRinging() {
        return state == State.RINGING;
    }

    /** Whether {@code branch} may still be rung: the call's own while ringing, a transfer's while it runs. */
    boolean mayRing(Branch branch) {
        return state == State.RINGING || (transfer != null && transfer.owns(branch) && transfer.ringing()
                && (state == State.ANSWERED || state == State.CONFIRMED));
    }

    /** The padlock: each leg's signalling and media protection, and whether every leg is encrypted. */
    public CallSecurity security() {
        return security;
    }

    /** Whether {@code user} placed this call or answered it; readable from any thread. */
    public boolean engages(UserId user) {
        return caller.device().owner().equals(user) || user.equals(answeringUser);
    }

    /** What the live-calls API shows of this call; a value, readable from any thread. */
    public CallView view() {
        return new CallView(id, callerInvite.callId(), caller.number(), dialled, answeredBy, startedAt, answeredAt,
                security, caller.device().sipUsername(), caller.device().owner(), calleeUser, hold);
    }

    private void updateSecurity() {
        security = new CallSecurity(callerMedia.security(), calleeMedia == null ? null : calleeMedia.security());
        updateHold();
    }

    /**
     * After an offer/answer on an answered call (a re-INVITE or UPDATE relayed, {@link #relayDone}): a side whose
     * peer settled on sendonly or inactive audio holds the call (RFC 3264 §8.4). Listeners hear of a change, so the
     * event streams can say "held" and "answered" again on resume.
     */
    private void updateHold() {
        if (calleeMedia == null || answeredAt == null) {
            return;
        }
        CallView.Hold now = CallView.Hold.of(holding(callerMedia), holding(calleeMedia));
        if (now != hold) {
            hold = now;
            LOG.debug("call {}: held by {}", id, now);
            ctx.calls().holdChanged(this);
        }
    }

    private static boolean holding(MediaLeg leg) {
        PeerMedia peer = leg.peerMedia();
        return peer != null && (peer.direction() == MediaDirection.SENDONLY
                || peer.direction() == MediaDirection.INACTIVE);
    }

    /** The Call-ID of the caller's leg. */
    public String callerCallId() {
        return callerInvite.callId();
    }

    // ---- the branches ----

    /**
     * The INVITE of a branch: Request-URI = the registered contact; Route = its Path (RFC 3327); our Via and
     * Contact; From = the caller as Parley vouches for it, with the branch's tag; To = what the caller dialled;
     * Max-Forwards one less than the caller's (RFC 3261 §16.6 step 3, kept by a B2BUA so loops end); Parley's offer
     * on the branch's endpoint (none for a late offer).
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
                .to(transferring(branch) ? transfer.to() : callerInvite.to())
                .callId(branch.callId)
                .cseq(new CSeq(1, SipMethod.INVITE))
                .contact(Address.of(ctx.stack().contactUri(null, flow.transport())));
        for (Address hop : binding.path()) {
            b.add(HeaderType.ROUTE, hop);
        }
        Capabilities.allow(b);
        if (transferring(branch)) {
            // the transferee's media as settled: the target is offered what reaches its endpoint unchanged
            Anchor.body(b, Anchor.offerFor(branch.media, callerMedia.peerMedia()));
            return b.build();
        }
        if (autoAnswer) {
            b.add(HeaderType.CALL_INFO, AutoAnswer.callInfo(ctx.stack().advertisedHost()));
        }
        if (!lateOffer) {
            Anchor.body(b, Anchor.offerFor(branch.media, callerOffer));
        }
        return b.build();
    }

    /**
     * A branch's endpoint opened. The first one is bridged to the caller's at once: bridging may move an endpoint
     * between the media plane's event loops, and done now that move is over long before the callee answers, so
     * the caller's first packets after the 200 OK are not dropped while it runs. Nothing flows before an answer
     * (the 200, or a 18x with SDP for early media): an endpoint relays only once it is configured.
     */
    void branchMediaOpened(Branch branch) {
        if (earlyBridged == null && callerMedia.isOpen() && branch.media.isOpen()) {
            earlyBridged = branch;
            ctx.media().bridge(callerMedia.endpoint(), branch.media.endpoint());
        }
    }

    private void bridgeWinner() {
        if (earlyBridged != winner) {
            ctx.media().bridge(callerMedia.endpoint(), calleeMedia.endpoint());
        }
    }

    void onBranchProvisional(Branch branch, SipResponse response) {
        if (state != State.RINGING) {
            return;
        }
        SipResponse.Builder b = Responses.to(callerInvite, response.status(), callerTag)
                .status(response.status(), response.reason())
                .contact(ourContact(callerTx.flow()));
        SessionDescription early = earlyMedia(branch, response);
        if (early != null) {
            Anchor.body(b, early);
        }
        SipResponse relayed = b.build();
        callerTx.respond(relayed);
        if (callerDialog == null) {
            callerDialog = Dialog.asUas(callerInvite, relayed); // early dialog, one To tag for the whole call
        }
    }

    /**
     * Parley's answer for the caller when {@code response}, a provisional response of {@code branch}, carries SDP
     * that becomes early media (see the class comment); null when the 18x reaches the caller without SDP. An 18x
     * SDP Parley cannot use is not an error: the 200 decides.
     */
    private SessionDescription earlyMedia(Branch branch, SipResponse response) {
        if (lateOffer || response.body().isEmpty() || (earlyMedia != null && earlyMedia != branch)) {
            return null; // with a late offer a 18x's SDP would be an unreliable offer (RFC 3261 §13.2.1): not taken
        }
        Anchor.Result.Refused refused = Anchor.takeAnswer(branch.media, response);
        if (refused != null) {
            LOG.debug("call {}: early SDP of {} not used: {}", id, branch, refused.reason());
            return null;
        }
        if (callerAnswer == null) {
            callerAnswer = callerMedia.answer(branch.media.peerMedia());
            if (callerAnswer == null) {
                LOG.debug("call {}: early SDP of {} shares no codec with the caller", id, branch);
                return null;
            }
            updateSecurity();
        } else if (!callerMedia.joinable(branch.media.peerMedia())) {
            return null;
        }
        if (earlyMedia != branch) {
            earlyMedia = branch;
            if (earlyBridged != branch) {
                earlyBridged = branch;
                ctx.media().bridge(callerMedia.endpoint(), branch.media.endpoint());
            }
        }
        return callerAnswer;
    }

    /**
     * The winner's 200 after the caller was answered in an 18x: its SDP, if any, is taken on its leg (a repeat of
     * its 18x SDP changes nothing), and the caller gets the answer it already has (RFC 3261 §13.2.1).
     */
    private Anchor.Result answerAgain(Branch branch, SipResponse ok) {
        if (!ok.body().isEmpty()) {
            Anchor.Result.Refused refused = Anchor.takeAnswer(branch.media, ok);
            if (refused != null) {
                return refused;
            }
        } else if (branch.media.peerMedia() == null) {
            return new Anchor.Result.Refused(488, "the 200 carries no answer and the callee sent no early SDP");
        }
        if (!callerMedia.joinable(branch.media.peerMedia())) {
            return new Anchor.Result.Refused(488, "the callee's codecs cannot reach the caller's early answer");
        }
        return new Anchor.Result.Rewritten(callerAnswer);
    }

    void onBranchAnswered(Branch branch, SipResponse ok) {
        if (transferring(branch)) {
            transfer.onAnswered(branch, ok);
            return;
        }
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
        // the branch's answer (or, for a late offer, its offer) becomes Parley's SDP for the caller
        Anchor.Result media = lateOffer ? Anchor.offer(branch.media, callerMedia, ok)
                : callerAnswer != null ? answerAgain(branch, ok) : Anchor.answer(branch.media, callerMedia, ok);
        if (media instanceof Anchor.Result.Refused r) {
            LOG.debug("call {}: {} answered with media Parley cannot use ({}): {}", id, branch, r.status(),
                    r.reason());
            branch.ackAndBye(ok);
            onBranchFailed(branch, r.status());
            return;
        }
        winner = branch;
        // Indexed before the ACK below: a browser may close its WebSocket the moment that ACK reaches it, and
        // Pbx.onFlowClosed (another thread) must then find this call. One that closed before this lane task ran
        // found nothing: its end is checked here, after the answer (a clean-clone CI run of 7 December, ninth
        // session, lost the race: WebSocketSipIT waited 20 s for a BYE that never came).
        if (ctx.calls().indexFlow(branch.flow, this) && !branch.flow.isOpen()) {
            lane.execute(() -> onWebSocketClosed(branch.flow));
        }
        branch.dialog = calleeDialog;
        calleeMedia = branch.media;
        answeredBy = branch.target.device().sipUsername();
        answeringUser = branch.target.device().owner();
        cancel(noAnswer);
        for (Branch other : branches) {
            if (other != branch) {
                other.cancel(ANSWERED_ELSEWHERE); // RFC 3261 §9.1: CANCEL the other branches
                other.media.close();
            }
        }
        calleeAckWaiting = lateOffer;
        if (!calleeAckWaiting) {
            branch.ack(calleeDialog, null, null);
            bridgeWinner();
        }
        updateSecurity();
        SipResponse.Builder b = Responses.to(callerInvite, 200, callerTag).contact(ourContact(callerTx.flow()));
        Capabilities.allow(b);
        Anchor.body(b, ((Anchor.Result.Rewritten) media).sdp());
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
        ctx.calls().answered(this);
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
        if (transferring(branch)) {
            transfer.onFailed(branch, status);
            return;
        }
        branch.media.close();
        if (earlyMedia == branch) {
            earlyMedia = null; // another branch's early media may take the caller's ear
        }
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
                // RFC 3264 §4: the caller's ACK answers Parley's offer; Parley's ACK answers the callee's
                Anchor.Result r = Anchor.answer(callerMedia, calleeMedia, ack);
                if (r instanceof Anchor.Result.Rewritten w) {
                    winner.ack(winner.dialog, MediaType.APPLICATION_SDP, w.body());
                    bridgeWinner();
                    updateSecurity();
                } else {
                    LOG.debug("call {}: the caller's answer in its ACK cannot be used: {}", id, r);
                    winner.ack(winner.dialog, null, null);
                    end(Cause.FAILED, true, true, NOT_ACCEPTABLE);
                }
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

    /**
     * A WebSocket connection closed (on this call's lane). When it carried the caller's or the answering callee's
     * signalling, that browser cannot be reached again on this call — Parley cannot open a WebSocket to a client
     * (RFC 7118 §5), and a reloaded page has lost its RTCPeerConnection anyway — so the call ends now, BYE with a
     * Reason to the other party, rather than when ICE consent or the media timeout runs out (30 s or more). A call
     * still ringing needs nothing here: the transaction layer has already failed the INVITE transactions on that
     * connection (RFC 3261 §17.1.4, §17.2.4), which ends the call (caller gone) or that branch (callee gone).
     */
    public void onWebSocketClosed(Flow flow) {
        boolean callerGone = flow.id().equals(callerTx.flow().id());
        boolean calleeGone = winner != null && flow.id().equals(winner.flow.id());
        if (!callerGone && !calleeGone) {
            return;
        }
        if (state == State.ANSWERED || state == State.CONFIRMED) {
            LOG.info("call {}: the {}'s WebSocket closed; ending the call", id, callerGone ? "caller" : "callee");
            end(Cause.CONNECTION_LOST, !callerGone, !calleeGone, CONNECTION_LOST);
        }
    }

    // ---- requests inside the dialogs ----

    /** A request with a To tag whose Call-ID belongs to this call. */
    public void onRequest(ServerTransaction tx, SipRequest request) {
        if (transfer != null && transfer.isFromTransferor(request)) {
            transfer.onTransferorRequest(tx, request);
            return;
        }
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
            if (fromCallee && transfer != null && transfer.pending()) {
                transfer.transferorLeft(); // RFC 5589 §6: a transferor may hang up once its REFER is accepted
                return;
            }
            if (state == State.RINGING) {
                finishUnanswered(487, Cause.CANCELLED); // BYE in the caller's early dialog: like CANCEL
            } else {
                end(fromCaller ? Cause.ANSWERED_CALLER_HANGUP : Cause.ANSWERED_CALLEE_HANGUP, !fromCaller,
                        fromCaller, null);
            }
            return;
        }
        if (request.isMethod(SipMethod.REFER)) {
            refer(tx, request, fromCaller);
            return;
        }
        if (transfer != null && transfer.pending()) {
            tx.respond(Responses.to(request, 491).build()); // the callee's leg is being replaced: try again after
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
        InDialogRelay relay = new InDialogRelay(this, tx, request, fromCaller, far, farFlow,
                fromCaller ? callerMedia : calleeMedia, fromCaller ? calleeMedia : callerMedia);
        if (invite) {
            inviteRelay = relay;
        }
        relay.start();
    }

    // ---- blind transfer (RFC 3515, RFC 5589 §6) ----

    /**
     * A REFER in an answered call. Only the callee may transfer (the caller's leg is the one Parley keeps: its
     * Call-ID, dialog and endpoint are the call's), and only one transfer at a time. The transferor is authorised
     * by the dialog itself (tags and CSeq checked, the same as its BYE) and by arriving from the address the
     * callee's leg uses.
     */
    private void refer(ServerTransaction tx, SipRequest request, boolean fromCaller) {
        if (fromCaller) {
            tx.respond(Responses.to(request, 403).status(403, "Only the callee may transfer").build());
            return;
        }
        if (state != State.CONFIRMED || inviteRelay != null || (transfer != null && transfer.pending())) {
            tx.respond(Responses.to(request, 491).build());
            return;
        }
        if (!tx.flow().remoteAddress().getAddress().equals(winner.flow.remoteAddress().getAddress())) {
            tx.respond(Responses.to(request, 403).build());
            return;
        }
        switch (BlindTransfer.screen(request)) {
            case BlindTransfer.Screened.Refused r -> {
                LOG.debug("call {}: REFER refused with {}: {}", id, r.status(), r.reason());
                tx.respond(Responses.to(request, r.status()).status(r.status(), r.reason()).build());
            }
            case BlindTransfer.Screened.Accepted a -> {
                transfer = new BlindTransfer(this, winner.dialog, winner.flow, winner.target.device(), request,
                        a.target(), ctx.clock().instant());
                tx.respond(Responses.to(request, 202).build()); // RFC 3515 §2.4.2
                transfer.start();
            }
        }
    }

    private boolean transferring(Branch branch) {
        return transfer != null && transfer.owns(branch);
    }

    /** A branch of the transfer: its own Call-ID on this lane, closed with the call. */
    Branch transferBranch(Target target) {
        Branch b = new Branch(this, target, ctx.stack().newCallId(lane));
        index(b.callId);
        branches.add(b);
        return b;
    }

    boolean callerMediaJoinable(PeerMedia peer) {
        return peer != null && callerMedia.joinable(peer);
    }

    /**
     * The target answered: the caller's endpoint (the anchor the transferee already sends to) is bridged to the
     * target's, the original call is recorded as transferred, and this call goes on as a new one between the
     * transferee and the target.
     */
    void transferCompleted(BlindTransfer t, Branch to) {
        ctx.media().bridge(callerMedia.endpoint(), to.media.endpoint());
        Branch from = winner;
        String was = id;
        recordTransferred();
        winner = to;
        calleeMedia = to.media;
        from.media.close();
        id = CallIds.next();
        dialled = t.number();
        startedAt = t.requestedAt();
        calleeUser = to.target.device().owner();
        answeredBy = to.target.device().sipUsername();
        answeringUser = to.target.device().owner();
        answeredAt = ctx.clock().instant();
        updateSecurity();
        LOG.debug("call {} transferred to {}: now call {}", was, to, id);
        CallRecorder.started(id, callerInvite.callId(), caller.number(), dialled, 1);
        CallRecorder.answered(id, callerInvite.callId(), answeredBy);
        ctx.calls().indexFlow(to.flow, this);
        ctx.calls().answered(this);
    }

    /** The target failed and the transferor is still there: the original call goes on. */
    void transferEnded(BlindTransfer t) {
        updateSecurity();
    }

    /** The target failed after the transferor hung up: nobody is left for the transferee. */
    void transferFailedAlone() {
        end(Cause.ANSWERED_CALLEE_HANGUP, true, false, null);
    }

    /** The original call's CDR, cause {@code transferred}; its endpoints stay open for the call that goes on. */
    private void recordTransferred() {
        LegRecord callerLeg = legRecord(callerMedia);
        LegRecord calleeLeg = legRecord(calleeMedia);
        boolean encryptedAllLegs = callerMedia.security().encrypted() && calleeMedia.security().encrypted();
        CallRecord cdr = new CallRecord(id, callerInvite.callId(), caller.number(), dialled, answeredBy, startedAt,
                answeredAt, ctx.clock().instant(), 200, Cause.TRANSFERRED.text(), callerLeg, calleeLeg,
                encryptedAllLegs, caller.device().owner(), calleeUser, answeringUser);
        CallRecorder.ended(ctx, cdr);
        ctx.calls().ended(view(), cdr);
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
        updateSecurity(); // a re-INVITE or UPDATE may have changed a leg's protection
    }

    /** An event of one of this call's endpoints, on the call's lane. */
    public void onMediaEvent(MediaEvent event) {
        boolean up = state == State.ANSWERED || state == State.CONFIRMED;
        MediaLeg leg = legOf(event.endpoint());
        switch (event) {
            case MediaEvent.MediaTimeout t when up && leg != null -> {
                LOG.info("call {}: no media on {} for the media timeout; ending the call", id, t.endpoint());
                end(Cause.MEDIA_TIMEOUT, true, true, MEDIA_TIMEOUT);
            }
            case MediaEvent.WebRtcConnected c -> {
                // a browser callee may finish DTLS before Parley has taken its 200 OK: look among the branches too
                MediaLeg connected = leg != null ? leg : branches.stream().map(b -> b.media)
                        .filter(m -> c.endpoint().equals(m.endpoint())).findFirst().orElse(null);
                if (connected != null) {
                    connected.dtlsConnected(c.suite());
                    updateSecurity();
                }
            }
            // A browser that went away or whose DTLS failed ends the call: BYE with a Reason on both legs (the
            // browser's WebSocket may still be open and its user must see the call end too).
            case MediaEvent.ConsentExpired x when up && leg != null -> {
                LOG.info("call {}: the browser on {} lost ICE consent; ending the call", id, x.endpoint());
                end(Cause.MEDIA_TIMEOUT, true, true, CONSENT_EXPIRED);
            }
            case MediaEvent.DtlsFailed f when up && leg != null -> {
                // A browser that hangs up sends its BYE over the WebSocket and its DTLS close_notify over UDP at
                // the same moment; give the BYE a head start so the call ends as the hang-up it is.
                lane.schedule(DTLS_FAILURE_GRACE, () -> {
                    if (state == State.ANSWERED || state == State.CONFIRMED) {
                        LOG.info("call {}: DTLS-SRTP failed on {} ({}); ending the call", id, f.endpoint(),
                                f.reason());
                        end(Cause.FAILED, true, true, DTLS_FAILED);
                    }
                });
            }
            default -> {
            }
        }
    }

    /** The caller's or the answered callee's leg whose endpoint is {@code endpoint}, or null. */
    private MediaLeg legOf(dev.parley.mediaapi.EndpointId endpoint) {
        if (endpoint.equals(callerMedia.endpoint())) {
            return callerMedia;
        }
        return calleeMedia != null && endpoint.equals(calleeMedia.endpoint()) ? calleeMedia : null;
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
        if (transfer != null) {
            transfer.abandon();
        }
        if (okRetransmitter != null) {
            okRetransmitter.stop();
        }
        // RFC 3261 §13.2.2.4, §15: every 2xx Parley received is ACKed before the BYE that ends its dialog, even
        // when the BYE came from the other leg ahead of the ACK Parley's own ACK was waiting for
        if (calleeAckWaiting) {
            calleeAckWaiting = false;
            winner.ack(winner.dialog, null, null);
        }
        if (inviteRelay != null) {
            inviteRelay.settle();
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
        if (dialog.state() == dev.parley.sipstack.dialog.DialogState.TERMINATED) {
            return; // a transferor that already hung up
        }
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

    /**
     * Writes the CDR, with each leg's security and packet counts read from the media plane before its endpoint
     * closes; then closes every endpoint of the call (caller, every branch).
     */
    private void record(int status, Cause cause) {
        ctx.calls().remove(this, callIds);
        String by = answeredAt == null ? null : answeredBy;
        LegRecord callerLeg = legRecord(callerMedia);
        LegRecord calleeLeg = answeredAt == null || calleeMedia == null ? null : legRecord(calleeMedia);
        boolean encryptedAllLegs = calleeLeg != null && callerMedia.security().encrypted()
                && calleeMedia.security().encrypted();
        callerMedia.close();
        for (Branch b : branches) {
            b.media.close();
        }
        for (EndpointId e : endpoints) {
            ctx.calls().removeEndpoint(e, this);
        }
        CallRecord cdr = new CallRecord(id, callerInvite.callId(), caller.number(), dialled, by, startedAt,
                answeredAt, ctx.clock().instant(), status, cause.text(), callerLeg, calleeLeg, encryptedAllLegs,
                caller.device().owner(), calleeUser, by == null ? null : answeringUser);
        CallRecorder.ended(ctx, cdr);
        ctx.calls().ended(view(), cdr);
        for (Branch b : branches) {
            b.settle();
        }
    }

    private static LegRecord legRecord(MediaLeg leg) {
        EndpointStats stats = leg.stats();
        return new LegRecord(leg.policy().signalling().name(), leg.security().mediaText(),
                stats == null ? 0 : stats.packetsReceived(), stats == null ? 0 : stats.packetsSent());
    }

    // ---- helpers ----

    private Address ourContact(Flow flow) {
        return Address.of(ctx.stack().contactUri(null, flow.transport()));
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
