package dev.parley.sdp.offeranswer;

import dev.parley.sdp.MediaDescription;
import dev.parley.sdp.SessionDescription;
import dev.parley.sdp.attribute.Attribute;
import dev.parley.sdp.attribute.Candidate;
import dev.parley.sdp.attribute.Fingerprint;
import dev.parley.sdp.attribute.RtcpFeedback;
import dev.parley.sdp.attribute.Setup;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The SDP of a WebRTC leg's transport (RFC 8829 JSEP as a browser expects it from an ICE-lite, DTLS-SRTP peer):
 * reading the peer's ICE credentials, fingerprints and DTLS role, and writing Parley's. Package-private: the
 * offer/answer functions of {@link OfferAnswer} are the API.
 */
final class WebRtcSdp {
    /** The proto Parley writes and takes on WebRTC legs (RFC 8829 §5.1.2; plain {@code UDP/TLS/RTP/SAVP} too). */
    static final String PROTO = "UDP/TLS/RTP/SAVPF";
    /**
     * RFC 8445 §5.1.2.1: type preference 126 for a host candidate, local preference 65535 (Parley has one),
     * component 1: (2^24)·126 + (2^8)·65535 + (256 − 1).
     */
    static final long HOST_PRIORITY = (126L << 24) + (65_535L << 8) + 255;

    private WebRtcSdp() {
    }

    /** Whether Parley takes this DTLS proto: DTLS over UDP only (ICE-TCP candidates are not gathered). */
    static boolean usableProto(MediaDescription m) {
        String p = m.proto().toUpperCase(Locale.ROOT);
        return p.equals("UDP/TLS/RTP/SAVPF") || p.equals("UDP/TLS/RTP/SAVP");
    }

    /**
     * The peer's transport on {@code m}, or the reason it cannot be used (a {@link String}).
     *
     * @param answering true when {@code sdp} is the peer's offer (Parley answers), false when it answers Parley's
     *     {@code actpass} offer
     */
    static Object peer(SessionDescription sdp, MediaDescription m, boolean answering) {
        Optional<String> ufrag = sdp.iceUfragOf(m);
        Optional<String> pwd = sdp.icePwdOf(m);
        if (ufrag.isEmpty() || pwd.isEmpty()) {
            return "no a=ice-ufrag/a=ice-pwd (RFC 8839 §5.4): Parley is ICE-lite and needs the peer's checks";
        }
        List<Fingerprint> fingerprints = sdp.fingerprintsOf(m);
        if (fingerprints.isEmpty()) {
            return "no a=fingerprint (RFC 8122 §5: DTLS-SRTP without one cannot authenticate the peer)";
        }
        if (!m.rtcpMux()) {
            return "no a=rtcp-mux: WebRTC legs require it (RFC 8829 §5.1.1), Parley's endpoint has one port";
        }
        // RFC 4145 §4: without a=setup the default is active, for offers and answers alike.
        Setup theirs = m.setup().or(sdp::setup).orElse(Setup.ACTIVE);
        Setup parley;
        if (answering) {
            // RFC 5763 §5: the answerer to actpass or active is passive (Parley waits for the ClientHello: it
            // knows the peer's address from ICE by then); to a passive offerer it must be active.
            parley = switch (theirs) {
                case ACTPASS, ACTIVE -> Setup.PASSIVE;
                case PASSIVE -> Setup.ACTIVE;
                case HOLDCONN -> null;
            };
        } else {
            // RFC 5763 §5: the answer to Parley's actpass is active or passive.
            parley = switch (theirs) {
                case ACTIVE -> Setup.PASSIVE;
                case PASSIVE -> Setup.ACTIVE;
                case ACTPASS, HOLDCONN -> null;
            };
        }
        if (parley == null) {
            return "a=setup:" + theirs.value() + " leaves no DTLS role (RFC 5763 §5)";
        }
        return new WebRtcPeer(ufrag.get(), pwd.get(), fingerprints, parley);
    }

    /**
     * The RTCP feedback Parley relays between two browsers on a video stream: generic NACK (RFC 4585 §6.2.1),
     * PLI (RFC 4585 §6.3.1) and FIR (RFC 5104 §4.3.1). The media plane forwards these from the receiving browser
     * to the sending one; it neither answers nor generates them. {@code goog-remb} and {@code transport-cc} are
     * not listed: Parley does not handle them, so it never agrees to them.
     */
    static final List<String> VIDEO_FEEDBACK = List.of("nack", "nack pli", "ccm fir");

    /**
     * The {@code a=rtcp-fb} lines for the video formats of a WebRTC m-line: every {@link #VIDEO_FEEDBACK} type
     * per format in an offer ({@code offered == null}), and in an answer those the offer listed for the format or
     * for {@code *} (RFC 4585 §4.2: the answer may only keep what was offered). None for rtx, red and ulpfec:
     * feedback is about the media format they carry.
     */
    static List<Attribute> videoFeedback(MediaDescription offered, List<Codec> codecs) {
        List<Attribute> out = new ArrayList<>();
        for (Codec c : codecs) {
            String name = c.encodingName().toLowerCase(Locale.ROOT);
            if (name.equals("rtx") || name.equals("red") || name.equals("ulpfec")) {
                continue;
            }
            String pt = Integer.toString(c.payloadType());
            for (String type : VIDEO_FEEDBACK) {
                if (offered == null || offered.rtcpFeedback().stream().anyMatch(f ->
                        (f.format().equals(pt) || f.format().equals("*"))
                                && f.feedback().trim().equalsIgnoreCase(type))) {
                    out.add(new RtcpFeedback(pt, type).toAttribute());
                }
            }
        }
        return out;
    }

    /**
     * Parley's transport attributes on a WebRTC m-line: credentials, fingerprint, role, its one host candidate and
     * the end of candidates (Parley gathers nothing more: it is lite, RFC 8445 §2.5), rtcp-mux.
     */
    static List<Attribute> transport(WebRtcTransport local, Setup setup, String address, int port) {
        List<Attribute> out = new ArrayList<>();
        out.add(new Attribute("ice-ufrag", local.iceUfrag()));
        out.add(new Attribute("ice-pwd", local.icePwd()));
        out.add(local.fingerprint().toAttribute());
        out.add(new Attribute("setup", setup.value()));
        out.add(new Candidate("1", 1, "udp", HOST_PRIORITY, address, port, "host", null, -1, List.of())
                .toAttribute());
        out.add(Attribute.property("end-of-candidates"));
        out.add(Attribute.property("rtcp-mux"));
        return out;
    }
}
