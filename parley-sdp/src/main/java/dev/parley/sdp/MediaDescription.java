package dev.parley.sdp;

import dev.parley.sdp.attribute.Attribute;
import dev.parley.sdp.attribute.AttributeGrammar;
import dev.parley.sdp.attribute.Candidate;
import dev.parley.sdp.attribute.Crypto;
import dev.parley.sdp.attribute.Fmtp;
import dev.parley.sdp.attribute.MediaDirection;
import dev.parley.sdp.attribute.Msid;
import dev.parley.sdp.attribute.Rtcp;
import dev.parley.sdp.attribute.RtcpFeedback;
import dev.parley.sdp.attribute.RtpMap;
import dev.parley.sdp.attribute.SdpText;
import dev.parley.sdp.attribute.Ssrc;
import dev.parley.sdp.attribute.SsrcGroup;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.function.Predicate;

/**
 * One media section: {@code m=<media> <port>[/<count>] <proto> <fmt> ...} and the {@code i= c= b= k= a=} lines
 * below it (RFC 8866 §5.14). Immutable; the {@code with...} methods return a changed copy and keep every other
 * line where it was.
 */
public final class MediaDescription implements Attributed {

    /** ICE attributes (RFC 8839 §5) that {@link #withoutIce()} removes. */
    public static final Set<String> ICE_ATTRIBUTES = Set.of("ice-ufrag", "ice-pwd", "ice-options", "ice-lite",
            "ice-mismatch", "ice-pacing", "candidate", "remote-candidates", "end-of-candidates");
    /** DTLS-SRTP attributes (RFC 8842, RFC 8122) that {@link #withoutDtls()} removes. */
    public static final Set<String> DTLS_ATTRIBUTES = Set.of("fingerprint", "setup", "tls-id", "connection");

    private final String media;
    private final int port;
    private final int portCount;
    private final String proto;
    private final List<String> formats;
    private final String information;
    private final List<Connection> connections;
    private final List<Bandwidth> bandwidths;
    private final String key;
    private final List<Attribute> attributes;
    /*
     * What offer/answer reads again and again of one section (Codec.listOf per payload type, several times per
     * call on each leg), parsed once on first use, or set at construction when the builder knew the typed rtpmap
     * and fmtp lines. Derived from the final fields above; each is an immutable list, so a racy first use at worst
     * parses twice and publishes an equal list (the single-check idiom).
     */
    private List<Integer> payloadTypes;
    private List<RtpMap> rtpMaps;
    private List<Fmtp> fmtps;

    private MediaDescription(Builder b) {
        this.media = b.media;
        this.port = b.port;
        this.portCount = b.portCount;
        this.proto = b.proto;
        this.formats = List.copyOf(b.formats);
        this.information = b.information;
        this.connections = List.copyOf(b.connections);
        this.bandwidths = List.copyOf(b.bandwidths);
        this.key = b.key;
        this.attributes = List.copyOf(b.attributes);
        if (!b.untypedCodecLines) {
            // Every a=rtpmap and a=fmtp came through rtpMap()/fmtp(): what parsing them would give is known, so
            // offer/answer does not read back the lines Parley itself wrote (issue 3).
            this.rtpMaps = List.copyOf(b.rtpMaps);
            this.fmtps = List.copyOf(b.fmtps);
        }
        if (!SdpText.isToken(media)) {
            throw new IllegalArgumentException("media type must be a token: " + media);
        }
        if (port < 0 || port > 65_535 || portCount == 0 || portCount < -1) {
            throw new IllegalArgumentException("port must be 0..65535 and the port count positive");
        }
        if (!isProto(proto)) {
            throw new IllegalArgumentException("proto must be token *(\"/\" token): " + proto);
        }
        if (!formats.stream().allMatch(SdpText::isToken)) {
            throw new IllegalArgumentException("formats must be tokens: " + formats);
        }
        if (formats.isEmpty() && port != 0) {
            throw new IllegalArgumentException("a media description in use needs at least one format");
        }
        if (information != null && !SdpText.isLineText(information)) {
            throw new IllegalArgumentException("i= must be one line");
        }
        if (key != null && !SdpText.isLineText(key)) {
            throw new IllegalArgumentException("k= must be one line");
        }
    }

    static boolean isProto(String proto) {
        int start = 0;
        for (int i = 0; i <= proto.length(); i++) {
            if (i == proto.length() || proto.charAt(i) == '/') {
                if (i == start) {
                    return false; // an empty part is not a token
                }
                for (int j = start; j < i; j++) {
                    if (!SdpText.isTokenChar(proto.charAt(j))) {
                        return false;
                    }
                }
                start = i + 1;
            }
        }
        return true;
    }

    public static Builder builder(String media, int port, String proto) {
        return new Builder(media, port, proto);
    }

    public Builder toBuilder() {
        Builder b = new Builder(media, port, proto);
        b.portCount = portCount;
        b.formats.addAll(formats);
        b.information = information;
        b.connections.addAll(connections);
        b.bandwidths.addAll(bandwidths);
        b.key = key;
        b.attributes.addAll(attributes);
        b.untypedCodecLines = true; // the copied lines are not known to have come through rtpMap()/fmtp()
        return b;
    }

    /** {@code audio}, {@code video}, {@code application}, {@code text}, {@code message}, {@code image}. */
    public String media() {
        return media;
    }

    public int port() {
        return port;
    }

    /** The number of ports after '/' in {@code m=}, or -1 when absent. */
    public int portCount() {
        return portCount;
    }

    /** {@code RTP/AVP}, {@code RTP/SAVP}, {@code RTP/SAVPF}, {@code UDP/TLS/RTP/SAVPF}, ... (case as written). */
    public String proto() {
        return proto;
    }

    /** Payload type numbers for RTP, as written (tokens: other protocols use names). */
    public List<String> formats() {
        return formats;
    }

    public Optional<String> information() {
        return Optional.ofNullable(information);
    }

    /** The {@code c=} lines of this section (several only for multicast, RFC 8866 §5.7). */
    public List<Connection> connections() {
        return connections;
    }

    /** The first {@code c=} of this section; see {@link SessionDescription#connectionOf}. */
    public Optional<Connection> connection() {
        return connections.isEmpty() ? Optional.empty() : Optional.of(connections.get(0));
    }

    public List<Bandwidth> bandwidths() {
        return bandwidths;
    }

    /** The obsolete {@code k=} line's value (RFC 8866 §5.12), a secret when present. */
    public Optional<String> key() {
        return Optional.ofNullable(key);
    }

    @Override
    public List<Attribute> attributes() {
        return attributes;
    }

    /** Port 0: a rejected or disabled stream (RFC 3264 §6, §8.2). */
    public boolean isRejected() {
        return port == 0;
    }

    /** RTP-based: the proto names RTP (RTP/AVP, RTP/SAVPF, UDP/TLS/RTP/SAVPF, ...). */
    public boolean isRtp() {
        // "RTP" as one whole '/'-separated part, in any case
        int start = 0;
        for (int i = 0; i <= proto.length(); i++) {
            if (i == proto.length() || proto.charAt(i) == '/') {
                if (i - start == 3 && proto.regionMatches(true, start, "RTP", 0, 3)) {
                    return true;
                }
                start = i + 1;
            }
        }
        return false;
    }

    /** SRTP profile in the proto: RTP/SAVP, RTP/SAVPF, UDP/TLS/RTP/SAVP(F) (RFC 3711 §12, RFC 5764 §8). */
    public boolean isSecureProfile() {
        String p = proto.toUpperCase(java.util.Locale.ROOT);
        return p.endsWith("/SAVP") || p.endsWith("/SAVPF");
    }

    /** The DTLS-SRTP protos of RFC 5764 §8 ({@code UDP/TLS/RTP/SAVP[F]}, {@code TCP/DTLS/RTP/SAVPF}). */
    public boolean isDtlsProfile() {
        String p = proto.toUpperCase(java.util.Locale.ROOT);
        return p.contains("TLS/RTP/");
    }

    /** The payload type numbers among the formats, in order (non-numeric formats skipped). */
    public List<Integer> payloadTypes() {
        List<Integer> out = payloadTypes;
        if (out == null) {
            List<Integer> pts = new ArrayList<>(formats.size());
            for (String f : formats) {
                SdpText.parseInt(f, 0, 127).ifPresent(pts::add);
            }
            out = List.copyOf(pts);
            payloadTypes = out;
        }
        return out;
    }

    public List<RtpMap> rtpMaps() {
        List<RtpMap> out = rtpMaps;
        if (out == null) {
            out = List.copyOf(typed(RtpMap.NAME, RtpMap::parse));
            rtpMaps = out;
        }
        return out;
    }

    /**
     * What a payload type means here: its {@code a=rtpmap}, or the RFC 3551 static assignment when there is none.
     */
    public Optional<RtpMap> rtpMap(int payloadType) {
        for (RtpMap r : rtpMaps()) {
            if (r.payloadType() == payloadType) {
                return Optional.of(r);
            }
        }
        return StaticPayloadTypes.lookup(payloadType);
    }

    public List<Fmtp> fmtps() {
        List<Fmtp> out = fmtps;
        if (out == null) {
            out = List.copyOf(typed(Fmtp.NAME, Fmtp::parse));
            fmtps = out;
        }
        return out;
    }

    /** The format parameters of one payload type, if given. */
    public Optional<Fmtp> fmtp(int payloadType) {
        String pt = Integer.toString(payloadType);
        for (Fmtp f : fmtps()) {
            if (f.format().equals(pt)) {
                return Optional.of(f);
            }
        }
        return Optional.empty();
    }

    /** {@code a=ptime} in milliseconds (RFC 8866 §6.4). */
    public OptionalInt ptime() {
        return attributeValue("ptime").map(AttributeGrammar::parsePacketTime).orElse(OptionalInt.empty());
    }

    /** {@code a=maxptime} in milliseconds (RFC 8866 §6.5). */
    public OptionalInt maxPtime() {
        return attributeValue("maxptime").map(AttributeGrammar::parsePacketTime).orElse(OptionalInt.empty());
    }

    /** Every {@code a=crypto} in order of preference (RFC 4568 §5.1.1: the offerer lists its favourite first). */
    public List<Crypto> cryptos() {
        return typed(Crypto.NAME, Crypto::parse);
    }

    public Optional<Rtcp> rtcp() {
        return attributeValue(Rtcp.NAME).flatMap(Rtcp::parse);
    }

    /** {@code a=rtcp-mux} (RFC 5761 §5.1.1). */
    public boolean rtcpMux() {
        return hasAttribute("rtcp-mux");
    }

    /** {@code a=rtcp-rsize} (RFC 5506 §5). */
    public boolean rtcpReducedSize() {
        return hasAttribute("rtcp-rsize");
    }

    public List<RtcpFeedback> rtcpFeedback() {
        return typed(RtcpFeedback.NAME, RtcpFeedback::parse);
    }

    public List<Candidate> candidates() {
        return typed(Candidate.NAME, Candidate::parse);
    }

    /** {@code a=end-of-candidates} (RFC 8840 §8.2). */
    public boolean endOfCandidates() {
        return hasAttribute("end-of-candidates");
    }

    /** {@code a=mid} (RFC 5888 §4). */
    public Optional<String> mid() {
        return attributeValue("mid");
    }

    public List<Ssrc> ssrcs() {
        return typed(Ssrc.NAME, Ssrc::parse);
    }

    public List<SsrcGroup> ssrcGroups() {
        return typed(SsrcGroup.NAME, SsrcGroup::parse);
    }

    public List<Msid> msids() {
        return typed(Msid.NAME, Msid::parse);
    }

    /** {@code a=label} (RFC 4574). */
    public Optional<String> label() {
        return attributeValue("label");
    }

    // ---- withers -------------------------------------------------------------------------------------------

    public MediaDescription withPort(int newPort) {
        Builder b = toBuilder();
        b.port = newPort;
        return b.build();
    }

    public MediaDescription withProto(String newProto) {
        Builder b = toBuilder();
        b.proto = newProto;
        return b.build();
    }

    public MediaDescription withFormats(List<String> newFormats) {
        return toBuilder().formats(newFormats).build();
    }

    /** Replaces every {@code c=} of this section with one. */
    public MediaDescription withConnection(Connection connection) {
        Builder b = toBuilder();
        b.connections.clear();
        b.connections.add(connection);
        return b.build();
    }

    /** Removes this section's {@code c=}, so the session-level one applies. */
    public MediaDescription withoutConnection() {
        Builder b = toBuilder();
        b.connections.clear();
        return b.build();
    }

    public MediaDescription withBandwidths(List<Bandwidth> newBandwidths) {
        Builder b = toBuilder();
        b.bandwidths.clear();
        b.bandwidths.addAll(newBandwidths);
        return b.build();
    }

    public MediaDescription withAttributes(List<Attribute> newAttributes) {
        Builder b = toBuilder();
        b.attributes.clear();
        b.attributes.addAll(newAttributes);
        return b.build();
    }

    /** Appends one attribute. */
    public MediaDescription withAttribute(Attribute attribute) {
        return toBuilder().attribute(attribute).build();
    }

    public MediaDescription withoutAttributes(Predicate<Attribute> remove) {
        return withAttributes(attributes.stream().filter(remove.negate()).toList());
    }

    public MediaDescription withoutAttributes(String... names) {
        Set<String> set = Set.of(names);
        return withoutAttributes(a -> set.contains(a.name()));
    }

    /**
     * Removes the attributes {@code remove} matches and puts {@code insert} where the first of them was (or at the
     * end when none matched), so the rest of the section keeps its order.
     */
    public MediaDescription replacingAttributes(Predicate<Attribute> remove, List<Attribute> insert) {
        return withAttributes(Attributes.replacing(attributes, remove, insert));
    }

    /** Replaces every {@code a=crypto} (RFC 4568) with these; an empty list removes them. */
    public MediaDescription withCryptos(List<Crypto> cryptos) {
        return replacingAttributes(a -> a.is(Crypto.NAME), cryptos.stream().map(Crypto::toAttribute).toList());
    }

    /** Removes every ICE attribute ({@link #ICE_ATTRIBUTES}): for a leg that does not do ICE. */
    public MediaDescription withoutIce() {
        return withoutAttributes(a -> ICE_ATTRIBUTES.contains(a.name()));
    }

    /** Removes {@code fingerprint}, {@code setup}, {@code tls-id}, {@code connection} ({@link #DTLS_ATTRIBUTES}). */
    public MediaDescription withoutDtls() {
        return withoutAttributes(a -> DTLS_ATTRIBUTES.contains(a.name()));
    }

    /** Sets {@code a=rtcp} (RFC 3605), replacing any; {@code null} removes it. */
    public MediaDescription withRtcp(Rtcp rtcp) {
        return replacingAttributes(a -> a.is(Rtcp.NAME), rtcp == null ? List.of() : List.of(rtcp.toAttribute()));
    }

    /** Adds or removes {@code a=rtcp-mux} (RFC 5761). */
    public MediaDescription withRtcpMux(boolean mux) {
        if (mux == rtcpMux()) {
            return this;
        }
        return mux ? withAttribute(Attribute.property("rtcp-mux")) : withoutAttributes("rtcp-mux");
    }

    /** Writes exactly one direction attribute here (RFC 3264 §5.1), where the first one was. */
    public MediaDescription withDirection(MediaDirection direction) {
        return replacingAttributes(a -> MediaDirection.fromAttributeName(a.name()).isPresent(),
                List.of(Attribute.property(direction.attributeName())));
    }

    /** Removes any direction attribute, so the session level (or the default sendrecv) applies. */
    public MediaDescription withoutDirection() {
        return withoutAttributes(a -> MediaDirection.fromAttributeName(a.name()).isPresent());
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof MediaDescription m && m.media.equals(media) && m.port == port
                && m.portCount == portCount && m.proto.equals(proto) && m.formats.equals(formats)
                && Objects.equals(m.information, information) && m.connections.equals(connections)
                && m.bandwidths.equals(bandwidths) && Objects.equals(m.key, key) && m.attributes.equals(attributes);
    }

    @Override
    public int hashCode() {
        return Objects.hash(media, port, portCount, proto, formats, connections, attributes);
    }

    /** The section as SDP text with secrets redacted ({@link SdpRedaction}). */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder();
        SdpSerializer.writeMedia(this, sb);
        return SdpRedaction.redact(sb.toString());
    }

    /** Builds a media description; the {@code m=} fields are checked in {@link #build()}. */
    public static final class Builder {
        private String media;
        private int port;
        private int portCount = -1;
        private String proto;
        private final List<String> formats = new ArrayList<>();
        private String information;
        private final List<Connection> connections = new ArrayList<>();
        private final List<Bandwidth> bandwidths = new ArrayList<>();
        private String key;
        private final List<Attribute> attributes = new ArrayList<>();
        /** The a=rtpmap and a=fmtp lines added as typed values, in order; all of them unless the flag is set. */
        private final List<RtpMap> rtpMaps = new ArrayList<>();
        private final List<Fmtp> fmtps = new ArrayList<>();
        private boolean untypedCodecLines;

        private Builder(String media, int port, String proto) {
            this.media = Objects.requireNonNull(media, "media");
            this.port = port;
            this.proto = Objects.requireNonNull(proto, "proto");
        }

        public Builder portCount(int count) {
            this.portCount = count;
            return this;
        }

        public Builder formats(List<String> newFormats) {
            formats.clear();
            formats.addAll(newFormats);
            return this;
        }

        public Builder format(String format) {
            formats.add(format);
            return this;
        }

        public Builder information(String text) {
            this.information = text;
            return this;
        }

        public Builder connection(Connection connection) {
            connections.add(connection);
            return this;
        }

        public Builder bandwidth(Bandwidth bandwidth) {
            bandwidths.add(bandwidth);
            return this;
        }

        public Builder key(String keyLine) {
            this.key = keyLine;
            return this;
        }

        public Builder attribute(Attribute attribute) {
            attributes.add(Objects.requireNonNull(attribute, "attribute"));
            if (attribute.is(RtpMap.NAME) || attribute.is(Fmtp.NAME)) {
                untypedCodecLines = true;
            }
            return this;
        }

        /** Adds {@code a=rtpmap} for {@code map}; the description then knows it without parsing the line again. */
        public Builder rtpMap(RtpMap map) {
            attributes.add(map.toAttribute());
            rtpMaps.add(map);
            return this;
        }

        /** Adds {@code a=fmtp} for {@code fmtp}; the description then knows it without parsing the line again. */
        public Builder fmtp(Fmtp fmtp) {
            attributes.add(fmtp.toAttribute());
            fmtps.add(fmtp);
            return this;
        }

        public Builder attribute(String name, String value) {
            return attribute(Attribute.of(name, value));
        }

        public Builder property(String name) {
            return attribute(Attribute.property(name));
        }

        public MediaDescription build() {
            return new MediaDescription(this);
        }
    }
}
