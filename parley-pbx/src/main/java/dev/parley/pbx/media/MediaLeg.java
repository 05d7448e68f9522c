package dev.parley.pbx.media;

import dev.parley.common.IpLiteral;
import dev.parley.mediaapi.CertificateFingerprint;
import dev.parley.mediaapi.Direction;
import dev.parley.mediaapi.EndpointId;
import dev.parley.mediaapi.EndpointKind;
import dev.parley.mediaapi.EndpointParameters;
import dev.parley.mediaapi.IceCredentials;
import dev.parley.mediaapi.EndpointStats;
import dev.parley.mediaapi.LocalMedia;
import dev.parley.mediaapi.MediaService;
import dev.parley.mediaapi.PayloadFormat;
import dev.parley.mediaapi.Protection;
import dev.parley.mediaapi.SrtpSuite;
import dev.parley.sdp.MediaDescription;
import dev.parley.sdp.Origin;
import dev.parley.sdp.SessionDescription;
import dev.parley.sdp.attribute.CryptoSuite;
import dev.parley.sdp.attribute.Fingerprint;
import dev.parley.sdp.attribute.MediaDirection;
import dev.parley.sdp.attribute.Setup;
import dev.parley.sdp.offeranswer.AnswerPolicy;
import dev.parley.sdp.offeranswer.AnswerResult;
import dev.parley.sdp.offeranswer.Codec;
import dev.parley.sdp.offeranswer.LocalPorts;
import dev.parley.sdp.offeranswer.MediaOffer;
import dev.parley.sdp.offeranswer.NegotiatedMedia;
import dev.parley.sdp.offeranswer.NegotiationResult;
import dev.parley.sdp.offeranswer.OfferAnswer;
import dev.parley.sdp.offeranswer.RelayCodecs;
import dev.parley.sdp.offeranswer.SrtpOffer;
import dev.parley.sdp.offeranswer.SrtpPolicy;
import dev.parley.sdp.offeranswer.SupportedCodec;
import dev.parley.sdp.offeranswer.WebRtcPeer;
import dev.parley.sdp.offeranswer.WebRtcTransport;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One leg of an anchored call as the media plane serves it, and the policy glue around {@link OfferAnswer} (the one
 * offer/answer engine): which SRTP policy the leg's {@link LegPolicy} means, which codecs cross to the other leg
 * ({@link RelayCodecs}, with the media plane's {@link MediaService#convertibleFormats()}), and how a negotiated
 * stream becomes the media API's {@link EndpointParameters}. It holds Parley's endpoint for the leg, Parley's SDP
 * origin on it (one session id, a version that goes up with every SDP Parley sends, RFC 3264 §8), the offer Parley
 * made on it, the peer's offer Parley has yet to answer, and the keys Parley sends with ({@link LegKeys}). Confined
 * to the call's lane; the endpoint id is the only thing other threads see (media events name it).
 *
 * <p>Parley anchors one audio stream per leg: its offers have one {@code m=audio} line, and its answers take the
 * first audio stream that carries a codec and answer every other m-line with port 0 (RFC 3264 §6).
 *
 * <p><b>WebRTC legs.</b> A leg is a browser's when its signalling is a WebSocket ({@link LegPolicy#webSocket()}) or
 * the peer offers DTLS-SRTP ({@code UDP/TLS/RTP/SAVPF} with {@code a=fingerprint}). Its endpoint is opened as
 * {@link EndpointKind#WEBRTC}, its SDP is ICE-lite + DTLS-SRTP with the endpoint's credentials and certificate
 * fingerprint, never SDES (RFC 8827 §6.5), and it is configured with the browser's ICE credentials, fingerprints and
 * Parley's DTLS role. Each leg keeps its own protection: a browser bridged to an SDES phone is DTLS-SRTP on one
 * side and SDES-SRTP (or RTP, per that phone's policy) on the other, re-protected by the media plane.
 */
public final class MediaLeg {
    /**
     * The video Parley relays between two browsers without decoding (issue 5): VP8 (RFC 7741) and H.264
     * (RFC 6184, each offered profile and packetization mode kept as written). rtx is not taken: retransmissions
     * come as the original packets, asked for by generic NACK, which the media plane forwards end to end.
     */
    static final List<SupportedCodec> RELAYED_VIDEO = List.of(new SupportedCodec("video", "VP8", 90_000, 1),
            new SupportedCodec("video", "H264", 90_000, 1));
    /** A placeholder port for checking an offer before the endpoint exists; never written to a peer. */
    private static final int TRIAL_PORT = 9;
    /** Placeholder credentials for the same check of a browser's offer; never written to a peer. */
    private static final WebRtcTransport TRIAL_TRANSPORT = new WebRtcTransport("tria", "trial-password-never-sent",
            new Fingerprint("sha-256", "00:00"));

    private final MediaService media;
    private final LegKeys keys;
    private final SecureRandom random;
    private final LegPolicy policy;
    private LocalMedia local;
    /** The endpoint's address as SDP text (c= and o=), made once when it opened. */
    private String address;
    private Origin origin;
    private boolean closed;
    /** Parley's last offer on this leg: what the peer's answer (also a repeated one) is checked against. */
    private SessionDescription offered;
    /** The origin of the peer's last accepted answer to {@link #offered}. */
    private Origin answeredWith;
    /** The peer's offer on this leg awaiting Parley's answer, and what it offers. */
    private SessionDescription peerOfferSdp;
    private PeerMedia peerOffer;
    /** What the peer settled on last, in an answer or an offer Parley answered. */
    private PeerMedia peer;
    /** The suites Parley offers here: both at first, the one the peer chose once it chose one. */
    private List<CryptoSuite> offerSuites = LegKeys.OFFERED;
    private EndpointParameters configured;
    private LegSecurity security;
    /** A browser's leg: ICE-lite and DTLS-SRTP (see the class comment). */
    private boolean webRtc;
    /** The mids of this browser leg's audio and video m-lines: Parley's, or those of the browser's offer. */
    private String audioMid = "0";
    private String videoMid = "1";
    /**
     * The video m-line this browser leg's session has (its formats), empty while it has none. RFC 3264 §8: once
     * there, it stays in every later offer, with port 0 while no video is relayed.
     */
    private List<Codec> videoLine = List.of();

    /** Why a peer's SDP cannot be used on this leg: the SIP status to answer (488) and a reason for a debug log. */
    public record Refusal(int status, String reason) {
    }

    public MediaLeg(MediaService media, SecureRandom random, LegPolicy policy) {
        this.media = Objects.requireNonNull(media, "media");
        this.keys = new LegKeys(random);
        this.random = random;
        this.policy = Objects.requireNonNull(policy, "policy");
        this.webRtc = policy.webSocket();
        this.security = webRtc ? LegSecurity.dtlsSrtp(policy.signalling(), null) : LegSecurity.plain(policy.signalling());
    }

    /** Whether this is a browser's leg (ICE-lite, DTLS-SRTP); decided by its signalling or the peer's offer. */
    public boolean isWebRtc() {
        return webRtc;
    }

    /** The kind of endpoint to open for this leg: known once the peer's offer, if any, was taken. */
    public EndpointKind endpointKind() {
        return webRtc ? EndpointKind.WEBRTC : EndpointKind.RTP;
    }

    /**
     * The media plane reports that this WebRTC leg's DTLS handshake finished with {@code suite}: the padlock and
     * the CDR name it from now on.
     */
    public void dtlsConnected(SrtpSuite suite) {
        if (webRtc) {
            security = LegSecurity.dtlsSrtp(policy.signalling(), suite);
        }
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
        this.address = endpoint.rtp().getAddress().getHostAddress();
        long session = random.nextLong() >>> 1; // RFC 8866 §5.2: a positive number, unique is enough
        this.origin = Origin.of("parley", session, 1, address());
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

    /** The peer's offer waiting for Parley's answer, or null. */
    public PeerMedia pendingPeerOffer() {
        return peerOffer;
    }

    /** What the peer settled on in its last answer (or in the offer Parley last answered), or null. */
    public PeerMedia peerMedia() {
        return peer;
    }

    /** The parameters configured last, or null. */
    public EndpointParameters configured() {
        return configured;
    }

    // ---- Parley offers on this leg ----

    /**
     * Parley's offer to this leg's peer for what the other leg's peer offered: its codecs in its numbering (so that
     * a codec keeps its payload type end to end where it can), then the codecs the media plane converts to that it
     * lacks ({@link RelayCodecs#offerFor}), and its direction. Crypto lines when the policy and the signalling
     * allow: {@code RTP/SAVP} for a {@code required} leg, best-effort {@code RTP/AVP} with {@code a=crypto} for a
     * {@code preferred} one.
     */
    public SessionDescription offerFor(PeerMedia other) {
        List<Codec> codecs = RelayCodecs.offerFor(other.codecs(), convertible());
        if (webRtc) {
            // RFC 8829 §5.2.1: audio in one bundled m-line with rtcp-mux; DTLS keys, never SDES (RFC 8827 §6.5).
            MediaOffer m = new MediaOffer("audio", local.rtp().getPort(), codecs, other.direction(), SrtpOffer.NONE,
                    List.of(), true, audioMid);
            List<MediaOffer> lines = new ArrayList<>(List.of(m));
            if (!other.video().isEmpty()) {
                // RFC 8843: the other browser's video, in its numbering and direction, on the same bundled port.
                lines.add(new MediaOffer("video", local.rtp().getPort(), other.video(), other.videoDirection(),
                        SrtpOffer.NONE, List.of(), true, videoMid));
                videoLine = other.video();
            } else if (!videoLine.isEmpty()) {
                // RFC 3264 §8.2: a stream no longer in use is offered with port 0, never left out: the m-lines keep
                // their number and order (a browser refuses an offer with fewer m-lines than its session has).
                lines.add(new MediaOffer("video", 0, videoLine, MediaDirection.INACTIVE, SrtpOffer.NONE, List.of(),
                        true, videoMid));
            }
            offered = OfferAnswer.offerWebRtc(nextOrigin(), address(), lines, transport());
            answeredWith = null;
            return offered;
        }
        SrtpOffer srtp = !policy.maySendKeys() ? SrtpOffer.NONE
                : policy.requiresSrtp() ? SrtpOffer.MANDATORY : SrtpOffer.BEST_EFFORT;
        MediaOffer m = new MediaOffer("audio", local.rtp().getPort(), codecs, other.direction(), srtp, offerSuites,
                false, null);
        offered = OfferAnswer.offer(nextOrigin(), address(), List.of(m), keys);
        answeredWith = null;
        return offered;
    }

    /**
     * The peer answered Parley's offer: checked by {@link OfferAnswer#negotiate} and under the policy, then the
     * endpoint is configured. On refusal nothing changes (the previous parameters stay). The same answer again (a
     * 2xx repeating a 183's SDP, RFC 3261 §13.2.1) changes nothing.
     */
    public Optional<Refusal> takeAnswer(SessionDescription answer) {
        if (offered == null) {
            return refusal(500, "no offer outstanding");
        }
        if (isLastAnswer(answer)) {
            return Optional.empty();
        }
        NegotiatedMedia m;
        NegotiatedMedia video;
        switch (OfferAnswer.negotiate(offered, answer)) {
            case NegotiationResult.InvalidAnswer x -> {
                return refusal(488, x.reason());
            }
            case NegotiationResult.Negotiated n -> {
                m = n.media().getFirst(); // Parley offers audio first, then a browser's video to a browser
                video = n.media().size() > 1 ? n.media().get(1) : null;
            }
        }
        if (!m.accepted()) {
            return refusal(488, "the answer rejected the audio stream");
        }
        if (m.primaryCodec().isEmpty()) {
            return refusal(488, "the answer holds no codec Parley offered");
        }
        if (policy.requiresSrtp() && !m.encrypted()) {
            return refusal(488, "SRTP is required and the answer accepted none of Parley's a=crypto lines");
        }
        List<Codec> videoCodecs = video != null && video.accepted() ? video.codecs() : List.of();
        configure(m, videoCodecs);
        m.sdes().ifPresent(k -> offerSuites = List.of(k.suite())); // later offers carry the chosen suite alone
        peer = new PeerMedia(m.codecs(), m.direction().reverse(), videoCodecs,
                videoCodecs.isEmpty() ? m.direction().reverse() : video.direction().reverse());
        answeredWith = answer.origin();
        return Optional.empty();
    }

    /**
     * Whether {@code answer} is the answer already taken: same origin, session and version (RFC 3264 §8: an SDP
     * whose version did not change did not change).
     */
    public boolean isLastAnswer(SessionDescription answer) {
        return answeredWith != null && answeredWith.equals(answer.origin());
    }

    // ---- the peer offers on this leg ----

    /**
     * The peer's offer, checked under the policy and kept until Parley answers it. The check is a trial answer
     * that accepts any audio codec the peer offers (the other leg has not chosen yet): it finds the stream Parley
     * anchors and whether its SDES lines pass the policy ({@link OfferAnswer}'s table), with placeholder keys and
     * port that are never sent. {@code required} over signalling that cannot carry keys is refused before that:
     * any key in the offer is already public.
     */
    public Optional<Refusal> takeOffer(SessionDescription offer) {
        if (!webRtc && offersDtls(offer)) {
            if (local != null) {
                // an RTP endpoint is open: a browser's offer cannot switch it (a re-INVITE of another kind)
                return refusal(488, "a DTLS-SRTP offer on a leg that is not a WebRTC leg");
            }
            webRtc = true;
            security = LegSecurity.dtlsSrtp(policy.signalling(), null);
        }
        if (policy.requiresSrtp() && !policy.maySendKeys()) {
            return refusal(488, "SRTP is required but the signalling is " + policy.signalling()
                    + ", which cannot carry SDES keys");
        }
        List<SupportedCodec> any = new ArrayList<>();
        for (MediaDescription m : offer.media()) {
            if (m.media().equals("audio")) {
                for (Codec c : Codec.listOf(m)) {
                    any.add(new SupportedCodec("audio", c.encodingName(), c.clockRate(), c.channels()));
                }
            }
        }
        if (webRtc) {
            // A browser's video is kept for the other leg: relayed if that is a browser too, else declined then.
            any.addAll(RELAYED_VIDEO);
        }
        AnswerResult trial = OfferAnswer.answer(offer, answerPolicy(any, MediaDirection.SENDRECV),
                Origin.of("parley", 0, 0, "0.0.0.0"), "0.0.0.0", audioAndBundledVideo(TRIAL_PORT, webRtc),
                suite -> new byte[suite.keySaltLength()], webRtc ? TRIAL_TRANSPORT : null);
        return switch (trial) {
            case AnswerResult.NotAcceptable x -> refusal(488, x.reason());
            case AnswerResult.Answered a -> {
                NegotiatedMedia m = firstAccepted(a.media(), "audio");
                if (m == null) {
                    yield refusal(488, "no audio RTP stream Parley can anchor"); // an offer without m-lines
                }
                NegotiatedMedia video = firstAccepted(a.media(), "video");
                peerOffer = new PeerMedia(m.codecs(), m.direction().reverse(),
                        video == null ? List.of() : video.codecs(),
                        video == null ? m.direction().reverse() : video.direction().reverse());
                peerOfferSdp = offer;
                if (webRtc) {
                    rememberLines(offer, video);
                }
                yield Optional.empty();
            }
        };
    }

    /**
     * Parley's answer to the pending peer offer once the other leg's peer settled on {@code other}: the codecs
     * {@link RelayCodecs#answerable} allows (the other peer's where this peer has one, else the convertible ones),
     * in this peer's numbering; the direction the other peer allows narrowed by this peer's; a key of the peer's
     * suite under its tag. Then the endpoint is configured. Null when the two legs cannot be joined.
     */
    public SessionDescription answer(PeerMedia other) {
        PeerMedia pending = Objects.requireNonNull(peerOffer, "no peer offer to answer");
        List<SupportedCodec> codecs = RelayCodecs.answerable("audio", pending.codecs(), other.codecs(),
                convertible());
        if (webRtc && local.webRtc() == null) {
            return null; // the media plane opened no WebRTC endpoint: nothing to answer a browser with
        }
        // Video only between two browsers (the other leg kept some), in the codecs the other browser took.
        boolean relayVideo = webRtc && !pending.video().isEmpty() && !other.video().isEmpty();
        if (relayVideo) {
            codecs = new ArrayList<>(codecs);
            for (Codec c : other.video()) {
                SupportedCodec s = new SupportedCodec("video", c.encodingName(), c.clockRate(), c.channels());
                if (!codecs.contains(s)) {
                    codecs.add(s);
                }
            }
        }
        AnswerPolicy answering = answerPolicy(codecs, other.direction());
        if (relayVideo) {
            // RFC 3264 §6.1, per stream: the other browser may take video receive-only while its audio is two-way
            answering = answering.withLocalDirection("video", other.videoDirection());
        }
        AnswerResult r = OfferAnswer.answer(peerOfferSdp, answering, origin,
                address(), audioAndBundledVideo(local.rtp().getPort(), relayVideo), keys,
                webRtc ? transport() : null);
        if (!(r instanceof AnswerResult.Answered a)) {
            return null; // the only refusal left once the offer passed takeOffer: no codec both legs can use
        }
        NegotiatedMedia m = firstAccepted(a.media(), "audio");
        if (m == null || m.primaryCodec().isEmpty()) {
            return null;
        }
        NegotiatedMedia video = firstAccepted(a.media(), "video");
        nextOrigin();
        configure(m, video == null ? List.of() : video.codecs());
        peer = pending;
        peerOffer = null;
        peerOfferSdp = null;
        return a.answer();
    }

    /** Whether this leg, as configured, and a peer settled on {@code other} can exchange media. */
    public boolean joinable(PeerMedia other) {
        List<Codec> mine = configured == null ? List.of() : configured.formats().stream().map(MediaLeg::codec)
                .toList();
        return RelayCodecs.joinable(mine, other.codecs(), convertible());
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

    // ---- the policy glue ----

    /**
     * The leg's policy as offer/answer applies it: no keys cross signalling that cannot keep them secret, so such a
     * leg answers as {@code OFF}; {@code plainFallback}, because a phone that offers {@code RTP/SAVP} over UDP has
     * published its key, and plain RTP is the honest answer to it.
     */
    private AnswerPolicy answerPolicy(List<SupportedCodec> codecs, MediaDirection direction) {
        SrtpPolicy srtp = !policy.maySendKeys() ? SrtpPolicy.OFF
                : policy.requiresSrtp() ? SrtpPolicy.REQUIRED : SrtpPolicy.PREFERRED;
        return new AnswerPolicy(codecs, srtp, LegKeys.mediaPlaneSuites(), true, direction, true);
    }

    /**
     * The port for the first audio stream with a codec (not telephone-event alone) and, with {@code video}, the
     * first video stream on the same port (RFC 8843 BUNDLE: one transport for both); every other stream declined.
     */
    private static LocalPorts audioAndBundledVideo(int port, boolean video) {
        boolean[] taken = {false, false};
        return (index, m) -> {
            int slot = m.media().equals("audio") ? 0 : video && m.media().equals("video") ? 1 : -1;
            if (slot < 0 || taken[slot] || !hasCodec(m)) {
                return 0;
            }
            taken[slot] = true;
            return port;
        };
    }

    /**
     * RFC 3264 §8: a browser's offer sets its session's m-lines; Parley's later offers on this leg keep the audio
     * and video mids it chose and its video m-line (port 0 when no video is relayed). Parley anchors audio in the
     * first m-line and video in the second; other layouts keep Parley's own mids.
     */
    private void rememberLines(SessionDescription offer, NegotiatedMedia video) {
        List<MediaDescription> lines = offer.media();
        if (lines.isEmpty() || !lines.getFirst().media().equals("audio")) {
            return;
        }
        audioMid = lines.getFirst().mid().orElse(audioMid);
        if (lines.size() > 1 && lines.get(1).media().equals("video")) {
            MediaDescription v = lines.get(1);
            videoMid = v.mid().orElse(videoMid);
            List<Codec> codecs = video != null && video.index() == 1 ? video.codecs() : Codec.listOf(v);
            if (!codecs.isEmpty()) {
                videoLine = codecs;
            }
        }
    }

    private static NegotiatedMedia firstAccepted(List<NegotiatedMedia> media, String type) {
        for (NegotiatedMedia n : media) {
            if (n.accepted() && n.media().equals(type)) {
                return n;
            }
        }
        return null;
    }

    private static boolean hasCodec(MediaDescription m) {
        for (Codec c : Codec.listOf(m)) {
            if (!c.isTelephoneEvent()) {
                return true;
            }
        }
        return false;
    }

    /** Whether the offer's first audio RTP stream is DTLS-SRTP with a fingerprint: a browser's offer. */
    private static boolean offersDtls(SessionDescription offer) {
        for (MediaDescription m : offer.media()) {
            if (m.media().equals("audio") && m.isRtp() && !m.isRejected()) {
                return m.isDtlsProfile() && !offer.fingerprintsOf(m).isEmpty();
            }
        }
        return false;
    }

    /** This leg's endpoint's ICE-lite credentials and certificate fingerprint, as the SDP engine takes them. */
    private WebRtcTransport transport() {
        dev.parley.mediaapi.WebRtcTransport t = local.webRtc();
        if (t == null) {
            throw new IllegalStateException("the media plane opened no WebRTC endpoint for a browser's leg");
        }
        CertificateFingerprint f = t.fingerprint();
        return new WebRtcTransport(t.ice().ufrag(), t.ice().password(), new Fingerprint(f.hashFunction(), f.digest()));
    }

    private List<Codec> convertible() {
        return media.convertibleFormats().stream().map(MediaLeg::codec).toList();
    }

    /** The media API's view of a negotiated stream. */
    private void configure(NegotiatedMedia m) {
        configure(m, List.of());
    }

    /** {@link #configure(NegotiatedMedia)} with the formats of a browser's bundled video (WebRTC legs only). */
    private void configure(NegotiatedMedia m, List<Codec> video) {
        InetAddress address = literal(m.remoteAddress()).orElse(null);
        InetSocketAddress rtp = address == null || address.isAnyLocalAddress() ? null
                : new InetSocketAddress(address, m.remotePort());
        if (m.webRtc().isPresent()) {
            WebRtcPeer peer = m.webRtc().get();
            Protection.DtlsSrtp dtls = new Protection.DtlsSrtp(peer.parleySetup() == Setup.ACTIVE
                    ? Protection.DtlsSrtp.Role.CLIENT : Protection.DtlsSrtp.Role.SERVER,
                    peer.fingerprints().stream().map(f -> new CertificateFingerprint(f.hashFunctionLowerCase(),
                            f.fingerprint())).toList());
            // ICE decides where media goes (the address the browser's checks came from); the SDP's is a hint.
            configured = EndpointParameters.webRtc(rtp, m.codecs().stream().map(MediaLeg::format).toList(),
                    direction(m.direction()), dtls, new IceCredentials(peer.iceUfrag(), peer.icePwd()))
                    .withVideo(video.stream().map(MediaLeg::format).toList());
            if (security.suite() == null) {
                security = LegSecurity.dtlsSrtp(policy.signalling(), null);
            }
            if (isOpen()) {
                media.configure(local.id(), configured);
            }
            return;
        }
        InetSocketAddress rtcp = null;
        if (rtp != null && !m.rtcpMux()) {
            InetAddress rtcpAddress = literal(m.remoteRtcpAddress()).orElse(address);
            if (!rtcpAddress.equals(address) || m.remoteRtcpPort() != m.remotePort() + 1) {
                rtcp = new InetSocketAddress(rtcpAddress, m.remoteRtcpPort()); // RFC 3605 a=rtcp
            }
        }
        Protection receive = m.sdes().map(LegKeys::receive).orElse(Protection.none());
        Protection send = m.sdes().map(LegKeys::send).orElse(Protection.none());
        configured = new EndpointParameters(rtp, rtcp, m.rtcpMux(), m.codecs().stream().map(MediaLeg::format)
                .toList(), direction(m.direction()), receive, send);
        security = new LegSecurity(policy.signalling(), m.sdes().map(k -> LegKeys.suite(k.suite())).orElse(null));
        if (isOpen()) {
            media.configure(local.id(), configured);
        }
    }

    private static PayloadFormat format(Codec c) {
        return new PayloadFormat(c.payloadType(), c.encodingName(), c.clockRate(), c.channels(), c.fmtp());
    }

    private static Codec codec(PayloadFormat f) {
        return new Codec(f.payloadType(), f.encodingName(), f.clockRate(), f.channels(), f.fmtp());
    }

    private static Direction direction(MediaDirection d) {
        return switch (d) {
            case SENDRECV -> Direction.SENDRECV;
            case SENDONLY -> Direction.SENDONLY;
            case RECVONLY -> Direction.RECVONLY;
            case INACTIVE -> Direction.INACTIVE;
        };
    }

    private static Optional<Refusal> refusal(int status, String reason) {
        return Optional.of(new Refusal(status, reason));
    }

    private String address() {
        return address;
    }

    private Origin nextOrigin() {
        Origin o = origin;
        origin = origin.withNextVersion();
        return o;
    }

    /**
     * An IP literal without any lookup; a host name gives empty (Parley does no DNS for media). The c= host comes
     * from the peer: a string such as {@code 999.1.1.1} must not become a DNS query ({@link IpLiteral}).
     */
    static Optional<InetAddress> literal(String host) {
        return IpLiteral.parse(host);
    }

    @Override
    public String toString() {
        return "MediaLeg[" + (local == null ? "opening" : local.id()) + " " + security + "]";
    }
}
