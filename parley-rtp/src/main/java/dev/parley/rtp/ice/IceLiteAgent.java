package dev.parley.rtp.ice;

import dev.parley.common.Scheduler;
import dev.parley.rtp.PacketBuffer;
import dev.parley.rtp.stun.StunClass;
import dev.parley.rtp.stun.StunKey;
import dev.parley.rtp.stun.StunKey.IntegrityCheck;
import dev.parley.rtp.stun.StunMessage;
import dev.parley.rtp.stun.StunStatus;
import dev.parley.rtp.stun.StunWriter;
import dev.parley.rtp.stun.TransportAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Objects;

/**
 * The ICE-lite agent of one media endpoint (one component: RTP and RTCP are multiplexed, as WebRTC requires).
 * Parley has only host candidates and never sends checks (RFC 8445 §2.5); the browser is the full, controlling
 * agent. For every Binding request from the browser, {@link #receive} decides and writes the answer:
 *
 * <ol>
 *   <li>Authenticate (RFC 8489 §9.1.3, RFC 8445 §7.3): USERNAME must be {@code localUfrag:remoteUfrag} and
 *       MESSAGE-INTEGRITY (or -SHA256) must verify with the local password. Missing → 400; wrong → 401.
 *       Neither error carries integrity (there is no key to sign with that the peer has proven to know).</li>
 *   <li>Unknown comprehension-required attributes → 420 (RFC 8489 §6.3.1).</li>
 *   <li>Role (RFC 8445 §7.3.1.1): a lite agent is always controlled (§6.1.1). If the request says ICE-CONTROLLED,
 *       both sides think they are controlled; a full agent would compare tie-breakers and might switch to
 *       controlling, which a lite agent cannot do, so Parley always answers 487 and keeps its role: RFC 8445
 *       §7.2.5.1 makes the full peer switch to controlling on receiving 487.</li>
 *   <li>Otherwise success with XOR-MAPPED-ADDRESS = the request's source, signed with the same algorithm the
 *       request used, and FINGERPRINT (RFC 8445 §7.3.1 / §5.1.2).</li>
 * </ol>
 *
 * <p><b>Nomination.</b> A successful check with USE-CANDIDATE nominates its pair (RFC 8445 §7.3.1.5), and the
 * pair nominated last is the selected one. RFC 8445 §8.1.1 has a controlling agent nominate once and, should several
 * pairs be nominated, both sides use the highest priority; but a browser keeps choosing for the whole call. Chromium,
 * controlling against a lite peer, puts USE-CANDIDATE on the checks of the one pair it sends media on (its selected,
 * writable connection) and moves to another pair when checks on the first go unanswered or a better one becomes
 * writable: the last nomination is the one in force, as ICE renomination (draft-thatcher-ice-renomination) makes
 * explicit. Keeping the highest-priority pair instead sent media to a path the browser had left until that pair's
 * consent ran out (up to 30 s of one-way audio after a network change; on loopback, Chromium moving from its
 * 192.0.2.x socket to its 127.0.0.1 one left Parley sending to the first). A check without USE-CANDIDATE refreshes
 * its pair's consent and never moves the selection.
 *
 * <p><b>Media moves the selection too</b> ({@link #mediaFrom}). Chromium switches its selected connection first and
 * nominates it with its next check on it, up to 2.5 s later (its ping interval on a stable connection); until then
 * Parley would send into the path the browser left. RFC 8445 §12.1 has an agent accept media on any valid pair, and
 * a browser sends media on its selected pair only: authenticated media from another valid pair with fresh consent
 * therefore makes that pair the selected one at once, as libwebrtc does itself when it is the controlled agent
 * (it switches on data received). Only media that passed SRTP authentication and the replay check counts, and only
 * from an address that passed a check: neither a spoofer nor a replay can move the selection.
 * {@link Listener#onPairSelected} fires whenever the selection changes; the media plane then sends to that address.
 *
 * <p><b>Consent</b> (RFC 7675): a lite agent sends no consent checks of its own, but the browser keeps checking
 * every ~5 s and each valid check refreshes the pair it arrived on. When the selected pair goes
 * {@code consentTimeout} without one, it is dropped; the fresh pair nominated last is selected if there is one,
 * else {@link Listener#onConsentExpired} fires once and the agent stops (every later datagram is {@code CLOSED}):
 * RFC 7675 §5.1 says media must stop, and only an ICE restart (a new agent) brings it back. Consent is watched only
 * once a pair was selected; how long to wait for the first check is the caller's business (ringing can be long).
 *
 * <p>Security: nothing is remembered about a source before its request authenticated (a spoofer cannot fill the
 * pair table or move the selection), and the unauthenticated 400/401 answers are no larger than the request, so
 * the port is no amplifier. Not thread-safe: an agent belongs to its endpoint's event loop, which must also be the
 * {@link Scheduler} that runs its timer.
 */
public final class IceLiteAgent {

    /** Events of one agent, delivered on its event loop. */
    public interface Listener {
        /**
         * A check from {@code remote} authenticated for the first time (its pair is now valid). RFC 8445 §12.1:
         * media and DTLS may arrive on any valid pair, and Chromium sends its DTLS ClientHello right after its
         * first successful check, before the check that nominates: route {@code remote} to this endpoint now.
         */
        default void onPairValidated(TransportAddress remote) {
        }

        /** The selected pair changed: send media to {@code remote} (the local side is the socket the check came in on). */
        void onPairSelected(TransportAddress remote);

        /** The selected pair lost consent and no other nominated pair is fresh: stop sending; the agent is closed. */
        void onConsentExpired(TransportAddress remote);
    }

    /** Where the agent is in its life. */
    public enum State {
        /** Answering checks; no pair nominated yet. */
        WAITING,
        /** A pair is selected; consent is being watched. */
        SELECTED,
        /** Consent expired or {@link #close()} was called: nothing more is answered. */
        CLOSED
    }

    private static final byte[] BAD_REQUEST = ascii("Bad Request");
    private static final byte[] UNAUTHENTICATED = ascii("Unauthenticated");
    private static final byte[] UNKNOWN_ATTRIBUTE = ascii("Unknown Attribute");
    private static final byte[] ROLE_CONFLICT = ascii("Role Conflict");

    private final IceCredentials local;
    private final long consentNanos;
    private final Scheduler scheduler;
    private final Listener listener;
    private final StunKey key;
    private final byte[] usernamePrefix;
    private final StunMessage request = new StunMessage();
    private final StunWriter writer = new StunWriter();
    private final Pair[] pairs;
    private byte[] remoteUfrag;
    private Pair selected;
    private Scheduler.Timer consentTimer;
    private State state = State.WAITING;

    /** One remote address that passed a check. Mutable and reused: the table never grows past {@code maxPairs}. */
    private static final class Pair {
        TransportAddress remote;
        long lastCheck;
        boolean nominated;
        /** When the last check with USE-CANDIDATE came on this pair. */
        long nominatedAt;
    }

    public IceLiteAgent(IceCredentials local, IceLiteSettings settings, Scheduler scheduler, Listener listener) {
        this.local = Objects.requireNonNull(local, "local");
        this.consentNanos = settings.consentTimeout().toNanos();
        this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
        this.listener = Objects.requireNonNull(listener, "listener");
        this.key = StunKey.shortTerm(local.password());
        this.usernamePrefix = ascii(local.ufrag() + ":");
        this.pairs = new Pair[settings.maxPairs()];
        for (int i = 0; i < pairs.length; i++) {
            pairs[i] = new Pair();
        }
    }

    public IceCredentials localCredentials() {
        return local;
    }

    /**
     * The peer's {@code a=ice-ufrag} (RFC 8839 §5.4), once its SDP is known. Until then any remote part of the
     * USERNAME is accepted, because the browser's checks may overtake the SIP answer that carries it; the
     * integrity check with the local password is what authenticates either way.
     */
    public void remoteUfrag(String ufrag) {
        Objects.requireNonNull(ufrag, "ufrag");
        this.remoteUfrag = ascii(ufrag);
    }

    public State state() {
        return state;
    }

    /** The selected remote address, or null before a nomination. */
    public TransportAddress selected() {
        return selected == null ? null : selected.remote;
    }

    /**
     * Authenticated media (SRTP past its authentication tag and replay window) came from {@code source}: when that
     * is a valid pair with fresh consent other than the selected one, the browser has moved its media there and
     * it becomes the selected pair (see the class comment). Nothing happens before a nomination, for an address
     * that never passed a check, or for one whose consent ran out.
     */
    public void mediaFrom(TransportAddress source) {
        if (state != State.SELECTED || selected.remote.equals(source)) {
            return;
        }
        long now = scheduler.nanoTime();
        for (Pair p : pairs) {
            if (p.remote != null && p.remote.equals(source)) {
                if (fresh(p, now)) {
                    select(p, now);
                }
                return;
            }
        }
    }

    /** Stops the agent: cancels the consent timer; later datagrams are {@link IceCheckOutcome#CLOSED}. */
    public void close() {
        state = State.CLOSED;
        cancelTimer();
    }

    /**
     * Handles one STUN datagram from {@code source}. When the outcome {@link IceCheckOutcome#hasResponse()}, the
     * response is in {@code response} (written from its offset, length set) and must be sent to {@code source}.
     * {@code response} needs at most 108 octets of capacity (the largest answer, a 420 listing 8 attribute types
     * signed with MESSAGE-INTEGRITY-SHA256, is 20 + 24 + 20 + 36 + 8; an IPv6 success is at most 88); with less,
     * nothing is answered.
     */
    public IceCheckOutcome receive(byte[] array, int offset, int length, TransportAddress source,
            PacketBuffer response) {
        if (state == State.CLOSED) {
            return IceCheckOutcome.CLOSED;
        }
        if (request.wrap(array, offset, length) != StunStatus.OK) {
            return IceCheckOutcome.MALFORMED;
        }
        StunClass messageClass = request.messageClass();
        if (messageClass == StunClass.INDICATION) {
            return IceCheckOutcome.INDICATION;
        }
        if (messageClass != StunClass.REQUEST || request.method() != StunMessage.BINDING) {
            return IceCheckOutcome.IGNORED;
        }
        if (!request.hasUsername() || !request.hasMessageIntegrity() && !request.hasMessageIntegritySha256()) {
            return error(response, 400, BAD_REQUEST, null, IceCheckOutcome.BAD_REQUEST_ANSWERED);
        }
        IntegrityCheck integrity;
        if (!usernameMatches() || !(integrity = key.verify(request)).ok()) {
            return error(response, 401, UNAUTHENTICATED, null, IceCheckOutcome.UNAUTHENTICATED_ANSWERED);
        }
        if (request.unknownRequiredCount() > 0) {
            return error(response, 420, UNKNOWN_ATTRIBUTE, integrity, IceCheckOutcome.UNKNOWN_ATTRIBUTE_ANSWERED);
        }
        if (request.hasIceControlled()) {
            return error(response, 487, ROLE_CONFLICT, integrity, IceCheckOutcome.ROLE_CONFLICT_ANSWERED);
        }
        writer.beginResponse(response, request, StunClass.SUCCESS_RESPONSE).xorMappedAddress(source);
        sign(integrity);
        if (!writer.fingerprint().finish(response)) {
            return IceCheckOutcome.MALFORMED;
        }
        validCheck(source, request.hasUseCandidate());
        return IceCheckOutcome.ANSWERED;
    }

    private IceCheckOutcome error(PacketBuffer response, int code, byte[] reason, IntegrityCheck integrity,
            IceCheckOutcome outcome) {
        writer.beginResponse(response, request, StunClass.ERROR_RESPONSE).errorCode(code, reason, 0, reason.length);
        if (code == 420) {
            writer.unknownAttributes(request);
        }
        if (integrity != null) {
            sign(integrity);
        }
        return writer.fingerprint().finish(response) ? outcome : IceCheckOutcome.MALFORMED;
    }

    /** RFC 8489 §9.1.4: the response uses the integrity algorithm the request used. */
    private void sign(IntegrityCheck integrity) {
        if (integrity == IntegrityCheck.OK_SHA256) {
            writer.messageIntegritySha256(key);
        } else {
            writer.messageIntegrity(key);
        }
    }

    /** RFC 8445 §7.3: USERNAME is "local ufrag ':' remote ufrag", compared octet by octet. */
    private boolean usernameMatches() {
        byte[] a = request.array();
        int at = request.usernameOffset();
        int n = request.usernameLength();
        int prefix = usernamePrefix.length;
        if (n <= prefix) {
            return false;
        }
        for (int i = 0; i < prefix; i++) {
            if (a[at + i] != usernamePrefix[i]) {
                return false;
            }
        }
        if (remoteUfrag == null) {
            return true;
        }
        if (n - prefix != remoteUfrag.length) {
            return false;
        }
        for (int i = 0; i < remoteUfrag.length; i++) {
            if (a[at + prefix + i] != remoteUfrag[i]) {
                return false;
            }
        }
        return true;
    }

    /** A check from {@code source} authenticated: refresh its consent; a nomination selects its pair. */
    private void validCheck(TransportAddress source, boolean useCandidate) {
        long now = scheduler.nanoTime();
        Pair pair = pairFor(source, now);
        boolean isNew = pair.lastCheck == Long.MIN_VALUE;
        pair.lastCheck = now;
        if (useCandidate) {
            pair.nominated = true;
            pair.nominatedAt = now;
        }
        if (isNew) {
            listener.onPairValidated(source);
        }
        if (useCandidate && pair != selected) {
            select(pair, now);
        }
    }

    private Pair pairFor(TransportAddress source, long now) {
        Pair free = null;
        Pair oldest = null;
        for (Pair p : pairs) {
            if (p.remote == null) {
                free = free == null ? p : free;
            } else if (p.remote.equals(source)) {
                return p;
            } else if (p != selected && (oldest == null || p.lastCheck < oldest.lastCheck)) {
                oldest = p;
            }
        }
        // maxPairs >= 2, so a full table always has an unselected pair to forget.
        Pair pair = free != null ? free : oldest;
        pair.remote = source;
        pair.nominated = false;
        pair.lastCheck = Long.MIN_VALUE; // new: the caller reports it validated
        return pair;
    }

    private boolean fresh(Pair p, long now) {
        return p.remote != null && now - p.lastCheck < consentNanos;
    }

    private void select(Pair pair, long now) {
        selected = pair;
        state = State.SELECTED;
        armConsentTimer(now);
        listener.onPairSelected(pair.remote);
    }

    /** The selected pair lost consent: the fresh pair the browser nominated last, if any, takes over. */
    private void reselectAfterConsentLoss(long now) {
        Pair latest = null;
        for (Pair p : pairs) {
            if (p.nominated && fresh(p, now) && (latest == null || p.nominatedAt > latest.nominatedAt)) {
                latest = p;
            }
        }
        if (latest != null) {
            select(latest, now);
        }
    }

    private void armConsentTimer(long now) {
        cancelTimer();
        long due = selected.lastCheck + consentNanos;
        consentTimer = scheduler.schedule(Duration.ofNanos(Math.max(0, due - now)), this::consentCheck);
    }

    /** RFC 7675 §5.1: the selected pair must have had a valid check within the consent timeout. */
    private void consentCheck() {
        consentTimer = null;
        if (state != State.SELECTED || selected == null) {
            return;
        }
        long now = scheduler.nanoTime();
        if (fresh(selected, now)) {
            armConsentTimer(now);
            return;
        }
        Pair lost = selected;
        TransportAddress lostRemote = lost.remote;
        lost.remote = null;
        lost.nominated = false;
        selected = null;
        reselectAfterConsentLoss(now);
        if (selected == null) {
            state = State.CLOSED;
            listener.onConsentExpired(lostRemote);
        }
    }

    private void cancelTimer() {
        if (consentTimer != null) {
            consentTimer.cancel();
            consentTimer = null;
        }
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    @Override
    public String toString() {
        return "IceLiteAgent[ufrag=" + local.ufrag() + ", state=" + state + ", selected=" + selected() + "]";
    }
}
