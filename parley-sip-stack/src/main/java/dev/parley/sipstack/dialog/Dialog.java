package dev.parley.sipstack.dialog;

import dev.parley.sip.header.Address;
import dev.parley.sip.header.CSeq;
import dev.parley.sip.header.HeaderField;
import dev.parley.sip.header.HeaderName;
import dev.parley.sip.header.HeaderType;
import dev.parley.sip.message.SipMethod;
import dev.parley.sip.message.SipRequest;
import dev.parley.sip.message.SipResponse;
import dev.parley.sip.uri.SipUri;
import dev.parley.sip.uri.Uri;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

/**
 * One dialog of a UA or of one B2BUA leg (RFC 3261 §12): the state that lets this side send requests inside the
 * dialog and judge the ones it receives.
 *
 * <ul>
 *   <li>{@link #asUac} builds it from the request this side sent and a 101–299 response with a To tag (§12.1.2):
 *       route set = Record-Route of the response, reversed; remote target = its Contact.</li>
 *   <li>{@link #asUas} builds it from the request this side received and the 101–299 response it sends, which
 *       carries this side's To tag (§12.1.1): route set = Record-Route of the request, as is; remote target = its
 *       Contact.</li>
 *   <li>{@link #newRequest} and {@link #ackFor2xx} build requests inside it (§12.2.1.1, §13.2.2.4); the caller adds
 *       the Via (and the Contact of a target refresh) and sends them.</li>
 *   <li>{@link #onRequest} checks and records a request received inside it (§12.2.2); {@link #onResponse} and
 *       {@link #onResponseSent} move its state on responses (§12.2.1.2, §13.2.2.4, §12.3).</li>
 * </ul>
 *
 * <p>Mutable and confined to the lane of its Call-ID.
 */
public final class Dialog {
    /** RFC 3261 §8.1.1.6. */
    private static final int MAX_FORWARDS = 70;
    private static final long EMPTY = -1;
    private static final long MAX_SEQUENCE = 0xFFFF_FFFFL;

    private final DialogId id;
    private final Address localAddress;
    private final Address remoteAddress;
    private final boolean secure;
    private DialogState state;
    private long localSequence;
    private long remoteSequence;
    private Uri remoteTarget;
    private List<Address> routeSet;

    private Dialog(DialogId id, Address localAddress, Address remoteAddress, boolean secure, DialogState state,
            long localSequence, long remoteSequence, Uri remoteTarget, List<Address> routeSet) {
        this.id = id;
        this.localAddress = localAddress;
        this.remoteAddress = remoteAddress;
        this.secure = secure;
        this.state = state;
        this.localSequence = localSequence;
        this.remoteSequence = remoteSequence;
        this.remoteTarget = remoteTarget;
        this.routeSet = routeSet;
    }

    /**
     * RFC 3261 §12.1.2: the dialog a response creates at the UAC. The secure flag is set when the Request-URI was a
     * {@code sips:} URI (which the transport layer only ever sends over TLS).
     *
     * @param request the request this side sent (an INVITE, or a SUBSCRIBE/REFER for RFC 6665 dialogs)
     * @param response a 101–299 response to it carrying a To tag
     * @throws IllegalArgumentException when the response cannot create a dialog
     */
    public static Dialog asUac(SipRequest request, SipResponse response) {
        requireDialogCreating(response);
        String localTag = request.from().tag();
        String remoteTag = response.to().tag();
        if (localTag == null || remoteTag == null) {
            throw new IllegalArgumentException("a dialog needs a From tag in the request and a To tag in the response: "
                    + response);
        }
        Uri target = contactUri(response);
        return new Dialog(new DialogId(request.callId(), localTag, remoteTag), request.from(), response.to(),
                isSips(request.requestUri()), response.isSuccess() ? DialogState.CONFIRMED : DialogState.EARLY,
                request.cseq().sequence(), EMPTY, target == null ? request.requestUri() : target,
                reversed(response.recordRoutes()));
    }

    /**
     * RFC 3261 §12.1.1: the dialog this side creates as UAS by answering {@code request} with {@code response}. The
     * secure flag is set when the Request-URI was a {@code sips:} URI (received over TLS, which the transport
     * layer enforces for {@code sips:}).
     *
     * @param request the dialog-creating request received
     * @param response the 101–299 response this side sends, with its own To tag
     * @throws IllegalArgumentException when the response cannot create a dialog
     */
    public static Dialog asUas(SipRequest request, SipResponse response) {
        requireDialogCreating(response);
        String localTag = response.to().tag();
        if (localTag == null) {
            throw new IllegalArgumentException("the UAS must put its tag in the To of a dialog-creating response: "
                    + response);
        }
        Uri target = contactUri(request);
        return new Dialog(new DialogId(request.callId(), localTag, request.from().tag()), response.to(),
                request.from(), isSips(request.requestUri()),
                response.isSuccess() ? DialogState.CONFIRMED : DialogState.EARLY, EMPTY, request.cseq().sequence(),
                target == null ? request.from().uri() : target, List.copyOf(request.recordRoutes()));
    }

    /**
     * RFC 3261 §12.2.1.1: a request inside the dialog, with the local sequence number incremented. Request-URI and
     * Route come from the remote target and the route set, honouring a strict router (a first route without
     * {@code lr}); From, To (with tags), Call-ID, CSeq and Max-Forwards are set. The caller adds the Via with a fresh
     * branch, a Contact for target refresh requests, and any body.
     *
     * @throws IllegalArgumentException for ACK (use {@link #ackFor2xx}) and CANCEL (built from the request it
     *     cancels)
     * @throws IllegalStateException when the dialog has terminated
     */
    public SipRequest.Builder newRequest(String method) {
        if (SipMethod.ACK.equals(method) || SipMethod.CANCEL.equals(method)) {
            throw new IllegalArgumentException(method + " is not built with newRequest: an ACK for a 2xx comes from "
                    + "ackFor2xx, a CANCEL from the request it cancels");
        }
        if (state == DialogState.TERMINATED) {
            throw new IllegalStateException("dialog " + id + " has terminated");
        }
        // RFC 3261 §12.2.1.1: incremented by one; an empty one (UAS side) starts from an initial value (§8.1.1.5)
        long next = localSequence == EMPTY ? 1 : localSequence + 1;
        if (next > MAX_SEQUENCE) {
            throw new IllegalStateException("dialog " + id + " has used every CSeq number");
        }
        localSequence = next;
        return routed(method, next);
    }

    /**
     * RFC 3261 §13.2.2.4: the ACK for a 2xx to {@code invite}, built like any request in the dialog (§12.2.1.1) but
     * with the INVITE's CSeq number and the INVITE's credentials. It is its own transaction: the caller adds a Via
     * with a fresh branch and sends it straight on a flow.
     */
    public SipRequest.Builder ackFor2xx(SipRequest invite) {
        SipRequest.Builder b = routed(SipMethod.ACK, invite.cseq().sequence());
        for (HeaderField f : invite.headers()) {
            if (f.name().equals(HeaderName.AUTHORIZATION) || f.name().equals(HeaderName.PROXY_AUTHORIZATION)) {
                b.add(f.name(), f.value());
            }
        }
        return b;
    }

    /**
     * RFC 3261 §12.2.2: records a request received inside the dialog, or says why it must be rejected. A CSeq lower
     * than the remote sequence number is out of order (500); otherwise the remote sequence number becomes the
     * request's, and a target refresh request with a Contact replaces the remote target. ACK and CANCEL carry the
     * CSeq number of their INVITE and are not checked.
     */
    public RequestCheck onRequest(SipRequest request) {
        if (request.isMethod(SipMethod.ACK) || request.isMethod(SipMethod.CANCEL)) {
            return RequestCheck.ACCEPTED;
        }
        long sequence = request.cseq().sequence();
        if (remoteSequence != EMPTY && sequence < remoteSequence) {
            return RequestCheck.OUT_OF_ORDER;
        }
        remoteSequence = sequence;
        if (isTargetRefresh(request.method())) {
            // RFC 3261 §12.2.2: "replace the dialog's remote target URI with the URI from the Contact header field"
            Uri target = contactUri(request);
            if (target != null) {
                remoteTarget = target;
            }
        }
        return RequestCheck.ACCEPTED;
    }

    /**
     * A response received to a request this side sent inside the dialog, or to the request that created it (UAC).
     * <ul>
     *   <li>a 2xx to the INVITE of an early dialog confirms it and recomputes the route set from the 2xx
     *       (RFC 3261 §13.2.2.4);</li>
     *   <li>a 2xx to a target refresh request (re-INVITE, UPDATE, SUBSCRIBE, NOTIFY) replaces the remote target with
     *       its Contact (§12.2.1.2);</li>
     *   <li>a 481 or 408 terminates the dialog (§12.2.1.2), as does a non-2xx final response to the INVITE of an
     *       early dialog (§12.3).</li>
     * </ul>
     */
    public void onResponse(SipRequest request, SipResponse response) {
        if (state == DialogState.TERMINATED) {
            return;
        }
        boolean invite = request.isMethod(SipMethod.INVITE);
        if (response.isSuccess()) {
            if (state == DialogState.EARLY && invite) {
                state = DialogState.CONFIRMED;
                routeSet = reversed(response.recordRoutes());
            }
            if (isTargetRefresh(request.method())) {
                Uri target = contactUri(response);
                if (target != null) {
                    remoteTarget = target;
                }
            }
        } else if (response.isFinal()) {
            int status = response.status();
            if (status == 481 || status == 408 || (state == DialogState.EARLY && invite)) {
                state = DialogState.TERMINATED;
            }
        }
    }

    /**
     * A response this side sent (UAS) to the request that created the dialog: a 2xx confirms an early dialog, a
     * 300–699 ends it (RFC 3261 §12.3).
     */
    public void onResponseSent(SipRequest request, SipResponse response) {
        if (state != DialogState.EARLY || !request.isMethod(SipMethod.INVITE) || response.isProvisional()) {
            return;
        }
        state = response.isSuccess() ? DialogState.CONFIRMED : DialogState.TERMINATED;
    }

    /** Ends the dialog (BYE sent or received, a timeout, the TU's decision). */
    public void terminate() {
        state = DialogState.TERMINATED;
    }

    public DialogId id() {
        return id;
    }

    public String callId() {
        return id.callId();
    }

    public String localTag() {
        return id.localTag();
    }

    public String remoteTag() {
        return id.remoteTag();
    }

    public DialogState state() {
        return state;
    }

    public boolean isEarly() {
        return state == DialogState.EARLY;
    }

    public boolean isConfirmed() {
        return state == DialogState.CONFIRMED;
    }

    /** The last CSeq number this side used in the dialog, or -1 while empty (a UAS that has sent nothing). */
    public long localSequence() {
        return localSequence;
    }

    /** The last CSeq number the peer used in the dialog, or -1 while empty (a UAC that has received nothing). */
    public long remoteSequence() {
        return remoteSequence;
    }

    /** This side's address with its tag: the From of requests this side sends in the dialog. */
    public Address localAddress() {
        return localAddress;
    }

    /** The peer's address with its tag: the To of requests this side sends in the dialog. */
    public Address remoteAddress() {
        return remoteAddress;
    }

    public Uri localUri() {
        return localAddress.uri();
    }

    public Uri remoteUri() {
        return remoteAddress.uri();
    }

    /** Where requests in the dialog go: the peer's Contact, as last refreshed. */
    public Uri remoteTarget() {
        return remoteTarget;
    }

    /** The route set in the order requests carry it, each entry with its parameters. */
    public List<Address> routeSet() {
        return routeSet;
    }

    public boolean isSecure() {
        return secure;
    }

    @Override
    public String toString() {
        return "Dialog[" + id + ' ' + state + ']';
    }

    /** Request-URI and Route per RFC 3261 §12.2.1.1, then the dialog's identifying headers. */
    private SipRequest.Builder routed(String method, long sequence) {
        Uri requestUri;
        List<Address> routes;
        if (routeSet.isEmpty()) {
            requestUri = asRequestUri(remoteTarget);
            routes = List.of();
        } else if (routeSet.get(0).uri() instanceof SipUri first && !first.lr()) {
            // RFC 3261 §12.2.1.1, strict router: its URI becomes the Request-URI, stripped of what a Request-URI
            // may not hold; the rest of the route set follows and the remote target goes last
            requestUri = asRequestUri(first);
            routes = new ArrayList<>(routeSet.subList(1, routeSet.size()));
            routes.add(Address.of(remoteTarget));
        } else {
            requestUri = asRequestUri(remoteTarget);
            routes = routeSet;
        }
        SipRequest.Builder b = SipRequest.builder(method, requestUri)
                .maxForwards(MAX_FORWARDS)
                .from(localAddress)
                .to(remoteAddress)
                .callId(id.callId())
                .cseq(new CSeq(sequence, method));
        for (Address route : routes) {
            b.add(HeaderType.ROUTE, route);
        }
        return b;
    }

    /** RFC 3261 §19.1.1 (Table 1): a Request-URI carries neither the {@code method} parameter nor headers. */
    private static Uri asRequestUri(Uri uri) {
        if (uri instanceof SipUri s) {
            return s.withoutHeaders().withoutParameter("method");
        }
        return uri;
    }

    /** RFC 3261 §12.1.2: "the route set MUST be set to the list of URIs in the Record-Route ... in reverse order". */
    private static List<Address> reversed(List<Address> recordRoutes) {
        List<Address> r = new ArrayList<>(recordRoutes);
        Collections.reverse(r);
        return List.copyOf(r);
    }

    private static Uri contactUri(dev.parley.sip.message.SipMessage message) {
        List<Address> contacts = message.contacts();
        if (contacts.isEmpty() || contacts.get(0).isWildcard()) {
            return null;
        }
        return contacts.get(0).uri();
    }

    private static boolean isSips(Uri uri) {
        return uri instanceof SipUri s && s.secure();
    }

    /**
     * Target refresh requests: re-INVITE (RFC 3261 §12.2), UPDATE (RFC 3311 §5.1), SUBSCRIBE and NOTIFY
     * (RFC 6665 §4.1.2.4, §4.2.1.4).
     */
    static boolean isTargetRefresh(String method) {
        return SipMethod.INVITE.equals(method) || SipMethod.UPDATE.equals(method)
                || SipMethod.SUBSCRIBE.equals(method) || SipMethod.NOTIFY.equals(method);
    }

    private static void requireDialogCreating(SipResponse response) {
        Objects.requireNonNull(response, "response");
        // RFC 3261 §12.1: 2xx and 101-199 with a To tag create dialogs; 100 never does
        if (response.status() <= 100 || response.status() >= 300) {
            throw new IllegalArgumentException("only a 101-299 response creates a dialog: " + response);
        }
    }
}
