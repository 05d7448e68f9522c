package dev.parley.pbx.media;

import dev.parley.mediaapi.LocalMedia;
import dev.parley.mediaapi.PayloadFormat;
import dev.parley.sdp.Connection;
import dev.parley.sdp.MediaDescription;
import dev.parley.sdp.Origin;
import dev.parley.sdp.SessionDescription;
import dev.parley.sdp.attribute.Crypto;
import dev.parley.sdp.attribute.Fmtp;
import dev.parley.sdp.attribute.MediaDirection;
import dev.parley.sdp.attribute.RtpMap;
import dev.parley.sdp.attribute.Rtcp;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Offer/answer (RFC 3264) for a B2BUA that anchors one audio stream per call: reading a peer's offer or answer
 * under the leg's {@link LegPolicy}, and writing Parley's own offers and answers with Parley's address and ports.
 * Pure functions; the keys come in as arguments.
 *
 * <p>What Parley writes is deliberately small: one {@code m=audio} line in its offers (the anchored stream), the
 * offer's m-lines in its answers with every other one rejected (port 0, RFC 3264 §6), {@code a=rtpmap} for every
 * format, {@code a=fmtp} as the peer gave it, {@code a=rtcp} when RTCP is not on RTP + 1 (RFC 3605), a direction
 * attribute always, and {@code a=crypto} only where the leg's policy and signalling allow.
 */
public final class Negotiation {
    /** The RTP/AVP profile (RFC 3551) and its SRTP counterpart (RFC 3711 §12). */
    public static final String AVP = "RTP/AVP";
    public static final String SAVP = "RTP/SAVP";

    /** Formats Parley offers when it makes an offer of its own: G.711 μ-law, A-law and RFC 4733 DTMF. */
    public static final List<PayloadFormat> DEFAULT_FORMATS = List.of(PayloadFormat.of(0, "PCMU", 8000),
            PayloadFormat.of(8, "PCMA", 8000), new PayloadFormat(101, "telephone-event", 8000, 1, "0-16"));

    private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");

    private Negotiation() {
    }

    /** Why an offer or answer cannot be used: the SIP status to answer and a reason for a debug log. */
    public record Refusal(int status, String reason) {
    }

    /** A peer's SDP read under a policy: usable, or refused. */
    public sealed interface Reading permits Reading.Usable, Reading.Refused {
        record Usable(PeerMedia media) implements Reading {
        }

        record Refused(Refusal refusal) implements Reading {
        }
    }

    /**
     * Reads a peer's offer under its leg's policy (RFC 4568 §7.1.2 for the crypto lines):
     * <ul>
     *   <li>the first audio RTP stream that is not rejected is the one anchored; none at all is {@code 488};</li>
     *   <li>{@code required}: over signalling that is not TLS {@code 488} (its keys, if any, are already public),
     *       and an offer without a usable {@code a=crypto} is {@code 488};</li>
     *   <li>{@code preferred}: SRTP with the peer's first usable line when the signalling is TLS, else plain RTP
     *       (any crypto lines are ignored; the answer carries none);</li>
     *   <li>{@code off}: plain RTP.</li>
     * </ul>
     * DTLS-SRTP profiles ({@code UDP/TLS/RTP/SAVP[F]}) are not anchored yet and are skipped like other streams.
     */
    public static Reading readOffer(SessionDescription offer, LegPolicy policy) {
        List<MediaDescription> media = offer.media();
        for (int i = 0; i < media.size(); i++) {
            MediaDescription m = media.get(i);
            if (!m.media().equals("audio") || m.isRejected() || !m.isRtp() || m.isDtlsProfile()) {
                continue;
            }
            List<PayloadFormat> formats = formats(m);
            if (formats.stream().allMatch(PayloadFormat::isTelephoneEvent)) {
                continue;
            }
            Optional<Crypto> usable = SdesKeys.firstUsable(m.cryptos());
            if (policy.requiresSrtp() && !policy.signalling().isSecure()) {
                return refused(488, "SRTP is required but the signalling is " + policy.signalling()
                        + ", which cannot carry SDES keys");
            }
            if (policy.requiresSrtp() && usable.isEmpty()) {
                return refused(488, "SRTP is required and the offer has no usable a=crypto");
            }
            Crypto crypto = policy.maySendKeys() ? usable.orElse(null) : null;
            return new Reading.Usable(peer(offer, m, i, formats, crypto));
        }
        return refused(488, "no audio RTP stream Parley can anchor");
    }

    /**
     * Reads a peer's answer to {@code sent}, Parley's offer on that leg (one m-line): the stream must be accepted
     * (port not 0) with formats Parley offered; the crypto line must answer one of Parley's by tag and suite
     * (RFC 4568 §7.1.3) — then that line is the key Parley sends with — else the leg is plain RTP, which a
     * {@code required} leg refuses.
     */
    public static Reading readAnswer(SessionDescription answer, Offered sent, LegPolicy policy) {
        if (answer.media().isEmpty()) {
            return refused(488, "the answer has no m-line");
        }
        MediaDescription m = answer.media().getFirst();
        if (m.isRejected()) {
            return refused(488, "the answer rejected the audio stream");
        }
        List<PayloadFormat> formats = new ArrayList<>();
        for (PayloadFormat f : formats(m)) {
            if (sent.formats().stream().anyMatch(o -> o.sameCodec(f))) {
                formats.add(f);
            }
        }
        if (formats.stream().allMatch(PayloadFormat::isTelephoneEvent)) {
            return refused(488, "the answer holds no codec Parley offered");
        }
        Crypto crypto = null;
        if (!sent.cryptos().isEmpty()) {
            for (Crypto c : m.cryptos()) {
                if (SdesKeys.usableSuite(c).isPresent()
                        && sent.cryptos().stream().anyMatch(o -> o.tag() == c.tag() && o.suite().equals(c.suite()))) {
                    crypto = c;
                    break;
                }
            }
        }
        if (policy.requiresSrtp() && crypto == null) {
            return refused(488, "SRTP is required and the answer accepted none of Parley's a=crypto lines");
        }
        return new Reading.Usable(peer(answer, m, 0, formats, crypto));
    }

    /** What Parley offered on a leg: what an answer is checked against. */
    public record Offered(List<PayloadFormat> formats, MediaDirection direction, List<Crypto> cryptos) {
        public Offered {
            formats = List.copyOf(formats);
            cryptos = List.copyOf(cryptos);
        }

        /** Parley's line for the tag the peer answered. */
        public Optional<Crypto> cryptoFor(Crypto answered) {
            return cryptos.stream().filter(c -> c.tag() == answered.tag()).findFirst();
        }

        @Override
        public String toString() {
            return "Offered[" + formats.size() + " formats, " + direction + ", " + cryptos.size() + " crypto]";
        }
    }

    /**
     * Parley's offer to a leg: one audio stream on {@code local}'s ports. With {@code cryptos} the profile is
     * {@code RTP/SAVP} when {@code savp}, else {@code RTP/AVP} with the crypto lines (best-effort SRTP: a phone
     * that cannot do SRTP ignores them and answers plain RTP, RFC 4568 §7.1.1 allows either).
     */
    public static SessionDescription offer(Origin origin, LocalMedia local, List<PayloadFormat> formats,
            MediaDirection direction, List<Crypto> cryptos, boolean savp, boolean rtcpMux) {
        String proto = !cryptos.isEmpty() && savp ? SAVP : AVP;
        MediaDescription.Builder m = stream(local, proto, formats);
        if (rtcpMux) {
            m.property("rtcp-mux");
        }
        for (Crypto c : cryptos) {
            m.attribute(c.toAttribute());
        }
        m.property(direction.attributeName());
        return session(origin, local).media(m.build()).build();
    }

    /**
     * Parley's answer to a peer's {@code offer} whose stream {@code accepted} Parley anchors on {@code local}: the
     * offer's m-lines in order, the anchored one with {@code formats} (in the offerer's numbering), the rest
     * rejected with port 0 (RFC 3264 §6). The proto mirrors the offer's when Parley answers with a key, and is
     * {@code RTP/AVP} when it answers a secure offer without one (the policy chose plain RTP).
     */
    public static SessionDescription answer(SessionDescription offer, PeerMedia accepted, Origin origin,
            LocalMedia local, List<PayloadFormat> formats, MediaDirection direction, Crypto crypto) {
        SessionDescription.Builder s = session(origin, local);
        for (int i = 0; i < offer.media().size(); i++) {
            MediaDescription o = offer.media().get(i);
            if (i != accepted.index()) {
                s.media(MediaDescription.builder(o.media(), 0, o.proto()).formats(o.formats()).build());
                continue;
            }
            String proto = crypto != null ? accepted.proto() : AVP;
            MediaDescription.Builder m = stream(local, proto, formats);
            if (accepted.rtcpMux()) {
                m.property("rtcp-mux"); // RFC 5761 §5.1.1: accepted by echoing it
            }
            if (crypto != null) {
                m.attribute(crypto.toAttribute());
            }
            m.property(direction.attributeName());
            s.media(m.build());
        }
        return s.build();
    }

    /**
     * The formats of an answer to an offer of {@code offered} when the other leg settled on {@code chosen}: for
     * each chosen codec, in the chosen order, the offer's format of the same codec (so the offerer keeps its own
     * payload type numbers, RFC 3264 §6.1). Codecs the offerer does not have are left out; the media plane
     * converts between legs only when no codec is shared.
     */
    public static List<PayloadFormat> mapFormats(List<PayloadFormat> chosen, List<PayloadFormat> offered) {
        List<PayloadFormat> out = new ArrayList<>();
        for (PayloadFormat c : chosen) {
            for (PayloadFormat o : offered) {
                if (o.sameCodec(c) && !out.contains(o)) {
                    out.add(o);
                    break;
                }
            }
        }
        return out;
    }

    /**
     * The direction Parley effectively has on a leg, as the media plane wants it ("as in the SDP Parley sent"):
     * what Parley wrote, narrowed by what the peer wrote seen from Parley's side (RFC 3264 §6.1: an answerer's
     * sendonly is a recvonly for the offerer).
     */
    public static MediaDirection effective(MediaDirection parleyWrote, MediaDirection peerWrote) {
        return parleyWrote.intersect(peerWrote.reverse());
    }

    // ---- helpers ----

    private static Reading refused(int status, String reason) {
        return new Reading.Refused(new Refusal(status, reason));
    }

    private static SessionDescription.Builder session(Origin origin, LocalMedia local) {
        return SessionDescription.builder(origin).connection(Connection.of(local.rtp().getAddress().getHostAddress()));
    }

    private static MediaDescription.Builder stream(LocalMedia local, String proto, List<PayloadFormat> formats) {
        MediaDescription.Builder m = MediaDescription.builder("audio", local.rtp().getPort(), proto);
        for (PayloadFormat f : formats) {
            m.format(Integer.toString(f.payloadType()));
        }
        for (PayloadFormat f : formats) {
            m.attribute(RtpMap.of(f.payloadType(), f.encodingName(), f.clockRate(), f.channels()).toAttribute());
            if (!f.fmtp().isEmpty()) {
                m.attribute(new Fmtp(Integer.toString(f.payloadType()), f.fmtp()).toAttribute());
            }
        }
        if (local.rtcp().getPort() != local.rtp().getPort() + 1) {
            m.attribute(Rtcp.port(local.rtcp().getPort()).toAttribute()); // RFC 3605
        }
        return m;
    }

    /** The payload formats of an m-line that Parley can name (static types or an rtpmap); others are skipped. */
    public static List<PayloadFormat> formats(MediaDescription m) {
        List<PayloadFormat> out = new ArrayList<>();
        for (int pt : m.payloadTypes()) {
            Optional<RtpMap> map = m.rtpMap(pt);
            if (map.isEmpty()) {
                continue;
            }
            RtpMap r = map.get();
            String fmtp = m.fmtp(pt).map(Fmtp::parameters).orElse("");
            out.add(new PayloadFormat(pt, r.encodingName(), r.clockRate(), r.channels(), fmtp));
        }
        return out;
    }

    private static PeerMedia peer(SessionDescription sd, MediaDescription m, int index, List<PayloadFormat> formats,
            Crypto crypto) {
        MediaDirection direction = sd.directionOf(m);
        Optional<Connection> c = sd.connectionOf(m);
        InetAddress address = c.filter(x -> !x.isUnspecified()).flatMap(x -> literal(x.host())).orElse(null);
        if (c.isPresent() && c.get().isUnspecified()) {
            // RFC 3264 §8.4: c=0.0.0.0 is the old way of saying "do not send to me"
            direction = MediaDirection.of(direction.sends(), false);
        }
        InetSocketAddress rtp = address == null ? null : new InetSocketAddress(address, m.port());
        InetSocketAddress rtcp = null;
        Optional<Rtcp> r = m.rtcp();
        if (address != null && r.isPresent()) {
            InetAddress rtcpAddress = r.get().addressIfPresent().flatMap(Negotiation::literal).orElse(address);
            rtcp = new InetSocketAddress(rtcpAddress, r.get().port());
        }
        return new PeerMedia(index, m.proto(), formats, rtp, rtcp, m.rtcpMux(), direction, crypto);
    }

    /** An IP literal without any lookup; a host name gives empty (Parley does no DNS for media). */
    static Optional<InetAddress> literal(String host) {
        String h = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
        if (!IPV4.matcher(h).matches() && h.indexOf(':') < 0) {
            return Optional.empty();
        }
        try {
            return Optional.of(InetAddress.getByName(h)); // a literal: parsed, not resolved
        } catch (UnknownHostException e) {
            return Optional.empty();
        }
    }
}
