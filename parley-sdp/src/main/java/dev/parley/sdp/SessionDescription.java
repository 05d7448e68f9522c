package dev.parley.sdp;

import dev.parley.sdp.attribute.Attribute;
import dev.parley.sdp.attribute.Fingerprint;
import dev.parley.sdp.attribute.Group;
import dev.parley.sdp.attribute.MediaDirection;
import dev.parley.sdp.attribute.SdpText;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;

/**
 * A session description (RFC 8866 §5): the session-level lines and the media sections, immutable. Lines Parley
 * does not interpret ({@code e= p= t= r= z= k=}, unknown attributes) are kept as written and in order, so that
 * {@link SdpSerializer} gives back the input byte for byte (line endings aside).
 *
 * <p>{@link #toString()} is the SDP text with secrets redacted; {@link #toSdp()} is the wire text.
 */
public final class SessionDescription implements Attributed {

    private final Origin origin;
    private final String sessionName;
    private final String information;
    private final String uri;
    private final List<String> emails;
    private final List<String> phones;
    private final Connection connection;
    private final List<Bandwidth> bandwidths;
    private final List<SdpLine> timing;
    private final String key;
    private final List<Attribute> attributes;
    private final List<MediaDescription> media;

    private SessionDescription(Builder b) {
        this.origin = Objects.requireNonNull(b.origin, "origin");
        this.sessionName = Objects.requireNonNull(b.sessionName, "sessionName");
        this.information = b.information;
        this.uri = b.uri;
        this.emails = List.copyOf(b.emails);
        this.phones = List.copyOf(b.phones);
        this.connection = b.connection;
        this.bandwidths = List.copyOf(b.bandwidths);
        this.timing = b.timing.isEmpty() ? List.of(new SdpLine('t', "0 0")) : List.copyOf(b.timing);
        this.key = b.key;
        this.attributes = List.copyOf(b.attributes);
        this.media = List.copyOf(b.media);
        for (String text : new String[] {sessionName, information, uri, key}) {
            if (text != null && !SdpText.isLineText(text)) {
                throw new IllegalArgumentException("session text fields must be one line");
            }
        }
        for (String text : emails) {
            if (!SdpText.isLineText(text)) {
                throw new IllegalArgumentException("e= must be one line");
            }
        }
        for (String text : phones) {
            if (!SdpText.isLineText(text)) {
                throw new IllegalArgumentException("p= must be one line");
            }
        }
        for (SdpLine t : timing) {
            if (t.type() != 't' && t.type() != 'r' && t.type() != 'z') {
                throw new IllegalArgumentException("timing holds t=, r= and z= lines only");
            }
        }
    }

    /** A new description with {@code s=-} and {@code t=0 0}, as Parley writes its own offers and answers. */
    public static Builder builder(Origin origin) {
        return new Builder(origin);
    }

    public Builder toBuilder() {
        Builder b = new Builder(origin);
        b.sessionName = sessionName;
        b.information = information;
        b.uri = uri;
        b.emails.addAll(emails);
        b.phones.addAll(phones);
        b.connection = connection;
        b.bandwidths.addAll(bandwidths);
        b.timing.addAll(timing);
        b.key = key;
        b.attributes.addAll(attributes);
        b.media.addAll(media);
        return b;
    }

    /** {@code v=}: always 0 (RFC 8866 §5.1); other versions are refused by the parser. */
    public int version() {
        return 0;
    }

    public Origin origin() {
        return origin;
    }

    /** {@code s=}; {@code -} when the input had none (see {@link SdpParser}). */
    public String sessionName() {
        return sessionName;
    }

    public Optional<String> information() {
        return Optional.ofNullable(information);
    }

    public Optional<String> uri() {
        return Optional.ofNullable(uri);
    }

    public List<String> emails() {
        return emails;
    }

    public List<String> phones() {
        return phones;
    }

    /** The session-level {@code c=}. */
    public Optional<Connection> connection() {
        return Optional.ofNullable(connection);
    }

    public List<Bandwidth> bandwidths() {
        return bandwidths;
    }

    /** The {@code t=}, {@code r=} and {@code z=} lines in order; at least one {@code t=}. */
    public List<SdpLine> timing() {
        return timing;
    }

    /** The obsolete session-level {@code k=} value, a secret when present. */
    public Optional<String> key() {
        return Optional.ofNullable(key);
    }

    @Override
    public List<Attribute> attributes() {
        return attributes;
    }

    public List<MediaDescription> media() {
        return media;
    }

    /** {@code a=group} lines (RFC 5888). */
    public List<Group> groups() {
        return typed(Group.NAME, Group::parse);
    }

    /** The first {@code a=group:BUNDLE} (RFC 9143). */
    public Optional<Group> bundleGroup() {
        return groups().stream().filter(Group::isBundle).findFirst();
    }

    /** {@code a=ice-lite} (RFC 8839 §5.3), a session-level attribute. */
    public boolean iceLite() {
        return hasAttribute("ice-lite");
    }

    /** The {@code c=} that applies to a media section: its own, else the session's (RFC 8866 §5.7). */
    public Optional<Connection> connectionOf(MediaDescription m) {
        return m.connection().or(this::connection);
    }

    /**
     * The direction that applies to a media section: its own attribute, else the session-level one, else
     * {@code sendrecv} (RFC 3264 §5.1, RFC 8866 §6.7).
     */
    public MediaDirection directionOf(MediaDescription m) {
        return m.direction().or(this::direction).orElse(MediaDirection.SENDRECV);
    }

    /** Media-level fingerprints, else the session-level ones (RFC 8122 §5). */
    public List<Fingerprint> fingerprintsOf(MediaDescription m) {
        List<Fingerprint> own = m.fingerprints();
        return own.isEmpty() ? fingerprints() : own;
    }

    /** Media-level {@code ice-ufrag}, else the session-level one (RFC 8839 §5.4). */
    public Optional<String> iceUfragOf(MediaDescription m) {
        return m.iceUfrag().or(this::iceUfrag);
    }

    /** Media-level {@code ice-pwd}, else the session-level one (RFC 8839 §5.4). A secret. */
    public Optional<String> icePwdOf(MediaDescription m) {
        return m.icePwd().or(this::icePwd);
    }

    // ---- withers -------------------------------------------------------------------------------------------

    /** Replaces {@code o=}; see {@link Origin#withNextVersion()} for RFC 3264 §8 versioning. */
    public SessionDescription withOrigin(Origin newOrigin) {
        Builder b = toBuilder();
        b.origin = newOrigin;
        return b.build();
    }

    public SessionDescription withSessionName(String name) {
        return toBuilder().sessionName(name).build();
    }

    /** Sets the session-level {@code c=}; media-level ones stay (see {@link #withConnectionEverywhere}). */
    public SessionDescription withConnection(Connection newConnection) {
        return toBuilder().connection(newConnection).build();
    }

    /** Sets the session-level {@code c=} and removes every media-level one, so one address applies to all. */
    public SessionDescription withConnectionEverywhere(Connection newConnection) {
        return toBuilder().connection(newConnection).build().mapMedia(MediaDescription::withoutConnection);
    }

    public SessionDescription withMedia(List<MediaDescription> newMedia) {
        Builder b = toBuilder();
        b.media.clear();
        b.media.addAll(newMedia);
        return b.build();
    }

    public SessionDescription withMedia(int index, MediaDescription m) {
        List<MediaDescription> list = new ArrayList<>(media);
        list.set(index, m);
        return withMedia(list);
    }

    public SessionDescription mapMedia(UnaryOperator<MediaDescription> f) {
        return withMedia(media.stream().map(f).toList());
    }

    public SessionDescription withAttributes(List<Attribute> newAttributes) {
        Builder b = toBuilder();
        b.attributes.clear();
        b.attributes.addAll(newAttributes);
        return b.build();
    }

    public SessionDescription withoutAttributes(Predicate<Attribute> remove) {
        return withAttributes(attributes.stream().filter(remove.negate()).toList());
    }

    /** Removes ICE attributes from the session level and every media section. */
    public SessionDescription withoutIce() {
        return withoutAttributes(a -> MediaDescription.ICE_ATTRIBUTES.contains(a.name()))
                .mapMedia(MediaDescription::withoutIce);
    }

    /** Removes DTLS-SRTP attributes from the session level and every media section. */
    public SessionDescription withoutDtls() {
        return withoutAttributes(a -> MediaDescription.DTLS_ATTRIBUTES.contains(a.name()))
                .mapMedia(MediaDescription::withoutDtls);
    }

    /** Sets a session-level direction attribute, replacing any there (media-level ones still override it). */
    public SessionDescription withDirection(MediaDirection direction) {
        return withAttributes(Attributes.replacing(attributes,
                a -> MediaDirection.fromAttributeName(a.name()).isPresent(),
                List.of(Attribute.property(direction.attributeName()))));
    }

    /** The wire text, CRLF line ends (RFC 8866 §5). Contains any keys: never log it, log {@link #toString()}. */
    public String toSdp() {
        return SdpSerializer.serialize(this);
    }

    /** The wire bytes, UTF-8. */
    public byte[] toBytes() {
        return toSdp().getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SessionDescription s && s.origin.equals(origin) && s.sessionName.equals(sessionName)
                && Objects.equals(s.information, information) && Objects.equals(s.uri, uri)
                && s.emails.equals(emails) && s.phones.equals(phones) && Objects.equals(s.connection, connection)
                && s.bandwidths.equals(bandwidths) && s.timing.equals(timing) && Objects.equals(s.key, key)
                && s.attributes.equals(attributes) && s.media.equals(media);
    }

    @Override
    public int hashCode() {
        return Objects.hash(origin, sessionName, connection, attributes, media);
    }

    /** The SDP text with {@code a=crypto} keys, {@code a=ice-pwd} and {@code k=} redacted. */
    @Override
    public String toString() {
        return SdpRedaction.redact(toSdp());
    }

    /** Builds a session description. */
    public static final class Builder {
        private Origin origin;
        private String sessionName = "-";
        private String information;
        private String uri;
        private final List<String> emails = new ArrayList<>();
        private final List<String> phones = new ArrayList<>();
        private Connection connection;
        private final List<Bandwidth> bandwidths = new ArrayList<>();
        private final List<SdpLine> timing = new ArrayList<>();
        private String key;
        private final List<Attribute> attributes = new ArrayList<>();
        private final List<MediaDescription> media = new ArrayList<>();

        private Builder(Origin origin) {
            this.origin = Objects.requireNonNull(origin, "origin");
        }

        public Builder origin(Origin o) {
            this.origin = Objects.requireNonNull(o, "origin");
            return this;
        }

        public Builder sessionName(String name) {
            this.sessionName = Objects.requireNonNull(name, "name");
            return this;
        }

        public Builder information(String text) {
            this.information = text;
            return this;
        }

        public Builder uri(String text) {
            this.uri = text;
            return this;
        }

        public Builder email(String text) {
            emails.add(text);
            return this;
        }

        public Builder phone(String text) {
            phones.add(text);
            return this;
        }

        /** The session-level {@code c=}, or {@code null} for none. */
        public Builder connection(Connection c) {
            this.connection = c;
            return this;
        }

        public Builder bandwidth(Bandwidth b) {
            bandwidths.add(b);
            return this;
        }

        /** Adds a {@code t=}, {@code r=} or {@code z=} line; without any, {@code t=0 0} is written. */
        public Builder timing(SdpLine line) {
            timing.add(line);
            return this;
        }

        public Builder key(String keyLine) {
            this.key = keyLine;
            return this;
        }

        public Builder attribute(Attribute a) {
            attributes.add(Objects.requireNonNull(a, "attribute"));
            return this;
        }

        public Builder property(String name) {
            return attribute(Attribute.property(name));
        }

        public Builder attribute(String name, String value) {
            return attribute(Attribute.of(name, value));
        }

        public Builder media(MediaDescription m) {
            media.add(Objects.requireNonNull(m, "media"));
            return this;
        }

        public SessionDescription build() {
            return new SessionDescription(this);
        }
    }
}
