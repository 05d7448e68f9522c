package dev.parley.pbx.call;

import dev.parley.pbx.media.LegPolicy;
import dev.parley.pbx.media.MediaLeg;
import dev.parley.pbx.routing.Target;
import dev.parley.sip.codec.SipSerializer;
import dev.parley.sip.header.HeaderField;
import dev.parley.sip.header.HeaderName;
import dev.parley.sip.header.HeaderType;
import dev.parley.sip.header.MediaType;
import dev.parley.sip.header.Reason;
import dev.parley.sip.message.Body;
import dev.parley.sip.message.Headers;
import dev.parley.sip.message.SipMethod;
import dev.parley.sip.message.SipRequest;
import dev.parley.sip.message.SipResponse;
import dev.parley.sipstack.SipStack;
import dev.parley.sipstack.dialog.Dialog;
import dev.parley.sipstack.dialog.Tags;
import dev.parley.sipstack.flow.Flow;
import dev.parley.sipstack.transaction.ClientTransaction;
import dev.parley.sipstack.transaction.DerivedMessages;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One callee branch of a call: the client INVITE to one registered contact, on the flow that contact registered
 * from, with a Call-ID of its own on the call's lane. It reports to its {@link Call}, and knows how to CANCEL itself
 * (RFC 3261 §9.1: only after a provisional response) and how to ACK a 2xx, or ACK and BYE one that came too late.
 */
final class Branch implements ClientTransaction.Listener {
    /** Null once the call has ended and this branch has its final response ({@link #settle}). */
    private Call call;
    private final SipStack stack;
    final Target target;
    final String callId;
    final String fromTag = Tags.newTag();
    Flow flow;
    SipRequest invite;
    /** The dialog this branch confirmed, when it won. */
    Dialog dialog;
    /** This branch's leg through Parley's media plane; null once {@link #settle}d (the call has closed it). */
    MediaLeg media;
    private boolean provisional;
    private boolean cancelWanted;
    private boolean cancelSent;
    private Reason cancelReason;
    private boolean finished;
    /**
     * The ACK sent for the first 2xx, serialised, and that 2xx's To tag: a retransmitted 2xx gets the same bytes
     * again (RFC 3261 §13.2.2.4). Nearly every branch has one 2xx; the ACKs of other forks go to {@link #moreAcks}.
     * Why not one map for all: a settled branch waits up to 32 s (RFC 6026 Timer M) with its ACKs, and an empty
     * map, its table and its node were more than the ACK's own bytes' overhead, per call, copied by every young
     * collection.
     */
    private String ackTag;
    private byte[] ack;
    /** The ACKs of further 2xx by To tag (another fork); null until one comes. */
    private Map<String, byte[]> moreAcks;

    Branch(Call call, Target target, String callId) {
        this.call = call;
        this.stack = call.stack();
        this.target = target;
        this.callId = callId;
        CallContext ctx = call.context();
        this.media = new MediaLeg(ctx.media(), ctx.random(),
                new LegPolicy(target.device().mediaPolicy(), target.binding().receivedFrom().transport()));
    }

    /**
     * Opens the branch's media endpoint, finds the flow to the contact, then sends the INVITE. A {@code required}
     * device registered over signalling that cannot carry SDES keys is not rung: the branch fails with 488.
     */
    void start() {
        if (media.policy().requiresSrtp() && !media.policy().maySendKeys()) {
            call.lane().execute(() -> {
                finished = true;
                call.onBranchFailed(this, 488);
            });
            return;
        }
        call.open(media, "branch-" + callId, this::findFlow, () -> {
            finished = true;
            call.onBranchFailed(this, 503);
        });
    }

    private void findFlow() {
        if (cancelWanted || !call.mayRing(this)) {
            finished = true;
            media.close();
            return;
        }
        call.branchMediaOpened(this);
        var received = target.binding().receivedFrom();
        stack.flowTo(received.transport(), received.remote())
                .whenComplete((f, error) -> call.lane().execute(() -> onFlow(f, error)));
    }

    private void onFlow(Flow f, Throwable error) {
        if (cancelWanted || !call.mayRing(this)) {
            finished = true; // the call was decided before we could ring: send nothing
            media.close();
            return;
        }
        if (error != null) {
            finished = true;
            call.onBranchFailed(this, 503);
            return;
        }
        flow = f;
        invite = call.newBranchInvite(this, f);
        stack.sendRequest(invite, f, this);
    }

    boolean isFinished() {
        return finished;
    }

    /** Stops ringing this branch: CANCEL now if a provisional came, else as soon as one comes. */
    void cancel(Reason reason) {
        if (finished || cancelWanted) {
            return;
        }
        cancelWanted = true;
        cancelReason = reason;
        if (invite != null && provisional) {
            sendCancel();
        }
    }

    private void sendCancel() {
        cancelSent = true;
        SipRequest cancel = DerivedMessages.cancel(invite);
        if (cancelReason != null) {
            cancel = cancel.toBuilder().add(HeaderType.REASON, cancelReason).build();
        }
        stack.sendRequest(cancel, flow, Call.QUIET);
    }

    /** Sends the ACK for a 2xx of this branch's dialog {@code d}, with the SDP answer of a delayed offer if any. */
    void ack(Dialog d, MediaType type, Body body) {
        SipRequest.Builder b = d.ackFor2xx(invite).via(stack.newVia(flow.transport()));
        if (body != null && !body.isEmpty()) {
            b.body(type, body);
        }
        byte[] bytes = SipSerializer.serialize(b.build());
        String tag = d.remoteTag();
        if (ack == null || Objects.equals(tag, ackTag)) {
            ackTag = tag;
            ack = bytes;
        } else {
            if (moreAcks == null) {
                moreAcks = new HashMap<>(4);
            }
            moreAcks.put(tag, bytes);
        }
        flow.send(bytes);
    }

    /** Resends the ACK of a retransmitted 2xx; false when this To tag was never ACKed. */
    boolean reack(String toTag) {
        byte[] bytes = ack != null && Objects.equals(toTag, ackTag) ? ack
                : moreAcks == null ? null : moreAcks.get(toTag);
        if (bytes == null) {
            return false;
        }
        flow.send(bytes);
        return true;
    }

    /** RFC 3261 §13.2.2.4: a 2xx nobody wants any more (a late fork, a crossed CANCEL) is ACKed and ended. */
    void ackAndBye(SipResponse ok) {
        if (ok.to().tag() == null || reack(ok.to().tag())) {
            return;
        }
        Dialog d = Dialog.asUac(invite, ok);
        ack(d, null, null);
        SipRequest bye = d.newRequest(SipMethod.BYE).via(stack.newVia(flow.transport())).build();
        stack.sendRequest(bye, flow, Call.QUIET);
    }

    @Override
    public void onProvisional(ClientTransaction transaction, SipResponse response) {
        provisional = true;
        if (cancelWanted) {
            if (!cancelSent) {
                sendCancel();
            }
            return;
        }
        if (response.status() > 100) {
            call.onBranchProvisional(this, response);
        }
    }

    @Override
    public void onFinal(ClientTransaction transaction, SipResponse response) {
        finished = true;
        if (response.isSuccess()) {
            call.onBranchAnswered(this, response);
        } else {
            call.onBranchFailed(this, response.status());
        }
    }

    @Override
    public void onAdditional2xx(ClientTransaction transaction, SipResponse response) {
        Call c = call;
        if (c != null) {
            c.onBranchAdditional2xx(this, response);
        } else {
            ackAndBye(response); // the call is over: ACK again what was ACKed, ACK and end any other dialog
        }
    }

    /**
     * The call has ended: if this branch has had its final response, it lets go of the call. Its INVITE client
     * transaction still reports to it for up to 64·T1 = 32 s after a 2xx (RFC 6026 §8.4, Timer M), and through it
     * the whole call (both legs' media, messages, SDP) stayed live that long: about 20 KB per call of the last
     * 32 s, which every young collection copied again. All a retransmitted 2xx needs now is here: the ACK sent for
     * each To tag, and what of the INVITE, with the flow, ACKs and BYEs a late fork (RFC 3261 §13.2.2.4); the media
     * leg (closed by the call), the dialog and the rest of the INVITE (its SDP, its other headers) go too.
     */
    void settle() {
        if (finished) {
            call = null;
            media = null;
            dialog = null;
            if (invite != null) {
                invite = forLateForks(invite);
            }
        }
    }

    /**
     * What {@link #ackAndBye} reads of the INVITE: the Request-URI, From, Call-ID and CSeq that make a dialog with a
     * late 2xx (RFC 3261 §12.1.2) and the credentials its ACK repeats (§13.2.2.4).
     */
    private static SipRequest forLateForks(SipRequest invite) {
        List<HeaderField> kept = new ArrayList<>(5);
        for (HeaderField f : invite.headers()) {
            HeaderName n = f.name();
            if (n.equals(HeaderName.FROM) || n.equals(HeaderName.CALL_ID) || n.equals(HeaderName.CSEQ)
                    || n.equals(HeaderName.AUTHORIZATION) || n.equals(HeaderName.PROXY_AUTHORIZATION)) {
                kept.add(f);
            }
        }
        return SipRequest.of(invite.method(), invite.requestUri(), Headers.of(kept), Body.EMPTY);
    }

    @Override
    public void onTimeout(ClientTransaction transaction) {
        finished = true;
        call.onBranchFailed(this, 408);
    }

    @Override
    public void onTransportError(ClientTransaction transaction) {
        finished = true;
        call.onBranchFailed(this, 503);
    }

    @Override
    public String toString() {
        return "Branch[" + callId + " " + target.device().sipUsername() + "]";
    }
}
