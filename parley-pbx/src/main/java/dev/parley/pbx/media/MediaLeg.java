package dev.parley.pbx.media;

import dev.parley.mediaapi.Direction;
import dev.parley.mediaapi.EndpointId;
import dev.parley.mediaapi.EndpointParameters;
import dev.parley.mediaapi.EndpointStats;
import dev.parley.mediaapi.LocalMedia;
import dev.parley.mediaapi.MediaService;
import dev.parley.mediaapi.PayloadFormat;
import dev.parley.mediaapi.Protection;
import dev.parley.mediaapi.SrtpSuite;
import dev.parley.sdp.Origin;
import dev.parley.sdp.SessionDescription;
import dev.parley.sdp.attribute.Crypto;
import dev.parley.sdp.attribute.MediaDirection;
import java.security.SecureRandom;
import java.util.List;
import java.util.Objects;

/**
 * One leg of an anchored call as the media plane serves it: Parley's endpoint for that leg, Parley's SDP origin on
 * it (one session id, a version that goes up with every SDP Parley sends, RFC 3264 §8), the offer Parley has
 * outstanding on it, the peer's offer Parley has yet to answer, and what is configured now. Confined to the call's
 * lane; the endpoint id is the only thing other threads see (media events name it).
 *
 * <p>Keys: Parley's send key on a leg is made once, when Parley first offers or answers with SRTP on it, and kept
 * across re-INVITEs as long as the suite stays (RFC 4568 §7.1.4 allows either; keeping it avoids a gap while the
 * peer switches). The two legs never share a key: each leg makes its own.
 */
public final class MediaLeg {
    private final MediaService media;
    private final SdesKeys keys;
    private final SecureRandom random;
    private final LegPolicy policy;
    private LocalMedia local;
    private Origin origin;
    private boolean closed;
    /** Parley's offer on this leg awaiting the peer's answer. */
    private Negotiation.Offered offered;
    /** The peer's offer on this leg awaiting Parley's answer, and the SDP it came in. */
    private PeerMedia peerOffer;
    private SessionDescription peerOfferSdp;
    /** Parley's crypto lines on this leg, by tag, made once and reused. */
    private List<Crypto> sendCryptos;
    private EndpointParameters configured;
    private LegSecurity security;

    public MediaLeg(MediaService media, SecureRandom random, LegPolicy policy) {
        this.media = Objects.requireNonNull(media, "media");
        this.keys = new SdesKeys(random);
        this.random = random;
        this.policy = Objects.requireNonNull(policy, "policy");
        this.security = LegSecurity.plain(policy.signalling());
    }

    public LegPolicy policy() {
        return policy;
    }

    /**
     * The endpoint opened for this leg. Returns false (and closes it) when the leg was closed while it opened.
     */
    public boolean opened(LocalMedia endpoint) {
        if (closed) {
            media.close(endpoint.id());
            return false;
        }
        this.local = endpoint;
        long session = random.nextLong() >>> 1; // RFC 8866 §5.2: a positive number, unique is enough
        this.origin = Origin.of("parley", session, 1, endpoint.rtp().getAddress().getHostAddress());
        return true;
    }

    public boolean isOpen() {
        return local != null && !closed;
    }

    public EndpointId endpoint() {
        return local == null ? null : local.id();
    }

    /** What this leg's media is protected with now. */
    public LegSecurity security() {
        return security;
    }

    /** The peer's offer waiting for Parley's answer, if any. */
    public PeerMedia pendingPeerOffer() {
        return peerOffer;
    }

    // ---- Parley offers on this leg ----

    /**
     * Parley's offer to this leg's peer with {@code formats} (numbered as the other leg numbers them, so that a
     * codec keeps its payload type end to end where it can). Crypto lines when the policy and the signalling allow:
     * {@code RTP/SAVP} for a {@code required} leg, best-effort {@code RTP/AVP} with {@code a=crypto} for a
     * {@code preferred} one.
     */
    public SessionDescription offer(List<PayloadFormat> formats, MediaDirection direction, boolean rtcpMux) {
        List<Crypto> cryptos = policy.maySendKeys() ? sendCryptos() : List.of();
        offered = new Negotiation.Offered(formats, direction, cryptos);
        return Negotiation.offer(nextOrigin(), local, formats, direction, cryptos, policy.requiresSrtp(), rtcpMux);
    }

    /**
     * The peer answered Parley's offer: reads it under the policy and configures the endpoint. On refusal nothing
     * changes (the previous parameters stay).
     */
    public Negotiation.Reading takeAnswer(SessionDescription answer) {
        if (offered == null) {
            return new Negotiation.Reading.Refused(new Negotiation.Refusal(500, "no offer outstanding"));
        }
        Negotiation.Reading r = Negotiation.readAnswer(answer, offered, policy);
        if (r instanceof Negotiation.Reading.Usable u) {
            PeerMedia peer = u.media();
            Crypto send = peer.crypto() == null ? null : offered.cryptoFor(peer.crypto()).orElseThrow();
            configure(peer, peer.formats(), Negotiation.effective(offered.direction(), peer.direction()), send);
            if (send != null) {
                sendCryptos = List.of(send); // the peer chose this one; later offers on the leg carry it alone
            }
            offered = null;
        }
        return r;
    }

    // ---- the peer offers on this leg ----

    /** The peer's offer: read under the policy and kept until Parley answers it. */
    public Negotiation.Reading takeOffer(SessionDescription offer) {
        Negotiation.Reading r = Negotiation.readOffer(offer, policy);
        if (r instanceof Negotiation.Reading.Usable u) {
            peerOffer = u.media();
            peerOfferSdp = offer;
        }
        return r;
    }

    /**
     * Parley's answer to the pending peer offer when the other leg settled on {@code chosen} formats and
     * {@code otherDirection} (as the other peer wrote it): the formats mapped to this peer's numbering, the direction
     * the other peer allows narrowed by what this peer offered, and a key of the peer's suite under its tag. Then
     * the endpoint is configured. Null when the two legs share no codec.
     */
    public SessionDescription answer(List<PayloadFormat> chosen, MediaDirection otherDirection) {
        PeerMedia peer = Objects.requireNonNull(peerOffer, "no peer offer to answer");
        List<PayloadFormat> formats = Negotiation.mapFormats(chosen, peer.formats());
        if (formats.stream().allMatch(PayloadFormat::isTelephoneEvent)) {
            return null;
        }
        MediaDirection direction = otherDirection.intersect(peer.direction().reverse());
        Crypto send = null;
        if (peer.crypto() != null) {
            SrtpSuite suite = SdesKeys.usableSuite(peer.crypto()).orElseThrow();
            send = reusableKey(suite, peer.crypto().tag());
        }
        SessionDescription sdp = Negotiation.answer(peerOfferSdp, peer, nextOrigin(), local, formats, direction,
                send);
        configure(peer, formats, direction, send);
        peerOffer = null;
        peerOfferSdp = null;
        return sdp;
    }

    /** The formats and direction this leg settled on last (for the other leg's answer), or null. */
    public EndpointParameters configured() {
        return configured;
    }

    /** Counters from the media plane, or null when not open. */
    public EndpointStats stats() {
        return isOpen() ? media.stats(local.id()) : null;
    }

    /** Closes the endpoint (returns its ports). Idempotent; safe before the endpoint opened. */
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (local != null) {
            media.close(local.id());
        }
    }

    // ---- helpers ----

    private void configure(PeerMedia peer, List<PayloadFormat> formats, MediaDirection parleyDirection,
            Crypto send) {
        Protection receive = peer.crypto() == null ? Protection.none() : SdesKeys.protection(peer.crypto());
        Protection sending = send == null ? Protection.none() : SdesKeys.protection(send);
        configured = new EndpointParameters(peer.remoteRtp(), peer.remoteRtcp(), peer.rtcpMux(), formats,
                direction(parleyDirection), receive, sending);
        security = new LegSecurity(policy.signalling(),
                send == null || peer.crypto() == null ? null : SdesKeys.usableSuite(send).orElseThrow());
        if (isOpen()) {
            media.configure(local.id(), configured);
        }
    }

    private List<Crypto> sendCryptos() {
        if (sendCryptos == null) {
            sendCryptos = keys.offer();
        }
        return sendCryptos;
    }

    /** Parley's key for {@code suite} on this leg under {@code tag}: the one it already has, else a fresh one. */
    private Crypto reusableKey(SrtpSuite suite, int tag) {
        if (sendCryptos != null) {
            for (Crypto c : sendCryptos) {
                if (c.suite().equals(suite.sdesName())) {
                    Crypto retagged = c.tag() == tag ? c : new Crypto(tag, c.suite(), c.keyParams(), List.of());
                    sendCryptos = List.of(retagged);
                    return retagged;
                }
            }
        }
        Crypto fresh = keys.fresh(tag, suite);
        sendCryptos = List.of(fresh);
        return fresh;
    }

    private Origin nextOrigin() {
        Origin o = origin;
        origin = origin.withNextVersion();
        return o;
    }

    private static Direction direction(MediaDirection d) {
        return switch (d) {
            case SENDRECV -> Direction.SENDRECV;
            case SENDONLY -> Direction.SENDONLY;
            case RECVONLY -> Direction.RECVONLY;
            case INACTIVE -> Direction.INACTIVE;
        };
    }

    @Override
    public String toString() {
        return "MediaLeg[" + (local == null ? "opening" : local.id()) + " " + security + "]";
    }
}
