package dev.parley.sdp.offeranswer;

import dev.parley.sdp.Connection;
import dev.parley.sdp.MediaDescription;
import dev.parley.sdp.Origin;
import dev.parley.sdp.SdpLine;
import dev.parley.sdp.SessionDescription;
import dev.parley.sdp.attribute.Attribute;
import dev.parley.sdp.attribute.Crypto;
import dev.parley.sdp.attribute.CryptoSuite;
import dev.parley.sdp.attribute.Group;
import dev.parley.sdp.attribute.KeyParam;
import dev.parley.sdp.attribute.MediaDirection;
import dev.parley.sdp.attribute.Rtcp;
import dev.parley.sdp.attribute.RtpMap;
import dev.parley.sdp.attribute.Setup;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * RFC 3264 offer/answer for a B2BUA media anchor, as pure functions. A call through Parley runs them like this:
 * <ol>
 *   <li>Leg A's INVITE carries an offer. The PBX {@link #offer offers} leg B its own address and ports, A's codecs
 *       (with A's payload type numbers) and SDES per B's policy.</li>
 *   <li>B's answer is checked with {@link #negotiate} against that offer: media for leg B.</li>
 *   <li>The PBX {@link #answer answers} A with B's chosen codecs as {@link AnswerPolicy#codecs()}: media for leg A.</li>
 * </ol>
 *
 * <h2>SDES and the transport profile (RFC 4568, RFC 3264 §6.1)</h2>
 * The answer always repeats the offer's proto (RFC 3264 §6.1: the answerer cannot change the transport), so:
 * <table>
 *   <caption>What Parley answers, by offered profile and policy</caption>
 *   <tr><th>offer</th><th>REQUIRED</th><th>PREFERRED</th><th>OFF</th></tr>
 *   <tr><td>{@code RTP/SAVP} + acceptable crypto</td><td>SAVP + crypto</td><td>SAVP + crypto</td>
 *       <td>stream rejected: SRTP is mandatory in SAVP and plain RTP cannot be answered in it</td></tr>
 *   <tr><td>{@code RTP/SAVP}, no acceptable crypto</td><td colspan="3">stream rejected (RFC 4568 §7.1.2: the
 *       answerer "MUST reject the media stream")</td></tr>
 *   <tr><td>{@code RTP/AVP} + acceptable crypto ("best effort", baresip {@code mediaenc=srtp})</td>
 *       <td>AVP + crypto</td><td>AVP + crypto</td><td>AVP without crypto: the offerer falls back to RTP, which is
 *       what best-effort peers (baresip, Linphone, Asterisk with {@code media_encryption_optimistic}) do</td></tr>
 *   <tr><td>{@code RTP/AVP}, no acceptable crypto</td><td>stream rejected</td><td>AVP</td><td>AVP</td></tr>
 * </table>
 * With {@link AnswerPolicy#plainFallback()} the two rejected {@code RTP/SAVP} cells of {@code PREFERRED} and
 * {@code OFF} are answered {@code RTP/AVP} without a key instead.
 * When no stream is left, the result is {@link AnswerResult.NotAcceptable} (488). An acceptable crypto line has a
 * suite in {@link AnswerPolicy#suites()}, one inline key of the suite's length, no MKI (Parley's SRTP does not
 * carry one) and no session parameters (RFC 4568 §7.1.2 lets policy refuse any).
 *
 * <h2>WebRTC legs (DTLS-SRTP, RFC 5763/5764, RFC 8827, RFC 8829)</h2>
 * Without a {@link WebRtcTransport} the DTLS-SRTP protos ({@code UDP/TLS/RTP/SAVP[F]}) are rejected. With one,
 * the leg is a WebRTC leg and only they are taken: every other RTP m-line is rejected, and no {@code a=crypto} is
 * ever written or taken on it (RFC 8827 §6.5: SDES would put the media key in the signalling, where the browser's
 * JavaScript and the web server see it). An accepted stream needs the peer's {@code ice-ufrag}/{@code ice-pwd},
 * a fingerprint and {@code a=rtcp-mux}; Parley writes {@code a=ice-lite} (session), its credentials, fingerprint,
 * one host candidate, {@code a=end-of-candidates}, {@code a=rtcp-mux}, {@code a=setup} ({@code actpass} in offers,
 * {@code passive} in answers to {@code actpass}), the offered {@code a=mid}, and {@code a=group:BUNDLE} of the
 * accepted mids the offer bundled (RFC 8843 §7.3: rejected m-lines leave the group). {@code c=0.0.0.0} on a
 * WebRTC stream is ICE's placeholder (RFC 8839 §5.1, trickle), not the old hold.
 */
public final class OfferAnswer {
    private OfferAnswer() {
    }

    // ---- answering ---------------------------------------------------------------------------------------

    /**
     * Answers {@code offer} (RFC 3264 §6): one m-line per offered m-line in order, rejected ones with port 0 and
     * the offered formats; codecs are the offer's that the policy supports, in the offer's order and with the
     * offer's payload type numbers (§6.1); telephone-event kept when supported at the clock rate of a chosen codec.
     *
     * @param origin Parley's origin for this leg, already at the version to send (see {@link Origin#withNextVersion})
     * @param localAddress Parley's media address on this leg ({@code c=})
     */
    public static AnswerResult answer(SessionDescription offer, AnswerPolicy policy, Origin origin,
            String localAddress, LocalPorts ports, KeySupplier keys) {
        return answer(offer, policy, origin, localAddress, ports, keys, null);
    }

    /**
     * {@link #answer(SessionDescription, AnswerPolicy, Origin, String, LocalPorts, KeySupplier)} on a leg that is
     * a WebRTC leg when {@code webRtc} is given: see the class comment. {@code keys} is not used for such a leg.
     */
    public static AnswerResult answer(SessionDescription offer, AnswerPolicy policy, Origin origin,
            String localAddress, LocalPorts ports, KeySupplier keys, WebRtcTransport webRtc) {
        SessionDescription.Builder answer = SessionDescription.builder(origin)
                .connection(Connection.of(localAddress));
        // RFC 3264 §6: "The "t=" line in the answer MUST equal that of the offer."
        for (SdpLine t : offer.timing()) {
            if (t.type() == 't') {
                answer.timing(t);
            }
        }
        List<NegotiatedMedia> negotiated = new ArrayList<>();
        List<String> reasons = new ArrayList<>();
        int index = 0;
        List<MediaDescription> lines = new ArrayList<>();
        for (MediaDescription m : offer.media()) {
            StreamAnswer s = answerStream(offer, m, index, policy, ports, keys, webRtc, localAddress);
            lines.add(s.line);
            negotiated.add(s.negotiated);
            if (s.reason != null) {
                reasons.add("m-line " + index + " (" + m.media() + "): " + s.reason);
            }
            index++;
        }
        // An offer without m-lines (RFC 4317 §5, third-party call control) is answered without m-lines.
        if (!negotiated.isEmpty() && negotiated.stream().noneMatch(NegotiatedMedia::accepted)) {
            return new AnswerResult.NotAcceptable(String.join("; ", reasons));
        }
        if (webRtc != null) {
            // RFC 8839 §5.3: ice-lite is a session-level attribute.
            answer.property("ice-lite");
            bundleAnswer(offer, negotiated).ifPresent(answer::attribute);
        }
        lines.forEach(answer::media);
        return new AnswerResult.Answered(answer.build(), negotiated);
    }

    private record StreamAnswer(MediaDescription line, NegotiatedMedia negotiated, String reason) {
    }

    private static StreamAnswer reject(MediaDescription m, int index, String reason) {
        // RFC 3264 §6: a rejected stream is answered with port 0; the formats are those of the offer.
        MediaDescription.Builder b = MediaDescription.builder(m.media(), 0, m.proto()).formats(m.formats());
        m.mid().ifPresent(mid -> b.attribute("mid", mid));
        return new StreamAnswer(b.build(), NegotiatedMedia.rejected(index, m.media(), m.proto(),
                m.mid().orElse(null)), reason);
    }

    private static StreamAnswer answerStream(SessionDescription offer, MediaDescription m, int index,
            AnswerPolicy policy, LocalPorts ports, KeySupplier keys, WebRtcTransport webRtc, String localAddress) {
        if (m.isRejected()) {
            return reject(m, index, "rejected by the offerer (port 0)");
        }
        if (!m.isRtp()) {
            return reject(m, index, "not RTP: " + m.proto());
        }
        if (webRtc == null && m.isDtlsProfile()) {
            return reject(m, index, "DTLS-SRTP is answered on WebRTC legs only: " + m.proto());
        }
        if (webRtc != null && !m.isDtlsProfile()) {
            return reject(m, index, "a WebRTC leg carries DTLS-SRTP only (RFC 8827 §6.5: no SDES, no plain RTP): "
                    + m.proto());
        }
        if (webRtc != null && !WebRtcSdp.usableProto(m)) {
            return reject(m, index, "DTLS-SRTP over TCP is not answered: " + m.proto());
        }
        if (!policy.supportsMedia(m.media())) {
            return reject(m, index, "media type not supported");
        }
        Optional<Connection> remote = offer.connectionOf(m);
        if (remote.isEmpty()) {
            return reject(m, index, "no c= line");
        }
        List<Codec> chosen = chooseCodecs(m, policy);
        if (chosen.isEmpty()) {
            return reject(m, index, "no common codec");
        }
        if (webRtc != null) {
            return answerWebRtcStream(offer, m, index, policy, ports, webRtc, localAddress, remote.get(), chosen);
        }
        Optional<Crypto> crypto = acceptableCrypto(m, policy);
        boolean srtp;
        String proto = m.proto();
        if (m.isSecureProfile()) {
            boolean usable = crypto.isPresent() && policy.srtp() != SrtpPolicy.OFF;
            if (!usable && policy.plainFallback() && policy.srtp() != SrtpPolicy.REQUIRED) {
                proto = "RTP/AVP"; // see AnswerPolicy#plainFallback: the offer's key is not used
            } else if (policy.srtp() == SrtpPolicy.OFF) {
                return reject(m, index, "SRTP mandatory in " + m.proto() + " but the policy is off");
            } else if (crypto.isEmpty()) {
                return reject(m, index, "no acceptable a=crypto in " + m.proto());
            }
            srtp = usable;
        } else {
            srtp = crypto.isPresent() && policy.srtp() != SrtpPolicy.OFF;
            if (!srtp && policy.srtp() == SrtpPolicy.REQUIRED) {
                return reject(m, index, "SRTP required and no acceptable a=crypto offered");
            }
        }

        MediaDirection offered = offer.directionOf(m);
        if (remote.get().isUnspecified()) {
            // RFC 3264 §8.4 / RFC 2543: c=0.0.0.0 is the old way of saying "do not send to me".
            offered = MediaDirection.of(offered.sends(), false);
        }
        MediaDirection direction = offered.reverse().intersect(policy.localDirection(m.media()));
        boolean mux = m.rtcpMux() && policy.rtcpMux();
        int port = ports.rtpPort(index, m);
        if (port == 0) {
            return reject(m, index, "declined by the local side");
        }

        MediaDescription.Builder line = MediaDescription.builder(m.media(), port, proto);
        for (Codec c : chosen) {
            line.format(Integer.toString(c.payloadType()));
        }
        for (Codec c : chosen) {
            line.rtpMap(c.rtpMap());
            c.fmtpAttribute().ifPresent(line::fmtp);
        }
        Optional<SdesKeys> sdes = Optional.empty();
        if (srtp) {
            Crypto theirs = crypto.orElseThrow();
            CryptoSuite suite = theirs.knownSuite().orElseThrow();
            byte[] mine = keys.keySalt(suite);
            // RFC 4568 §7.1.2: answer with one crypto line carrying the chosen tag and the answerer's own key.
            line.attribute(Crypto.inline(theirs.tag(), suite, mine).toAttribute());
            sdes = Optional.of(new SdesKeys(suite, theirs.tag(), mine, theirs.keySaltChecked().orElseThrow()));
        }
        if (mux) {
            line.property("rtcp-mux");
        }
        m.mid().ifPresent(mid -> line.attribute("mid", mid));
        line.property(direction.attributeName());

        RtcpTarget rtcp = remoteRtcp(m, remote.get());
        NegotiatedMedia n = new NegotiatedMedia(index, m.media(), true, proto, port, remote.get().host(),
                m.port(), rtcp.address(), rtcp.port(), mux, chosen, direction, sdes, m.mid().orElse(null));
        return new StreamAnswer(line.build(), n, null);
    }

    /** A DTLS-SRTP stream on a WebRTC leg: no SDES, rtcp-mux, Parley's ICE-lite and DTLS attributes. */
    private static StreamAnswer answerWebRtcStream(SessionDescription offer, MediaDescription m, int index,
            AnswerPolicy policy, LocalPorts ports, WebRtcTransport webRtc, String localAddress, Connection remote,
            List<Codec> chosen) {
        Object peer = WebRtcSdp.peer(offer, m, true);
        if (peer instanceof String reason) {
            return reject(m, index, reason);
        }
        WebRtcPeer p = (WebRtcPeer) peer;
        // RFC 8839 §5.1: with ICE, c= is only the default candidate; 0.0.0.0 (trickle) does not mean hold.
        MediaDirection direction = offer.directionOf(m).reverse().intersect(policy.localDirection(m.media()));
        int port = ports.rtpPort(index, m);
        if (port == 0) {
            return reject(m, index, "declined by the local side");
        }
        MediaDescription.Builder line = MediaDescription.builder(m.media(), port, m.proto());
        for (Codec c : chosen) {
            line.format(Integer.toString(c.payloadType()));
        }
        for (Codec c : chosen) {
            line.rtpMap(c.rtpMap());
            c.fmtpAttribute().ifPresent(line::fmtp);
        }
        if (m.media().equals("video")) {
            WebRtcSdp.videoFeedback(m, chosen).forEach(line::attribute);
        }
        WebRtcSdp.transport(webRtc, p.parleySetup(), localAddress, port).forEach(line::attribute);
        m.mid().ifPresent(mid -> line.attribute("mid", mid));
        line.property(direction.attributeName());
        NegotiatedMedia n = new NegotiatedMedia(index, m.media(), true, m.proto(), port, remote.host(), m.port(),
                remote.host(), m.port(), true, chosen, direction, Optional.empty(), m.mid().orElse(null),
                Optional.of(p));
        return new StreamAnswer(line.build(), n, null);
    }

    /** RFC 8843 §7.3: the offer's BUNDLE group, keeping only the mids of accepted streams; empty if none. */
    private static Optional<Attribute> bundleAnswer(SessionDescription offer, List<NegotiatedMedia> negotiated) {
        Optional<Group> offered = offer.bundleGroup();
        if (offered.isEmpty()) {
            return Optional.empty();
        }
        List<String> accepted = negotiated.stream().filter(NegotiatedMedia::accepted).map(NegotiatedMedia::mid)
                .filter(mid -> mid != null && offered.get().mids().contains(mid)).toList();
        return accepted.isEmpty() ? Optional.empty() : Optional.of(new Group("BUNDLE", accepted).toAttribute());
    }

    /** Offered codecs the policy supports, offer order and numbers; telephone-event at a chosen clock rate. */
    private static List<Codec> chooseCodecs(MediaDescription m, AnswerPolicy policy) {
        List<Codec> offered = Codec.listOf(m);
        List<Codec> chosen = new ArrayList<>();
        Set<Integer> rates = new HashSet<>();
        for (Codec c : offered) {
            if (!c.isTelephoneEvent() && policy.supports(m.media(), c)) {
                chosen.add(c);
                rates.add(c.clockRate());
            }
        }
        // A stream of events alone (RFC 4317 §2.4: DTMF in its own m-line) takes any supported event rate.
        boolean eventsOnly = offered.stream().allMatch(Codec::isTelephoneEvent);
        if (chosen.isEmpty() && !eventsOnly) {
            return chosen;
        }
        Set<Integer> eventRates = new HashSet<>();
        for (Codec c : offered) {
            // RFC 4733 §2.1: the event clock rate is that of the audio it accompanies; one format per rate.
            if (c.isTelephoneEvent() && (eventsOnly || rates.contains(c.clockRate())) && policy.supports(m.media(), c)
                    && eventRates.add(c.clockRate())) {
                chosen.add(c);
            }
        }
        return chosen;
    }

    /** The first offered crypto line Parley can use (the offerer lists its preference first, RFC 4568 §5.1.1). */
    static Optional<Crypto> acceptableCrypto(MediaDescription m, AnswerPolicy policy) {
        for (Crypto c : m.cryptos()) {
            Optional<CryptoSuite> suite = c.knownSuite();
            if (suite.isEmpty() || !policy.suites().contains(suite.get())) {
                continue;
            }
            KeyParam key = c.keyParams().get(0);
            if (c.keyParams().size() != 1 || !key.isInline() || key.mki().isPresent()
                    || !c.sessionParams().isEmpty() || c.keySaltChecked().isEmpty()) {
                continue;
            }
            return Optional.of(c);
        }
        return Optional.empty();
    }

    /** Where the peer receives RTCP. */
    private record RtcpTarget(String address, int port) {
    }

    /** RFC 3605: {@code a=rtcp} port and address, else the RTP address and port + 1 (RFC 3550 §11). */
    private static RtcpTarget remoteRtcp(MediaDescription m, Connection c) {
        Optional<Rtcp> rtcp = m.rtcp();
        int port = rtcp.map(Rtcp::port).orElse(Math.min(m.port() + 1, 65_535));
        String address = rtcp.flatMap(Rtcp::addressIfPresent).orElse(c.host());
        return new RtcpTarget(address, port);
    }

    // ---- offering ----------------------------------------------------------------------------------------

    /**
     * Parley's offer on a leg (RFC 3264 §5): one m-line per {@link MediaOffer}, rtpmap for every codec (static
     * ones too, for peers that want it), fmtp where given, fresh keys from {@code keys} for every crypto line,
     * and an explicit direction attribute.
     */
    public static SessionDescription offer(Origin origin, String localAddress, List<MediaOffer> media,
            KeySupplier keys) {
        SessionDescription.Builder b = SessionDescription.builder(origin).connection(Connection.of(localAddress));
        for (MediaOffer mo : media) {
            String proto = mo.srtp() == SrtpOffer.MANDATORY ? "RTP/SAVP" : "RTP/AVP";
            MediaDescription.Builder line = MediaDescription.builder(mo.media(), mo.port(), proto);
            for (Codec c : mo.codecs()) {
                line.format(Integer.toString(c.payloadType()));
            }
            for (Codec c : mo.codecs()) {
                line.rtpMap(c.rtpMap());
                c.fmtpAttribute().ifPresent(line::fmtp);
            }
            if (mo.srtp() != SrtpOffer.NONE && mo.port() != 0) {
                int tag = 1;
                for (CryptoSuite suite : mo.suites()) {
                    line.attribute(Crypto.inline(tag++, suite, keys.keySalt(suite)).toAttribute());
                }
            }
            if (mo.rtcpMux()) {
                line.property("rtcp-mux");
            }
            if (mo.mid() != null) {
                line.attribute("mid", mo.mid());
            }
            line.property(mo.direction().attributeName());
            b.media(line.build());
        }
        return b.build();
    }

    /**
     * Parley's offer on a WebRTC leg (RFC 8829 §5.2.1 as a browser expects it): one {@code UDP/TLS/RTP/SAVPF}
     * m-line per {@link MediaOffer}, always with {@code a=rtcp-mux}, Parley's ICE-lite credentials, fingerprint,
     * {@code a=setup:actpass} (RFC 5763 §5), its host candidate, the offer's mid (or its index) and one BUNDLE
     * group of the streams in use. No {@code a=crypto}: a {@link MediaOffer} asking for SDES is a programming error
     * (RFC 8827 §6.5).
     */
    public static SessionDescription offerWebRtc(Origin origin, String localAddress, List<MediaOffer> media,
            WebRtcTransport webRtc) {
        SessionDescription.Builder b = SessionDescription.builder(origin).connection(Connection.of(localAddress));
        b.property("ice-lite");
        List<String> mids = new ArrayList<>();
        List<MediaDescription> lines = new ArrayList<>();
        int index = 0;
        for (MediaOffer mo : media) {
            if (mo.srtp() != SrtpOffer.NONE) {
                throw new IllegalArgumentException("a WebRTC leg never offers SDES (RFC 8827 §6.5)");
            }
            String mid = mo.mid() != null ? mo.mid() : Integer.toString(index);
            MediaDescription.Builder line = MediaDescription.builder(mo.media(), mo.port(), WebRtcSdp.PROTO);
            for (Codec c : mo.codecs()) {
                line.format(Integer.toString(c.payloadType()));
            }
            for (Codec c : mo.codecs()) {
                line.rtpMap(c.rtpMap());
                c.fmtpAttribute().ifPresent(line::fmtp);
            }
            if (mo.media().equals("video")) {
                WebRtcSdp.videoFeedback(null, mo.codecs()).forEach(line::attribute);
            }
            if (mo.port() != 0) {
                WebRtcSdp.transport(webRtc, Setup.ACTPASS, localAddress, mo.port()).forEach(line::attribute);
                mids.add(mid);
            }
            line.attribute("mid", mid);
            line.property(mo.direction().attributeName());
            lines.add(line.build());
            index++;
        }
        if (!mids.isEmpty()) {
            b.attribute(new Group("BUNDLE", mids).toAttribute());
        }
        lines.forEach(b::media);
        return b.build();
    }

    // ---- checking an answer ------------------------------------------------------------------------------

    /**
     * Checks {@code answer} against Parley's {@code offer} and gives the media per m-line for the offerer. An
     * answer is invalid when it has another number of m-lines or another media type or proto in one (RFC 3264
     * §6), accepts a stream offered with port 0, names none of the offered codecs (§6.1), answers with a crypto
     * tag or suite that was not offered or more than one crypto line (RFC 4568 §7.1.2, §7.1.3), or accepts a
     * {@code RTP/SAVP} stream without a key. Answered formats that were not offered are left out of the result
     * (RFC 3264 §6.1 lets the answer list them); an answer with none of the offered ones is invalid.
     */
    public static NegotiationResult negotiate(SessionDescription offer, SessionDescription answer) {
        if (offer.media().size() != answer.media().size()) {
            return new NegotiationResult.InvalidAnswer(-1, "answer has " + answer.media().size()
                    + " m-lines, the offer " + offer.media().size() + " (RFC 3264 §6)");
        }
        List<NegotiatedMedia> out = new ArrayList<>();
        for (int i = 0; i < offer.media().size(); i++) {
            MediaDescription o = offer.media().get(i);
            MediaDescription a = answer.media().get(i);
            Object r = negotiateStream(offer, o, answer, a, i);
            if (r instanceof String reason) {
                return new NegotiationResult.InvalidAnswer(i, reason);
            }
            out.add((NegotiatedMedia) r);
        }
        return new NegotiationResult.Negotiated(out);
    }

    /** The negotiated media, or the reason the answered m-line is invalid. */
    private static Object negotiateStream(SessionDescription offer, MediaDescription o, SessionDescription answer,
            MediaDescription a, int i) {
        if (!a.media().equals(o.media())) {
            return "media type " + a.media() + " answers " + o.media();
        }
        if (a.isRejected()) {
            return NegotiatedMedia.rejected(i, o.media(), o.proto(), o.mid().orElse(null));
        }
        if (o.isRejected()) {
            return "a stream offered with port 0 was accepted";
        }
        if (!a.proto().equalsIgnoreCase(o.proto())) {
            return "proto " + a.proto() + " answers " + o.proto();
        }
        Optional<WebRtcPeer> webRtc = Optional.empty();
        if (o.isDtlsProfile()) {
            Object peer = WebRtcSdp.peer(answer, a, false);
            if (peer instanceof String reason) {
                return reason;
            }
            if (!a.cryptos().isEmpty()) {
                return "a=crypto in the answer to a DTLS-SRTP offer (RFC 8827 §6.5)";
            }
            webRtc = Optional.of((WebRtcPeer) peer);
        }
        Optional<Connection> remote = answer.connectionOf(a);
        if (remote.isEmpty()) {
            return "no c= line";
        }
        List<Codec> offered = Codec.listOf(o);
        List<Codec> codecs = new ArrayList<>();
        String firstUnusable = null;
        for (int pt : a.payloadTypes()) {
            Optional<RtpMap> map = a.rtpMap(pt);
            if (map.isEmpty()) {
                firstUnusable = firstUnusable != null ? firstUnusable : "payload type " + pt + " has no rtpmap";
                continue;
            }
            Codec c = Codec.of(a, pt).orElseThrow();
            if (offered.stream().noneMatch(c::sameCodec)) {
                firstUnusable = firstUnusable != null ? firstUnusable
                        : "codec " + c.encodingName() + "/" + c.clockRate() + " was not offered (RFC 3264 §6.1)";
                continue;
            }
            codecs.add(c);
        }
        // RFC 3264 §6.1: the answer "MUST contain at least one codec ... from amongst those listed in the offer"
        // and MAY list others; Parley sends only what it offered, so the others are left out, not an error.
        if (codecs.isEmpty()) {
            return firstUnusable != null ? firstUnusable : "no codec in an accepted stream";
        }

        Optional<SdesKeys> sdes = Optional.empty();
        List<Crypto> answered = a.cryptos();
        if (answered.size() > 1) {
            return "more than one a=crypto in the answer (RFC 4568 §7.1.2)";
        }
        if (answered.size() == 1) {
            Crypto theirs = answered.get(0);
            Optional<Crypto> ours = o.cryptos().stream().filter(c -> c.tag() == theirs.tag()).findFirst();
            if (ours.isEmpty()) {
                return "a=crypto tag " + theirs.tag() + " was not offered (RFC 4568 §7.1.3)";
            }
            if (!ours.get().suite().equals(theirs.suite())) {
                return "a=crypto tag " + theirs.tag() + " answered with another suite";
            }
            Optional<CryptoSuite> suite = theirs.knownSuite();
            Optional<byte[]> remoteKey = theirs.keySaltChecked();
            Optional<byte[]> localKey = ours.get().keySaltChecked();
            if (suite.isEmpty() || remoteKey.isEmpty() || localKey.isEmpty()) {
                return "a=crypto key does not fit its suite";
            }
            if (theirs.keyParams().size() != 1 || theirs.keyParams().get(0).mki().isPresent()) {
                return "a=crypto with an MKI or several keys is not supported";
            }
            sdes = Optional.of(new SdesKeys(suite.get(), theirs.tag(), localKey.get(), remoteKey.get()));
        } else if (o.isSecureProfile() && webRtc.isEmpty()) {
            return o.proto() + " accepted without a=crypto (RFC 4568 §7.1.2)";
        }

        MediaDirection theirs = answer.directionOf(a);
        if (remote.get().isUnspecified() && webRtc.isEmpty()) {
            theirs = MediaDirection.of(theirs.sends(), false);
        }
        MediaDirection direction = offer.directionOf(o).intersect(theirs.reverse());
        boolean mux = o.rtcpMux() && a.rtcpMux();
        RtcpTarget rtcp = remoteRtcp(a, remote.get());
        return new NegotiatedMedia(i, o.media(), true, o.proto(), o.port(), remote.get().host(), a.port(),
                rtcp.address(), rtcp.port(), mux, codecs, direction, sdes, o.mid().orElse(null), webRtc);
    }
}
